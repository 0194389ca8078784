"""Each markdown constraint type checks what it says, phrases it several ways, and registers with crabplug."""

from __future__ import annotations

import random

import pytest
from crabplug import Example, load_plugins

from crabplug_markdown import TYPES
from crabplug_markdown.code_block import CODE_BLOCK
from crabplug_markdown.heading_levels import HEADING_LEVELS
from crabplug_markdown.numbered_steps import NUMBERED_STEPS
from crabplug_markdown.table import TABLE

TABLE_TEXT = "Prices:\n\n| fruit | price |\n|:------|------:|\n| apple | 1 |\n| pear | 2 |\n| fig | 3 |\n\nThat is all."


def test_the_plugin_registers_its_four_types_as_family_markdown():
    registry = load_plugins(["crabplug_markdown"], only=[])
    types = {t.id: t for t in registry.constraint_types.values() if t.family == "markdown"}
    assert sorted(types) == sorted(t.id for t in TYPES)
    assert {registry.owner("constraint_types", i) for i in types} == {"crabplug_markdown"}


def test_a_table_is_counted_by_body_rows_and_columns():
    assert TABLE.check(TABLE_TEXT, rows=3, columns=2)
    assert not TABLE.check(TABLE_TEXT, rows=4, columns=2)
    assert not TABLE.check(TABLE_TEXT, rows=3, columns=3)


def test_pipes_without_a_delimiter_row_are_not_a_table():
    assert not TABLE.check("a | b\nc | d\ne | f", rows=2, columns=2)


def test_a_table_inside_a_code_block_does_not_count():
    fenced = "```\n| a | b |\n|---|---|\n| 1 | 2 |\n```"
    assert not TABLE.check(fenced, rows=1, columns=2)


def test_a_python_block_must_parse():
    assert CODE_BLOCK.check("Here:\n```python\ndef f(x):\n    return x + 1\n```", language="python")
    assert not CODE_BLOCK.check("```python\ndef f(x) return x\n```", language="python")


def test_language_aliases_match_and_other_languages_do_not():
    text = "```py\nprint('hi')\n```"
    assert CODE_BLOCK.check(text, language="python")
    assert not CODE_BLOCK.check(text, language="javascript")


def test_an_unclosed_fence_is_not_a_code_block():
    assert not CODE_BLOCK.check("```python\nprint(1)\n", language="python")


def test_a_json_block_must_load():
    assert CODE_BLOCK.check('```json\n{"a": [1, 2]}\n```', language="json")
    assert not CODE_BLOCK.check("```json\n{a: 1}\n```", language="json")


def test_numbered_steps_exactly_and_at_least():
    steps = "Do this:\n1. Boil water.\n2. Add tea.\n   Wait a bit.\n3. Pour.\n\nEnjoy."
    assert NUMBERED_STEPS.check(steps, num_steps=3, relation="exactly")
    assert not NUMBERED_STEPS.check(steps, num_steps=4, relation="exactly")
    assert NUMBERED_STEPS.check(steps, num_steps=2, relation="at least")
    assert not NUMBERED_STEPS.check(steps, num_steps=4, relation="at least")


def test_a_list_that_skips_a_number_ends_there():
    assert not NUMBERED_STEPS.check("1. a\n2. b\n4. c", num_steps=3, relation="at least")


def test_an_unknown_relation_is_an_error():
    with pytest.raises(ValueError, match="relation"):
        NUMBERED_STEPS.check("1. a\n2. b", num_steps=2, relation="about")


def test_heading_levels_need_an_unbroken_hierarchy_from_level_one():
    assert HEADING_LEVELS.check("# Tea\n## Green\n### Sencha\n## Black", max_level=3)
    assert not HEADING_LEVELS.check("# Tea\n## Green\n### Sencha", max_level=2)
    assert not HEADING_LEVELS.check("# Tea\n### Skipped", max_level=3)
    assert not HEADING_LEVELS.check("## No title\n### Sub", max_level=3)


def test_a_python_comment_in_a_code_block_is_not_a_heading():
    assert HEADING_LEVELS.check("# Code\n```python\n# comment\n### not a heading\n```", max_level=1)


@pytest.mark.parametrize("ctype", TYPES, ids=lambda t: t.id)
def test_every_type_has_at_least_three_phrasings_naming_its_numbers(ctype):
    texts = {ctype.describe(ctype.example, random.Random(seed)) for seed in range(60)}
    assert len(texts) >= 3
    for value in ctype.example.values():
        if isinstance(value, int):
            assert all(str(value) in t or "#" * value in t for t in texts)


@pytest.mark.parametrize("ctype", TYPES, ids=lambda t: t.id)
def test_every_type_documents_itself(ctype):
    assert ctype.summary and ctype.example and set(ctype.example) <= set(ctype.kwargs)


def test_derive_reads_the_shape_of_the_response():
    rng = random.Random(0)
    assert TABLE.derive(Example("q", TABLE_TEXT), rng) == {"rows": 3, "columns": 2}
    assert CODE_BLOCK.derive(Example("q", "```python\nx = 1\n```"), rng) == {"language": "python"}
    assert HEADING_LEVELS.derive(Example("q", "# A\n## B\ntext"), rng) == {"max_level": 2}
    assert NUMBERED_STEPS.derive(Example("q", "1. a\n2. b"), rng) == {"num_steps": 2, "relation": "exactly"}


@pytest.mark.parametrize("ctype", TYPES, ids=lambda t: t.id)
def test_derive_says_nothing_about_plain_prose(ctype):
    prose = Example("q", "Tea is brewed from leaves. It is drunk hot or cold, all over the world.")
    assert ctype.derive(prose, random.Random(0)) is None


def test_nested_items_belong_to_their_step():
    steps = "1. Prepare:\n  1. wash\n  2. dry\n2. Cook.\n3. Serve."
    assert NUMBERED_STEPS.check(steps, num_steps=3, relation="exactly")


def test_a_single_heading_level_is_phrased_as_top_level_only():
    texts = {HEADING_LEVELS.describe({"max_level": 1}, random.Random(s)) for s in range(30)}
    assert len(texts) >= 3 and not any("1 to 1" in t for t in texts)
