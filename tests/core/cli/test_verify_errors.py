"""`crabplug verify` never scores what it cannot judge: a constraint type no plugin registers, or a count that is
not a whole number of at least 0, makes the line an `error` (as --help says), never a followed prompt."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import crabplug
from crabplug.scoring import score_row

RESPONSE = "Tea is good. It is hot. Many people drink it."


def _verify(tmp_path, rows):
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    done = subprocess.run([sys.executable, "-m", "crabplug", "verify", str(tmp_path / "in.jsonl"), "-o",
                           str(tmp_path / "out.jsonl"), "--summary"], capture_output=True, text=True, timeout=120)
    return done, [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]


def test_an_unknown_type_in_constraints_is_an_error_and_never_counts_as_followed(tmp_path):
    rows = [{"response": RESPONSE, "constraints": [{"type": "nope:nope", "kwargs": {}}]},
            {"response": RESPONSE, "constraints": [{"type": "punctuation:no_comma", "kwargs": {}}]}]
    done, out = _verify(tmp_path, rows)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "unknown constraint type 'nope:nope'" in out[0]["error"]
    assert "follow_all_instructions" not in out[0]
    assert out[1]["follow_all_instructions"] is True
    assert "1 rows, 1 errors" in done.stdout, done.stdout  # the error row is out of every accuracy


@pytest.mark.parametrize("kwargs, words", [
    ({"relation": "at least", "num_words": -5}, "num_words must be at least 0, got -5"),
    ({"relation": "at least", "num_words": 3.7}, "num_words must be a whole number, got 3.7"),
    ({"relation": "at least", "num_words": True}, "num_words must be a whole number, got True"),
])
def test_a_count_that_is_not_a_whole_number_of_at_least_0_is_refused(kwargs, words):
    registry = crabplug.load_plugins()
    row = {"response": RESPONSE, "instruction_id_list": ["length_constraints:number_words"], "kwargs": [kwargs]}
    with pytest.raises(crabplug.RecordError, match=words):
        score_row(registry, row)


def test_a_whole_count_given_as_a_float_is_scored():
    registry = crabplug.load_plugins()
    row = {"response": RESPONSE, "instruction_id_list": ["length_constraints:number_words"],
           "kwargs": [{"relation": "at least", "num_words": 5.0}]}
    assert score_row(registry, row)["follow_all_instructions"] is True
