"""`/esc …` text → the typed commands every face uses (services/escalation_commands.py).

Parsing only: no rule is decided here. A word that is not a value the command takes is bad
input naming the field and how to write it; whether the person may, and whether the
escalation's state allows it, is the handler's answer, as for the API and the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain.clock import Audience, utc
from escdesk.domain.dri import OwnerRole
from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import parse_duration, parse_severity
from escdesk.services import escalations, pauses
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeExitCriteria,
    ChangeSeverity,
    CloseEscalation,
    ListEscalations,
    MoveToMonitoring,
    PostUpdate,
    SetEta,
    ShowEscalation,
    Waiver,
    agreement_from,
)
from escdesk.services.runner import Handler

USAGE = {
    "status": "the tracker summary: severity, DRI, next updates due, ETA, exit criteria",
    "update [--customer] TEXT": "post an update (internal unless --customer, which is "
    "previewed for you to confirm)",
    "eta WHEN REASON": "set the ETA (2026-11-20T17:00 in UTC, or +3d, +36h)",
    "severity LEVEL REASON": "change the severity (critical, high, medium, low)",
    "dri @person REASON": "hand the DRI role to someone else",
    "exit add TEXT | exit done N": "add an exit criterion, or tick criterion N",
    "monitor NOTE": "move to monitoring: risk reduced to standard process",
    "close [agreed_by=… agreed_at=… agreed_via=…] [rca=…] [waiveN=…]": "close, once the "
    "customer agreed; waive an open exit criterion N with a reason",
    "wait-customer REASON | resume": "pause the customer clock while waiting, resume it",
    "list [mine | LEVEL]": "open escalations: yours, or of one severity (anywhere)",
    "open [escalation]": "the escalation request form, for triage (anywhere); `open "
    "escalation`: the escalation form, for those who may open one directly",
    "help": "this list",
}
ANYWHERE = frozenset({"help", "list", "open", ""})
"""Words that need no escalation: every other one is run in an escalation's channel."""

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_KEY_VALUE = re.compile(r"^(agreed_by|agreed_at|agreed_via|rca|waive[0-9]{1,6})=(.*)$")


@dataclass(frozen=True)
class Parsed:
    """A command (or query) with its handler; `confirm` asks for a preview first."""

    verb: str
    command: Any
    handler: Handler[Any, Any]
    read: bool = False
    confirm: bool = False


def verb_of(text: str) -> str:
    return text.strip().split(maxsplit=1)[0].lower() if text.strip() else ""


def parse(
    text: str,
    escalation_id: int | None,
    *,
    now: datetime,
    me: str,
    email_of: Callable[[str], str],
) -> Parsed:
    """`me` is the e-mail of who typed it; `email_of` finds a mentioned Slack user's e-mail."""
    verb, _, rest = text.strip().partition(" ")
    verb, rest = verb.lower(), rest.strip()
    if verb == "list":
        return _list(rest, me)
    if escalation_id is None:
        raise InvalidInput(
            "channel",
            "this channel is not an escalation's channel",
            f"Run /esc {verb} in the escalation's own channel, or /esc list to find it",
        )
    parse_one = _PARSERS.get(verb)
    if parse_one is None:
        raise InvalidInput("command", f"{verb!r} is not an /esc command", "See /esc help")
    return parse_one(escalation_id, rest, now, email_of)


def _status(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    return Parsed("status", ShowEscalation(i), escalations.show_escalation, read=True)


def _update(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    customer = rest.startswith("--customer")
    body = rest.removeprefix("--customer").strip() if customer else rest
    if not body:
        raise InvalidInput("body", "the update has no text", "Write it after /esc update")
    audience = Audience.CUSTOMER if customer else Audience.INTERNAL
    cmd = PostUpdate(i, audience, body)
    return Parsed("update", cmd, escalations.post_update, confirm=customer)


def _eta(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    when, reason = _value_and_reason(rest, "eta", "/esc eta 2026-11-20T17:00 the fix ships")
    return Parsed("eta", SetEta(i, moment(when, now), reason), escalations.set_eta)


def _severity(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    level, reason = _value_and_reason(rest, "severity", "/esc severity high the outage spread")
    cmd = ChangeSeverity(i, parse_severity(level), reason)
    return Parsed("severity", cmd, escalations.change_severity)


def _dri(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    who, reason = _value_and_reason(rest, "person", "/esc dri @jo going on leave")
    mention = _MENTION.match(who)
    person = email_of(mention.group(1)) if mention else who.removeprefix("@")
    cmd = AssignOwner(i, OwnerRole.DRI, person, reason)
    return Parsed("dri", cmd, escalations.assign_owner)


def _exit(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    action, _, value = rest.partition(" ")
    value = value.strip()
    if action == "add" and value:
        cmd = ChangeExitCriteria(i, add=(value,))
    elif action in ("done", "undone") and value.isdigit():
        number = (int(value),)
        cmd = (
            ChangeExitCriteria(i, done=number)
            if action == "done"
            else ChangeExitCriteria(i, undone=number)
        )
    else:
        raise InvalidInput(
            "exit_criteria", f"{rest!r} is not a change", "Write /esc exit add TEXT or exit done 2"
        )
    return Parsed("exit", cmd, escalations.change_exit_criteria)


def _monitor(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    return Parsed("monitor", MoveToMonitoring(i, rest), escalations.move_to_monitoring)


def _close(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    given: dict[str, str] = {}
    for word in _words(rest):
        match = _KEY_VALUE.match(word)
        if not match:
            raise InvalidInput(
                "close",
                f"{word!r} is not a closing detail",
                "Write agreed_by=… agreed_at=… agreed_via=email (quote values with spaces), "
                'rca=… if there is one and waive2="why" for an open exit criterion 2',
            )
        given[match.group(1)] = match.group(2)
    at = given.get("agreed_at")
    agreement = agreement_from(
        given.get("agreed_by"),
        moment(at, now, "agreed_at") if at else None,
        given.get("agreed_via"),
    )
    waivers = tuple(
        Waiver(int(key.removeprefix("waive")), reason)
        for key, reason in given.items()
        if key.startswith("waive")
    )
    cmd = CloseEscalation(
        i, agreement=agreement, rca_reference=given.get("rca") or None, waivers=waivers
    )
    return Parsed("close", cmd, escalations.close_escalation)


def _wait(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    return Parsed("wait-customer", pauses.WaitOnCustomer(i, rest), pauses.wait_on_customer)


def _resume(i: int, rest: str, now: datetime, email_of: Callable[[str], str]) -> Parsed:
    return Parsed("resume", pauses.CustomerAnswered(i), pauses.customer_answered)


def _list(rest: str, me: str) -> Parsed:
    word = rest.strip().lower()
    if word in ("", "mine"):
        query = ListEscalations(dri=me, limit=20)
    else:
        query = ListEscalations(severity=parse_severity(word), limit=20)
    return Parsed("list", query, escalations.list_escalations, read=True)


_PARSERS: dict[str, Callable[[int, str, datetime, Callable[[str], str]], Parsed]] = {
    "status": _status,
    "update": _update,
    "eta": _eta,
    "severity": _severity,
    "dri": _dri,
    "exit": _exit,
    "monitor": _monitor,
    "close": _close,
    "wait-customer": _wait,
    "resume": _resume,
}


def moment(text: str, now: datetime, field: str = "eta") -> datetime:
    """ISO 8601 (UTC unless an offset is given), or a time from now such as `+3d`."""
    value = text.strip()
    if value.startswith("+"):
        return now + parse_duration(value[1:], field)
    try:
        return utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        raise InvalidInput(
            field, f"{text!r} is not a date and time", "Write 2026-11-20T17:00 (UTC) or +3d"
        ) from None


def _value_and_reason(rest: str, field: str, example: str) -> tuple[str, str]:
    value, _, reason = rest.partition(" ")
    if not value:
        raise InvalidInput(field, "is missing", f"Write it like {example}")
    if not reason.strip():
        raise InvalidInput("reason", "is missing", f"Say why after the value: {example}")
    return value, reason.strip()


def _words(text: str) -> list[str]:
    """Words, where `key="a few words"` is one word without its quotes."""
    found = re.findall(r'(\w+=)"([^"]*)"|(\S+)', text.replace("“", '"').replace("”", '"'))
    return [f"{key}{quoted}" if key else bare for key, quoted, bare in found]
