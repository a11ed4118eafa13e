"""What the customer reads an escalation is about (R-OPS-2): the customer summary, set by those
who run the customer's page, shown on the status page and in e-mails instead of the internal
summary; and the preview of a customer-facing update, which changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from escdesk.domain.clock import Audience
from escdesk.domain.errors import Forbidden, InvalidInput, StateRefused
from escdesk.domain.events import EVENT_TYPES
from escdesk.notify import mail_text
from escdesk.services import escalations as service
from escdesk.services import status_page
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.contacts import AddContact, add_contact_now
from escdesk.services.customer_preview import PreviewCustomerUpdate, preview_customer_update
from escdesk.services.escalation_commands import (
    CloseEscalation,
    EscalationHistory,
    PostUpdate,
    SetCustomerSummary,
    ShowEscalation,
    agreement_from,
)
from escdesk.services.trail_text import describe
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

INTERNAL = "Their admin broke the runner config"


def _escalation(uow: SqlUnitOfWork, now: datetime, dri: str) -> int:
    esc = factories.open_escalation(uow, now=now, by=dri, summary=INTERNAL)
    assert esc.id is not None
    return esc.id


def test_the_dri_sets_it_and_the_trail_says_so(uow: SqlUnitOfWork, now: datetime) -> None:
    dri = factories.add_person(uow, "support", now=now, name="Dana Dri").email
    esc_id = _escalation(uow, now, dri)
    esc = factories.act(
        uow, SetCustomerSummary(esc_id, "  Pipelines start slowly  "), now=now, by=dri
    )
    assert esc.customer_summary == "Pipelines start slowly"
    esc = factories.act(uow, SetCustomerSummary(esc_id, "Pipelines start late"), now=now, by=dri)
    history = factories.ask(uow, service.escalation_history, EscalationHistory(esc_id))
    set_lines = [e for e in history if e.type == "customer_summary_set"]
    assert [e.data["to"] for e in set_lines] == ["Pipelines start slowly", "Pipelines start late"]
    assert "customer_summary_set" in EVENT_TYPES
    texts = [describe(e, {}, False, str).text for e in set_lines]
    assert texts == [
        "Set what the customer reads it is about: Pipelines start slowly",
        "Changed what the customer reads it is about: Pipelines start late",
    ]


def test_those_who_do_not_run_the_customers_page_are_refused(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc_id = _escalation(uow, now, factories.add_person(uow, "support", now=now).email)
    for role in ("sales", "product_leader_director", "executive"):
        person = factories.add_person(uow, role, now=now).email
        with pytest.raises(Forbidden):
            factories.act(uow, SetCustomerSummary(esc_id, "Slow starts"), now=now, by=person)
    shown = factories.ask(uow, service.show_escalation, ShowEscalation(esc_id))
    assert shown.escalation.customer_summary is None


def test_empty_unchanged_or_closed_is_refused_naming_the_field(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    dri = factories.add_person(uow, "support", now=now).email
    esc_id = _escalation(uow, now, dri)
    with pytest.raises(InvalidInput) as empty:
        factories.act(uow, SetCustomerSummary(esc_id, "   "), now=now, by=dri)
    assert empty.value.field == "customer_summary"
    factories.act(uow, SetCustomerSummary(esc_id, "Slow starts"), now=now, by=dri)
    with pytest.raises(InvalidInput, match="unchanged"):
        factories.act(uow, SetCustomerSummary(esc_id, "Slow starts"), now=now, by=dri)
    with pytest.raises(InvalidInput, match="longer than 200"):
        factories.act(uow, SetCustomerSummary(esc_id, "x" * 201), now=now, by=dri)
    closing = CloseEscalation(esc_id, agreement_from("Jo", now, "email"), waivers=factories.WAIVED)
    factories.act(uow, closing, now=now)
    with pytest.raises(StateRefused):
        factories.act(uow, SetCustomerSummary(esc_id, "Fixed"), now=now, by=dri)


def test_the_status_page_and_the_e_mail_carry_the_customer_summary_never_the_internal_one(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    dri = factories.add_person(uow, "support", now=now).email
    esc_id = _escalation(uow, now, dri)
    account = factories.ask(uow, service.show_escalation, ShowEscalation(esc_id)).account
    add_contact_now(
        uow, AddContact(account.name, "Jo", "jo@acme.example"), DatabaseAdministrator(), now
    )
    token = status_page.publish(uow, esc_id, now)
    before = status_page.status_view(uow, token, now)
    assert before.customer_summary is None and before.reference == f"ESC-{esc_id}"
    factories.act(uow, SetCustomerSummary(esc_id, "Slow starts"), now=now, by=dri)
    factories.act(uow, PostUpdate(esc_id, Audience.CUSTOMER, "Fix in testing"), now=now, by=dri)
    view = status_page.status_view(uow, token, now)
    assert view.customer_summary == "Slow starts" and view.severity == "medium"
    assert INTERNAL not in repr(view)
    with uow:
        payloads = uow.session.scalars(
            select(OutboxRow.payload).where(OutboxRow.kind == "email.customer_update")
        ).all()
    [mail] = payloads
    assert mail["summary"] == "Slow starts" and mail["reference"] == f"ESC-{esc_id}"
    assert INTERNAL not in repr(mail)


def test_a_preview_renders_each_contacts_e_mail_and_posts_nothing(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    dri = factories.add_person(uow, "support", now=now, name="Dana Dri").email
    esc_id = _escalation(uow, now, dri)
    account = factories.ask(uow, service.show_escalation, ShowEscalation(esc_id)).account
    for name, email, language in (
        ("Jo", "jo@acme.example", "en"),
        ("Kai", "kai@acme.example", "de"),
    ):
        add_contact_now(
            uow, AddContact(account.name, name, email, language), DatabaseAdministrator(), now
        )
    later = now + timedelta(minutes=5)
    query = PreviewCustomerUpdate(esc_id, " A fix is in testing. ")
    preview = factories.runner(uow, later).read(
        preview_customer_update, query, factories.actor(uow, dri, later)
    )
    assert preview.entry.body == "A fix is in testing." and preview.entry.posted_at == later
    assert preview.author == "Dana Dri"
    mails = mail_text.previews(preview, "Northwind")
    assert [c.email for c, _ in mails] == ["jo@acme.example", "kai@acme.example"]
    english, german = (m for _, m in mails)
    assert english.subject == f"Update on your escalation ESC-{esc_id}"
    assert "A fix is in testing." in english.text
    assert "Dana Dri, for the Northwind escalation team" in english.text
    assert german.text.startswith("Guten Tag Kai,")
    assert INTERNAL not in english.text + english.subject
    shown = factories.ask(uow, service.show_escalation, ShowEscalation(esc_id)).escalation
    assert shown.updates == [] and shown.status == "opened"


def test_a_preview_refuses_what_posting_would_refuse(uow: SqlUnitOfWork, now: datetime) -> None:
    esc_id = _escalation(uow, now, factories.add_person(uow, "support", now=now).email)
    runner = factories.runner(uow, now)
    with pytest.raises(InvalidInput) as empty:
        runner.read(
            preview_customer_update,
            PreviewCustomerUpdate(esc_id, " "),
            factories.actor(uow, None, now),
        )
    assert empty.value.field == "body"
    sales = factories.actor(uow, factories.add_person(uow, "sales", now=now).email, now)
    with pytest.raises(Forbidden):
        runner.read(preview_customer_update, PreviewCustomerUpdate(esc_id, "hi"), sales)


def test_without_contacts_the_preview_has_no_e_mail(uow: SqlUnitOfWork, now: datetime) -> None:
    """No contact: the preview says no e-mail goes out (an empty list), it does not fail."""
    esc_id = _escalation(uow, now, factories.add_person(uow, "support", now=now).email)
    preview = factories.ask(
        uow, preview_customer_update, PreviewCustomerUpdate(esc_id, "hello"), now=now
    )
    assert preview.contacts == [] and mail_text.previews(preview, None) == []
