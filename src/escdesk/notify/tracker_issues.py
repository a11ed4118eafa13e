"""Kind `tracker.create_issue`: a follow-up mirrored as a new Jira, GitHub or GitLab issue.

Destination: `tracker:project`. Payload: `tracker`, `project`, `issue_type`, `title`, `lines`
(paragraphs), `retrospective_id`, `follow_up` (its number), `retrospective_path`.

Exactly one issue per message, although delivery is at least once and none of the three APIs
takes an idempotency key for creating issues. Two guards, both keyed by the message:

1. The created issue is recorded in the delivery journal *before* the message is
   acknowledged, and before the follow-up is told: a retry after that point (the follow-up's
   transaction failed, the worker died before the outbox row was marked) reads the journal and
   never calls the tracker again.
2. The only gap left is a creation that reached the tracker but whose answer was lost (a
   timeout, a 502 from a proxy, a worker killed mid-request). The journal shows the step begun
   and not finished; the retry then looks the issue up first by the marker every issue carries
   in its text — the outbox idempotency key — and creates one only if none has it.
"""

from __future__ import annotations

from collections.abc import Callable

from escdesk.domain.engineering_links import Tracker
from escdesk.domain.errors import InvalidInput
from escdesk.domain.messages import MessageKind
from escdesk.domain.tracker_issues import IssueTarget
from escdesk.notify.ports import DeliveryJournal
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt, require
from escdesk.services.tracker_ports import CreatedIssue, IssueCreator, TrackerRefused

STEP = "tracker.issue"

RecordIssue = Callable[[int, int, str], object]
"""(retrospective id, follow-up number, issue URL): the follow-up is mirrored in it."""


class TrackerIssueTransport:
    kinds = frozenset({MessageKind.TRACKER_ISSUE.value})

    def __init__(
        self,
        creator: IssueCreator,
        journal: DeliveryJournal,
        record: RecordIssue,
        *,
        base_url: str = "",
    ) -> None:
        self.creator = creator
        self.journal = journal
        self.record = record
        self.base_url = base_url.rstrip("/")

    def deliver(self, message: OutboundMessage) -> Receipt:
        p = message.payload
        try:
            tracker = Tracker(require(p, "tracker", message))
            target = IssueTarget.of(
                tracker, require(p, "project", message), p.get("issue_type", "")
            )
        except (ValueError, InvalidInput) as bad:
            raise DeliveryError(f"message {message.id}: {bad}", permanent=True) from None
        lines = [str(line) for line in p.get("lines") or []]
        if self.base_url and p.get("retrospective_path"):
            lines.append(f"Retrospective: {self.base_url}{p['retrospective_path']}")
        issue = self._issue(message, target, str(require(p, "title", message)), lines)
        retro_id = int(require(p, "retrospective_id", message))
        self.record(retro_id, int(require(p, "follow_up", message)), issue.url)
        return Receipt({"url": issue.url, "key": issue.key})

    def _issue(
        self, message: OutboundMessage, target: IssueTarget, title: str, lines: list[str]
    ) -> CreatedIssue:
        done = self.journal.done(message.id, STEP)
        if done is not None:
            return CreatedIssue(str(done["url"]), str(done["key"]))
        marker = message.idempotency_key
        try:
            found = None
            if self.journal.begin(message.id, STEP):  # an earlier try may have reached it
                found = self.creator.find(target, marker)
            issue = found or self.creator.create(target, title, lines, marker)
        except TrackerRefused as refused:
            raise DeliveryError(
                f"{target.tracker.value} {target.project}: {refused.reason}",
                permanent=refused.permanent,
                retry_after=refused.retry_after,
            ) from refused
        self.journal.finish(message.id, STEP, {"url": issue.url, "key": issue.key})
        return issue
