"""What the domain records besides state: audit events (R-ESC-11), one registry of their types.

Events are collected on the aggregate while a command runs and saved by the store in the same
transaction as the state they describe (with the outbox messages of `domain.messages`), so state,
trail and notifications never disagree. The audit replay, the web history and the API read the
event types from `EVENT_TYPES` here, never from a list of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """One append-only line of the audit trail."""

    type: str
    at: datetime
    actor_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


ESCALATION_EVENTS: dict[str, str] = {
    "opened": "opened the escalation",
    "activated": "started work",
    "update_posted": "posted an update",
    "severity_changed": "changed the severity",
    "owner_changed": "changed an owner",
    "eta_changed": "changed the ETA",
    "customer_summary_set": "set what the customer reads the escalation is about",
    "exit_criterion_added": "added an exit criterion",
    "exit_criterion_done": "ticked an exit criterion",
    "exit_criterion_undone": "unticked an exit criterion",
    "exit_criterion_waived": "waived an open exit criterion at closing",
    "moved_to_monitoring": "moved it to monitoring",
    "closed": "closed the escalation",
    "reopened": "reopened the escalation",
    "status_page_published": "published the customer status page",
    "status_page_unpublished": "withdrew the customer status page",
    "clock_paused": "paused the customer-update clock: waiting on the customer",
    "clock_resumed": "resumed the customer-update clock: the customer answered",
    "standup_set": "set up the internal standup cadence",
    "reminder_snoozed": "snoozed the reminders about a due update",
    "customer_replied": "received the customer's e-mail reply",
}
"""What an escalation's trail records; webhook subscribers ask for them as `escalation.<type>`."""

OTHER_EVENTS: dict[str, str] = {
    "account_added": "added the account",
    "marked_at_risk": "marked the account at risk",  # before 0022: escdesk did, at opening
    "account_edited": "edited the account",
    "sentiment_set": "set the account's sentiment",
    "contact_added": "added a customer contact",
    "contact_removed": "removed a customer contact",
    "person_added": "added the person",
    "password_set": "set a password",
    "calendar_feed_published": "published a calendar feed",
    "calendar_feed_rotated": "replaced the calendar feed's link",
    "calendar_feed_withdrawn": "withdrew the calendar feed",
    "token_created": "created an API token",
    "token_revoked": "revoked an API token",
    "webhook_added": "added a webhook subscription",
    "webhook_removed": "removed a webhook subscription",
    "delivery_retried": "sent a failed message again",
    "sign_in_throttled": "paused sign-in after wrong passwords",
    "issue_confirmed": "confirmed the recurring issue",
    "issue_renamed": "renamed the recurring issue",
    "issue_linked_escalation": "linked an escalation to the recurring issue",
    "issue_fixed": "recorded the fix of the recurring issue",
    "issue_merged": "merged recurring issues",
    "issue_absorbed": "was merged into another recurring issue",
    "issue_split": "split the recurring issue",
    "issue_split_from": "was split off another recurring issue",
    "issue_ticket_added": "added a ticket to the recurring issue",
    "ranker_trained": "re-trained the similar-tickets ranker on the team's links",
    "ranker_chosen": "put a re-trained similar-tickets ranker in use",
    "ranker_reset": "went back to the shipped similar-tickets ranker",
    "request_filed": "filed the escalation request",
    "request_decided": "recorded the triage decision",
    "request_withdrawn": "withdrew the escalation request",
    # After the escalation (R-RCA-1/2, R-FIX-1/2): retrospectives, fixes, interim releases.
    "retrospective_opened": "opened the retrospective",
    "timeline_annotated": "annotated the timeline",
    "missed_opportunity_added": "added a missed opportunity",
    "retrospective_described": "described the root cause",
    "follow_up_added": "added a follow-up action",
    "follow_up_done": "finished a follow-up action",
    "follow_up_reopened": "reopened a follow-up action",
    "follow_up_reminded": "reminded the owner of a follow-up action",
    "follow_up_tracker_requested": "asked for a tracker issue mirroring a follow-up action",
    "follow_up_mirrored": "mirrored a follow-up action in a tracker issue",
    "retrospective_completed": "completed the retrospective",
    "retrospective_reminded": "reminded the DRI of the overdue retrospective",
    "fix_submitted": "attached a fix",
    "fix_reviewed": "reviewed the fix",
    "fix_revised": "revised the fix",
    "fix_shipped": "shipped the fix",
    "release_planned": "planned the interim release",
    "release_fix_added": "added a fix to the release",
    "release_fix_removed": "took a fix out of the release",
    "release_ranked": "reordered the release",
    "release_shipped": "shipped the interim release",
    "link_added": "linked engineering work",
    "link_removed": "removed an engineering link",
    "link_state_changed": "saw the engineering work change state",
    # Service clocks (R-SLA-1…3).
    "calendar_added": "added a working calendar",
    "calendar_default_set": "made a working calendar the default",
    "account_calendar_set": "gave the account a working calendar",
    # The satisfaction survey at closing (R-SLA-4); its subject is the survey.
    "survey_sent": "asked the customer contact how satisfied they are",
    "survey_answered": "answered the satisfaction survey",
}
"""What the trails of other subjects record (accounts, people, tokens, recurring issues, …)."""

EVENT_TYPES: dict[str, str] = {**ESCALATION_EVENTS, **OTHER_EVENTS}
"""Every audit event type and how a sentence about it reads (subject: whoever acted). The store
refuses to write an event whose type is not here, so the registry cannot fall behind."""
