"""First-contact resolution and imported CSAT, from export files to the metrics (R-MET).

The tickets go in through the real import (staging, upsert) and the figures come out of the
database's grouped queries; each number below is counted by hand from the file.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from escdesk.domain.access import Actor
from escdesk.domain.metrics import report_json
from escdesk.services import tickets
from escdesk.services.metrics import ShowMetrics, last_week_figures, show_metrics
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday
WEEK1, WEEK2 = date(2026, 10, 5), date(2026, 10, 12)
END = T0 + timedelta(days=21)

FRESHDESK = """\
Ticket ID,Subject,Created time,Resolved time,Agent interactions,Customer interactions,Survey result
1,Export fails,2026-10-05 09:00:00,2026-10-05 11:00:00,1,1,Extremely happy
2,Login loop,2026-10-05 09:00:00,2026-10-06 11:00:00,3,2,Unhappy
3,Slow page,2026-10-05 09:00:00,2026-10-07 11:00:00,0,1,
4,Lost mail,2026-10-12 09:00:00,2026-10-13 11:00:00,1,1,Happy
5,Still open,2026-10-12 09:00:00,,1,1,
6,Old one,2026-01-05 09:00:00,2026-01-06 11:00:00,1,1,Happy
"""
# week 1: solved 1, 2, 3 → first contact 1 and 3; rated 1 (happy) and 2 (unhappy)
# week 2: solved 4 → first contact, rated happy; 5 is not solved; 6 is before the period
ZENDESK_LINES = """\
{"id": 71, "subject": "SSO", "created_at": "2026-10-12T08:00:00Z", "solved_at": "2026-10-12T10:00:00Z", "metric_set": {"replies": 2, "reopens": 0}, "satisfaction_rating": {"score": "bad"}}
{"id": 72, "subject": "API", "created_at": "2026-10-12T08:00:00Z", "solved_at": "2026-10-12T10:00:00Z", "satisfaction_rating": {"score": "offered"}}
"""  # noqa: E501
# week 2, zendesk: 71 not first contact, rated bad; 72 tells neither


def load(uow: SqlUnitOfWork, index_dir: Path) -> None:
    index = IndexCache(index_dir)
    for fmt, text in (("freshdesk", FRESHDESK), ("zendesk", ZENDESK_LINES)):
        tickets.import_stream(uow, index, io.BytesIO(text.encode()), format=fmt, now=T0)


def report(uow: SqlUnitOfWork, **filters: str) -> object:
    query = ShowMetrics.parse(since=T0 - timedelta(days=1), until=END, **filters)
    return factories.runner(uow, END).read(show_metrics, query, Actor.system())


def test_first_contact_resolution_is_counted_per_week_and_helpdesk(
    uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    load(uow, tmp_path)
    r = report(uow)
    assert [(w.week, w.source, w.tickets, w.first_contact, w.percent) for w in r.first_contact] == [
        (WEEK1, "freshdesk", 3, 2, 66.7),
        (WEEK2, "freshdesk", 1, 1, 100.0),
        (WEEK2, "zendesk", 1, 0, 0.0),
    ]
    assert r.first_contact_percent == 60.0  # 3 of 5
    shown = report_json(r)
    assert shown["first_contact_percent"] == 60.0
    assert shown["first_contact_goal_percent"] == 95.0
    assert shown["figures"]["first_contact"]["rows"][0] == [
        "2026-10-05",
        "freshdesk",
        3,
        2,
        66.7,
    ]


def test_imported_ratings_join_the_csat_trend_marked_by_source(
    uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    load(uow, tmp_path)
    r = report(uow)
    assert [(w.week, w.source, w.answers, w.satisfied) for w in r.csat] == [
        (WEEK1, "freshdesk", 2, 1),
        (WEEK2, "freshdesk", 1, 1),
        (WEEK2, "zendesk", 1, 0),
    ]
    assert r.csat_percent == 50.0
    # A ticket has no severity, tier or DRI: a filter on them counts escdesk's survey only.
    assert report(uow, severity="high").csat == []


def test_the_weekly_review_line_carries_first_contact_resolution(
    uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    load(uow, tmp_path)
    with uow:
        line = last_week_figures(uow, WEEK2_END)
    assert "first-contact resolution 50 % of 2 tickets" in line


WEEK2_END = datetime(2026, 10, 19, 0, 0, tzinfo=UTC)


def test_reimporting_a_file_that_no_longer_says_clears_the_outcome(
    uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    load(uow, tmp_path)
    bare = "Ticket ID,Subject,Created time,Resolved time\n1,Export fails,2026-10-05 09:00:00,2026-10-05 11:00:00\n"  # noqa: E501
    index = IndexCache(tmp_path)
    tickets.import_stream(uow, index, io.BytesIO(bare.encode()), format="freshdesk", now=T0)
    r = report(uow)
    assert [(w.week, w.source, w.tickets) for w in r.first_contact][0] == (WEEK1, "freshdesk", 2)
