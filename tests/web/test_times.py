"""Moments on the pages: one format, on the viewer's clock, with the zone written; typed times
are read on the same clock (`web.pages`, `web.forms`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI

from escdesk.domain.errors import InvalidInput
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.forms import local_moment
from escdesk.web.metrics_view import day as filter_day
from escdesk.web.pages import day, local, when
from tests import factories
from tests.web.pages import text_of, visitor

MOMENT = datetime(2026, 11, 5, 20, 0, tzinfo=UTC)


def test_one_format_on_the_named_clock_with_the_zone_written() -> None:
    assert when(MOMENT, "Asia/Singapore") == "Fri 6 Nov 2026 04:00 Asia/Singapore"
    assert when(MOMENT) == "Thu 5 Nov 2026 20:00 UTC"  # nobody signed in: UTC, said so
    assert local(MOMENT, "Europe/Berlin") == "Thu 5 Nov 2026 21:00 Europe/Berlin"
    assert when(MOMENT, "Mars/Olympus") == "Thu 5 Nov 2026 20:00 UTC"  # an unknown zone
    assert when(None) == "—"


def test_a_day_is_the_date_part_of_the_same_format() -> None:
    assert day(MOMENT) == "Thu 5 Nov 2026"
    assert day(date(2026, 12, 24)) == "Thu 24 Dec 2026"  # a date is shown as it is
    assert day(None) == "—"


def test_a_typed_time_is_read_on_the_viewers_clock() -> None:
    assert local_moment("2026-11-10T09:30", "eta", "Asia/Singapore") == datetime(
        2026, 11, 10, 1, 30, tzinfo=UTC
    )
    assert local_moment("", "eta", "Asia/Singapore") is None


def test_a_time_the_clocks_skip_is_refused_and_one_they_pass_twice_is_the_earlier() -> None:
    with pytest.raises(InvalidInput) as skipped:
        local_moment("2027-03-28T02:30", "eta", "Europe/Berlin")
    assert skipped.value.field == "eta"
    assert "does not exist in Europe/Berlin" in str(skipped.value)
    # 02:30 on 25 Oct 2026 happens twice in Berlin: first in summer time (00:30 UTC).
    twice = local_moment("2026-10-25T02:30", "eta", "Europe/Berlin")
    assert twice == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_figures_date_filter_counts_the_viewers_days() -> None:
    assert filter_day("2026-11-02", "since", "Asia/Singapore") == datetime(
        2026, 11, 1, 16, 0, tzinfo=UTC
    )
    until = filter_day("2026-11-02", "until", "Asia/Singapore", end=True)
    assert until == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    # Chile skips midnight on 6 Sep 2026: that day starts at 01:00, its first moment.
    assert filter_day("2026-09-06", "since", "America/Santiago") == datetime(
        2026, 9, 6, 4, 0, tzinfo=UTC
    )


def test_a_singapore_viewer_closes_with_an_agreement_typed_on_their_clock(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now.replace(hour=1))
    with visitor(app, uow, now, "manager", timezone="Asia/Singapore") as singapore:
        page = singapore.get(f"/escalations/{esc.id}").text
        assert 'When <span class="hint">Asia/Singapore</span>' in page
        assert 'New ETA <span class="hint">Asia/Singapore</span>' in page
        response = singapore.post(
            f"/escalations/{esc.id}/close",
            {
                "agreed_by": "Jo Chen, CTO",
                "agreed_at": "2026-11-02T16:30",  # 08:30 UTC
                "agreed_via": "email",
                "waive_1": "Jo agreed to close before a full week",
                "version": esc.version,
            },
        )
        closed_page = text_of(singapore.follow(response).text)
    assert esc.id is not None
    closed = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation
    assert closed.agreement is not None
    assert closed.agreement.when == datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    assert "Mon 2 Nov 2026 17:00 Asia/Singapore" in closed_page  # closed at now, 09:00 UTC


def test_an_eta_in_the_hour_the_clocks_skip_is_refused_beside_its_form(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    with visitor(app, uow, now, "manager", timezone="Europe/Berlin") as berlin:
        refused = berlin.post(
            f"/escalations/{esc.id}/eta",
            {"eta": "2027-03-28T02:30", "reason": "after the freeze", "version": esc.version},
        )
    assert refused.status_code == 422
    assert "28 Mar 2027 02:30 does not exist in Europe/Berlin" in text_of(refused.text)
    assert esc.id is not None
    kept = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation
    assert kept.eta == esc.eta
