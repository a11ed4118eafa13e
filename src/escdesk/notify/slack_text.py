"""The words of escdesk's Slack messages, from seed 004's templates and the message payload.

Every post says what changed, who changed it (`by`) and the reason they gave (`reason`, or the
note of a move to monitoring). Text a person wrote is escaped as Slack asks (`&`, `<`, `>`), so
nobody's update can ping `@channel` or forge a link; moments are Slack date tokens, shown in
each reader's own timezone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

Payload = Mapping[str, Any]


class UnknownTemplate(Exception):
    pass


def escape(text: object) -> str:
    """Slack's three control characters, escaped as its formatting reference asks."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def moment(value: object) -> str:
    """An ISO 8601 moment as a Slack date token (each reader's timezone), else as written."""
    if not value:
        return "none"
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return escape(value)
    if when.tzinfo is None:
        return escape(value)
    fallback = when.strftime("%Y-%m-%d %H:%M UTC%z")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def _by(p: Payload) -> str:
    return escape(p.get("by") or "escdesk")


def _quoted(p: Payload, field: str = "reason") -> str:
    value = p.get(field)
    return f": “{escape(value)}”" if value else " (no reason given)"


def _name(value: object, fallback: str = "nobody") -> str:
    return escape(value) if value else fallback


def _opening(p: Payload, channel: str) -> str:
    skills = ", ".join(escape(s) for s in p.get("required_skills") or []) or "none written down"
    lines = [
        f":rotating_light: Welcome! This is the channel for the *{escape(p['customer'])}* "
        f"escalation: {escape(p.get('summary') or p.get('description') or '')}".rstrip(": "),
    ]
    if p.get("severity"):
        status = escape(str(p.get("status") or "opened").capitalize())
        lines.append(f"• Severity: *{escape(p['severity'])}* · Status: {status}")
    if p.get("dri"):
        lines.append(f"• DRI: {escape(p['dri'])}")
    if "eta" in p:
        lines.append(f"• ETA: {moment(p.get('eta'))}")
    lines += [
        f"• Escalation tracker: {escape(p.get('tracker_url') or 'not linked')}",
        f"• Initial ask: {escape(p.get('initial_ask') or 'not written down yet')}",
        f"• Required skills: {skills}",
        f"• Next sync: {moment(p.get('next_sync')) if p.get('next_sync') else 'not scheduled yet'}",
    ]
    if p.get("changed_at"):  # a refresh: the message is kept current by each change
        lines.append(f"Kept current: last changed by {_by(p)}, {moment(p['changed_at'])}.")
    else:
        lines.append(f"Opened by {_by(p)}.")
    return "\n".join(lines)


def _declaration(p: Payload, channel: str) -> str:
    fyi = p.get("fyi") or []
    fyi_text = ", ".join(escape(f) for f in fyi) if isinstance(fyi, list) else escape(fyi)
    return "\n".join(
        [
            "*New Escalation*",
            f"• Customer: {escape(p['customer'])}",
            f"• Slack Channel: {channel}",
            f"• Tracking Document: {escape(p.get('tracker_url') or 'not linked')}",
            f"• Severity: {escape(str(p.get('severity', '')).capitalize())}",
            f"• Status: {escape(str(p.get('status', 'opened')).capitalize())}",
            f"• Product DRI: {_name(p.get('product_dri'), 'none assigned')}",
            f"• Description: {escape(p.get('description') or p.get('summary') or '')}",
            f"• FYI: {fyi_text or 'nobody'}",
            f"Declared by {_by(p)}.",
        ]
    )


def _severity_changed(p: Payload, channel: str) -> str:
    return (
        f":rotating_light: The *{escape(p['customer'])}* escalation ({channel}) changed "
        f"severity from {escape(p.get('old'))} to *{escape(p.get('severity'))}*, by {_by(p)}"
        f"{_quoted(p)} Status: {escape(p.get('status', 'active'))}."
    )


def _monitoring(p: Payload, channel: str) -> str:
    return (
        f":large_green_circle: The *{escape(p['customer'])}* escalation ({channel}) is reduced "
        f"to standard process (monitoring), by {_by(p)}{_quoted(p, 'note')}"
    )


def _closed(p: Payload, channel: str) -> str:
    rca = f" Root-cause analysis: {escape(p['rca'])}." if p.get("rca") else ""
    resolution = f" Resolution: {escape(p['resolution'])}." if p.get("resolution") else ""
    waived = int(p.get("waived") or 0)  # open exit criteria let go with the customer (R-ESC-9)
    waivers = (
        f" {waived} exit {'criterion' if waived == 1 else 'criteria'} waived with the customer."
        if waived
        else ""
    )
    return (
        f":white_check_mark: The *{escape(p['customer'])}* escalation ({channel}) is closed, "
        f"by {_by(p)}. The customer agreed: {_name(p.get('agreed_by'), 'not recorded')}."
        f"{resolution}{rca}{waivers} The channel will be archived."
    )


def _reopened(p: Payload, channel: str) -> str:
    return (
        f":repeat: The *{escape(p['customer'])}* escalation ({channel}) is reopened at "
        f"{escape(p.get('severity', ''))} severity, by {_by(p)}{_quoted(p)}"
    )


def _update(p: Payload, channel: str) -> str:
    return f":memo: Update from {_by(p)}:\n{escape(p.get('body', ''))}"


def _eta_changed(p: Payload, channel: str) -> str:
    if not p.get("old"):
        return f":calendar: ETA set to {moment(p.get('eta'))}, by {_by(p)}{_quoted(p)}"
    return (
        f":calendar: ETA moved from {moment(p.get('old'))} to {moment(p.get('eta'))}, "
        f"by {_by(p)}{_quoted(p)}"
    )


def _owner_changed(p: Payload, channel: str) -> str:
    role = {"dri": "DRI", "product_dri": "Product DRI", "product_leader": "Product leader"}.get(
        str(p.get("role")), escape(p.get("role"))
    )
    old = _name(p.get("old") or p.get("old_id"))
    new = _name(p.get("new") or p.get("new_id"))
    return f":bust_in_silhouette: {role} changed from {old} to {new}, by {_by(p)}{_quoted(p)}"


def _standup(p: Payload, channel: str) -> str:
    return (
        f":busts_in_silhouette: The internal standup is set up, by {_by(p)}: "
        f"{escape(p.get('schedule', ''))}. Agenda and notes: "
        f"{escape(p.get('tracker_url') or 'the tracker')}"
    )


TEMPLATES: Mapping[str, Callable[[Payload, str], str]] = {
    "opening": _opening,
    "declaration": _declaration,
    "severity_changed": _severity_changed,
    "monitoring": _monitoring,
    "closed": _closed,
    "reopened": _reopened,
    "update": _update,
    "eta_changed": _eta_changed,
    "owner_changed": _owner_changed,
    "standup": _standup,
}


def render(payload: Payload, channel: str) -> str:
    """The text for `payload["template"]`; `channel` is how to name the escalation's channel
    (a `<#C…>` link once Slack confirmed it). A payload with `text` and no template is posted
    as written (reminders and other one-off notes)."""
    template = payload.get("template")
    if template is None and payload.get("text"):
        return escape(payload["text"])
    render_one = TEMPLATES.get(str(template))
    if render_one is None:
        raise UnknownTemplate(f"no Slack template {template!r}; known: {', '.join(TEMPLATES)}")
    if "customer" not in payload:
        raise UnknownTemplate(f"template {template!r} needs 'customer' in the payload")
    return render_one(payload, channel)
