"""The budget's holds: what calls in flight hold returns to exactly nothing when none is in flight."""

from __future__ import annotations

from crabplug import Usage


def test_holds_released_in_another_order_leave_nothing_held():
    # 0.1 + 0.2 + 0.3 released as 0.1, 0.3, 0.2 leaves 1.1e-16 in float arithmetic; a budget check that waits
    # until nothing is held (crabplug/llm/client.py) then waited forever: a run with max_cost stalled after its
    # last call.
    usage = Usage()
    for amount in (0.1, 0.2, 0.3):
        assert usage.reserve(amount, budget=1.0)
    for amount in (0.1, 0.3, 0.2):
        usage.release(amount)
    assert usage.reserved == 0.0


def test_a_hold_that_does_not_fit_is_refused_until_others_settle():
    usage = Usage()
    assert usage.reserve(0.6, budget=1.0)
    assert not usage.reserve(0.6, budget=1.0)
    usage.release(0.6)
    assert usage.reserve(0.6, budget=1.0)
