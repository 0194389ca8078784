"""``crabplug view`` in a real browser: headless Chromium loads the page from the real server, a facet filters
the samples, and the drop buttons write the review file. Skips where no Chromium is installed."""

from __future__ import annotations

import asyncio
import json

import chromium
import pytest
from view_helpers import ViewServer, make_run

import crabplug as api

pytestmark = [
    pytest.mark.slow,  # a run, the server and a browser: ~15 s on 2 cores
    pytest.mark.skipif(chromium.find() is None,
                       reason="no Chromium: install Debian's chromium package (apt-get install chromium)"),
]


def test_a_reader_filters_by_a_facet_and_marks_drops_in_the_browser(tmp_path):
    run = make_run(tmp_path)
    total = len((run / "samples.jsonl").read_text().splitlines())

    async def browse(url: str) -> None:
        async with chromium.Chromium(chromium.find(), tmp_path) as tab:
            await tab.goto(url + "/view/samples")
            shot = await tab.screenshot(tmp_path / "samples.png")
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
            assert await tab.js("document.querySelectorAll('table.rows-and-columns tbody tr').length") == total

            # the rarest constraint type in the facet: fewer rows, each of them holding that type
            ctype = await tab.js("(() => { const a = [...document.querySelectorAll("
                                 "'#facet-types a[href*=\"types__arraycontains=\"]')].pop();"
                                 " a.id = 'rarest'; return a.textContent.trim(); })()")
            await tab.click("#rarest")
            assert "types__arraycontains=" in await tab.js("location.search")
            cells = await tab.js("[...document.querySelectorAll('table.rows-and-columns tbody td.col-types')]"
                                 ".map(td => td.textContent)")
            assert 0 < len(cells) < total and all(ctype in c for c in cells), (ctype, cells)

            await tab.click("table.rows-and-columns tbody td.col-id a")
            sample = (await tab.js("location.pathname")).rsplit("/", 1)[1]
            await tab.click("#crab-drop-sample")
            assert await tab.js("!!document.querySelector('#crab-sample-marked')")
            assert api.load_review_rules(run).samples == (sample,)

            dropped = await tab.js("document.querySelector('.crab-drop-type').dataset.type")
            await tab.click(".crab-drop-type")
            assert api.load_review_rules(run).types == (dropped,)
            await tab.screenshot(tmp_path / "sample.png")

    with ViewServer(str(run)) as server:
        asyncio.run(browse(server.url))
    review = json.loads((run / "review.json").read_text())
    assert review["samples"] and review["types"] and review["origins"] == [] and review["failing"] is False
