"""Buttons and modals (Slack's `block_actions` and `view_submission`), as typed commands.

A reminder's "Post update" and "Snooze 1 h" open a modal (`views.open` within the three
seconds the trigger lives); its submission runs `PostUpdate` or `SnoozeReminders` as the person
who pressed. A confirmed customer update runs `PostUpdate` and replaces its preview.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from escdesk.chat import forms, modals, open_form, replies, request_form, slash
from escdesk.chat.desk import ChatDesk
from escdesk.domain.clock import Audience
from escdesk.domain.errors import EscdeskError, InvalidInput
from escdesk.notify import slack_blocks
from escdesk.services import escalations, pauses, requests
from escdesk.services.escalation_commands import PostUpdate
from escdesk.services.runner import Runner
from escdesk.services.ticket_index import TicketIndex

SNOOZE_FOR = timedelta(hours=1)


def block_action(
    desk: ChatDesk, runner: Runner, payload: dict[str, Any], now: datetime
) -> replies.Message | None:
    """What to post to the response URL (None: nothing, e.g. a modal was opened)."""
    action = (payload.get("actions") or [{}])[0]
    action_id = str(action.get("action_id", ""))
    if action_id == slack_blocks.OPEN:
        return None  # a link button: Slack opened the link
    if action_id == slash.CANCEL:
        return {"delete_original": True}
    try:
        if action_id == slash.CONFIRM:
            actor = desk.people.actor(runner, _user(payload))
            cmd = slash.confirmed(str(action.get("value", "{}")))
            esc = runner.run(escalations.post_update, cmd, actor)
            text = f":white_check_mark: ESC-{esc.id}: customer update posted."
            return replies.ephemeral(text, replace_original=True)
        if action_id in (slack_blocks.POST_UPDATE, slack_blocks.SNOOZE):
            desk.people.actor(runner, _user(payload))  # an unknown person gets no modal
            value = slash.button_value(str(action.get("value")), "escalation_id", "audience")
            escalation_id, audience = int(value["escalation_id"]), str(value["audience"])
            view = (
                modals.post_update(escalation_id, audience)
                if action_id == slack_blocks.POST_UPDATE
                else modals.snooze(escalation_id, audience)
            )
            desk.open_view(str(payload.get("trigger_id", "")), view)
            return None
    except EscdeskError as exc:
        return replies.refusal(exc)
    return replies.ephemeral(f":no_entry: escdesk does not know the button {action_id!r}")


def view_submission(
    desk: ChatDesk,
    runner: Runner,
    payload: dict[str, Any],
    now: datetime,
    index: Callable[[], TicketIndex] | None = None,
) -> dict[str, Any]:
    """Close the modal once the command ran; else show the refusal under the input."""
    view = payload.get("view") or {}
    if view.get("callback_id") in (open_form.CALLBACK, request_form.CALLBACK):
        return _submit_form(desk, runner, payload, view, index, now)
    try:
        actor = desk.people.actor(runner, _user(payload))
        escalation_id, audience_word, text = modals.submitted(view)
        audience = _audience(audience_word)
        if view.get("callback_id") == modals.POST_UPDATE:
            runner.run(escalations.post_update, PostUpdate(escalation_id, audience, text), actor)
        elif view.get("callback_id") == modals.SNOOZE:
            cmd = pauses.SnoozeReminders(escalation_id, audience, text, SNOOZE_FOR)
            runner.run(pauses.snooze_reminders, cmd, actor)
        else:
            raise InvalidInput("view", "is not an escdesk modal", "Open it from escdesk's message")
    except EscdeskError as exc:
        return modals.errors(replies.refusal(exc)["text"].removeprefix(":no_entry: "))
    return {"response_action": "clear"}


def _submit_form(
    desk: ChatDesk,
    runner: Runner,
    payload: dict[str, Any],
    view: dict[str, Any],
    index: Callable[[], TicketIndex] | None,
    now: datetime,
) -> dict[str, Any]:
    """The request form files a request (R-INT-1); the escalation form opens one."""
    try:
        actor = desk.people.actor(runner, _user(payload))
        if view.get("callback_id") == request_form.CALLBACK:
            cmd = request_form.command(view)
            if index is not None:  # R-TRI-2: similar tickets of other accounts, counted now
                cmd = requests.with_similar_accounts(runner.uow_factory(), index(), cmd, now=now)
            runner.run(requests.file_request, cmd, actor)
        else:
            runner.run(escalations.open_escalation, open_form.command(view), actor)
    except EscdeskError as exc:
        return forms.errors(exc, replies.refusal(exc)["text"].removeprefix(":no_entry: "), view)
    return {"response_action": "clear"}


def _audience(word: str) -> Audience:
    try:
        return Audience(word)
    except ValueError:
        problem = f"{word!r} is not an audience"
        raise InvalidInput("audience", problem, "Use internal or customer") from None


def _user(payload: dict[str, Any]) -> str:
    return str((payload.get("user") or {}).get("id") or "")
