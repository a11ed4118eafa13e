"""Every form of the escalation page: one service call, CSRF, optimistic version, clear refusals."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from escdesk.domain.escalation import Escalation
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations, ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of


def _current(uow: SqlUnitOfWork, esc: Escalation) -> Escalation:
    assert esc.id is not None
    return factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation


def test_an_update_is_posted_and_shown_in_its_own_lane(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/update",
        {
            "audience": "customer",
            "body": "A fix is in testing.",
            "version": esc.version,
            "step": "confirm",  # as from the preview (tests/web/test_customer_preview.py)
        },
    )
    assert response.headers["location"] == f"/escalations/{esc.id}"
    page = text_of(manager.follow(response).text)
    assert "Your customer-facing update is recorded; its e-mail to the customer is queued." in page
    lanes = page.split("Internal 0")
    assert "A fix is in testing." in lanes[0] and "Customer-facing 1" in lanes[0]
    assert _current(uow, esc).status == "active"


def test_a_change_from_a_stale_page_is_refused_as_a_conflict_and_nothing_is_written(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    stale = esc.version
    manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "internal", "body": "first", "version": stale},
    )
    response = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "internal", "body": "second from an old page", "version": stale},
    )
    assert response.status_code == 409
    text = text_of(response.text)
    assert "Someone else changed this escalation while you were writing" in text
    assert "second from an old page" in response.text  # kept in the form, not posted
    assert [u.body for u in _current(uow, esc).updates] == ["first"]


def test_closing_without_the_customers_agreement_is_refused_naming_what_is_missing(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(f"/escalations/{esc.id}/close", {"version": esc.version})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "The escalation cannot close yet." in text
    assert "the customer's agreement: who, when and how" in text
    assert "--agreed-by" not in text  # the form names its fields, not CLI flags
    assert re.search(r'<details class="action" open>\s*<summary>Close', response.text)
    assert _current(uow, esc).status == "opened"


def test_closing_with_the_customers_agreement_closes_and_archives(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, later: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/close",
        {
            "agreed_by": "Jo Chen, CTO",
            "agreed_at": now.strftime("%Y-%m-%dT%H:%M"),
            "agreed_via": "email",
            "waive_1": "Jo agreed four clean days are enough",
            "version": esc.version,
        },
    )
    page = text_of(manager.follow(response).text)
    assert "Closed with the customer's agreement" in page
    assert "Customer agreed Jo Chen, CTO" in page
    assert "Exit criteria 0 of 1 done, 1 waived" in page
    assert "waived Waived at closing by Mia Manager" in page
    assert "Jo agreed four clean days are enough" in page
    closed = _current(uow, esc)
    assert closed.status == "closed" and closed.agreement is not None
    assert closed.exit_criteria[0].waived_reason == "Jo agreed four clean days are enough"
    assert (
        'action="/escalations/' + str(esc.id) + '/reopen"'
        in manager.get(f"/escalations/{esc.id}").text
    )


def test_the_close_form_asks_a_reason_for_each_open_criterion_and_keeps_what_was_typed(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, exit_criteria=["one", "two", "three"])
    manager.post(f"/escalations/{esc.id}/exit-criteria", {"done": "2", "version": esc.version})
    version = _current(uow, esc).version
    page = manager.get(f"/escalations/{esc.id}").text
    assert 'name="waive_1"' in page and 'name="waive_3"' in page
    assert 'name="waive_2"' not in page, "a ticked criterion needs no waiver"
    response = manager.post(
        f"/escalations/{esc.id}/close",
        {
            "agreed_by": "Jo Chen, CTO",
            "agreed_at": now.strftime("%Y-%m-%dT%H:%M"),
            "agreed_via": "email",
            "waive_1": "Dropped by the customer",
            "waive_3": "  ",
            "version": version,
        },
    )
    assert response.status_code == 422
    text = text_of(response.text)
    assert "exit criterion 3 (“three”) ticked, or waived with a reason" in text
    assert "--waive" not in text and "R-ESC-9" not in text
    assert 'value="Dropped by the customer"' in response.text
    assert 'value="Jo Chen, CTO"' in response.text
    assert re.search(r'<details class="action" open>\s*<summary>Close', response.text)
    assert _current(uow, esc).status == "opened"
    assert not any(c.waived for c in _current(uow, esc).exit_criteria)


def test_a_later_eta_is_recorded_as_a_slip_and_a_missing_one_names_the_field(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    missing = manager.post(f"/escalations/{esc.id}/eta", {"reason": "x", "version": esc.version})
    assert missing.status_code == 422
    assert "ETA is missing. Pick the date and time (UTC) of the new ETA." in text_of(missing.text)
    later_eta = (now + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = manager.post(
        f"/escalations/{esc.id}/eta",
        {"eta": later_eta, "reason": "vendor patch late", "version": esc.version},
    )
    assert "The ETA slipped; the slip is on record." in text_of(manager.follow(response).text)
    assert _current(uow, esc).eta_slips == 1


def test_exit_criteria_are_ticked_unticked_and_added_in_one_form(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, exit_criteria=["one", "two"])
    manager.post(
        f"/escalations/{esc.id}/exit-criteria",
        {"done": ["1", "2"], "version": esc.version},
    )
    version = _current(uow, esc).version
    manager.post(
        f"/escalations/{esc.id}/exit-criteria",
        {"done": "2", "was_done": ["1", "2"], "add": "three", "version": version},
    )
    criteria = _current(uow, esc).exit_criteria
    assert [(c.text, c.done) for c in criteria] == [("one", False), ("two", True), ("three", False)]


def test_severity_owner_monitoring_and_reopening_each_go_through_their_form(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    support = factories.add_person(uow, "support", now=now, name="Lars Support")
    steps = [
        ("severity", {"severity": "low", "reason": "workaround holds"}, "Severity is now low"),
        ("owners", {"role": "dri", "person": str(support.id), "reason": "timezone"}, "recorded"),
        ("monitor", {"note": "patched; watching a week"}, "The escalation is in monitoring."),
        ("reopen", {"reason": "it broke again"}, "Reopened"),
    ]
    for action, form, message in steps:
        version = _current(uow, esc).version
        response = manager.post(f"/escalations/{esc.id}/{action}", {**form, "version": version})
        assert message in text_of(manager.follow(response).text), action
    final = _current(uow, esc)
    assert (final.severity, final.dri_id, final.status) == ("low", support.id, "active")


def test_opening_an_escalation_from_the_form_and_refusing_one_without_skills(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Acme Corp")
    form = {
        "account": str(account.id),
        "severity": "medium",
        "kind": "account_escalation",
        "route": "support",
        "summary": "Exports time out",
        "initial_ask": "An engineer on the export service",
        "required_skills": "",
        "exit_criteria": "Exports finish in 5 min\nCustomer confirms",
    }
    refused = manager.post("/escalations/new", form)
    assert refused.status_code == 422
    assert "The required skills are written down at opening." in text_of(refused.text)
    assert "An engineer on the export service</textarea>" in refused.text
    assert factories.ask(uow, service.list_escalations, ListEscalations.parse()).total == 0
    opened = manager.post("/escalations/new", {**form, "required_skills": "Go\nS3"})
    page = text_of(manager.follow(opened).text)
    assert "is open: its channel and the declaration are queued for Slack" in page
    (item,) = factories.ask(uow, service.list_escalations, ListEscalations.parse()).items
    assert item.customer == "Acme Corp" and item.dri_name == "Mia Manager"


def test_no_audience_is_chosen_for_the_writer_and_an_update_without_one_is_refused(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    html = manager.get(f"/escalations/{esc.id}").text
    radios = re.findall(r'<input type="radio" name="audience" value="(\w+)"[^>]*>', html)
    assert radios[:2] == ["internal", "customer"]
    chosen = re.findall(r'<input type="radio" name="audience" value="\w+" required checked>', html)
    assert chosen == []  # a customer-facing update is never one click away
    refused = manager.post(
        f"/escalations/{esc.id}/update", {"body": "Fix ships Friday.", "version": esc.version}
    )
    assert refused.status_code == 422
    assert "Audience is not chosen. Choose internal or customer-facing" in text_of(refused.text)
    assert _current(uow, esc).updates == []
