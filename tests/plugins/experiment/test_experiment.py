"""`crabplug experiment`: the whole loop (data, SFT, GRPO, IFEval, comparison) resumable, and uncontaminated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crabplug import load_plugins

ROOT = Path(__file__).parents[3]
RECIPE = ROOT / "configs" / "experiment" / "smollm2-cpu.yaml"
# The shipped recipe trains SFT then GRPO (DPO is in train.yaml, commented out for the timed CPU run).
STEPS = ("data", "contamination", "train-sft", "train-grpo", "eval-ifeval-base", "eval-ifeval-sft",
         "eval-ifeval-grpo", "compare")


def _crabplug(*args: str) -> list[str]:
    return [sys.executable, "-m", "crabplug", *args]


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(_crabplug(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_an_ifeval_prompt_in_training_rows_is_found_exactly_and_nearly():
    from crabplug_experiment.contamination import Index, benchmark_prompts

    index = Index(benchmark_prompts(load_plugins()))
    prompt = next(p for name, p in benchmark_prompts(load_plugins()) if name.startswith("ifeval:"))
    words = prompt.split()
    near = " ".join(words[:5] + ["indeed"] + words[6:])  # one word changed
    assert index.matches(prompt)
    assert index.matches("Please help.\n" + near + "\nThanks")
    seed = json.loads((ROOT / "tests/fixtures/real/arena-o3mini-200.jsonl").read_text().splitlines()[0])
    assert index.matches(seed["instruction"] + "\n" + seed["response"]) == []


@pytest.mark.slow
def test_every_training_row_of_the_recipe_is_free_of_benchmark_prompts(tmp_path):
    # The recipe's whole data step (200 real seeds, code-only), then every row against every benchmark prompt.
    from crabplug_experiment.contamination import Index, benchmark_prompts, check_files

    made = _run("run", "configs/experiment/data.yaml", "-o", str(tmp_path / "data"), "-q")
    assert made.returncode == 0, made.stderr[-2000:]
    files = sorted(p for p in (tmp_path / "data").glob("*.jsonl") if p.name != "failures.jsonl")
    assert {"sft.jsonl", "sft-mix.jsonl", "backtranslation.jsonl", "dpo.jsonl", "rlvr.jsonl"} <= {p.name for p in files}
    report = check_files(files, Index(benchmark_prompts(load_plugins())))
    assert report["rows"] > 400  # 200 seeds make sft, mix, reverse, dpo and rlvr rows
    assert report["contaminated"] == []


def test_a_missing_base_model_is_one_sentence(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(RECIPE.read_text().replace("base_model: local/smollm2-135m", f"base_model: {tmp_path}/none"))
    done = _run("experiment", str(recipe), "--quick", "-d", str(tmp_path / "x"))
    assert done.returncode == 1
    assert "base model" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_missing_seed_file_stops_the_data_step_with_its_reason(tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text((ROOT / "configs/experiment/data.yaml").read_text().replace(
        "tests/fixtures/real/arena-o3mini-200.jsonl", str(tmp_path / "missing.jsonl")))
    recipe = tmp_path / "r.yaml"
    recipe.write_text(RECIPE.read_text().replace("data: configs/experiment/data.yaml", f"data: {data}"))
    done = _run("experiment", str(recipe), "--quick", "-d", str(tmp_path / "x"))
    assert done.returncode == 1
    assert "step 'data' failed" in done.stderr and "missing.jsonl" in done.stderr
    assert "Traceback" not in done.stderr


def _markers(root: Path) -> set[str]:
    return {p.stem for p in (root / "steps").glob("*.json")} if (root / "steps").is_dir() else set()


@pytest.mark.slow
def test_quick_experiment_killed_mid_training_resumes_and_compares_every_model(tmp_path):
    root = tmp_path / "exp"
    proc = subprocess.Popen(_crabplug("experiment", str(RECIPE), "--quick", "-d", str(root)), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while "contamination" not in _markers(root) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # into the SFT subprocess
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert {"data", "contamination"} <= _markers(root) and "train-sft" not in _markers(root)

    done = _run("experiment", str(RECIPE), "--quick", "-d", str(root))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "data: done before, skipped" in done.stderr
    assert _markers(root) == set(STEPS)
    results = (root / "results.md").read_text()
    for label in ("base", "sft", "grpo"):
        assert f"| {label} |" in results
        summary = json.loads((root / "eval" / "ifeval" / label / "summary.json").read_text())
        assert summary["prompts"] == 3
    assert (root / "compare" / "compare.png").stat().st_size > 1000
    assert json.loads((root / "contamination.json").read_text())["contaminated"] == []

    again = _run("experiment", str(RECIPE), "--quick", "-d", str(root))
    assert again.returncode == 0
    assert again.stderr.count("done before, skipped") == len(STEPS)


def test_the_shipped_recipe_and_its_configs_are_valid(monkeypatch):
    from crabplug_experiment.plan import trainer_names
    from crabplug_experiment.recipe import load_recipe

    from crabplug import load_config

    monkeypatch.chdir(ROOT)  # a recipe's paths are relative to where crabplug runs, like a run config's
    recipe = load_recipe(RECIPE)
    for config in (recipe.data, recipe.train):
        load_config(config, ())
    assert trainer_names(recipe) == ["sft", "grpo"]


def test_an_ifeval_instruction_template_alone_is_no_match_but_the_prompt_is():
    from crabplug_experiment.contamination import Index, benchmark_prompts

    prompts = dict(benchmark_prompts(load_plugins()))
    index = Index(prompts.items())
    template = ("First repeat the request word for word without change, then give your answer (1. do not say any "
                "words or characters before repeating the request; 2. the request you need to repeat does not "
                "include this sentence)")
    # the phrasing of combination:repeat_prompt: dozens of IFEval prompts end with it
    assert sum(template.lower() in p.lower() for p in prompts.values()) >= 3
    assert index.matches("Summarise the plot of Hamlet.\n" + template) == []
    with_template = next(k for k, p in prompts.items() if template.lower() in p.lower())
    assert with_template in index.matches("Please: " + prompts[with_template])
