"""A follow-up mirrored as a *new* issue in a tracker (R-RCA-2): where it goes and what it says.

Mirroring an existing issue only needs its URL; creating one needs a place — a Jira project, a
GitHub repository, a GitLab project — and a text. The request is an outbox message written in
the change that asks for it (nothing is sent inside a request); the worker creates the issue
and records its URL on the follow-up, after which the tracker sync marks the follow-up done
when the issue closes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain.engineering_links import Tracker
from escdesk.domain.errors import InvalidInput
from escdesk.domain.messages import MessageKind, OutboxMessage

_JIRA_PROJECT = re.compile(r"^[A-Z][A-Z0-9_]{0,29}$")
_GITHUB_REPO = re.compile(r"^[\w.-]{1,100}/[\w.-]{1,100}$")
_GITLAB_PROJECT = re.compile(r"^([1-9][0-9]{0,12}|[\w.-]+(/[\w.-]+)+)$")

PROJECT_WORDS = {
    Tracker.JIRA: ("a Jira project key", "e.g. APP"),
    Tracker.GITHUB: ("a GitHub repository", "e.g. acme/app"),
    Tracker.GITLAB: ("a GitLab project id or path", "e.g. 42 or acme/app"),
}


@dataclass(frozen=True)
class IssueTarget:
    """Where a new issue goes: the tracker, its project (Jira key, `owner/repo`, GitLab id or
    path) and, for Jira, the issue type's name."""

    tracker: Tracker
    project: str
    issue_type: str = "Task"

    @classmethod
    def of(cls, tracker: Tracker, project: str, issue_type: str = "Task") -> IssueTarget:
        """Checked here so a typo is refused at the command, not as a dead letter later."""
        text = (project or "").strip()
        pattern = {
            Tracker.JIRA: _JIRA_PROJECT,
            Tracker.GITHUB: _GITHUB_REPO,
            Tracker.GITLAB: _GITLAB_PROJECT,
        }[tracker]
        if not pattern.match(text):
            words, example = PROJECT_WORDS[tracker]
            raise InvalidInput("project", f"{text!r} is not {words}", f"Give one, {example}")
        kind = (issue_type or "").strip() or "Task"
        if len(kind) > 60:
            raise InvalidInput("issue_type", "is longer than 60 characters", "Use e.g. Task")
        return cls(tracker, text, kind)

    @property
    def destination(self) -> str:
        """The outbox destination: messages to one project keep their order."""
        return f"{self.tracker.value}:{self.project}"


def issue_request(
    target: IssueTarget,
    *,
    title: str,
    lines: list[str],
    retrospective_id: int,
    number: int,
    escalation_id: int,
) -> OutboxMessage:
    """The outbox message that asks the worker to create the issue; the transport adds the
    marker it finds a half-finished creation by (the message's idempotency key)."""
    payload: dict[str, Any] = {
        "tracker": target.tracker.value,
        "project": target.project,
        "issue_type": target.issue_type,
        "title": title,
        "lines": lines,
        "retrospective_id": retrospective_id,
        "follow_up": number,
        "escalation_id": escalation_id,
        "retrospective_path": f"/retrospectives/{retrospective_id}",
    }
    return OutboxMessage(MessageKind.TRACKER_ISSUE, target.destination, payload)


def issue_lines(
    *, escalation_id: int, number: int, owner: str, team: str, due_at: datetime
) -> list[str]:
    """The issue's text, one paragraph a line: where the action comes from and who owns it."""
    return [
        f"Follow-up action {number} of the retrospective of escalation ESC-{escalation_id}.",
        f"Owner: {owner} ({team}). Due: {due_at:%Y-%m-%d %H:%M} UTC.",
        "escdesk marks the action done when this issue closes.",
    ]
