"""`/esc open`: the escalation form as a Slack modal, and its submission as `OpenEscalation`.

Each input's block is named after the command's field, so a refusal naming a field (bad
input, or a rule's need) is shown under that input, as the page shows it beside its label.
"""

from __future__ import annotations

from typing import Any

from escdesk.domain.dri import Route
from escdesk.domain.errors import EscdeskError, InvalidInput, RuleRefused
from escdesk.domain.records import EscalationKind
from escdesk.domain.severity import Severity
from escdesk.services.escalation_commands import OpenEscalation

CALLBACK = "esc.open_escalation"
FIRST = "account"

_TEXTS = (
    ("account", "Customer account (name or id)", False),
    ("summary", "Summary", False),
    ("initial_ask", "Initial ask", True),
    ("required_skills", "Required skills (comma separated)", False),
)
_CHOICES = (
    ("severity", "Severity", [s.value for s in Severity]),
    ("route", "Came in through", [r.value for r in Route]),
    ("kind", "Kind", [k.value for k in EscalationKind]),
)


def view() -> dict[str, Any]:
    blocks = [_text(name, label, multiline) for name, label, multiline in _TEXTS[:1]]
    blocks += [_choice(name, label, options) for name, label, options in _CHOICES]
    blocks += [_text(name, label, multiline) for name, label, multiline in _TEXTS[1:]]
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": {"type": "plain_text", "text": "Open an escalation"},
        "submit": {"type": "plain_text", "text": "Open"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def command(values: dict[str, Any]) -> OpenEscalation:
    """The typed command from the modal's state (`view.state.values`)."""
    given = {name: _value(values.get(name) or {}) for name, _, _ in _TEXTS + _CHOICES}
    skills = [s.strip() for s in given.pop("required_skills").split(",") if s.strip()]
    return OpenEscalation.parse(
        kind=given.pop("kind"),
        severity=given.pop("severity"),
        route=given.pop("route"),
        required_skills=skills,
        **given,
    )


def errors(exc: EscdeskError, text: str) -> dict[str, Any]:
    """The refusal under the input it is about (the first one when it names none)."""
    names = {name for name, _, _ in _TEXTS + _CHOICES}
    fields: tuple[str, ...] = ()
    if isinstance(exc, InvalidInput):
        fields = (exc.field,)
    elif isinstance(exc, RuleRefused):
        fields = tuple(f for need in exc.missing for f in need.fields)
    block = next((f for f in fields if f in names), FIRST)
    return {"response_action": "errors", "errors": {block: text[:150]}}


def _value(block: dict[str, Any]) -> str:
    element: dict[str, Any] = next(iter(block.values()), {})
    selected = element.get("selected_option") or {}
    return str(selected.get("value") or element.get("value") or "")


def _text(name: str, label: str, multiline: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": name,
        "label": {"type": "plain_text", "text": label},
        "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline},
    }


def _choice(name: str, label: str, options: list[str]) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": name,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "static_select",
            "action_id": "value",
            "options": [
                {"text": {"type": "plain_text", "text": o.replace("_", " ")}, "value": o}
                for o in options
            ],
        },
    }
