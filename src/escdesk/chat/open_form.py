"""`/esc open escalation`: the escalation form as a Slack modal, submitted as `OpenEscalation`
(for those who may open an escalation without a triage request)."""

from __future__ import annotations

from typing import Any

from escdesk.chat import forms
from escdesk.domain.dri import Route
from escdesk.domain.records import EscalationKind
from escdesk.domain.severity import Severity
from escdesk.services.escalation_commands import OpenEscalation

CALLBACK = "esc.open_escalation"


def view() -> dict[str, Any]:
    blocks = [
        forms.text("account", "Customer account (name or id)"),
        forms.choice("severity", "Severity", [s.value for s in Severity]),
        forms.choice("route", "Came in through", [r.value for r in Route]),
        forms.choice("kind", "Kind", [k.value for k in EscalationKind]),
        forms.text("summary", "Summary"),
        forms.text("initial_ask", "Initial ask", multiline=True),
        forms.text("required_skills", "Required skills (comma separated)"),
        forms.choice(
            "also",
            "A second one, though the customer has an escalation open?",
            ["no", "yes"],
            optional=True,
        ),
    ]
    return forms.modal(CALLBACK, "Open an escalation", "Open", blocks)


def command(view: dict[str, Any]) -> OpenEscalation:
    given = forms.values(view)
    skills = [s.strip() for s in given.get("required_skills", "").split(",") if s.strip()]
    return OpenEscalation.parse(
        kind=given.get("kind", ""),
        severity=given.get("severity", ""),
        route=given.get("route", ""),
        required_skills=skills,
        account=given.get("account", ""),
        summary=given.get("summary", ""),
        initial_ask=given.get("initial_ask", ""),
        also=given.get("also", "") == "yes",
    )
