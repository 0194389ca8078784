"""Kwargs a check would misread are refused, never scored: keywords given as one string (read as a list of its
letters before) and a language code langdetect does not know."""

from __future__ import annotations

import pytest

import crabplug
from crabplug.scoring import score_row

RESPONSE = "Tea is good. It is hot. Many people drink it."


@pytest.mark.parametrize("type_id, kwargs, words", [
    ("keywords:existence", {"keywords": "notalist"}, "keywords must be a list of strings, got 'notalist'"),
    ("keywords:forbidden_words", {"forbidden_words": "tea"}, "forbidden_words must be a list of strings"),
    ("language:response_language", {"language": "xx-notalang"}, "language must be a code langdetect knows"),
])
def test_kwargs_a_check_would_misread_are_a_bad_kwargs_error(type_id, kwargs, words):
    row = {"response": RESPONSE, "instruction_id_list": [type_id], "kwargs": [kwargs]}
    with pytest.raises(crabplug.RecordError, match=f"bad kwargs for {type_id}: {words}"):
        score_row(crabplug.load_plugins(), row)


def test_good_kwargs_of_the_same_types_are_scored():
    registry = crabplug.load_plugins()
    for type_id, kwargs in (("keywords:existence", {"keywords": ["tea", "hot"]}),
                            ("keywords:forbidden_words", {"forbidden_words": ["coffee"]}),
                            ("language:response_language", {"language": "en"})):
        row = {"response": RESPONSE, "instruction_id_list": [type_id], "kwargs": [kwargs]}
        assert score_row(registry, row)["follow_all_instructions"] is True, type_id
