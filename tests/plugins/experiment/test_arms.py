"""Arms recipes: several trained models in one experiment, compared with the base and with a baseline arm."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crabplug import ConfigError, load_plugins

ROOT = Path(__file__).parents[3]
RECIPE = ROOT / "configs" / "experiment" / "arms-smollm2-cpu.yaml"
ARMS = ("plain", "crab", "crab-forward", "crab+grpo", "plain+grpo")


def _recipe(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(text)
    return path


def test_the_shipped_arms_recipe_plans_every_arm_from_its_start(monkeypatch):
    from crabplug_experiment.plan import arm_steps
    from crabplug_experiment.recipe import load_recipe

    monkeypatch.chdir(ROOT)
    recipe = load_recipe(RECIPE)
    assert [a.name for a in recipe.arms] == list(ARMS) and recipe.baseline == "plain"
    planned = arm_steps(recipe, Path("/x"), "/base", load_plugins(), quick=False)
    steps = {s.name: s for s in planned}
    names = [s.name for s in planned]
    # each model is measured right after it is trained: a run stopped halfway has whole results for the arms before
    crab = names.index("train-crab-sft")
    assert names[crab + 1 : crab + 3] == ["eval-ifeval-crab", "eval-ifbench-crab"]
    assert names[2:5] == ["eval-ifeval-base", "eval-ifbench-base", "train-plain-sft"]
    assert {f"eval-{b}-{a}" for b in ("ifeval", "ifbench") for a in ("base", *ARMS)} <= set(steps)
    grpo = steps["train-crab+grpo-grpo"].argv
    assert "train.grpo.base_model=/x/models/crab/sft" in grpo  # crab+grpo starts from crab's model
    plain = steps["train-plain-sft"].argv
    assert "train.sft.data=plain.jsonl" in plain and "train.sft.base_model=/base" in plain
    vs_plain = steps["compare-ifeval-vs-plain"].argv
    assert vs_plain[2] == "/x/eval/ifeval/plain"  # the baseline arm comes first: differences are from it


@pytest.mark.parametrize(
    ("arms", "says"),
    [
        ("  - {name: a}\n  - {name: a}\n", "appears twice"),
        ("  - {name: a, from: b}\n  - {name: b}\n", "must name the base or an arm listed before it"),
        ("  - {name: base}\n", "'base' is the base model's"),
        ("  - {name: a, colour: red}\n", "unknown key 'colour'"),
        ("  - {name: a, only: sft}\n", "'only' must be a list of strings"),
    ],
)
def test_a_wrong_arm_is_one_sentence_naming_it(tmp_path, monkeypatch, arms, says):
    from crabplug_experiment.recipe import load_recipe

    monkeypatch.chdir(ROOT)
    text = RECIPE.read_text()
    head, _, rest = text.partition("arms:\n")
    rest = rest[rest.index("side:") :]
    with pytest.raises(ConfigError, match=says) as err:
        load_recipe(_recipe(tmp_path, head + "arms:\n" + arms + rest.replace("baseline: plain", "")))
    assert "\n" not in str(err.value)


def test_a_baseline_that_is_no_arm_and_an_unknown_trainer_are_refused(tmp_path, monkeypatch):
    from crabplug_experiment.plan import arm_steps
    from crabplug_experiment.recipe import load_recipe

    monkeypatch.chdir(ROOT)
    text = RECIPE.read_text()
    with pytest.raises(ConfigError, match="baseline 'nobody' is not one of the arms"):
        load_recipe(_recipe(tmp_path, text.replace("baseline: plain", "baseline: nobody")))
    recipe = load_recipe(_recipe(tmp_path, text.replace("only: [grpo]", "only: [dpo]", 1)))
    with pytest.raises(ConfigError, match="arm 'crab\\+grpo': .* has no trainer 'dpo'"):
        arm_steps(recipe, Path("/x"), "/base", load_plugins(), quick=False)


def test_the_plain_output_writes_the_seed_itself(tmp_path):
    from crabplug_experiment.outputs import PlainOutput

    from crabplug import Sample

    class Ctx:
        run_dir = tmp_path

    sample = Sample(
        instruction="Write a haiku. Use no commas.",
        response="Moon over water",
        constraints=(),
        example_id="seed-1",
        provenance={"base_instruction": "Write a haiku.", "untransformed_response": "Moon, over water"},
    )
    out = PlainOutput()
    out.open(Ctx())
    out.write([sample], Ctx())
    assert out.close(Ctx()) == {"file": "plain.jsonl", "rows": 1}
    row = json.loads((tmp_path / "plain.jsonl").read_text())
    assert row["messages"] == [
        {"role": "user", "content": "Write a haiku."},
        {"role": "assistant", "content": "Moon, over water"},
    ]


def test_looping_is_a_ten_word_window_three_times():
    from crabplug_experiment.side import looping

    line = "the cat sat on the mat and then it sat again "
    assert looping(line * 3)
    assert not looping(line * 2)
    assert not looping("")


def _markers(root: Path) -> set[str]:
    return {p.stem for p in (root / "steps").glob("*.json")}


@pytest.mark.slow
def test_quick_arms_experiment_runs_every_arm_and_compares_them(tmp_path):
    # The shipped recipe on tiny slices: real data step, real trl training per arm, real evals, real comparisons.
    root = tmp_path / "exp"
    kept = tmp_path / "kept"
    cmd = [sys.executable, "-m", "crabplug", "experiment", str(RECIPE), "--quick", "-j", "2", "-d", str(root)]
    cmd += ["--keep", str(kept)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    labels = ("base", *ARMS)
    assert {f"eval-{b}-{a}" for b in ("ifeval", "ifbench") for a in labels} <= _markers(root)
    assert {f"heldout-{a}" for a in labels} <= _markers(root)
    results = (root / "results.md").read_text()
    losses = {}
    for label in labels:
        assert f"| {label} |" in results
        losses[label] = json.loads((root / "heldout" / f"{label}.json").read_text())
        assert losses[label]["tokens"] > 0
    # each arm's side measure reads its own model: one SFT update at full rate moves the loss off the base's
    assert losses["crab"]["loss"] != losses["base"]["loss"]
    vs_plain = json.loads((root / "compare" / "ifeval-vs-plain" / "compare.json").read_text())
    assert vs_plain["ifeval"]["baseline"] == "plain" and set(vs_plain["ifeval"]["differences"]) == set(labels) - {
        "plain"
    }
    plain_rows = (root / "data" / "plain.jsonl").read_text().splitlines()
    assert len(plain_rows) == len((root / "data" / "sft.jsonl").read_text().splitlines()) > 0
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and again.stderr.count("done before, skipped") == len(_markers(root))
    # a fresh checkout: another directory with nothing but the kept folder resumes without training anything ...
    fresh = tmp_path / "fresh"
    cmd[cmd.index(str(root))] = str(fresh)
    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.stderr.count("done before, skipped") == len(_markers(root))
    # the trainers' logs came back, their weights did not (and nothing was trained to make them)
    assert len(list((fresh / "models").rglob("log_history.json"))) == len(ARMS)
    assert not list((fresh / "models").rglob("config.json"))
    assert _table(fresh / "results.md") == _table(results)
    # ... and where one measure is missing, trains again only the models that measure needs, in their order
    for folder in (fresh, kept):  # as if that evaluation had never finished
        (folder / "steps" / "eval-ifeval-crab+grpo.json").unlink()
        shutil.rmtree(folder / "eval" / "ifeval" / "crab+grpo")
    redo = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert redo.returncode == 0, redo.stderr[-3000:]
    ran = [
        line.split(":")[0] for line in redo.stderr.splitlines() if line.endswith(": running") or ": running (" in line
    ]
    assert ran[:3] == ["train-crab-sft", "train-crab+grpo-grpo", "eval-ifeval-crab+grpo"], ran
    assert "train-plain-sft" not in ran and (kept / "steps" / "eval-ifeval-crab+grpo.json").is_file()


def _table(text_or_path) -> list[str]:
    """The results' tables above the steps' wall times (which differ between runs)."""
    text = text_or_path.read_text() if isinstance(text_or_path, Path) else text_or_path
    return [line for line in text.split("## Steps")[0].splitlines() if line.startswith("| ")]


def test_only_consecutive_evaluations_run_together():
    from crabplug_experiment.steps import Step, batches

    steps = [
        Step("train", ("train",)),
        Step("e1", ("eval", "-m", "a")),
        Step("e2", ("eval", "-m", "b")),
        Step("e3", ("eval", "-m", "c")),
        Step("cmp", ("eval", "--compare", "x")),
        Step("e4", ("eval",)),
    ]
    # a run of evaluations is one group, worked through two at a time (run_group's pool)
    assert [[s.name for s in g] for g in batches(steps, 2)] == [["train"], ["e1", "e2", "e3"], ["cmp"], ["e4"]]
    assert [len(g) for g in batches(steps, 1)] == [1] * 6


def test_a_run_of_evaluations_keeps_jobs_slots_busy(tmp_path):
    import threading
    import time

    from crabplug_experiment.steps import Step, run_group

    running, peak, lock, order = [0], [0], threading.Lock(), []

    def work(name, seconds):
        def call():
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
                order.append(("start", name))
            time.sleep(seconds)
            with lock:
                running[0] -= 1
                order.append(("end", name))
            return {}

        return call

    # in-process stand-ins for three evaluations: a long one and two short ones
    group = [Step("long", call=work("long", 0.6)), Step("a", call=work("a", 0.1)), Step("b", call=work("b", 0.1))]
    run_group(tmp_path, group, [], lambda line: None, jobs=2)
    assert peak[0] == 2 and all((tmp_path / "steps" / f"{n}.json").is_file() for n in ("long", "a", "b"))
    # "b" takes the slot "a" frees while "long" still runs: no core waits for the long one
    assert order.index(("start", "b")) < order.index(("end", "long"))
