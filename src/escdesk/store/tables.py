"""The database tables, as typed SQLAlchemy 2 mappings. Domain objects never see these."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from escdesk.services.request_context import current_request_id
from escdesk.store.types import JsonColumn, UTCDateTime

# BIGINT on PostgreSQL, but INTEGER on SQLite so the column is the rowid alias and autoincrements.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JsonColumn}


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    roles: Mapped[list[str]] = mapped_column(JsonColumn)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    tier: Mapped[str] = mapped_column(String(20))
    arr: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    deal_size: Mapped[int | None] = mapped_column(BigInteger)
    csm_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    services_project: Mapped[str | None] = mapped_column(String(200))
    services_pm_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    sentiment: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class EscalationRow(Base):
    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    customer: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(200))
    initial_ask: Mapped[str] = mapped_column(Text)
    required_skills: Mapped[list[str]] = mapped_column(JsonColumn)
    product_related: Mapped[bool] = mapped_column(Boolean)
    dri_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    product_dri_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    product_leader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    eta: Mapped[datetime | None]
    agreed_by: Mapped[str | None] = mapped_column(String(200))
    agreed_at: Mapped[datetime | None]
    agreed_via: Mapped[str | None] = mapped_column(String(20))
    rca_reference: Mapped[str | None] = mapped_column(String(500))
    opened_at: Mapped[datetime]
    cadence_start: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    next_internal_update_due: Mapped[datetime | None]
    next_customer_update_due: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    updates: Mapped[list[UpdateRow]] = relationship(order_by="UpdateRow.id")
    exit_criteria: Mapped[list[ExitCriterionRow]] = relationship(order_by="ExitCriterionRow.id")
    eta_changes: Mapped[list[EtaChangeRow]] = relationship(order_by="EtaChangeRow.id")
    owner_changes: Mapped[list[OwnerChangeRow]] = relationship(order_by="OwnerChangeRow.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_escalations_status_severity", "status", "severity"),
        Index("ix_escalations_account", "account_id"),
        Index("ix_escalations_dri", "dri_id"),
    )


class UpdateRow(Base):
    __tablename__ = "escalation_updates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    posted_at: Mapped[datetime]


class ExitCriterionRow(Base):
    __tablename__ = "exit_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(Boolean)
    done_at: Mapped[datetime | None]


class EtaChangeRow(Base):
    __tablename__ = "eta_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    changed_at: Mapped[datetime]
    old_eta: Mapped[datetime | None]
    new_eta: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class OwnerChangeRow(Base):
    __tablename__ = "owner_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    old_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    new_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    changed_at: Mapped[datetime]


class EventRow(Base):
    """The append-only audit trail; triggers refuse UPDATE and DELETE (see the migration)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_events_subject", "subject", "subject_id", "id"),)


class OutboxRow(Base):
    """Notifications waiting for delivery, written in the transaction of the change (R-OPS-3)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    destination: Mapped[str] = mapped_column(String(320))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    subject_type: Mapped[str] = mapped_column(String(40), default="escalation")
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    next_attempt_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    receipt: Mapped[dict[str, Any] | None]
    # The request that queued the message, for the worker's log lines (written by default).
    request_id: Mapped[str | None] = mapped_column(String(64), default=current_request_id)

    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_destination", "destination", "id"),
        Index("ix_outbox_subject", "subject_type", "subject_id"),
    )


# ---------------------------------------------------------------------- access (R-OPS-2)
class PasswordRow(Base):
    """A person's argon2 password hash; people without a row cannot sign in."""

    __tablename__ = "passwords"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime]


class SessionRow(Base):
    """A browser session; only the SHA-256 digest of its cookie is kept."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiTokenRow(Base):
    """A machine's API token acting with one role; only its SHA-256 digest is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class StatusPageRow(Base):
    """A published customer status page: the unguessable link is the only key to it."""

    __tablename__ = "status_pages"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    published_at: Mapped[datetime]


# ---------------------------------------------------------------------- recurring issues (R-REC)
class TicketImportRow(Base):
    """One run of `tickets import`. Each ticket carries the run that last wrote it, so the
    similarity index can tell which tickets are newer than itself."""

    __tablename__ = "ticket_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime]
    written: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)


class TicketRow(Base):
    """A helpdesk ticket; re-importing the same (source, external_id) updates it in place."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    account: Mapped[str | None] = mapped_column(Text)
    product_area: Mapped[str | None] = mapped_column(Text)
    component: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    solved_at: Mapped[datetime | None]
    tags: Mapped[list[str]] = mapped_column(JsonColumn)
    import_id: Mapped[int] = mapped_column(ForeignKey("ticket_imports.id"))

    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_tickets_source_external_id"),
        # Helpdesk ids are looked up without their source ("similar 4711"), and the index
        # names a ticket by its bare id unless another source used that id first.
        Index("ix_tickets_external_id", "external_id"),
        Index("ix_tickets_import", "import_id"),
        Index("ix_tickets_created", "created_at"),
    )


class RecurringIssueRow(Base):
    __tablename__ = "recurring_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    named: Mapped[bool] = mapped_column(Boolean)
    fix_reference: Mapped[str | None] = mapped_column(String(500))
    release: Mapped[str | None] = mapped_column(String(200))
    fixed_at: Mapped[datetime | None]
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("recurring_issues.id"))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class IssueTicketRow(Base):
    """Clustering's record of a ticket: the cluster it joined (named by the cluster's first
    ticket), through which earlier ticket, and the recurring issue the cluster became, if any.
    A ticket without a row has not been clustered yet."""

    __tablename__ = "issue_tickets"

    ticket_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tickets.id"), primary_key=True, autoincrement=False
    )
    cluster_id: Mapped[int] = mapped_column(BigId)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("recurring_issues.id"))
    neighbour_id: Mapped[int | None] = mapped_column(BigId)
    similarity: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("ix_issue_tickets_issue", "issue_id"),
        Index("ix_issue_tickets_cluster", "cluster_id"),
    )


class IssueEscalationRow(Base):
    """R-REC-3: a recurring issue linked to the escalations it caused."""

    __tablename__ = "issue_escalations"

    issue_id: Mapped[int] = mapped_column(ForeignKey("recurring_issues.id"), primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id"), primary_key=True, index=True
    )


# ---------------------------------------------------------------------- delivery (R-OPS-3)
class CustomerContactRow(Base):
    """Someone at a customer who receives customer-facing updates by e-mail."""

    __tablename__ = "customer_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(35))
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("account_id", "email", name="uq_customer_contacts_account_email"),
        # The e-mail transport asks "is this a customer's address?" before every internal mail.
        Index("ix_customer_contacts_email", "email"),
    )


class SlackChannelRow(Base):
    """R-ESC-12: the one Slack channel of an escalation, by the id Slack gave it."""

    __tablename__ = "slack_channels"

    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id"), primary_key=True, autoincrement=False
    )
    channel_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    archived_at: Mapped[datetime | None]


class DeliveryStepRow(Base):
    """A step of a delivery that talks to a peer several times (create, invite, post, pin)."""

    __tablename__ = "delivery_steps"

    message_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    data: Mapped[dict[str, Any]]


class EmailThreadRow(Base):
    """The Message-ID each outbox message has in its thread (one escalation, one recipient)."""

    __tablename__ = "email_threads"

    thread: Mapped[str] = mapped_column(String(400), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    header_id: Mapped[str] = mapped_column(String(250))
    placed_at: Mapped[datetime]


class CalendarSeriesRow(Base):
    """A standup's recurring event as last sent: its SEQUENCE and who holds the invitation."""

    __tablename__ = "calendar_series"

    uid: Mapped[str] = mapped_column(String(200), primary_key=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    last_message_id: Mapped[int] = mapped_column(BigInteger)
    cadence: Mapped[dict[str, Any]]
    attendees: Mapped[list[str]] = mapped_column(JsonColumn)
    previous_attendees: Mapped[list[str]] = mapped_column(JsonColumn)
    cancelled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class CalendarFeedRow(Base):
    """A person's calendar feed of the standups they attend: the secret link is its only key."""

    __tablename__ = "calendar_feeds"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id"), primary_key=True, autoincrement=False
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class WebhookSubscriptionRow(Base):
    """An endpoint that receives the event types it chose, signed with its own secret."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    event_types: Mapped[list[str]] = mapped_column(JsonColumn)
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(Text)


class WebhookDeliveryRow(Base):
    """One attempt to deliver one event to one subscription: the delivery log."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id"))
    message_id: Mapped[int] = mapped_column(BigInteger)
    webhook_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(100))
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),)


# ---------------------------------------------------------------------- triage (R-INT, R-TRI)
class EscalationRequestRow(Base):
    """R-INT-1: an escalation request, waiting for (or carrying) the triage meeting's decision."""

    __tablename__ = "escalation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(40))
    problem: Mapped[str] = mapped_column(Text)
    problem_type: Mapped[str] = mapped_column(String(20))
    proposed_severity: Mapped[str] = mapped_column(String(20))
    workarounds: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[str] = mapped_column(String(20))
    dependencies: Mapped[str] = mapped_column(Text)
    business_status: Mapped[str] = mapped_column(String(20))
    arr: Mapped[int] = mapped_column(BigInteger)
    deal_size: Mapped[int | None] = mapped_column(BigInteger)
    expected_close: Mapped[str | None] = mapped_column(String(10))  # ISO date
    other_customers: Mapped[int] = mapped_column(Integer)
    happiness_confirmed: Mapped[bool] = mapped_column(Boolean)
    similar_accounts: Mapped[int] = mapped_column(Integer)
    skills: Mapped[list[str]] = mapped_column(JsonColumn)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    filed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    first_decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_escalation_requests_status", "status", "filed_at"),
        Index("ix_escalation_requests_account", "account_id"),
    )


class RequestTicketRow(Base):
    """A ticket a request links: imported (ticket_id) or named by the helpdesk (external id)."""

    __tablename__ = "request_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tickets.id"))
    external_id: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))


class RequestDecisionRow(Base):
    """R-TRI-3: each decision of a request, kept when it is re-triaged."""

    __tablename__ = "request_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime]
    release: Mapped[str | None] = mapped_column(String(100))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    education_id: Mapped[int | None] = mapped_column(ForeignKey("education_items.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("triage_meetings.id"))


class EducationItemRow(Base):
    """Seed 001: a documentation or training gap the meeting found, with an owner and a due date."""

    __tablename__ = "education_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    gap: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    due: Mapped[datetime]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class TriageMeetingRow(Base):
    """R-TRI-1: a triage meeting as held: when, who attended, and its notes."""

    __tablename__ = "triage_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_at: Mapped[datetime]
    attendees: Mapped[list[int]] = mapped_column(JsonColumn)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


# ---------------------------------------------------------------------- after the escalation
class RetrospectiveRow(Base):
    """R-RCA-1: one per escalation that reached Engineering; the timeline is the audit trail."""

    __tablename__ = "retrospectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    root_cause: Mapped[str | None] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    internal_notes: Mapped[str] = mapped_column(Text)
    missed: Mapped[dict[str, Any]]
    """{"items": [text, …]}: the missed opportunities, in the order they were written."""
    annotations: Mapped[dict[str, Any]]
    """{event id: note}: people's notes on lines of the timeline."""
    completed_at: Mapped[datetime | None]
    overdue_told: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)


class FollowUpRow(Base):
    """R-RCA-2: an action with an owner and a due date, tracked to done and reminded."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    retrospective_id: Mapped[int] = mapped_column(ForeignKey("retrospectives.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    team: Mapped[str] = mapped_column(String(80))
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(Integer)
    tracker_url: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (Index("ix_follow_ups_open", "done_at", "due_at"),)


class ReleaseRow(Base):
    """R-FIX-1/2: an interim release; its contents are the fixes that name it, by position."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_version: Mapped[str] = mapped_column(String(40), unique=True)
    planned_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)


class FixRow(Base):
    """R-FIX-1: a support-written fix, its review and the release that shipped it."""

    __tablename__ = "fixes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    recurring_issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurring_issues.id"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None]
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)


class EngineeringLinkRow(Base):
    """A Jira, GitHub or GitLab issue or pull/merge request linked from an escalation or a
    recurring issue, with the state the last sync saw."""

    __tablename__ = "engineering_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(2000))
    tracker: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(10))
    remote_status: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    checked_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "url", name="uq_engineering_links_subject"),
        Index("ix_engineering_links_state", "state"),
    )


class WorkingCalendarRow(Base):
    """A working calendar (R-SLA-1): hours per weekday, timezone, holidays and closed dates.

    `holiday_dates` holds the public holidays of `holidays` as they were looked up when the
    calendar was saved, so reading a calendar never needs the holidays package.
    """

    __tablename__ = "working_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[list[str]] = mapped_column(JsonColumn)
    holidays: Mapped[str | None] = mapped_column(String(20))
    holiday_dates: Mapped[list[str]] = mapped_column(JsonColumn)
    closed_dates: Mapped[list[str]] = mapped_column(JsonColumn)
    is_default: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AccountCalendarRow(Base):
    """The calendar an account's clocks run in; an account without one uses the default."""

    __tablename__ = "account_calendars"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id"), primary_key=True, autoincrement=False
    )
    calendar_id: Mapped[int] = mapped_column(ForeignKey("working_calendars.id"))


class BreachRow(Base):
    """A due moment that passed without its update (R-SLA-3), recorded once when first seen;
    `resolved_at` is when the scheduler first saw the clock moved on (an update, a close)."""

    __tablename__ = "breaches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"))
    audience: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime]
    detected_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    severity: Mapped[str] = mapped_column(String(20))
    dri_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))

    __table_args__ = (
        UniqueConstraint("escalation_id", "audience", "due_at", name="uq_breaches_due"),
        Index("ix_breaches_open", "resolved_at"),
    )


class TicketJudgementRow(Base):
    """A person's verdict on a pair of tickets (duplicate / not related); one per pair."""

    __tablename__ = "ticket_judgements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"))
    other_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    judged_at: Mapped[datetime]
    judged_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    __table_args__ = (
        UniqueConstraint("ticket_id", "other_id", name="uq_ticket_judgements_pair"),
        Index("ix_ticket_judgements_other", "other_id"),
    )


class WorkerHeartbeatRow(Base):
    """A delivery worker's last sign of life, written each poll; `/readyz` reads the newest."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]


class SurveyRow(Base):
    """The satisfaction survey of one contact about one closed escalation (R-SLA-4): the link's
    hash, when it expires, and the answer once given (one per contact per escalation)."""

    __tablename__ = "csat_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    email: Mapped[str] = mapped_column(String(320))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("escalation_id", "email"),)
