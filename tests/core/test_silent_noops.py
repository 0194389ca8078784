"""No silent no-ops: an empty run fails loudly with its reasons, show says when there is nothing to show, and a
resume with a lower --limit or other plugins is refused like a changed config."""

from __future__ import annotations

import json
import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds


def crabplug(*args, extra_env=None):
    return subprocess.run(crabplug_cmd(*args), env={**env(), **(extra_env or {})}, capture_output=True, text=True)


def test_a_run_whose_seeds_all_fail_exits_1_naming_the_top_reasons(tmp_path):
    seeds = tmp_path / "qa.jsonl"
    seeds.write_text("".join(json.dumps({"question": f"q{i}?", "answer": "a b c"}) + "\n" for i in range(3)))
    out = crabplug("run", str(write_config(tmp_path, seeds)), "-q")
    assert out.returncode == 1
    assert "samples 0" in out.stdout  # the summary still says what happened
    error = out.stderr.strip()
    assert error.startswith("Error: the run produced no samples (3 of 3 seed records failed, 0 filtered); "
                            "top failure reasons: seeds: bad line: 'instruction' (3x); every failure is in ")
    assert "Traceback" not in out.stderr and len(error.splitlines()) == 1


def test_show_on_an_empty_run_says_it_has_no_samples(tmp_path):
    seeds = tmp_path / "qa.jsonl"
    seeds.write_text(json.dumps({"question": "q?", "answer": "a"}) + "\n")
    crabplug("run", str(write_config(tmp_path, seeds)), "-q")
    out = crabplug("show", str(tmp_path / "run"))
    assert out.returncode == 1 and "has no samples: the run produced none" in out.stderr


def test_show_past_the_end_says_how_many_samples_there_are(tmp_path):
    assert crabplug("run", str(write_config(tmp_path, write_seeds(tmp_path / "s.jsonl", 3))), "-q").returncode == 0
    out = crabplug("show", str(tmp_path / "run"), "--skip", "5")
    assert out.returncode == 1 and out.stderr.strip().endswith("has 3 samples: --skip 5 is past its end")


def test_a_limit_below_what_the_run_directory_holds_is_refused(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "s.jsonl", 6))
    assert crabplug("run", str(config), "-q", "--limit", "3").returncode == 0
    lower = crabplug("run", str(config), "-q", "--limit", "2")
    assert lower.returncode == 1
    assert "already holds 3 seed records, more than the limit of 2: use a limit of at least 3" in lower.stderr
    assert "limit: 3" in (tmp_path / "run" / "config.yaml").read_text()  # untouched by the refused run
    same = crabplug("run", str(config), "-q", "--limit", "3")
    higher = crabplug("run", str(config), "-q", "--limit", "5")
    assert same.returncode == 0 and higher.returncode == 0
    assert "samples 5" in higher.stdout


def test_a_plugin_installed_between_a_run_and_its_resume_is_refused(tmp_path):
    (tmp_path / "newly_installed.py").write_text(  # a constraint family: every rule back-translation may use it
        "from crabplug import ConstraintType, hookimpl\n\n@hookimpl\ndef register_constraint_types(register):\n"
        "    register(ConstraintType(id='new:t', family='new', check=lambda r: True, describe=lambda kw, rng: 'x'))\n"
    )
    config = write_config(tmp_path, write_seeds(tmp_path / "s.jsonl", 3))
    assert crabplug("run", str(config), "-q").returncode == 0
    path = {"PYTHONPATH": f"{env()['PYTHONPATH']}:{tmp_path}"}
    out = crabplug("--plugin", "newly_installed", "run", str(config), "-q", extra_env=path)
    assert out.returncode == 1
    assert "was made with other plugins (added newly_installed" in out.stderr
    assert "add --restart to start it over" in out.stderr
    restarted = crabplug("--plugin", "newly_installed", "run", str(config), "-q", "--restart", extra_env=path)
    assert restarted.returncode == 0


def test_a_run_whose_records_the_combiner_all_leaves_out_names_its_counts(tmp_path):
    # one-word answers: every constraint found on them is one no reader would take, so no sample is made
    seeds = tmp_path / "s.jsonl"
    pairs = [("Say hi.", "hi."), ("Say yes.", "yes.")]
    seeds.write_text("".join(json.dumps({"instruction": q, "response": a}) + "\n" for q, a in pairs))
    config = tmp_path / "crab.yaml"
    config.write_text(
        f"run_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: {seeds}}}]\nfilters: {{min_words: 0}}\n"
        "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n"
    )
    out = crabplug("run", str(config), "-q")
    assert out.returncode == 1
    error = out.stderr.strip()
    assert "top failure reasons: no failure was logged; left out by " in error, error
    assert len(error.splitlines()) == 1
