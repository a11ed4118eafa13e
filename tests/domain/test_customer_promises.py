"""What a customer is promised at `now`: a moment still ahead, or that it is owed now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from escdesk.domain.clock import Promise, customer_promises

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("due", "expected", "by"),
    [
        (NOW + HOUR, Promise.BY, NOW + HOUR),
        (NOW, Promise.BY, NOW),  # due this very minute: still what was promised
        (NOW - HOUR, Promise.LATE, None),
        (None, Promise.WAITING_ON_YOU, None),  # the clock waits on the customer (R-SLA-2)
    ],
)
def test_the_next_update_is_a_moment_ahead_or_owed_now(
    due: datetime | None, expected: Promise, by: datetime | None
) -> None:
    promises = customer_promises(due, None, NOW, is_open=True)
    assert (promises.next_update, promises.next_update_by) == (expected, by)


def test_a_passed_eta_is_being_revised_and_no_eta_is_no_promise() -> None:
    late = customer_promises(NOW + HOUR, NOW - HOUR, NOW, is_open=True)
    assert (late.eta, late.eta_by) == (Promise.LATE, None)
    ahead = customer_promises(NOW + HOUR, NOW + 2 * HOUR, NOW, is_open=True)
    assert (ahead.eta, ahead.eta_by) == (Promise.BY, NOW + 2 * HOUR)
    assert customer_promises(NOW + HOUR, None, NOW, is_open=True).eta is Promise.NONE


def test_a_closed_escalation_promises_nothing_even_with_moments_past() -> None:
    closed = customer_promises(NOW - HOUR, NOW - HOUR, NOW, is_open=False)
    assert closed == customer_promises(None, None, NOW, is_open=False)
    assert (closed.next_update, closed.eta) == (Promise.NONE, Promise.NONE)
