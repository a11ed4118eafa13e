"""`/esc open`: the escalation request form (R-INT-1/2) as a Slack modal, submitted as
`FileRequest` — every field optional in Slack, so the domain names every missing one at once
and each is shown under its input."""

from __future__ import annotations

from typing import Any

from escdesk.chat import forms
from escdesk.domain.records import EscalationKind
from escdesk.domain.request import Difficulty, ProblemType
from escdesk.domain.severity import Severity
from escdesk.services.request_commands import FileRequest

CALLBACK = "esc.file_request"


def view() -> dict[str, Any]:
    return forms.modal(CALLBACK, "Request an escalation", "File", view_blocks())


def view_blocks() -> list[dict[str, Any]]:
    return [
        forms.text("account", "Customer account (name or id)", optional=True),
        forms.choice("kind", "Kind", [k.value for k in EscalationKind], optional=True),
        forms.text("problem", "The problem", multiline=True, optional=True),
        forms.choice("problem_type", "Problem type", [p.value for p in ProblemType], optional=True),
        forms.choice(
            "proposed_severity", "Proposed severity", [s.value for s in Severity], optional=True
        ),
        forms.text("workarounds", "Workarounds tried", multiline=True, optional=True),
        forms.choice(
            "difficulty", "Difficulty of the fix", [d.value for d in Difficulty], optional=True
        ),
        forms.text("dependencies", "Dependencies", optional=True),
        forms.text("other_customers", "Other customers affected (a number)", optional=True),
        forms.choice(
            "happiness_confirmed", "Customer unhappiness confirmed?", ["yes", "no"], optional=True
        ),
        forms.text(
            "tickets", "Tickets (one per line: id, then URL)", multiline=True, optional=True
        ),
        forms.text("skills", "Skills needed (comma separated)", optional=True),
    ]


def command(view: dict[str, Any]) -> FileRequest:
    known = {block["block_id"] for block in view_blocks()}
    given = {n: v for n, v in forms.values(view).items() if n in known and v.strip()}
    tickets = given.pop("tickets", "").splitlines()
    skills = [s.strip() for s in given.pop("skills", "").split(",") if s.strip()]
    return FileRequest.parse(tickets=tickets, skills=skills, **given)
