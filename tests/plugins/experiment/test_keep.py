"""The kept folder: finished steps' small outputs under version control, so a fresh checkout resumes an experiment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crabplug_experiment import keep
from crabplug_experiment.steps import Step, done, run_step

from crabplug import ConfigError, CrabError


def _chain(root: Path) -> list[Step]:
    """base -> a (trained) -> b (trained from a), each measured; the shape of crab then crab+grpo."""
    a, b = str(root / "models" / "a"), str(root / "models" / "b")
    return [
        Step("train-a", ("train", "a"), keeps=("models/a/log_history.json",), model=a, reads="/base"),
        Step("eval-a", ("eval", "-m", a), keeps=("eval/a",), reads=a),
        Step("train-b", ("train", "b"), model=b, reads=a),
        Step("eval-b", ("eval", "-m", b), keeps=("eval/b",), reads=b),
    ]


def _names(steps: list[Step]) -> list[str]:
    return [s.name for s in steps]


def test_a_gone_model_is_trained_again_only_where_a_step_to_run_reads_it(tmp_path):
    steps = _chain(tmp_path)
    every = _names(steps)
    # a fresh checkout: every step kept, no model anywhere -> nothing to run
    assert keep.to_run(steps, every) == []
    # b's measure is missing: b must be trained again, and a first, since b starts from a's model
    assert _names(keep.to_run(steps, set(every) - {"eval-b"})) == ["train-a", "train-b", "eval-b"]
    # a's model is still there: only b's training and measure
    (tmp_path / "models" / "a").mkdir(parents=True)
    (tmp_path / "models" / "a" / "config.json").write_text("{}")
    assert _names(keep.to_run(steps, set(every) - {"eval-b"})) == ["train-b", "eval-b"]
    # a gone model is trained just before the first step that reads it, not where it stands in the plan
    late = [Step("eval-c", ("eval",), keeps=("eval/c",)), *steps]  # a measure of another model, planned first
    assert _names(keep.to_run(late, set(every) - {"eval-b"})) == ["eval-c", "train-b", "eval-b"]
    assert _names(keep.to_run(late, every)) == ["eval-c"]
    # a's measure is missing and a's model is there: nothing is trained
    assert _names(keep.to_run(steps, set(every) - {"eval-a"})) == ["eval-a"]
    # kept training logs alone are no model
    assert not keep.has_model(str(tmp_path / "models" / "b"))


def test_kept_files_come_back_and_their_markers_match_from_another_checkout(tmp_path, monkeypatch):
    first, second = tmp_path / "one" / "exp", tmp_path / "two" / "exp"
    kept = tmp_path / "kept"
    monkeypatch.chdir(first.parent.parent)

    def write_answers(out: Path) -> dict:
        out.mkdir(parents=True, exist_ok=True)
        (out / "verdicts.jsonl").write_text('{"ok": true}\n')
        (out / "scratch.tmp").write_text("half written")
        (out / ".lock").write_text("4242")  # the eval directory's lock: not a result
        return {"answers": 1}

    steps = {
        root: Step("eval-a", ("eval", "-o", str(root / "eval" / "a")), keeps=("eval/a",)) for root in (first, second)
    }
    # a real in-process step: the marker records the command with this checkout's absolute paths
    step = steps[first]
    step = Step(step.name, step.argv, call=lambda: write_answers(first / "eval" / "a"), keeps=step.keeps)
    run_step(first, step, [], lambda line: None)
    assert keep.save(kept, first, step) == 2  # the marker and the answers; no log (in process), no .tmp, no .lock
    assert json.loads((kept / "steps" / "eval-a.json").read_text())["argv"][-1] == str(first / "eval" / "a")
    # another checkout (another directory) copies them back and counts the step as done
    assert keep.restore(kept, second) == 2
    assert (second / "eval" / "a" / "verdicts.jsonl").read_text() == '{"ok": true}\n'
    assert done(second, steps[second]) is not None
    # a file already there is left alone
    (second / "eval" / "a" / "verdicts.jsonl").write_text("newer\n")
    assert keep.restore(kept, second) == 0 and (second / "eval" / "a" / "verdicts.jsonl").read_text() == "newer\n"
    # a kept step whose command changed is still refused, as in one checkout
    changed = Step("eval-a", ("eval", "-o", str(second / "eval" / "a"), "--limit", "3"))
    with pytest.raises(ConfigError, match="finished with other settings"):
        done(second, changed)


def test_a_model_sized_file_is_refused_with_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(keep, "MAX_BYTES", 10)
    out = tmp_path / "exp" / "eval" / "a"
    out.mkdir(parents=True)
    (out / "model.safetensors").write_bytes(b"x" * 11)
    step = Step("eval-a", keeps=("eval/a",))
    with pytest.raises(CrabError, match="too large to keep") as err:
        keep.save(tmp_path / "kept", tmp_path / "exp", step)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "kept" / "eval" / "a" / "model.safetensors").exists()


def test_the_shipped_arms_recipe_keeps_no_model(monkeypatch):
    from crabplug_experiment.plan import arm_steps
    from crabplug_experiment.recipe import load_recipe

    from crabplug import load_plugins

    root = Path(__file__).parents[3]
    monkeypatch.chdir(root)
    recipe = load_recipe(root / "configs" / "experiment" / "arms-smollm2-cpu.yaml")
    assert recipe.keep == Path("results/arms-smollm2-cpu")
    steps = arm_steps(recipe, Path("/x"), "/base", load_plugins(), quick=False)
    trains = [s for s in steps if s.name.startswith("train-")]
    assert trains and all(s.model.startswith("/x/models/") for s in trains)
    for step in steps:
        assert not any(p.startswith("models/") and not p.endswith((".json", ".md")) for p in step.keeps), step
    evals = [s for s in steps if s.name.startswith(("eval-", "heldout-"))]
    assert evals and all(s.reads and s.keeps for s in evals)
    assert all(not Path(k).is_absolute() for s in steps for k in s.keeps)  # relative to the experiment directory
