"""What the intake and triage services need from a store (R-INT, R-TRI)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from escdesk.domain.request import EscalationRequest, LinkedTicket, RequestStatus
from escdesk.services.listing import Order


@dataclass(frozen=True)
class MeetingRecord:
    """A triage meeting as held: who attended, and the requests decided at it, in order."""

    id: int
    held_at: datetime
    attendee_ids: tuple[int, ...]
    notes: str
    decided_request_ids: tuple[int, ...]


class RequestRepository(Protocol):
    def add(self, request: EscalationRequest) -> None: ...
    def get(self, request_id: int, expected_version: int | None = None) -> EscalationRequest: ...
    def listing(
        self,
        *,
        statuses: Collection[RequestStatus] = (),
        account_id: int | None = None,
        limit: int = 100,
        offset: int = 0,
        order: Order | None = None,
    ) -> list[EscalationRequest]: ...
    def count(
        self, *, statuses: Collection[RequestStatus] = (), account_id: int | None = None
    ) -> int: ...
    def listing_of(self, ids: Collection[int]) -> list[EscalationRequest]: ...
    def save_seen(self) -> None: ...
    def add_education_item(
        self, request_id: int, gap: str, owner_id: int, due: datetime, now: datetime
    ) -> int: ...
    def add_meeting(
        self, held_at: datetime, attendees: list[int], notes: str, by_id: int | None
    ) -> int: ...
    def meeting(self, meeting_id: int) -> MeetingRecord: ...
    def escalation_tickets(self, escalation_id: int) -> list[LinkedTicket]: ...
    def requesters_of(self, escalation_id: int) -> list[int]: ...
    def exit_progress(self, escalation_ids: Collection[int]) -> dict[int, tuple[int, int]]: ...
