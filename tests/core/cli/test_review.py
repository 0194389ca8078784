"""Review before training: ``crabplug show`` filters, ``crabplug drop`` removes and rebuilds from the checkpoints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crabplug import config as cfg
from crabplug.cli import cli
from crabplug.cli.drop import Rules, rebuild
from crabplug.pipeline.run import execute
from crabplug.plugins import load

pytestmark = pytest.mark.slow  # one real run of the crab recipe, then rebuilds: about 15 s on 2 cores

BUNDLED = Path(__file__).parents[3] / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
CONFIG = f"""\
name: review
limit: 6
seeds: [{{plugin: jsonl, path: {BUNDLED}}}]
back_translators: [rules]
combiner: {{plugin: crab}}
outputs: [{{plugin: sft, reverse_share: 0.3}}, {{plugin: card, plots: false}}]
"""


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    (tmp / "c.yaml").write_text(CONFIG)
    config, data = cfg.load(tmp / "c.yaml")
    return execute(config, data, load([]), run_dir=tmp / "run", quiet=True).run_dir


@pytest.fixture
def run(made, tmp_path):
    return Path(shutil.copytree(made, tmp_path / "run"))


def invoke(*args):
    return CliRunner(env={"COLUMNS": "250"}).invoke(cli, list(args))


def test_show_filters_constraints_by_type_and_origin(run):
    out = invoke("show", str(run), "-n", "20", "--type", "crab:*", "--origin", "rule")
    assert out.exit_code == 0, out.output
    cells = [line.split("│") for line in out.output.splitlines()]
    types = [c[1].strip() for c in cells if len(c) == 6 and ":" in c[1]]  # rows of the 4-column table
    assert types and all(t.startswith("crab:") for t in types)
    assert "constraints match" in out.output


def test_show_says_when_no_sample_matches(run):
    out = invoke("show", str(run), "--verdict", "fail")  # code re-checks every rule constraint: none fails
    assert out.exit_code == 1 and "matches the filters" in str(out.exception)


def test_show_failures_filters_by_reason(run):
    (run / "failures.jsonl").write_text(
        json.dumps({"stage": "seeds", "reason": "bad line: 'instruction'", "where": "a.jsonl:3"}) + "\n"
        + json.dumps({"stage": "back_translate:llm", "reason": "the reply is not JSON", "where": "llm"}) + "\n")
    out = invoke("show", str(run), "--failures", "--reason", "not json")
    assert out.exit_code == 0 and "1 failures" in out.output and "the reply is not JSON" in out.output
    assert "bad line" not in out.output


def test_a_rebuild_without_rules_gives_the_runs_own_files_byte_for_byte(run):
    before = {n: (run / n).read_bytes() for n in ("sft.jsonl", "sft-mix.jsonl", "samples.jsonl")}
    rebuild(run, load([]), Rules())
    assert {n: (run / n).read_bytes() for n in before} == before


def test_drop_by_type_takes_the_constraints_out_before_combining_and_records_it(run):
    out = invoke("drop", str(run), "--type", "crab:*")
    assert out.exit_code == 0, out.output
    rows = _lines(run / "sft.jsonl")
    assert rows and not any(c["type"].startswith("crab:") for r in rows for c in r["constraints"])
    assert json.loads((run / "review.json").read_text())["types"] == ["crab:*"]
    review = json.loads((run / "stats.json").read_text())["review"]
    assert review["dropped_constraints"] > 0
    card = (run / "README.md").read_text()
    assert "## Review" in card and "constraint types crab:*" in card
    first = (run / "sft.jsonl").read_bytes()
    rebuild(run, load([]), Rules(types=("crab:*",)))  # the same rules, the same files
    assert (run / "sft.jsonl").read_bytes() == first


def test_drop_by_sample_id_leaves_that_sample_out(run):
    victim = _lines(run / "sft.jsonl")[0]["id"]
    out = invoke("drop", str(run), "--sample", victim)
    assert out.exit_code == 0, out.output
    assert victim not in {r["id"] for r in _lines(run / "sft.jsonl")}
    assert len(_lines(run / "samples.jsonl")) == 5
    again = invoke("drop", str(run))  # no option: the saved rules again (after a re-run rebuilt the outputs)
    assert again.exit_code == 0 and victim not in {r["id"] for r in _lines(run / "sft.jsonl")}
