"""Rebuild an escalation's key state from its audit trail alone (R-ESC-11).

Used to prove that state and events never disagree: replaying the trail must give the state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from escdesk.domain.events import Event


@dataclass
class TrailState:
    status: str | None = None
    severity: str | None = None
    dri_id: int | None = None
    product_dri_id: int | None = None
    product_leader_id: int | None = None
    eta: str | None = None
    customer_summary: str | None = None
    exit_criteria: list[tuple[str, bool]] = field(default_factory=list)
    waived: dict[int, str] = field(default_factory=dict)  # criterion number → why (R-ESC-9)
    updates: int = 0


def replay(events: Iterable[Event]) -> TrailState:
    state = TrailState()
    for event in events:
        data: dict[str, Any] = event.data
        if event.type == "opened":
            state.status = data["status"]
            state.severity = data["severity"]
            state.dri_id = data["dri_id"]
            state.product_dri_id = data["product_dri_id"]
            state.product_leader_id = data["product_leader_id"]
            state.eta = data["eta"]
            state.exit_criteria = [(text, False) for text in data["exit_criteria"]]
        elif event.type in ("activated", "moved_to_monitoring", "closed", "reopened"):
            state.status = data["status"]
            if event.type == "reopened":
                state.waived = {}
        elif event.type == "severity_changed":
            state.severity = data["to"]
        elif event.type == "owner_changed":
            setattr(state, f"{data['role']}_id", data["to"])
        elif event.type == "eta_changed":
            state.eta = data["to"]
        elif event.type == "customer_summary_set":
            state.customer_summary = data["to"]
        elif event.type == "exit_criterion_added":
            state.exit_criteria.append((data["text"], False))
        elif event.type in ("exit_criterion_done", "exit_criterion_undone"):
            index = data["number"] - 1
            state.exit_criteria[index] = (data["text"], event.type == "exit_criterion_done")
        elif event.type == "exit_criterion_waived":
            state.waived[data["number"]] = data["waiver"]
        elif event.type == "update_posted":
            state.updates += 1
    return state
