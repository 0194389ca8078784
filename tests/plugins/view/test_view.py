"""``crabplug view``: the SQLite file built from a run, incrementally; the page served on 127.0.0.1; decisions
made on the page applied by ``crabplug drop`` exactly as the same drop given on the command line."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest
from crabplug_view.build import build
from view_helpers import Browser, ViewServer, crabplug, env, make_run

import crabplug as api

pytestmark = pytest.mark.slow  # one real code-only run and a few server processes: ~20 s on 2 cores


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return make_run(tmp_path_factory.mktemp("view"))


@pytest.fixture
def run(made, tmp_path):
    return Path(shutil.copytree(made, tmp_path / "run"))


def _types():
    return api.load_plugins().constraint_types


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _db(run: Path) -> sqlite3.Connection:
    return sqlite3.connect(run / "view.sqlite")


def test_the_database_holds_every_sample_constraint_and_dpo_pair(run):
    counts = build(run, _types())
    samples = _rows(run / "samples.jsonl")
    assert counts["samples"] == len(samples) > 0
    assert counts["constraints"] == sum(len(s["constraints"]) for s in samples)
    assert counts["dpo"] == len(_rows(run / "dpo.jsonl"))
    first = samples[0]
    got = _db(run).execute("SELECT type, phrasing, origin, verdict, verified_by FROM constraints WHERE sample_id = ?"
                           " ORDER BY position", (first["id"],)).fetchall()
    want = [(c["type"], c["text"], c["origin"], "pass" if c["verified"] else "fail", c["verified_by"])
            for c in first["constraints"]]
    assert got == want


def test_a_second_build_parses_nothing(run):
    build(run, _types())
    again = build(run, _types())
    assert again["parsed samples.jsonl"] == 0 and again["parsed dpo.jsonl"] == 0


def test_lines_appended_to_a_run_are_the_only_ones_parsed(run):
    lines = (run / "samples.jsonl").read_text().splitlines(keepends=True)
    (run / "samples.jsonl").write_text("".join(lines[:-3]))
    assert build(run, _types())["samples"] == len(lines) - 3
    (run / "samples.jsonl").write_text("".join(lines))
    counts = build(run, _types())
    assert counts["parsed samples.jsonl"] == 3 and counts["samples"] == len(lines)


def test_a_rewritten_file_parses_only_changed_lines_and_forgets_removed_ones(run):
    build(run, _types())
    lines = (run / "samples.jsonl").read_text().splitlines(keepends=True)
    rows = _rows(run / "samples.jsonl")
    gone, changed = rows[0], rows[1]
    changed["response"] = "an answer edited after the first build"
    (run / "samples.jsonl").write_text("".join([json.dumps(changed) + "\n", *lines[2:]]))  # as `crabplug drop` does
    counts = build(run, _types())
    assert counts["parsed samples.jsonl"] == 1 and counts["samples"] == len(rows) - 1
    db = _db(run)
    assert db.execute("SELECT count(*) FROM constraints WHERE sample_id = ?", (gone["id"],)).fetchone()[0] == 0
    response = db.execute("SELECT t.response FROM samples s JOIN texts t ON t.rowid = s.rowid WHERE s.id = ?",
                          (changed["id"],)).fetchone()[0]
    assert response == changed["response"]
    assert db.execute("SELECT count(*) FROM samples_fts WHERE samples_fts MATCH 'edited'").fetchone()[0] == 1


def test_every_candidate_of_the_last_checkpoint_is_listed_with_its_verdict(run):
    checkpoint = run / "stages" / "2-verify.jsonl"
    rows = _rows(checkpoint)
    rows[0]["record"]["constraints"][0]["verified"] = False  # as a judge that said NO leaves it
    checkpoint.write_text("".join(json.dumps(r) + "\n" for r in rows))
    counts = build(run, _types())
    assert counts["candidates"] == sum(len((r.get("record") or {}).get("constraints", [])) for r in rows)
    failed = _db(run).execute("SELECT example_id, type FROM candidates WHERE verdict = 'fail'").fetchall()
    assert failed == [(rows[0]["id"], rows[0]["record"]["constraints"][0]["type"])]


def test_full_text_search_finds_words_of_instructions_and_responses(run):
    build(run, _types())
    sample = _rows(run / "samples.jsonl")[0]
    word = max((w for w in sample["response"].split() if w.isalpha()), key=len)
    found = [r[0] for r in _db(run).execute(
        "SELECT samples.id FROM samples_fts JOIN samples ON samples.rowid = samples_fts.rowid"
        " WHERE samples_fts MATCH ?", (json.dumps(word),))]
    assert sample["id"] in found


def test_the_page_serves_facets_search_and_a_sample_on_loopback_only(run):
    sample = _rows(run / "samples.jsonl")[0]
    with ViewServer(str(run)) as server:
        assert server.url.startswith("http://127.0.0.1:")
        page = Browser(server.url)
        status, html = page.get("/view/samples")
        assert status == 200
        assert all(f'data-column="{c}"' in html for c in ("types", "n_constraints", "flags"))
        status, html = page.get("/view/constraints")
        assert all(f'data-column="{c}"' in html for c in ("type", "family", "origin", "verdict"))
        _, body = page.get("/view/samples.json?_shape=array&_search=" + sample["response"].split()[0].strip(".,:"))
        assert sample["id"] in [r["id"] for r in json.loads(body)]
        status, html = page.get(f"/-/crabplug/sample/{sample['id']}")
        assert status == 200 and sample["constraints"][0]["type"] in html and "Drop this sample" in html
        assert "Candidates not in this sample" in html  # rules propose more than a sample uses
        _, html = page.get("/view/candidates")
        assert all(f'data-column="{c}"' in html for c in ("type", "origin", "verdict", "verified_by"))
        port = int(server.url.rsplit(":", 1)[1])
        other = [a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
                 if not a[4][0].startswith("127.")]
        for address in other:  # nothing listens on the machine's other interfaces
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((address, port)) != 0


def test_a_taken_port_is_one_sentence(run):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run(crabplug("view", str(run), "--port", str(port)), env=env(), capture_output=True,
                              text=True, timeout=120)
    assert done.returncode != 0 and f"port {port} on 127.0.0.1 is taken" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_drop_marked_on_the_page_is_applied_like_the_same_drop_on_the_command_line(run, tmp_path):
    twin = Path(shutil.copytree(run, tmp_path / "twin"))
    sample = _rows(run / "samples.jsonl")[2]["id"]
    ctype = _rows(run / "samples.jsonl")[0]["constraints"][0]["type"]
    with ViewServer(str(run)) as server:
        page = Browser(server.url)
        assert page.post_form(f"/-/crabplug/sample/{sample}", {"sample": sample})[0] == 200
        assert page.post_form(f"/-/crabplug/sample/{sample}", {"type": ctype})[0] == 200
        _, review = page.get("/-/crabplug/review")
        assert sample in review and ctype in review
    assert api.load_review_rules(run) == api.ReviewRules(samples=(sample,), types=(ctype,))
    page_drop = subprocess.run(crabplug("drop", str(run)), env=env(), capture_output=True, text=True, timeout=300)
    assert page_drop.returncode == 0, page_drop.stderr
    line_drop = subprocess.run(crabplug("drop", str(twin), "--sample", sample, "--type", ctype), env=env(),
                               capture_output=True, text=True, timeout=300)
    assert line_drop.returncode == 0, line_drop.stderr
    outputs = ["review.json", "samples.jsonl", "sft.jsonl", "sft-mix.jsonl", "dpo.jsonl", "stats.json"]
    assert {n: (run / n).read_bytes() for n in outputs} == {n: (twin / n).read_bytes() for n in outputs}
    assert sample not in [r["id"] for r in _rows(run / "samples.jsonl")]
    counts = build(run, _types())  # the view follows the rebuilt run
    assert counts["samples"] == len(_rows(run / "samples.jsonl"))
    assert _db(run).execute("SELECT count(*) FROM constraints WHERE type = ?", (ctype,)).fetchone()[0] == 0


def test_undo_takes_a_decision_back_out_of_the_review_file(run):
    sample = _rows(run / "samples.jsonl")[0]
    ctype = sample["constraints"][0]["type"]
    with ViewServer(str(run)) as server:
        page = Browser(server.url)
        page.post_form(f"/-/crabplug/sample/{sample['id']}", {"sample": sample["id"]})
        page.post_form(f"/-/crabplug/sample/{sample['id']}", {"type": ctype})
        page.post_form("/-/crabplug/review", {"sample": sample["id"]}, action="/-/crabplug/undo")
        assert api.load_review_rules(run) == api.ReviewRules(types=(ctype,))
        page.post_form("/-/crabplug/review", {"type": ctype}, action="/-/crabplug/undo")
    assert api.load_review_rules(run) == api.ReviewRules()


def test_view_without_a_run_says_what_to_pass(tmp_path):
    done = subprocess.run(crabplug("view", str(tmp_path)), env=env(), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "has no samples.jsonl" in done.stderr and "Traceback" not in done.stderr


def _eval_dir(tmp: Path, name: str, answer: str) -> Path:
    """A real ``crabplug eval`` directory scoring the same answer to IFEval's first four prompts."""
    data = Path(__file__).resolve().parents[3] / "plugins" / "crabplug_eval" / "data" / "input_data.jsonl"
    prompts = [json.loads(line)["prompt"] for line in data.read_text().splitlines()[:4]]
    answers = tmp / f"{name}.jsonl"
    answers.write_text("".join(json.dumps({"prompt": p, "response": answer}) + "\n" for p in prompts))
    done = subprocess.run(crabplug("eval", "--responses", str(answers), "--limit", "4", "-o", str(tmp / name), "-q"),
                          env=env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tmp / name


def test_compare_shows_each_models_answer_and_verdicts_per_prompt(tmp_path):
    lower = _eval_dir(tmp_path, "lower", "a short answer in lowercase with no comma")
    upper = _eval_dir(tmp_path, "upper", "A SHORT ANSWER, IN CAPITALS")
    with ViewServer("--compare", str(lower), str(upper)) as server:
        page = Browser(server.url)
        _, body = page.get("/view/prompts.json?_shape=array")
        prompts = json.loads(body)
        assert len(prompts) == 4
        moved = [p for p in prompts if p["moved"]]  # the comma rule passes for one answer and fails for the other
        assert moved, prompts
        status, html = page.get(f"/-/crabplug/prompt/{moved[0]['key']}")
        assert status == 200
        assert "a short answer in lowercase" in html and "A SHORT ANSWER, IN CAPITALS" in html
        assert html.count('class="crab-answer"') == 2
        assert all(t in html for t in json.loads(moved[0]["instructions"]))
