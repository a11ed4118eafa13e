"""What the person who typed a command reads back: ephemeral Slack messages.

A refusal names what is needed the way a Slack user gives it (`agreed_by=…`, a reason after
the value), as the CLI names flags and the pages name form labels; the words of the problem
are the domain's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from escdesk.chat.commands import USAGE, Parsed
from escdesk.domain.errors import EscdeskError, InvalidInput, RuleRefused
from escdesk.domain.escalation import Escalation
from escdesk.services import lateness
from escdesk.services.views import EscalationDetail, EscalationPage

Message = dict[str, Any]

FIELD_WORDS = {
    "agreed_by": "agreed_by=NAME",
    "agreed_at": "agreed_at=2026-11-20T10:00",
    "agreed_via": "agreed_via=email (or call, meeting, ticket, issue)",
    "rca_reference": "rca=REFERENCE",
    "waivers": 'waiveN="why" for each open criterion N (or /esc exit done N)',
    "dri": "/esc dri @person REASON",
    "reason": "a reason after the value",
    "body": "the update's text",
    "note": "a note after /esc monitor",
}


def ephemeral(text: str, **extra: Any) -> Message:
    return {"response_type": "ephemeral", "text": text, **extra}


def refusal(exc: EscdeskError) -> Message:
    """`:no_entry:` and the domain's words; for a rule, each need and how to give it here."""
    if isinstance(exc, InvalidInput):
        return ephemeral(f":no_entry: *{exc.field}*: {exc.problem}. {exc.fix}")
    if isinstance(exc, RuleRefused):
        lines = [f":no_entry: Refused ({exc.rule_id}): {exc.problem}. Needed:"]
        for need in exc.missing:
            given = ", ".join(FIELD_WORDS.get(f, f) for f in need.fields)
            lines.append(f"• {need.what}" + (f" — give {given}" if given else ""))
        return ephemeral("\n".join(lines))
    return ephemeral(f":no_entry: {exc.message}")


def help_text() -> Message:
    lines = ["*/esc* runs the escalation of this channel:"]
    lines += [f"• `/esc {usage}` — {what}" for usage, what in USAGE.items()]
    return ephemeral("\n".join(lines))


def done(parsed: Parsed, result: Any, now: datetime) -> Message:
    """The answer to a command that ran, or to a question."""
    if isinstance(result, EscalationDetail):
        return ephemeral(status(result, now))
    if isinstance(result, EscalationPage):
        return ephemeral(listing(result))
    esc: Escalation = result
    words = {
        "update": f"{_audience(parsed)} update posted",
        "eta": f"ETA set to {_when(esc.eta)}",
        "severity": f"severity is now {esc.severity}",
        "dri": "DRI handed over",
        "exit": "exit criteria changed",
        "monitor": "moved to monitoring",
        "close": "closed; the channel will be archived",
        "wait-customer": "waiting on the customer: the customer clock is paused",
        "resume": "the customer answered: the customer clock runs again",
    }
    return ephemeral(f":white_check_mark: ESC-{esc.id}: {words.get(parsed.verb, parsed.verb)}.")


def status(detail: EscalationDetail, now: datetime) -> str:
    """The tracker summary: severity, DRI, status, next updates due, ETA, exit criteria."""
    esc = detail.escalation
    late = lateness.of_escalation(esc, now)
    dues = []
    for audience, due in late.dues.items():
        mark = " (overdue)" if audience in late.overdue else ""
        paused = " (paused)" if audience in late.paused else ""
        dues.append(f"{audience.value} {_when(due)}{mark}{paused}")
    lines = [
        f"*ESC-{esc.id} · {detail.account.name}* — {esc.summary}",
        f"• Severity: *{esc.severity}* · Status: {esc.status}",
        f"• DRI: {detail.name_of(esc.dri_id)}",
        f"• Next updates due: {'; '.join(dues)}",
        f"• ETA: {_when(esc.eta)}" + (" (missed)" if late.eta_missed else ""),
        "• Exit criteria:" if esc.exit_criteria else "• Exit criteria: none yet",
    ]
    for number, criterion in enumerate(esc.exit_criteria, start=1):
        box = ":white_check_mark:" if criterion.done else ":white_large_square:"
        waived = f" — waived: {criterion.waived_reason}" if criterion.waived else ""
        lines.append(f"    {box} {number}. {criterion.text}{waived}")
    return "\n".join(lines)


def listing(page: EscalationPage) -> str:
    if not page.items:
        return "No open escalations match."
    lines = [f"*{page.total} open escalation(s)*:"]
    for item in page.items:
        lines.append(
            f"• ESC-{item.id} · {item.customer} · *{item.severity}* · {item.status} · "
            f"DRI {item.dri_name} — {item.summary}"
        )
    return "\n".join(lines)


def _audience(parsed: Parsed) -> str:
    return str(getattr(parsed.command, "audience", "internal")).capitalize()


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "none"
