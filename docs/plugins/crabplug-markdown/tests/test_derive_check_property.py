"""The contract of derive: whatever it returns, the same response passes check (strictly, via crabplug)."""

from __future__ import annotations

import random

import crabplug
from crabplug import Example
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crabplug_markdown import TYPES
from crabplug_markdown.code_block import CODE_BLOCK
from crabplug_markdown.table import TABLE

WORD = st.sampled_from(["tea", "leaf", "cup", "42", "water", "*bold*", "a|b", "#tag", "1.", "`x`", "-"])
LINE = st.lists(WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def table(draw):
    cols = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(LINE, min_size=cols, max_size=cols), max_size=4))
    header = [draw(LINE).replace("|", "/") for _ in range(cols)]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(draw(st.sampled_from(["---", ":-:", "--:"]))
                                                            for _ in range(cols)) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows]
    return "\n".join(lines)


CODE = st.sampled_from(["x = 1", "def f(a):\n    return a", "print(", '{"a": 1}', "{a: 1}", "", "# c\n### h"])
code_block = st.builds(lambda lang, code: f"```{lang}\n{code}\n```",
                       st.sampled_from(["python", "py", "json", "bash", "", "rust"]), CODE)
numbered = st.lists(st.tuples(st.integers(1, 6), LINE), min_size=1, max_size=7).map(
    lambda items: "\n".join(f"{n}. {t}" for n, t in items))
steps = st.integers(1, 8).map(lambda n: "\n".join(f"{i}) step {i}" for i in range(1, n + 1)))
heading = st.builds(lambda lvl, t: "#" * lvl + " " + t, st.integers(1, 4), LINE)
BLOCK = st.one_of(LINE, table(), code_block, numbered, steps, heading, st.text(max_size=40))
DOC = st.lists(BLOCK, min_size=1, max_size=8).flatmap(
    lambda blocks: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(blocks)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, st.integers(0, 2**32))
def test_derived_kwargs_always_pass_check(response, seed):
    for ctype in TYPES:
        kwargs = ctype.derive(Example("Write something.", response), random.Random(seed))
        if kwargs is not None:
            assert set(kwargs) <= set(ctype.kwargs)
            assert crabplug.check(ctype, response, kwargs), (ctype.id, kwargs)
            assert ctype.describe(kwargs, random.Random(seed))


@settings(max_examples=300, deadline=None)
@given(st.one_of(DOC, st.text()))
def test_check_never_raises_on_any_text(response):
    for ctype in TYPES:
        assert ctype.check(response, **ctype.example) in (True, False)


STRUCTURED = st.lists(st.one_of(LINE, table(), code_block, numbered, steps, heading), max_size=5).map("\n\n".join)


@settings(max_examples=100, deadline=None)
@given(STRUCTURED, st.integers(0, 2**32))
def test_a_valid_python_block_anywhere_is_derived(doc, seed):
    response = doc + "\n\n```python\ndef f(a):\n    return a\n```"
    kwargs = CODE_BLOCK.derive(Example("q", response), random.Random(seed))
    assert kwargs is not None and CODE_BLOCK.check(response, **kwargs)
    assert CODE_BLOCK.check(response, language="python")


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(2, 9), STRUCTURED)
def test_a_table_anywhere_is_derived_with_a_shape_that_exists(columns, rows, doc):
    body = "\n".join("| " + " | ".join(["cell"] * columns) + " |" for _ in range(rows))
    response = doc + "\n\n| " + " | ".join(["h"] * columns) + " |\n|" + "---|" * columns + "\n" + body
    assert TABLE.check(response, rows=rows, columns=columns)
    kwargs = TABLE.derive(Example("q", response), random.Random(0))
    assert kwargs is not None and TABLE.check(response, **kwargs)
