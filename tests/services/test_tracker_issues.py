"""A follow-up mirrored as a new tracker issue (R-RCA-2), through the real store, the outbox and
the delivery worker, against the local server speaking the three trackers' create endpoints:
queued (never sent in the request), created once even when an answer is lost, refused in the
tracker's own words, recorded as the follow-up's link, and done when the issue closes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from escdesk.adapters.tracker_issues import TrackerIssueClient
from escdesk.adapters.trackers import TrackerClient
from escdesk.bootstrap import bootstrap
from escdesk.config import Settings
from escdesk.domain.engineering_links import Tracker
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.tracker_issues import IssueTarget
from escdesk.notify.tracker_issues import TrackerIssueTransport
from escdesk.notify.transport import DeliveryError, OutboundMessage
from escdesk.notify.worker import Worker
from escdesk.services import links, retrospectives
from escdesk.services.retrospectives import AddFollowUp, CreateTrackerIssue, RetroRef
from escdesk.services.tracker_ports import TrackerRefused
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.tables import EventRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.factories import act, add_person
from tests.services.tracker_server import TOKEN, tracker_server

TARGETS = {"github": "acme/app", "gitlab": "acme/app", "jira": "APP"}


def _settings(base: str, database_url: str, **values: Any) -> Settings:
    defaults: dict[str, Any] = {
        "github_api_url": base, "gitlab_api_url": f"{base}/api/v4", "jira_api_url": base,
        "github_token": TOKEN, "gitlab_token": TOKEN, "jira_token": TOKEN,
        "github_repo": "acme/app", "gitlab_project": "acme/app", "jira_project": "APP",
    }  # fmt: skip
    return Settings(database_url=database_url, **{**defaults, **values})


def _follow_up(uow: SqlUnitOfWork, now: datetime) -> int:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    owner = add_person(uow, "product", now=now, name="Priya Product")
    cmd = AddFollowUp(RetroRef(esc.id, True), "Refuse unpaged exports", owner.email,
                      now + timedelta(days=9))  # fmt: skip
    return act(uow, cmd, now=now, handler=retrospectives.add_follow_up).id  # type: ignore[no-any-return]


def _ask(uow: SqlUnitOfWork, retro_id: int, target: IssueTarget, now: datetime) -> None:
    cmd = CreateTrackerIssue(RetroRef(retro_id), 1, target)
    act(uow, cmd, now=now, handler=retrospectives.create_tracker_issue)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _worker(settings: Settings, engine: Engine, clock: Clock) -> Worker:
    desk = bootstrap(settings, engine=engine, clock=clock)
    return Worker(lambda: SqlUnitOfWork(engine), [desk.tracker_issues()], clock)


def _rows(engine: Engine) -> list[tuple[str, str, int, str | None]]:
    with SqlUnitOfWork(engine) as uow:
        rows = uow.session.execute(
            select(OutboxRow.state, OutboxRow.destination, OutboxRow.attempts,
                   OutboxRow.last_error).where(OutboxRow.kind == "tracker.create_issue")
        )  # fmt: skip
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _mirrored(uow: SqlUnitOfWork, retro_id: int) -> tuple[str | None, datetime | None]:
    with uow:
        item = uow.retrospectives.get(retro_id).follow_ups[0]
    return item.tracker_url, item.done_at


@pytest.mark.parametrize("tracker", ["github", "gitlab", "jira"])
def test_r_rca_2_a_follow_up_becomes_a_tracker_issue_and_is_done_when_it_closes(
    tracker: str, uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    retro_id = _follow_up(uow, now)
    with tracker_server() as server:
        settings = _settings(server.base, database_url)
        _ask(uow, retro_id, settings.issue_target(tracker), now)
        assert server.creations == 0  # queued, not sent inside the request
        assert _rows(engine) == [("pending", f"{tracker}:{TARGETS[tracker]}", 0, None)]
        clock = Clock(now)
        assert _worker(settings, engine, clock).run_once() == 1
        assert [i["tracker"] for i in server.created] == [tracker]
        issue = server.created[0]
        assert "Follow-up action 1 of the retrospective of escalation ESC-" in issue["text"]
        assert "Priya Product" in issue["text"]
        url, done = _mirrored(uow, retro_id)
        assert url == issue["url"] and done is None
        assert _rows(engine)[0][0] == "delivered"

        factory = lambda: SqlUnitOfWork(engine)  # noqa: E731
        status = TrackerClient(settings)
        assert links.sync_follow_ups(factory, status, now + timedelta(hours=1)) == 0
        server.close(issue["url"])
        assert links.sync_follow_ups(factory, status, now + timedelta(hours=2)) == 1
    assert _mirrored(uow, retro_id)[1] == now + timedelta(hours=2)
    if tracker == "jira":  # Atlassian Document Format, the summary and the issue type
        assert issue["description"]["type"] == "doc"
    with SqlUnitOfWork(engine) as reading:
        trail = list(reading.session.scalars(
            select(EventRow.type).where(EventRow.subject == "retrospective",
                                        EventRow.subject_id == retro_id)))  # fmt: skip
    assert "follow_up_tracker_requested" in trail and "follow_up_mirrored" in trail


def test_a_creation_whose_answer_was_lost_is_retried_and_found_not_duplicated(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    retro_id = _follow_up(uow, now)
    with tracker_server() as server:
        settings = _settings(server.base, database_url)
        _ask(uow, retro_id, settings.issue_target("github"), now)
        server.lose_answers = 1  # GitHub made the issue; the answer never came back
        clock = Clock(now)
        worker = _worker(settings, engine, clock)
        worker.run_once()
        state, _, attempts, error = _rows(engine)[0]
        assert (state, attempts) == ("failed", 1) and "502" in (error or "")
        assert len(server.created) == 1 and _mirrored(uow, retro_id)[0] is None
        clock.now = now + timedelta(hours=2)
        worker.run_once()
        assert _rows(engine)[0][0] == "delivered"
        assert server.creations == 1 and len(server.created) == 1  # found by its marker
    assert _mirrored(uow, retro_id)[0] == server.created[0]["url"]


def test_an_issue_recorded_in_the_journal_is_never_created_again(
    engine: Engine, database_url: str, now: datetime
) -> None:
    """The follow-up's transaction fails after the creation: the retry reads the journal."""
    calls: list[str] = []

    def flaky(retro_id: int, number: int, url: str) -> None:
        calls.append(url)
        if len(calls) == 1:
            raise RuntimeError("the database went away")

    with tracker_server() as server:
        settings = _settings(server.base, database_url)
        transport = TrackerIssueTransport(
            TrackerIssueClient(settings), NotifyStore(engine, lambda: now), flaky
        )
        message = OutboundMessage(
            7, "tracker.create_issue", "gitlab:acme/app", {"tracker": "gitlab",
            "project": "acme/app", "title": "Refuse unpaged exports", "lines": ["Why"],
            "retrospective_id": 1, "follow_up": 1}, "k" * 40, "retrospective", 1,
        )  # fmt: skip
        with pytest.raises(RuntimeError):
            transport.deliver(message)
        receipt = transport.deliver(message)
    assert server.creations == 1 and calls == [calls[0]] * 2
    assert receipt.data["key"] == "acme/app#1"


@pytest.mark.parametrize(
    ("tracker", "change", "code", "words"),
    [
        ("github", {"github_token": "wrong"}, 401, "Bad credentials"),
        ("github", {"github_repo": "acme/gone"}, 404, "Not Found"),
        ("gitlab", {"gitlab_token": "wrong"}, 401, "401 Unauthorized"),
        ("gitlab", {"gitlab_project": "acme/gone"}, 404, "404 Project Not Found"),
        ("jira", {"jira_project": "GONE"}, 400, "project: valid project is required"),
    ],
)
def test_a_refusal_of_the_tracker_is_a_dead_letter_in_its_own_words(
    tracker: str, change: dict[str, str], code: int, words: str,
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime,
) -> None:  # fmt: skip
    retro_id = _follow_up(uow, now)
    with tracker_server() as server:
        settings = _settings(server.base, database_url, **change)
        _ask(uow, retro_id, settings.issue_target(tracker), now)
        _worker(settings, engine, Clock(now)).run_once()
        assert server.created == []
    state, _, attempts, error = _rows(engine)[0]
    assert (state, attempts) == ("dead", 1)
    assert f"answered {code}" in (error or "") and words in (error or "")


@pytest.mark.parametrize(
    ("tracker", "words"),
    [
        ("github", "422: Validation Failed; title missing_field"),
        ("gitlab", "400: title is missing"),
        ("jira", "400: summary: You must specify a summary of the issue."),
    ],
)
def test_validation_errors_are_permanent_and_named(
    tracker: str, words: str, database_url: str
) -> None:
    with tracker_server() as server:
        settings = _settings(server.base, database_url)
        client = TrackerIssueClient(settings)
        with pytest.raises(TrackerRefused) as refused:
            client.create(settings.issue_target(tracker), " ", ["text"], "m" * 40)
    assert refused.value.permanent and words in refused.value.reason


def test_a_missing_setting_is_named_before_anything_is_queued(database_url: str) -> None:
    bare = Settings(database_url=database_url)
    with pytest.raises(InvalidInput) as none:
        bare.issue_target(None)
    assert none.value.field == "tracker" and "ESCDESK_GITHUB_REPO" in none.value.fix
    with pytest.raises(InvalidInput) as project:
        bare.issue_target("github")
    assert project.value.field == "project" and "ESCDESK_GITHUB_REPO" in project.value.fix
    with pytest.raises(InvalidInput) as token:
        Settings(database_url=database_url, gitlab_project="acme/app").issue_target(None)
    assert token.value.field == "gitlab_token" and "ESCDESK_GITLAB_TOKEN" in token.value.fix
    with pytest.raises(InvalidInput) as site:
        Settings(database_url=database_url, jira_token="t").issue_target("jira", "APP")
    assert site.value.field == "jira_api_url"
    with pytest.raises(InvalidInput) as typo:
        Settings(database_url=database_url, github_token="t").issue_target("github", "acme")
    assert typo.value.field == "project"


def test_an_issue_is_asked_once_and_never_for_a_mirrored_follow_up(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    retro_id = _follow_up(uow, now)
    target = IssueTarget.of(Tracker.GITHUB, "acme/app")
    _ask(uow, retro_id, target, now)
    with pytest.raises(StateRefused):
        _ask(uow, retro_id, target, now)
    assert len(_rows(engine)) == 1
    act(uow, retrospectives.RecordTrackerIssue(retro_id, 1, "https://github.com/acme/app/issues/4"),
        now=now, handler=retrospectives.record_tracker_issue)  # fmt: skip
    with pytest.raises(InvalidInput) as again:
        _ask(uow, retro_id, target, now)
    assert "already mirrored" in again.value.problem


def test_the_transport_refuses_a_message_without_a_project(engine: Engine, now: datetime) -> None:
    transport = TrackerIssueTransport(
        TrackerIssueClient(Settings()), NotifyStore(engine, lambda: now), lambda *a: None
    )
    message = OutboundMessage(1, "tracker.create_issue", "github:", {"tracker": "github"}, "k")
    with pytest.raises(DeliveryError) as bad:
        transport.deliver(message)
    assert bad.value.permanent
