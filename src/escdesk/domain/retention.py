"""What escdesk keeps, and for how long (R-OPS): records of work are kept, traces of machinery
are not. The audit trail is never deleted; expired sign-in sessions, delivered messages of
closed escalations and the webhook delivery log are, once older than their retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Retention:
    """Days each kind of trace is kept (at least one)."""

    sessions_days: int = 30
    delivered_messages_days: int = 90
    webhook_log_days: int = 30

    def cutoffs(self, now: datetime) -> Cutoffs:
        return Cutoffs(
            sessions_expired_before=now - timedelta(days=self.sessions_days),
            messages_delivered_before=now - timedelta(days=self.delivered_messages_days),
            webhook_attempts_before=now - timedelta(days=self.webhook_log_days),
        )


@dataclass(frozen=True)
class Cutoffs:
    """Moments before which each trace goes.

    Only delivered messages of *closed* escalations are pruned: a message's idempotency key is
    what keeps a reminder from being sent twice for one due moment, and an open escalation's
    due moment may be older than any retention.
    """

    sessions_expired_before: datetime
    messages_delivered_before: datetime
    webhook_attempts_before: datetime
