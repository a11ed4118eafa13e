"""Slack modals as forms: inputs named after the command's fields, their values read back, and
refusals shown under the inputs they name — as the pages show them beside their labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from escdesk.domain.errors import AlreadyOpen, EscdeskError, InvalidInput, RuleRefused

ACTION = "value"


def modal(callback: str, title: str, submit: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def text(
    name: str, label: str, *, multiline: bool = False, optional: bool = False
) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": ACTION, "multiline": multiline}
    return _input(name, label, element, optional)


def choice(
    name: str, label: str, options: Iterable[str], *, optional: bool = False
) -> dict[str, Any]:
    element = {
        "type": "static_select",
        "action_id": ACTION,
        "options": [
            {"text": {"type": "plain_text", "text": o.replace("_", " ")}, "value": o}
            for o in options
        ],
    }
    return _input(name, label, element, optional)


def values(view: dict[str, Any]) -> dict[str, str]:
    """Each input's value (a select's chosen option), by block id; empty when left blank."""
    state = ((view.get("state") or {}).get("values")) or {}
    out: dict[str, str] = {}
    for name, block in state.items():
        element: dict[str, Any] = next(iter(block.values()), {}) if block else {}
        selected = element.get("selected_option") or {}
        out[str(name)] = str(selected.get("value") or element.get("value") or "")
    return out


def errors(exc: EscdeskError, message: str, view: dict[str, Any]) -> dict[str, Any]:
    """Slack's `response_action: errors`: under each input the refusal names, else the first."""
    names = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"]
    fields: Sequence[str] = ()
    if isinstance(exc, InvalidInput):
        fields = (exc.field,)
    elif isinstance(exc, RuleRefused):
        fields = [f for need in exc.missing for f in need.fields]
    elif isinstance(exc, AlreadyOpen):
        fields = (exc.field,)
    shown = {f: message[:150] for f in fields if f in names}
    if isinstance(exc, RuleRefused):  # each input its own need, in the domain's words
        for need in exc.missing:
            for f in need.fields:
                if f in names:
                    shown[f] = f"Needed: {need.what}"[:150]
    if not shown and names:
        shown = {str(names[0]): message[:150]}
    return {"response_action": "errors", "errors": shown}


def _input(name: str, label: str, element: dict[str, Any], optional: bool) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": name,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if optional:
        block["optional"] = True
    return block
