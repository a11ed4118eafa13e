"""The satisfaction survey at closing (R-SLA-4): one link per contact, hashed, expiring, one
answer; queued in the closing's own transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from escdesk.domain import survey
from escdesk.domain.errors import InvalidInput, NotFound, RuleRefused, StateRefused
from escdesk.services import contacts, surveys
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.escalation_commands import CloseEscalation, ReopenEscalation, agreement_from
from escdesk.store.tables import EventRow, OutboxRow, SurveyRow
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import WAIVED, act, add_account, open_escalation


def closed_with_contacts(uow: SqlUnitOfWork, now: datetime, *emails: str) -> int:
    account = add_account(uow, now=now)
    for email in emails:
        contacts.add_contact_now(
            uow,
            contacts.AddContact(account.name, email.split("@")[0].title(), email, "en"),
            DatabaseAdministrator(),
            now,
        )
    esc = open_escalation(uow, now=now, account=account.name, summary="Pipelines stall")
    assert esc.id is not None
    close(uow, esc.id, now + timedelta(days=1))
    return esc.id


def close(uow: SqlUnitOfWork, escalation_id: int, at: datetime) -> None:
    agreement = agreement_from("Jo, CTO", at, "email")
    act(uow, CloseEscalation(escalation_id, agreement, waivers=WAIVED), now=at)


def survey_links(uow: SqlUnitOfWork) -> dict[str, str]:
    """What the queued e-mails carry: destination → token."""
    with uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "email.survey"))
        return {r.destination: r.payload["survey_path"].rsplit("/", 1)[1] for r in rows}


def test_closing_queues_one_survey_per_contact_and_stores_only_the_links_hash(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc_id = closed_with_contacts(uow, now, "jo@acme.example", "lena@acme.example")
    links = survey_links(uow)
    assert sorted(links) == ["jo@acme.example", "lena@acme.example"]
    assert links["jo@acme.example"] != links["lena@acme.example"]
    with uow:
        rows = [
            (r.escalation_id, r.token_hash, r.expires_at)
            for r in uow.session.scalars(select(SurveyRow).order_by(SurveyRow.email))
        ]
    assert [r[0] for r in rows] == [esc_id, esc_id]
    assert {r[1] for r in rows} == {survey.token_hash(t) for t in links.values()}
    assert not {r[1] for r in rows} & set(links.values())  # the token itself is not kept
    assert rows[0][2] == now + timedelta(days=1) + survey.VALID_FOR


def test_a_closing_that_fails_queues_no_survey(uow: SqlUnitOfWork, now: datetime) -> None:
    account = add_account(uow, now=now)
    contacts.add_contact_now(
        uow,
        contacts.AddContact(account.name, "Jo", "jo@acme.example", "en"),
        DatabaseAdministrator(),
        now,
    )
    esc = open_escalation(uow, now=now, account=account.name, product_related=True)
    assert esc.id is not None
    with pytest.raises(RuleRefused):  # R-ESC-9: a product-related one needs its RCA
        close(uow, esc.id, now + timedelta(days=1))
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(SurveyRow)) == 0
        assert (
            uow.session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == "email.survey")
            )
            == 0
        )


def test_a_link_answers_once_shows_only_its_escalation_and_expires(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc_id = closed_with_contacts(uow, now, "jo@acme.example")
    [token] = survey_links(uow).values()
    closed_at = now + timedelta(days=1)
    link = surveys.survey_link(uow, token)
    # No customer summary was set: the reference, never the internal summary (R-OPS-2).
    assert (link.summary, link.state(closed_at)) == (f"ESC-{esc_id}", "open")
    answered = surveys.answer_survey(uow, token, survey.Answer.parse("4", " Quick! "), closed_at)
    assert (answered.score, answered.state(closed_at)) == (4, "answered")
    with pytest.raises(StateRefused, match="already answered"):
        surveys.answer_survey(uow, token, survey.Answer.parse("1", None), closed_at)
    with uow:
        row = uow.session.execute(select(SurveyRow.score, SurveyRow.comment)).one()
    assert tuple(row) == (4, "Quick!")
    with uow:
        trail = uow.session.execute(
            select(EventRow.type, EventRow.data).where(EventRow.subject == "survey")
        ).all()
    assert [(kind, data.get("score")) for kind, data in trail] == [
        ("survey_sent", None),
        ("survey_answered", 4),
    ]
    with pytest.raises(NotFound):
        surveys.survey_link(uow, token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_an_expired_link_is_refused_and_records_nothing(uow: SqlUnitOfWork, now: datetime) -> None:
    closed_with_contacts(uow, now, "jo@acme.example")
    [token] = survey_links(uow).values()
    too_late = now + timedelta(days=1) + survey.VALID_FOR
    with pytest.raises(StateRefused, match="expired"):
        surveys.answer_survey(uow, token, survey.Answer.parse("5", None), too_late)
    assert surveys.survey_link(uow, token).score is None


def test_reclosing_does_not_ask_the_same_contact_again(uow: SqlUnitOfWork, now: datetime) -> None:
    esc_id = closed_with_contacts(uow, now, "jo@acme.example")
    act(uow, ReopenEscalation(esc_id, "it stalled again"), now=now + timedelta(days=2))
    close(uow, esc_id, now + timedelta(days=3))
    assert len(survey_links(uow)) == 1


@pytest.mark.parametrize(
    ("score", "comment", "field"),
    [
        ("0", None, "score"),
        ("6", None, "score"),
        ("four", None, "score"),
        (None, None, "score"),
        ("3", "x" * 2001, "comment"),
        ("3", "bad\x00", "comment"),
    ],
)
def test_an_answer_out_of_range_is_refused_by_field(
    score: str | None, comment: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        survey.Answer.parse(score, comment)
    assert refused.value.field == field
