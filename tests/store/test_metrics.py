"""Every figure against a hand-computed fixture (R-MET, R-FIX-3, R-SLA-4), on each backend.

Escalations, closings, ETA changes and survey answers go through the use cases; the records of
other capabilities that only the read model reads (requests, fixes, recurring issues, follow-ups,
breaches) are written as rows, with just the columns the figures look at set on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from escdesk.domain import survey
from escdesk.domain.access import Actor
from escdesk.domain.accounts import Sentiment
from escdesk.domain.metrics import MetricsReport
from escdesk.services import contacts, surveys
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.escalation_commands import CloseEscalation, SetEta, agreement_from
from escdesk.services.metrics import ShowMetrics, last_week_figures, show_metrics
from escdesk.services.review import weekly_issues_review
from escdesk.store import tables as t
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday
WEEK1, WEEK2 = date(2026, 10, 5), date(2026, 10, 12)
H = timedelta(hours=1)
D = timedelta(days=1)
END = T0 + 28 * D


@dataclass
class Fixture:
    dri: str
    escalations: dict[str, int]


def close(
    uow: SqlUnitOfWork, esc_id: int, at: datetime, sentiment: Sentiment | None = None
) -> None:
    agreement = agreement_from("Jo, CTO", at, "email")
    closing = CloseEscalation(esc_id, agreement, sentiment=sentiment, waivers=factories.WAIVED)
    factories.act(uow, closing, now=at)


def answer(uow: SqlUnitOfWork, esc_id: int, email: str, score: int, at: datetime) -> None:
    """Answer a survey as the contact would: through its link (rebuilt here from the outbox)."""
    with uow:
        rows = uow.session.scalars(
            select(t.OutboxRow.payload)
            .join(t.SurveyRow, t.SurveyRow.id == t.OutboxRow.subject_id)
            .where(
                t.OutboxRow.subject_type == "survey",
                t.SurveyRow.escalation_id == esc_id,
                t.SurveyRow.email == email,
            )
        ).all()
    [payload] = rows
    token = payload["survey_path"].rsplit("/", 1)[1]
    surveys.answer_survey(uow, token, survey.Answer(score, None), at)


def add(uow: SqlUnitOfWork, *rows: Any) -> list[int]:
    with uow:
        uow.session.add_all(rows)
        uow.session.flush()
        ids = [r.id for r in rows]
        uow.session.commit()
    return ids


def build(uow: SqlUnitOfWork) -> Fixture:
    dri = factories.add_person(uow, "support", "manager", now=T0).email
    factories.add_account(uow, now=T0, name="Acme", arr=100_000, tier="enterprise")
    c = factories.add_account(uow, now=T0, name="Small", arr=10_000, tier="smb")
    d = factories.add_account(
        uow,
        now=T0,
        name="Deal",
        arr=30_000,
        tier="mid_market",
        status="pending_deal",
        deal_size=50_000,
    )
    for name, email in (("Jo", "jo@acme.example"), ("Lena", "lena@acme.example")):
        contacts.add_contact_now(
            uow, contacts.AddContact("Acme", name, email, "en"), DatabaseAdministrator(), T0
        )

    def open_(account: str, severity: str, at: datetime, eta: datetime) -> int:
        owner = {"dri": dri} if severity == "medium" else {}  # R-ESC-2: high ones: the CSM
        esc = factories.open_escalation(
            uow, now=at, account=account, severity=severity, eta=eta, **owner
        )
        assert esc.id is not None
        return esc.id

    e1 = open_("Acme", "high", T0, T0 + 7 * D)
    close(uow, e1, T0 + 10 * H)  # 10 h, by its first ETA
    e2 = open_("Acme", "high", T0 + D, T0 + 8 * D)
    factories.act(uow, SetEta(e2, T0 + 15 * D, "vendor patch late"), now=T0 + D + H)
    # 20 h, by its first ETA, one slip; two in two days: its DRI leaves Acme at risk
    close(uow, e2, T0 + D + 20 * H, Sentiment.AT_RISK)
    e3 = open_("Small", "medium", T0 + 7 * D, T0 + 8 * D)
    factories.act(uow, SetEta(e3, T0 + 11 * D, "more logs needed"), now=T0 + 7 * D + H)
    factories.act(uow, SetEta(e3, T0 + 9 * D, "found it"), now=T0 + 7 * D + 2 * H)
    close(uow, e3, T0 + 7 * D + 40 * H)  # 40 h, after its first ETA; one slip, one pull-in
    e4 = open_("Deal", "critical", T0 + 8 * D, T0 + 20 * D)  # still open
    answer(uow, e1, "jo@acme.example", 5, T0 + D)
    answer(uow, e1, "lena@acme.example", 2, T0 + 2 * D)
    answer(uow, e2, "jo@acme.example", 4, T0 + 9 * D)

    # Triage decisions: 2 h, 6 h and 30 h after filing → median 6 h; one undecided.
    request_rows = [
        t.EscalationRequestRow(
            account_id=c.id,
            kind="account_escalation",
            problem="p",
            problem_type="bug",
            proposed_severity="medium",
            workarounds="",
            difficulty="medium",
            dependencies="",
            business_status="paying",
            arr=1,
            other_customers=0,
            happiness_confirmed=False,
            similar_accounts=0,
            skills=[],
            filed_at=T0 + n * D,
            status=status,
            first_decided_at=None if hours is None else T0 + n * D + hours * H,
            version=1,
        )
        for n, hours, status in (
            (1, 2, "escalated"),
            (2, 6, "backlog"),
            (3, 30, "scheduled"),
            (4, None, "pending"),
        )
    ]
    add(uow, *request_rows)
    # Fixes: reported → shipped in 3, 5 days (and one without a report date: submitted + 9 d).
    add(
        uow,
        *(
            t.FixRow(
                title=f"fix {n}",
                kind="patch",
                content="",
                status="shipped",
                submitted_at=T0 + n * D,
                reported_at=reported,
                shipped_at=T0 + (n + days) * D,
                version=1,
            )
            for n, days, reported in ((1, 3, T0), (2, 5, T0 + 2 * D), (3, 9, None))
        ),
    )
    # fix 1: reported T0, shipped T0+4d → 96 h; fix 2: 5 d → 120 h; fix 3: 9 d → 216 h.
    # Recurring issues: I1 fixed 100 days before END, 3 tickets before, 1 after → prevented 2;
    # I2 fixed 10 days before END, no ticket since → eliminated; I3 confirmed, not fixed.
    fixed1, fixed2 = END - 100 * D, END - 10 * D
    [imp] = add(
        uow,
        t.TicketImportRow(
            source="zd", format="jsonl", file_name="x", started_at=T0, written=0, skipped=0
        ),
    )
    issues = add(
        uow,
        *(
            t.RecurringIssueRow(
                label=f"i{n}",
                status=status,
                named=True,
                fixed_at=fixed,
                created_at=T0 - 200 * D,
                version=1,
            )
            for n, status, fixed in (
                (1, "fixed", fixed1),
                (2, "fixed", fixed2),
                (3, "confirmed", None),
            )
        ),
    )
    moments = {
        issues[0]: [fixed1 - 80 * D, fixed1 - 30 * D, fixed1 - D, fixed1 + 5 * D],
        issues[1]: [fixed2 - 5 * D],
        issues[2]: [T0],
    }
    for issue_id, created in moments.items():
        ticket_ids = add(
            uow,
            *(
                t.TicketRow(
                    source="zd",
                    external_id=f"{issue_id}-{n}",
                    subject="s",
                    body="b",
                    created_at=at,
                    tags=[],
                    import_id=imp,
                )
                for n, at in enumerate(created)
            ),
        )
        with uow:
            uow.session.add_all(
                t.IssueTicketRow(ticket_id=tid, cluster_id=ticket_ids[0], issue_id=issue_id)
                for tid in ticket_ids
            )
            uow.session.commit()
    # Follow-ups: 3 due in the period (2 done by their due date), 1 due after the period.
    [retro] = add(
        uow,
        t.RetrospectiveRow(
            escalation_id=e1,
            status="open",
            opened_at=T0,
            due_at=T0 + 5 * D,
            summary="",
            internal_notes="",
            missed={},
            annotations={},
            overdue_told=False,
            version=1,
        ),
    )
    with uow:
        owner = uow.session.scalar(select(t.PersonRow.id).where(t.PersonRow.email == dri))
    add(
        uow,
        *(
            t.FollowUpRow(
                retrospective_id=retro,
                number=n,
                title="f",
                owner_id=owner,
                team="x",
                due_at=due,
                created_at=T0,
                done_at=done,
                reminders_sent=0,
            )
            for n, due, done in (
                (1, T0 + 3 * D, T0 + 2 * D),
                (2, T0 + 4 * D, T0 + 4 * D),
                (3, T0 + 5 * D, T0 + 6 * D),
                (4, END + D, None),
            )
        ),
    )
    # Breaches: two customer updates missed on e3 in week 2, one internal on e4 in week 2.
    add(
        uow,
        *(
            t.BreachRow(
                escalation_id=esc,
                audience=aud,
                due_at=due,
                detected_at=due + H,
                severity=sev,
                dri_id=who,
                account_id=acct,
            )
            for esc, aud, due, sev, acct, who in (
                (e3, "customer", T0 + 7 * D + 5 * H, "medium", c.id, owner),
                (e3, "customer", T0 + 8 * D + 5 * H, "medium", c.id, owner),
                (e4, "internal", T0 + 9 * D, "critical", d.id, d.csm_id),
            )
        ),
    )
    return Fixture(dri, {"e1": e1, "e2": e2, "e3": e3, "e4": e4})


def report(uow: SqlUnitOfWork, **filters: Any) -> MetricsReport:
    query = ShowMetrics.parse(since=T0 - D, until=END, **filters)
    result: MetricsReport = factories.runner(uow, END).read(show_metrics, query, Actor.system())
    return result


@pytest.fixture
def fixture(uow: SqlUnitOfWork) -> Fixture:
    return build(uow)


def test_every_figure_matches_the_hand_computed_fixture(
    uow: SqlUnitOfWork, fixture: Fixture
) -> None:
    r = report(uow)
    assert [(w.week, w.answers, w.satisfied, w.percent) for w in r.csat] == [
        (WEEK1, 2, 1, 50.0),
        (WEEK2, 1, 1, 100.0),
    ]
    assert r.csat_percent == 66.7
    assert [(w.week, w.severity, w.opened, w.closed) for w in r.volume] == [
        (WEEK1, "high", 2, 2),
        (WEEK2, "critical", 1, 0),
        (WEEK2, "medium", 1, 1),
    ]
    assert [(m.group, m.hours, m.count) for m in r.time_to_close] == [
        ("high", 15.0, 2),
        ("medium", 40.0, 1),
    ]
    assert r.time_to_decision is not None
    assert (r.time_to_decision.hours, r.time_to_decision.count) == (6.0, 3)
    assert (r.eta.closed, r.eta.by_first_eta, r.eta.slips, r.eta.slipped_escalations) == (
        3,
        2,
        2,
        2,
    )
    assert (r.eta.percent, r.eta.slips_per_escalation) == (66.7, 0.67)
    assert (r.revenue.accounts, r.revenue.arr, r.revenue.pending_deals) == (2, 130_000, 50_000)
    assert r.fix_lead_time is not None
    assert (r.fix_lead_time.hours, r.fix_lead_time.count) == (120.0, 3)
    assert (r.recurring.fixed, r.recurring.eliminated, r.recurring.tickets_prevented) == (2, 1, 2)
    assert (r.follow_ups.due, r.follow_ups.on_time, r.follow_ups.percent) == (3, 2, 66.7)
    assert [(b.week, b.severity, b.breaches) for b in r.breaches] == [
        (WEEK2, "critical", 1),
        (WEEK2, "medium", 2),
    ]


def test_filters_narrow_the_escalation_figures(uow: SqlUnitOfWork, fixture: Fixture) -> None:
    high = report(uow, severity="high")
    assert [(w.severity, w.opened) for w in high.volume] == [("high", 2)]
    assert [m.group for m in high.time_to_close] == ["high"]
    assert (high.eta.closed, high.eta.slips) == (2, 1)
    assert sum(w.answers for w in high.csat) == 3
    smb = report(uow, tier="smb")
    assert [(w.severity, w.opened, w.closed) for w in smb.volume] == [("medium", 1, 1)]
    assert smb.csat == [] and smb.revenue.accounts == 0
    assert [(b.severity, b.breaches) for b in smb.breaches] == [("medium", 2)]
    later = factories.runner(uow, END).read(
        show_metrics, ShowMetrics.parse(since=T0 + 7 * D, until=END), Actor.system()
    )
    assert [w.week for w in later.csat] == [WEEK2]
    assert [m.group for m in later.time_to_close] == ["medium"]
    mine = report(uow, dri=fixture.dri)
    assert [(w.severity, w.opened) for w in mine.volume] == [("medium", 1)]
    assert [(b.severity, b.breaches) for b in mine.breaches] == [("medium", 2)]


def test_an_empty_store_answers_zeros_not_errors(uow: SqlUnitOfWork) -> None:
    r = report(uow)
    assert r.csat == [] and r.volume == [] and r.time_to_close == []
    assert r.time_to_decision is None and r.fix_lead_time is None and r.csat_percent is None
    assert (r.eta.closed, r.eta.percent, r.revenue.arr, r.recurring.fixed) == (0, 0.0, 0, 0)
    headers, rows = r.table("eta")
    assert headers[0] == "closed" and rows == [[0, 0, 0.0, 0, 0.0]]


def test_the_weekly_review_opens_with_last_weeks_real_figures(
    uow: SqlUnitOfWork, fixture: Fixture
) -> None:
    with uow:
        line = last_week_figures(uow, T0 + 10 * D)
    assert line == (
        "Last 7 days: 2 escalations opened, 1 closed; CSAT 100 % of 1 answers; "
        "3 missed updates; follow-ups 2 of 3 done on time; "
        "recurring issues: 1 of 2 fixed ones eliminated"
    )
    opening = weekly_issues_review(uow, now=T0 + 10 * D).agenda.items[0]
    assert (opening.title, opening.detail) == ("Last week's figures and follow-ups", line)
