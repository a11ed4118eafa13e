"""The database tables, as typed SQLAlchemy 2 mappings, one module per concept. Domain objects
never see these; importing the package maps every table (Alembic and the store rely on it)."""

from __future__ import annotations

from escdesk.store.tables.access import (
    ApiTokenRow,
    PasswordRow,
    SessionRow,
    StatusPageRow,
)
from escdesk.store.tables.after import (
    EngineeringLinkRow,
    FixRow,
    FollowUpRow,
    ReleaseRow,
    RetrospectiveRow,
)
from escdesk.store.tables.base import Base, BigId
from escdesk.store.tables.clocks import (
    AccountCalendarRow,
    BreachRow,
    WorkingCalendarRow,
)
from escdesk.store.tables.core import (
    AccountRow,
    EscalationRow,
    EtaChangeRow,
    EventRow,
    ExitCriterionRow,
    OutboxRow,
    OwnerChangeRow,
    PersonRow,
    UpdateRow,
)
from escdesk.store.tables.delivery import (
    CalendarFeedRow,
    CalendarSeriesRow,
    CustomerContactRow,
    DeliveryStepRow,
    EmailThreadRow,
    SlackChannelRow,
    WebhookDeliveryRow,
    WebhookSubscriptionRow,
    WorkerHeartbeatRow,
)
from escdesk.store.tables.slack_requests import (
    HeardSlackRequestRow,
)
from escdesk.store.tables.surveys import (
    SurveyRow,
)
from escdesk.store.tables.tickets import (
    IssueEscalationRow,
    IssueTicketRow,
    RankerVersionRow,
    RecurringIssueRow,
    TicketImportRow,
    TicketJudgementRow,
    TicketRow,
)
from escdesk.store.tables.triage import (
    EducationItemRow,
    EscalationRequestRow,
    RequestDecisionRow,
    RequestTicketRow,
    TriageMeetingRow,
)

__all__ = [
    "Base",
    "BigId",
    "AccountCalendarRow",
    "AccountRow",
    "ApiTokenRow",
    "BreachRow",
    "CalendarFeedRow",
    "CalendarSeriesRow",
    "CustomerContactRow",
    "DeliveryStepRow",
    "EducationItemRow",
    "EmailThreadRow",
    "EngineeringLinkRow",
    "EscalationRequestRow",
    "EscalationRow",
    "EtaChangeRow",
    "EventRow",
    "ExitCriterionRow",
    "FixRow",
    "FollowUpRow",
    "HeardSlackRequestRow",
    "IssueEscalationRow",
    "IssueTicketRow",
    "RankerVersionRow",
    "OutboxRow",
    "OwnerChangeRow",
    "PasswordRow",
    "PersonRow",
    "RecurringIssueRow",
    "ReleaseRow",
    "RequestDecisionRow",
    "RequestTicketRow",
    "RetrospectiveRow",
    "SessionRow",
    "SlackChannelRow",
    "StatusPageRow",
    "SurveyRow",
    "TicketImportRow",
    "TicketJudgementRow",
    "TicketRow",
    "TriageMeetingRow",
    "UpdateRow",
    "WebhookDeliveryRow",
    "WebhookSubscriptionRow",
    "WorkerHeartbeatRow",
    "WorkingCalendarRow",
]
