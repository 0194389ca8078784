"""The benchmark hook is generic: this module is itself a plugin (``--plugin test_eval_benchmark``) that
registers a constraint type and a three-prompt benchmark, and ``crabplug eval --benchmark tiny`` runs it."""

from __future__ import annotations

from typing import ClassVar

import attrs
from eval_helpers import eval_subprocess, run_eval, summary

from crabplug import ConstraintType, hookimpl, load_plugins


def _ends_with(response: str, *, suffix: str) -> bool:
    return response.rstrip().endswith(suffix)


ENDS_WITH = ConstraintType(
    id="tiny:ends_with",
    family="tiny",
    check=_ends_with,
    describe=lambda kw, rng: f"End your answer with {kw['suffix']!r}.",
    kwargs=("suffix",),
)


@attrs.frozen
class Tiny:
    """Three prompts, each asking for a given last word."""

    name: ClassVar[str] = "tiny"

    def prompts(self):
        for key, suffix in enumerate(("done.", "bye!", "over.")):
            yield {
                "key": key,
                "prompt": f"Say anything, then end with {suffix}",
                "instruction_id_list": ["tiny:ends_with"],
                "kwargs": [{"suffix": suffix}],
            }


@hookimpl
def register_constraint_types(register):
    register(ENDS_WITH)


@hookimpl
def register_benchmarks(register):
    register(Tiny)


def _responses(path, answers):
    import json

    prompts = [p["prompt"] for p in Tiny().prompts()]
    path.write_text(
        "".join(json.dumps({"prompt": p, "response": a}) + "\n" for p, a in zip(prompts, answers, strict=True))
    )
    return path


def test_a_benchmark_registered_by_another_module_is_run_by_name_and_scored_by_its_constraint_types(tmp_path):
    answers = _responses(tmp_path / "a.jsonl", ["All done.", "See you, bye!", "Not finished yet"])
    result = run_eval(
        "--benchmark", "tiny", "--responses", str(answers), "-o", str(tmp_path / "o"), plugins=("test_eval_benchmark",)
    )
    assert result.exit_code == 0, result.output
    data = summary(tmp_path / "o")
    assert data["benchmark"] == "tiny"
    assert data["metrics"]["prompt_level_strict_acc"] == 2 / 3
    assert data["per_type"] == {"tiny:ends_with": {"n": 3, "strict": 2 / 3, "loose": 2 / 3}}


def test_an_unknown_benchmark_is_one_sentence_naming_the_registered_ones(tmp_path):
    out = eval_subprocess("--benchmark", "nope", "--responses", str(tmp_path / "a.jsonl"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    # the installed distributions' benchmarks: ifbench, ifeval and, once make installs crabplug-mifeval, mifeval-*
    registered = ", ".join(sorted(load_plugins().items["benchmarks"]))
    assert {"ifbench", "ifeval"} <= set(registered.split(", "))
    assert out.stderr.strip() == f"Error: unknown benchmark 'nope'; registered: {registered}"
