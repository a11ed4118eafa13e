"""Engineering links through the real store, synced against a local server speaking the
trackers' endpoints: a closed issue tells everyone waiting once; a failing tracker changes
nothing; a linked escalation has reached Engineering and gets a retrospective."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from escdesk.adapters.trackers import TrackerClient
from escdesk.config import Settings
from escdesk.domain.engineering_links import LinkState
from escdesk.domain.errors import InvalidInput
from escdesk.services import links as service
from escdesk.services import retrospectives
from escdesk.services.links import AddLink, ListLinks
from escdesk.services.retrospectives import AddFollowUp, RetroRef
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.factories import act, add_person, ask, open_escalation
from tests.services.tracker_server import tracker_server


def _notices(engine: Engine) -> list[tuple[str, str]]:
    with SqlUnitOfWork(engine) as uow:
        rows = uow.session.execute(
            select(OutboxRow.kind, OutboxRow.destination)
            .where(OutboxRow.subject_type == "link")
            .order_by(OutboxRow.id)
        )
        return [(k, d) for k, d in rows]


def _settings(base: str, database_url: str, **values: Any) -> Settings:
    return Settings(
        database_url=database_url,
        github_api_url=base,
        gitlab_api_url=f"{base}/api/v4",
        jira_api_url=base,
        **values,
    )


def test_a_linked_escalation_reached_engineering_and_gets_a_retrospective(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    with pytest.raises(InvalidInput):
        act(uow, AddLink("escalation", esc.id, "https://github.com/acme"), now=now,
            handler=service.add_link)  # fmt: skip
    act(uow, AddLink("escalation", esc.id, "https://github.com/acme/app/issues/5"), now=now,
        handler=service.add_link)  # fmt: skip
    shown = ask(uow, service.list_links, ListLinks("escalation", esc.id))
    assert [(link.parsed.tracker.value, link.parsed.key) for link in shown] == [
        ("github", "acme/app#5")
    ]
    to_monitoring(uow, esc, now=now + timedelta(hours=1))
    with uow:
        assert uow.retrospectives.for_escalation(esc.id) is not None


def test_sync_reads_the_three_trackers_and_closes_the_loop_once(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    urls = [
        "https://github.com/acme/app/pull/9",
        "https://gitlab.com/acme/app/-/issues/3",
        "https://acme.atlassian.net/browse/APP-7",
    ]
    for url in urls:
        act(uow, AddLink("escalation", esc.id, url), now=now, handler=service.add_link)
    with tracker_server() as server:
        server.answers = {
            "/repos/acme/app/pulls/9": {"state": "open", "merged": False},
            "/api/v4/projects/acme/app/issues/3": {"state": "opened"},
            "/rest/api/2/issue/APP-7": {"fields": {"status": {
                "name": "In Progress", "statusCategory": {"key": "indeterminate"}}}},
        }  # fmt: skip
        client = TrackerClient(_settings(server.base, database_url, github_token="ghp_secret",
                                         gitlab_token="glpat-secret", jira_token="jt"))  # fmt: skip
        factory = lambda: SqlUnitOfWork(engine)  # noqa: E731
        assert service.sync_links(factory, client, now) == 3  # unknown → open
        assert _notices(engine) == []
        server.answers["/repos/acme/app/pulls/9"] = {"state": "closed", "merged": True}
        server.answers["/rest/api/2/issue/APP-7"] = {
            "fields": {"status": {"name": "Done", "statusCategory": {"key": "done"}}}
        }
        later = now + timedelta(hours=1)
        assert service.sync_links(factory, client, later) == 2
        assert service.sync_links(factory, client, later + timedelta(hours=1)) == 0
        auth = {path: (bearer, private) for path, bearer, private in server.seen}
    assert auth["/repos/acme/app/pulls/9"] == ("Bearer ghp_secret", None)
    assert auth["/api/v4/projects/acme/app/issues/3"] == (None, "glpat-secret")
    assert auth["/rest/api/2/issue/APP-7"] == ("Bearer jt", None)

    with uow:
        dri = uow.people.get(esc.dri_id).email
        states = {link.parsed.key: link.state for link in uow.links.of("escalation", esc.id)}
    assert states == {
        "acme/app#9": LinkState.CLOSED, "acme/app#3": LinkState.OPEN, "APP-7": LinkState.CLOSED,
    }  # fmt: skip
    told = _notices(engine)
    assert ("email.internal", dri) in told and ("slack.announce", esc.channel) in told
    assert sorted(told) == sorted([("email.internal", dri), ("slack.announce", esc.channel)] * 2)


def test_a_tracker_that_fails_changes_nothing(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    act(uow, AddLink("escalation", esc.id, "https://github.com/acme/app/issues/404"), now=now,
        handler=service.add_link)  # fmt: skip
    with tracker_server() as server:
        client = TrackerClient(_settings(server.base, database_url))
        assert service.sync_links(lambda: SqlUnitOfWork(engine), client, now) == 0
    with uow:
        assert uow.links.of("escalation", esc.id)[0].state is LinkState.UNKNOWN


def test_r_rca_2_a_follow_up_mirrored_in_a_tracker_is_done_when_its_issue_closes(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    owner = add_person(uow, "product", now=now)
    ref = RetroRef(esc.id, True)
    with pytest.raises(InvalidInput) as bad:
        act(uow, AddFollowUp(ref, "Fix it", owner.email, now + timedelta(days=9),
                             tracker_url="https://example.com/x"),
            now=now, handler=retrospectives.add_follow_up)  # fmt: skip
    assert bad.value.field == "url"
    mirrored = "https://acme.atlassian.net/browse/APP-41"
    cmd = AddFollowUp(
        ref, "Refuse unpaged exports", owner.email, now + timedelta(days=9), tracker_url=mirrored
    )
    act(uow, cmd, now=now, handler=retrospectives.add_follow_up)
    factory = lambda: SqlUnitOfWork(engine)  # noqa: E731
    with tracker_server() as server:
        client = TrackerClient(_settings(server.base, database_url))
        server.answers["/rest/api/2/issue/APP-41"] = {"fields": {"status": {
            "name": "In Review", "statusCategory": {"key": "indeterminate"}}}}  # fmt: skip
        assert service.sync_follow_ups(factory, client, now + timedelta(days=1)) == 0
        server.answers["/rest/api/2/issue/APP-41"] = {"fields": {"status": {
            "name": "Done", "statusCategory": {"key": "done"}}}}  # fmt: skip
        assert service.sync_follow_ups(factory, client, now + timedelta(days=2)) == 1
        assert service.sync_follow_ups(factory, client, now + timedelta(days=3)) == 0
    with uow:
        item = uow.retrospectives.for_escalation(esc.id).follow_ups[0]  # type: ignore[union-attr]
    assert item.done_at == now + timedelta(days=2) and item.tracker_url == mirrored
