"""The database tables, as typed SQLAlchemy 2 mappings, one module per concept. Domain objects
never see these.

A table module is imported, and its tables mapped, when one of its rows is first asked for
(`from escdesk.store.tables import EscalationRow` imports `core` only), so a command maps the
tables it touches and no others: mapping all of them cost a list a good part of its start-up.
A module also imports the modules whose tables its foreign keys name, so whatever is mapped is
complete for the ORM and for DDL. `Base` itself, which Alembic, the archive and `create_all`
read the whole schema from, maps every table first; so does `map_every_table()`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

MODULES: dict[str, tuple[str, ...]] = {
    "access": (
        "ApiTokenRow",
        "PasswordRow",
        "SessionRow",
        "StatusPageRow",
    ),
    "after": (
        "EngineeringLinkRow",
        "FixRow",
        "FollowUpRow",
        "ReleaseRow",
        "RetrospectiveRow",
    ),
    "clocks": (
        "AccountCalendarRow",
        "BreachRow",
        "WorkingCalendarRow",
    ),
    "core": (
        "AccountRow",
        "EscalationRow",
        "EtaChangeRow",
        "EventRow",
        "ExitCriterionRow",
        "OutboxRow",
        "OwnerChangeRow",
        "PersonRow",
        "UpdateRow",
    ),
    "delivery": (
        "CalendarFeedRow",
        "CalendarSeriesRow",
        "CustomerContactRow",
        "DeliveryStepRow",
        "EmailThreadRow",
        "SlackChannelRow",
        "WebhookDeliveryRow",
        "WebhookSubscriptionRow",
        "WorkerHeartbeatRow",
    ),
    "slack_requests": ("HeardSlackRequestRow",),
    "surveys": ("SurveyRow",),
    "tickets": (
        "IssueEscalationRow",
        "IssueTicketRow",
        "RankerVersionRow",
        "RecurringIssueRow",
        "TicketImportRow",
        "TicketJudgementRow",
        "TicketRow",
    ),
    "triage": (
        "EducationItemRow",
        "EscalationRequestRow",
        "RequestDecisionRow",
        "RequestTicketRow",
        "TriageMeetingRow",
    ),
    "partial_indexes": (),
}
"""Each module of the schema and the row classes it defines (a test holds this equal to the
modules); `partial_indexes` defines none, it adds indexes to tables of `core`."""

_HOME = {row: module for module, rows in MODULES.items() for row in rows}


def map_every_table() -> type[Base]:
    """Import every table module: the metadata then holds the whole schema."""
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")
    from escdesk.store.tables.base import Base

    return Base


def __getattr__(name: str) -> Any:
    """A row class, importing (mapping) its module on first use; `Base` with every table."""
    if name == "Base":
        value: Any = map_every_table()
    elif name == "BigId":
        value = importlib.import_module(f"{__name__}.base").BigId
    elif name in _HOME:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "map_every_table",
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
