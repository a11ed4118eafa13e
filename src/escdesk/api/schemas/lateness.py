"""What is late about an escalation, as the API shows it: the lateness read model's answer."""

from __future__ import annotations

from pydantic import BaseModel

from escdesk.services.lateness import Lateness


class LateOut(BaseModel):
    overdue: list[str]
    paused: list[str]
    eta_missed: bool
    days_open: int
    working_seconds_left: dict[str, int | None]

    @classmethod
    def of(cls, late: Lateness) -> LateOut:
        return cls(
            overdue=[a.value for a in late.overdue],
            paused=[a.value for a in late.paused],
            eta_missed=late.eta_missed,
            days_open=late.days_open,
            working_seconds_left=late.working_seconds_left(),
        )
