"""``crabplug verify`` checks every constraint a row carries and says how many it checked out of how many."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

import crabplug
from crabplug.cli import cli
from crabplug.scoring import score_row

JUDGE_ONLY = textwrap.dedent('''
    from crabplug import ConstraintType, hookimpl

    @hookimpl
    def register_constraint_types(register):
        register(ConstraintType(id="judged:tone", family="judged", check=None,
                                describe=lambda kw, rng: "Use a warm tone.", kwargs=()))
''')

# An sft.jsonl row as the crab output writes it: the ifeval constraint in both forms, the others only in
# ``constraints``: a crab type (code-checkable), a plugin type and an LLM-only one (a type no loaded plugin registers
# is an error: tests/core/cli/test_verify_errors.py).
RESPONSE = "Tea is good. It is hot. Many people drink it."
ROW = {
    "id": "s1",
    "messages": [{"role": "user", "content": "Write about tea."}, {"role": "assistant", "content": RESPONSE}],
    "instruction_id_list": ["punctuation:no_comma"],
    "kwargs": [{}],
    "constraints": [
        {"type": "punctuation:no_comma", "kwargs": {}, "text": "No commas."},
        {"type": "crab:words_per_sentence", "kwargs": {"max_words": 2}},
        {"type": "test:min_words", "kwargs": {"at_least": 5}},
        {"type": "judged:tone", "kwargs": {}, "verified": True, "verified_by": "llm:m"},
    ],
}


@pytest.fixture
def judged_plugin(tmp_path, monkeypatch):
    (tmp_path / "judged_types.py").write_text(JUDGE_ONLY)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "judged_types"


@pytest.fixture
def registry(judged_plugin):
    return crabplug.load_plugins(["crabplug_testplugin", judged_plugin])


def test_a_row_with_instruction_id_list_also_has_its_other_constraints_checked(registry):
    out = score_row(registry, ROW)
    # no_comma once (it is in both forms), then the crab and plugin types that only `constraints` names
    assert out["instruction_id_list"] == ["punctuation:no_comma", "crab:words_per_sentence", "test:min_words"]
    assert out["follow_instruction_list"] == [True, False, True]
    assert out["follow_all_instructions"] is False
    assert out["not_checked"] == [
        {"type": "judged:tone", "reason": "constraint type without a code check"},
    ]


def test_an_unknown_type_in_instruction_id_list_is_still_an_error(registry):
    with pytest.raises(crabplug.RecordError, match="unknown constraint type 'x:y'"):
        score_row(registry, {"response": "hi", "instruction_id_list": ["x:y"], "kwargs": [{}]})


def test_the_command_says_how_many_constraints_it_checked_out_of_how_many(tmp_path, judged_plugin):
    (tmp_path / "sft.jsonl").write_text(json.dumps(ROW) + "\n" + json.dumps({**ROW, "id": "s2"}) + "\n")
    result = CliRunner().invoke(
        cli,
        ["--plugin", "crabplug_testplugin", "--plugin", judged_plugin, "verify", str(tmp_path / "sft.jsonl"),
         "-o", str(tmp_path / "out.jsonl"), "--summary"],
    )
    assert result.exit_code == 0, result.output
    expected = "checked 6 of 8 constraints by code; not checked: 2 constraint type without a code check"
    assert f"2 rows: {expected}" in result.output  # always said, on stderr
    assert result.output.count(expected) == 2  # and once more in the --summary
    assert "inst_level_strict_acc: 0.6667" in result.output  # 4 of the 6 checked pass (no_comma, min_words x2)
