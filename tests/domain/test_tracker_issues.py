"""A follow-up mirrored as a new tracker issue, in the domain alone (R-RCA-2): the target is
checked, the request is one outbox message of the change, asked once, recorded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from escdesk.domain.engineering_links import Tracker
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.messages import MessageKind
from escdesk.domain.retrospective import Retrospective
from escdesk.domain.tracker_issues import IssueTarget

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _retro() -> Retrospective:
    retro = Retrospective.open(12, trigger="monitoring", by_id=1, now=NOW)
    retro.id = 3
    retro.add_follow_up("Add the test", owner_id=5, team="product",
                        due_at=NOW + timedelta(days=3), by_id=1, now=NOW)  # fmt: skip
    retro.pending_messages.clear()
    return retro


@pytest.mark.parametrize(
    ("tracker", "project"),
    [(Tracker.JIRA, "APP"), (Tracker.GITHUB, "acme/app"), (Tracker.GITLAB, "42"),
     (Tracker.GITLAB, "group/sub/app")],
)  # fmt: skip
def test_a_target_is_a_project_its_tracker_can_have(tracker: Tracker, project: str) -> None:
    assert IssueTarget.of(tracker, project).destination == f"{tracker.value}:{project}"


@pytest.mark.parametrize(
    ("tracker", "project"),
    [(Tracker.JIRA, "app"), (Tracker.JIRA, "APP-1"), (Tracker.GITHUB, "acme"),
     (Tracker.GITHUB, "acme/app/x"), (Tracker.GITLAB, ""), (Tracker.GITLAB, "app")],
)  # fmt: skip
def test_a_project_its_tracker_cannot_have_is_refused_naming_the_project(
    tracker: Tracker, project: str
) -> None:
    with pytest.raises(InvalidInput) as bad:
        IssueTarget.of(tracker, project)
    assert bad.value.field == "project"


def test_asking_queues_one_message_naming_the_follow_up_and_refuses_a_second_ask() -> None:
    retro = _retro()
    target = IssueTarget.of(Tracker.JIRA, "APP", "Bug")
    retro.ask_tracker_issue(1, target, owner="Priya", by_id=1, now=NOW)
    [message] = retro.pending_messages
    assert message.kind is MessageKind.TRACKER_ISSUE and message.destination == "jira:APP"
    assert message.payload["title"] == "Add the test" and message.payload["issue_type"] == "Bug"
    assert (message.payload["retrospective_id"], message.payload["follow_up"]) == (3, 1)
    assert any("Priya" in line for line in message.payload["lines"])
    assert retro.pending_events[-1].type == "follow_up_tracker_requested"
    with pytest.raises(StateRefused):
        retro.ask_tracker_issue(1, target, owner="Priya", by_id=1, now=NOW)


def test_recording_the_created_issue_twice_records_it_once() -> None:
    retro = _retro()
    url = "https://acme.atlassian.net/browse/APP-9"
    assert retro.record_tracker_issue(1, url, now=NOW)
    assert not retro.record_tracker_issue(1, url, now=NOW)
    assert retro.follow_ups[0].tracker_url == url
    assert [e.type for e in retro.pending_events].count("follow_up_mirrored") == 1
    with pytest.raises(InvalidInput):  # mirrored already: nothing to create
        retro.ask_tracker_issue(1, IssueTarget.of(Tracker.JIRA, "APP"), owner="P", by_id=1,
                                now=NOW)  # fmt: skip


def test_a_done_follow_up_or_a_wrong_number_is_refused() -> None:
    retro = _retro()
    target = IssueTarget.of(Tracker.GITHUB, "acme/app")
    with pytest.raises(InvalidInput) as missing:
        retro.ask_tracker_issue(2, target, owner="P", by_id=1, now=NOW)
    assert missing.value.field == "follow_up"
    retro.mark_follow_up(1, True, by_id=1, now=NOW)
    with pytest.raises(InvalidInput):
        retro.ask_tracker_issue(1, target, owner="P", by_id=1, now=NOW)
