"""The satisfaction survey (R-SLA-4): asked at closing, answered on a public page.

`invite_at_closing` runs inside the close handler's transaction, so the survey e-mails are
queued with the closing or not at all. The page needs no sign-in: the link is the key, and the
page shows only the escalation's customer name and customer summary (its reference until one
is set), nothing of any other escalation and never the internal summary.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from escdesk.domain import survey
from escdesk.domain.errors import NotFound, StateRefused
from escdesk.domain.escalation import Escalation
from escdesk.domain.survey import Answer, SurveyLink
from escdesk.services.calendars import book
from escdesk.services.ports import UnitOfWork


def invite_at_closing(uow: UnitOfWork, esc: Escalation, now: datetime) -> int:
    """Queue one survey e-mail per customer contact of the account; how many were queued.
    A contact already asked about this escalation (an earlier closing) is not asked again."""
    assert esc.id is not None
    queued = 0
    for contact in uow.contacts.of_account(esc.account_id):
        token = survey.new_token()
        message = survey.invitation(
            email=contact.email,
            name=contact.name,
            language=contact.language,
            customer=esc.customer,
            summary=esc.customer_summary or esc.reference,  # never the internal summary
            token=token,
        )
        queued += uow.surveys.invite(
            escalation_id=esc.id,
            account_id=esc.account_id,
            email=contact.email,
            token_hash=survey.token_hash(token),
            sent_at=now,
            expires_at=survey.expires(now),
            message=message,
        )
    return queued


def survey_link(uow: UnitOfWork, token: str) -> SurveyLink:
    """What the page behind a link shows, on the account's clock; an unknown link is simply
    not found."""
    with uow:
        link = uow.surveys.link(survey.token_hash(token)) if token else None
        if link is None:
            raise NotFound("survey", "for this link")
        return _on_the_accounts_clock(uow, link)


def _on_the_accounts_clock(uow: UnitOfWork, link: SurveyLink) -> SurveyLink:
    if link.account_id is None:
        return link
    return replace(link, timezone=book(uow).for_account(link.account_id).timezone)


def answer_survey(uow: UnitOfWork, token: str, answer: Answer, now: datetime) -> SurveyLink:
    """Keep the answer; refused once answered or expired, and nothing is changed then."""
    with uow:
        digest = survey.token_hash(token)
        link = uow.surveys.link(digest) if token else None
        if link is None:
            raise NotFound("survey", "for this link")
        if not uow.surveys.answer(digest, answer, now):
            current = uow.surveys.link(digest) or link  # answered meanwhile, or expired
            state = current.state(now)
            problem = "was already answered" if state == "answered" else "has expired"
            raise StateRefused(f"This survey {problem}; thank you all the same")
        uow.commit()
        answered = uow.surveys.link(digest)
        assert answered is not None
        return _on_the_accounts_clock(uow, answered)
