"""What creating a follow-up's issue needs from a tracker (R-RCA-2): create one, and find one
an earlier attempt may have created, by the marker written in its text.

The adapters implement it over the trackers' REST APIs; the delivery worker's transport calls
it, so the HTTP client never runs inside a request or a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from escdesk.domain.tracker_issues import IssueTarget


@dataclass(frozen=True)
class CreatedIssue:
    url: str
    """The issue's page, as people open it (and as an engineering link parses it)."""
    key: str


class TrackerRefused(Exception):
    """The tracker did not create the issue. `permanent`: trying again cannot help until
    someone fixes something (a token, a project, a field the reason names)."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.permanent, self.retry_after = reason, permanent, retry_after


class IssueCreator(Protocol):
    def create(
        self, target: IssueTarget, title: str, lines: list[str], marker: str
    ) -> CreatedIssue: ...

    def find(self, target: IssueTarget, marker: str) -> CreatedIssue | None: ...
