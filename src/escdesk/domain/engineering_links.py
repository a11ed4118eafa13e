"""Engineering links: an escalation, a request or a recurring issue points at the tracker work
that fixes it — a Jira issue, a GitHub issue or pull request, a GitLab issue or merge request.

A link is given as the URL people copy from their browser; it is parsed here into the tracker,
its key as the tracker writes it (`PROJ-12`, `acme/app#12`, `group/app!7`) and what it is, so a
typo is refused at once and the pages can show the key instead of a long URL. An escalation
with a link has reached Engineering (R-RCA-1) and gets a retrospective.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qs, urlsplit

from escdesk.domain.errors import InvalidInput
from escdesk.domain.events import Event
from escdesk.domain.messages import MessageKind, OutboxMessage, Template


class Tracker(StrEnum):
    JIRA = "jira"
    GITHUB = "github"
    GITLAB = "gitlab"


class LinkKind(StrEnum):
    ISSUE = "issue"
    PULL_REQUEST = "pull_request"
    MERGE_REQUEST = "merge_request"


class LinkState(StrEnum):
    UNKNOWN = "unknown"  # not synced yet, or the tracker is not configured
    OPEN = "open"
    CLOSED = "closed"  # done, fixed, merged


@dataclass(frozen=True)
class ParsedLink:
    tracker: Tracker
    kind: LinkKind
    key: str
    url: str
    site: str
    """scheme://host of the tracker, where its REST API lives unless configured otherwise."""
    project: str = ""
    number: str = ""


_JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,29}-[1-9][0-9]{0,9}$")
_GITHUB = re.compile(r"^/([\w.-]+)/([\w.-]+)/(issues|pull)/([1-9][0-9]{0,9})/?$")
_GITLAB = re.compile(r"^/(.+?)/-/(issues|merge_requests)/([1-9][0-9]{0,9})/?$")


def _refuse(url: str) -> InvalidInput:
    return InvalidInput(
        "url",
        f"{url!r} is not a Jira, GitHub or GitLab issue, pull or merge request link",
        "Paste it from the browser, e.g. https://github.com/acme/app/issues/12, "
        "https://gitlab.com/acme/app/-/merge_requests/7 or https://acme.atlassian.net/browse/APP-3",
    )


def parse_link(value: str) -> ParsedLink:
    """The tracker, kind and key of an issue or pull/merge request URL, or InvalidInput."""
    url = (value or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise _refuse(url)
    site = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    if parts.hostname in ("github.com", "www.github.com"):
        match = _GITHUB.match(path)
        if not match:
            raise _refuse(url)
        owner, repo, what, number = match.groups()
        kind = LinkKind.ISSUE if what == "issues" else LinkKind.PULL_REQUEST
        project = f"{owner}/{repo}"
        return ParsedLink(Tracker.GITHUB, kind, f"{project}#{number}", url, site, project, number)
    gitlab = _GITLAB.match(path)
    if gitlab:
        project, what, number = gitlab.groups()
        kind = LinkKind.ISSUE if what == "issues" else LinkKind.MERGE_REQUEST
        mark = "#" if kind is LinkKind.ISSUE else "!"
        return ParsedLink(
            Tracker.GITLAB, kind, f"{project}{mark}{number}", url, site, project, number
        )
    key = _jira_key(path, parts.query)
    if key is not None:
        return ParsedLink(Tracker.JIRA, LinkKind.ISSUE, key, url, site, key.split("-")[0], key)
    raise _refuse(url)


def _jira_key(path: str, query: str) -> str | None:
    """`/browse/KEY-1`, `/jira/software/…/issues/KEY-1` or `?selectedIssue=KEY-1`."""
    segments = [s for s in path.split("/") if s]
    if (
        len(segments) >= 2
        and segments[-2] in ("browse", "issues")
        and _JIRA_KEY.match(segments[-1])
    ):
        return segments[-1]
    selected = parse_qs(query).get("selectedIssue", [])
    if selected and _JIRA_KEY.match(selected[0]):
        return selected[0]
    return None


def subject_label(subject_type: str, subject_id: int) -> str:
    """How people name what work is attached to: ESC-12, REQ-3, recurring issue 4."""
    if subject_type == "escalation":
        return f"ESC-{subject_id}"
    if subject_type == "request":
        return f"REQ-{subject_id}"
    return f"{subject_type.replace('_', ' ')} {subject_id}"


@dataclass
class EngineeringLink:
    """A link from an escalation, a request or a recurring issue (`subject_type`,
    `subject_id`)."""

    subject_type: str
    subject_id: int
    parsed: ParsedLink
    created_at: datetime
    created_by: int | None = None
    state: LinkState = LinkState.UNKNOWN
    remote_status: str | None = None
    checked_at: datetime | None = None
    closed_at: datetime | None = None
    id: int | None = None
    version: int = 1
    """Counts the states seen; the outbox keys of a state's notices derive from it."""
    pending_events: list[Event] = field(default_factory=list, repr=False)
    pending_messages: list[OutboxMessage] = field(default_factory=list, repr=False)

    def observe(
        self,
        state: LinkState,
        remote_status: str,
        *,
        waiting: list[str],
        channels: list[str],
        now: datetime,
    ) -> bool:
        """What the tracker said; when the work closes, everyone waiting is told once
        ("closing the loop"). True when the state changed."""
        self.checked_at, self.remote_status = now, remote_status[:80]
        if state is self.state:
            return False
        before, self.state = self.state, state
        self.version += 1
        self.pending_events.append(
            Event("link_state_changed", now, None, {"from": before.value, "to": state.value})
        )
        if state is LinkState.CLOSED:
            self.closed_at = now
            self._tell(waiting, channels)
        return True

    def _tell(self, waiting: list[str], channels: list[str]) -> None:
        p = self.parsed
        about = subject_label(self.subject_type, self.subject_id)
        text = f"{p.tracker.value.capitalize()} {p.key} for {about} is closed: {p.url}"
        for address in sorted(set(waiting)):
            payload: dict[str, Any] = {
                "audience": "internal",
                "subject": f"{p.key} is closed ({about})",
                "body": text,
            }
            self.pending_messages.append(
                OutboxMessage(MessageKind.INTERNAL_EMAIL, address, payload, Template.NOTICE)
            )
        for channel in sorted(set(channels)):
            self.pending_messages.append(
                OutboxMessage(MessageKind.ANNOUNCE, channel, {"text": text}, Template.NOTICE)
            )
