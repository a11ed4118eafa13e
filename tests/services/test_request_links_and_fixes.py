"""Engineering links and support-written fixes on escalation requests (R-FIX-1, R-FIX-3),
through the real store: the requester may link work to their own request, closing the loop
tells the requester in the transaction that sees the issue close or ships the fix, and the
lead time runs from the request's filing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from escdesk.adapters.trackers import TrackerClient
from escdesk.config import Settings
from escdesk.domain.errors import Forbidden, NotFound
from escdesk.domain.fixes import FixStatus
from escdesk.services import fixes, links, releases, triage
from escdesk.services.fixes import ListFixes, ReviewFix, SubmitFix
from escdesk.services.links import AddLink, ListLinks
from escdesk.services.releases import AddToRelease, PlanRelease, ShipRelease, ShowRelease
from escdesk.services.request_commands import DecideRequest
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, add_person, ask
from tests.request_factories import file_request
from tests.services.tracker_server import tracker_server


def _outbox(engine: Engine, subject: str) -> list[dict[str, Any]]:
    with SqlUnitOfWork(engine) as uow:
        rows = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.subject_type == subject).order_by(OutboxRow.id)
        )
        return [{"kind": r.kind, "to": r.destination, "payload": r.payload} for r in rows]


def test_the_requester_links_work_to_their_request_and_hears_when_it_closes(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    sales = add_person(uow, "sales", now=now, email="ae@example.com")
    other = add_person(uow, "sales", now=now)
    request = file_request(uow, now=now, by=sales.email)
    assert request.id is not None
    url = "https://github.com/acme/app/issues/77"
    with pytest.raises(Forbidden):  # another account executive's request is not theirs
        act(uow, AddLink("request", request.id, url), now=now, by=other.email,
            handler=links.add_link)  # fmt: skip
    with pytest.raises(NotFound):
        act(uow, AddLink("request", 9999, url), now=now, by=sales.email,
            handler=links.add_link)  # fmt: skip
    act(uow, AddLink("request", request.id, url), now=now, by=sales.email,
        handler=links.add_link)  # fmt: skip
    shown = ask(uow, links.list_links, ListLinks("request", request.id))
    assert [link.parsed.key for link in shown] == ["acme/app#77"]

    factory = lambda: SqlUnitOfWork(engine)  # noqa: E731
    with tracker_server() as server:
        client = TrackerClient(Settings(database_url=database_url, github_api_url=server.base))
        server.answers["/repos/acme/app/issues/77"] = {"state": "open"}
        assert links.sync_links(factory, client, now) == 1
        assert _outbox(engine, "link") == []
        server.answers["/repos/acme/app/issues/77"] = {"state": "closed"}
        assert links.sync_links(factory, client, now + timedelta(hours=1)) == 1
        assert links.sync_links(factory, client, now + timedelta(hours=2)) == 0
    told = _outbox(engine, "link")
    assert [(m["kind"], m["to"]) for m in told] == [("email.internal", "ae@example.com")]
    assert f"REQ-{request.id}" in told[0]["payload"]["subject"]


def test_r_fix_1_a_fix_for_a_request_ships_and_tells_its_requester_with_the_lead_time(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    sales = add_person(uow, "sales", now=now, email="ae@example.com")
    author = add_person(uow, "support", now=now, email="writer@example.com")
    engineer = add_person(uow, "product", now=now)
    filed = now - timedelta(days=10)
    request = file_request(uow, now=filed, by=sales.email)
    assert request.id is not None
    pull = "https://github.com/acme/app/pull/42"
    cmd = SubmitFix.parse(title="Stream exports", kind="pull_request", url=pull,
                          request_id=request.id)  # fmt: skip
    fix = act(uow, cmd, now=now, by=author.email, handler=fixes.submit_fix)
    mine = ask(uow, fixes.list_fixes, ListFixes(request_id=request.id))
    assert [f.id for f in mine] == [fix.id] and mine[0].request_id == request.id
    act(uow, ReviewFix.parse(fix_id=fix.id, decision="accept"), now=now, by=engineer.email,
        handler=fixes.review_fix)  # fmt: skip
    act(uow, PlanRelease("4.2.1", now.date()), now=now, by=author.email,
        handler=releases.plan_release)  # fmt: skip
    act(uow, AddToRelease("4.2.1", fix.id), now=now, by=author.email,
        handler=releases.add_to_release)  # fmt: skip
    notes = ask(uow, releases.show_release, ShowRelease("4.2.1")).notes
    assert f"Fixes: REQ-{request.id} Exports time out" in notes
    shipped = now + timedelta(days=2)
    act(uow, ShipRelease("4.2.1"), now=shipped, by=engineer.email,
        handler=releases.ship_release)  # fmt: skip
    told = _outbox(engine, "release")
    assert sorted(m["to"] for m in told) == ["ae@example.com", "writer@example.com"]
    with uow:
        done = uow.fixes.get(fix.id)
    assert done.status is FixStatus.SHIPPED
    assert done.lead_time == shipped - filed  # from the request's filing (R-FIX-3)


def test_a_fix_names_a_request_that_exists(uow: SqlUnitOfWork, now: datetime) -> None:
    author = add_person(uow, "support", now=now)
    cmd = SubmitFix.parse(title="Stream", kind="workaround", content="Page it", request_id=404)
    with pytest.raises(NotFound):
        act(uow, cmd, now=now, by=author.email, handler=fixes.submit_fix)


def test_the_requester_of_an_escalated_request_hears_when_its_escalations_work_closes(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    sales = add_person(uow, "sales", now=now, email="ae@example.com")
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now, by=sales.email)
    decided = act(uow, DecideRequest.parse(request_id=request.id, outcome="escalated",
                                           rationale="No workaround",
                                           eta=now + timedelta(days=5)),
                  now=now, by=manager.email, handler=triage.decide_request)  # fmt: skip
    esc_id = decided.decision.escalation_id
    act(uow, AddLink("escalation", esc_id, "https://github.com/acme/app/issues/8"), now=now,
        by=manager.email, handler=links.add_link)  # fmt: skip
    with tracker_server() as server:
        client = TrackerClient(Settings(database_url=database_url, github_api_url=server.base))
        server.answers["/repos/acme/app/issues/8"] = {"state": "closed"}
        assert links.sync_links(lambda: SqlUnitOfWork(engine), client, now) == 1
    with uow:
        dri = uow.people.get(uow.escalations.get(esc_id).dri_id).email
    told = {m["to"] for m in _outbox(engine, "link") if m["kind"] == "email.internal"}
    assert {"ae@example.com", dri} <= told
