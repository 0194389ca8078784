"""Records are frozen data with stable content-hash ids and an exact JSON round-trip."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crabplug import Annotated, Constraint, Example, Failure, Message, Sample, Verdict


def test_example_id_is_a_content_hash():
    a = Example(instruction="Say hi.", response="Hi!", source="x")
    b = Example(instruction="Say hi.", response="Hi!", source="other source")
    assert a.id == b.id and len(a.id) == 16
    assert Example(instruction="Say hi.", response="Hello!").id != a.id


def test_context_changes_the_id():
    plain = Example(instruction="And now?", response="Now this.")
    with_ctx = Example(instruction="And now?", response="Now this.", context=[{"role": "user", "content": "First"}])
    assert plain.id != with_ctx.id
    assert with_ctx.context == (Message("user", "First"),)


@pytest.mark.parametrize(
    "record",
    [
        Example(instruction="i", response="r", source="s", metadata={"score": 9}, context=[Message("user", "u")]),
        Constraint(
            type="a:b", kwargs={"n": 3}, text="Use 3.", origin="openai/gpt-4o", verified=True, verified_by="code"
        ),
        Verdict(ok=None, reason="cannot tell", by="code"),
        Annotated(example=Example(instruction="i", response="r"), constraints=[Constraint(type="a:b")]),
        Sample(
            instruction="i+", response="r", constraints=[Constraint(type="a:b", kwargs={"k": [1, 2]})], example_id="e"
        ),
        Failure(stage="seeds", reason="bad line", where="f.jsonl:3", raw="{"),
    ],
)
def test_every_record_round_trips_through_json(record):
    again = type(record).from_json(record.to_json())
    assert again == record
    assert again.to_json() == record.to_json()


def test_records_are_frozen():
    ex = Example(instruction="i", response="r")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ex.response = "other"  # type: ignore[misc]


def test_a_constraint_needs_an_origin():
    with pytest.raises(ValueError, match="origin"):
        Constraint(type="a:b", origin="")


def test_constraint_key_ignores_phrasing_and_verdict():
    a = Constraint(type="a:b", kwargs={"n": 1}, text="One.", verified=True)
    b = Constraint(type="a:b", kwargs={"n": 1}, text="Exactly one.", verified=None)
    assert a.key == b.key != Constraint(type="a:b", kwargs={"n": 2}).key


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(),
            st.text(),
            st.floats(allow_nan=False),
            st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
            st.lists(st.text(max_size=5), max_size=3),
            st.none(),
            st.booleans(),
        ),
        max_size=5,
    )
)
def test_content_id_hashes_the_json_it_always_hashed(parts):
    import hashlib
    import json

    from crabplug.records import content_id

    blob = json.dumps(tuple(parts), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert content_id(*parts) == hashlib.blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()
