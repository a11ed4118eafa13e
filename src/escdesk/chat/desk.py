"""What the Slack face holds for the app's life: the verifier, the people directory, the Web
API, the channel directory and the thread pool that answers in time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from escdesk.chat.handoff import Answering
from escdesk.chat.people import SlackPeople, SlackWeb
from escdesk.chat.signing import SlackRequests
from escdesk.domain.errors import InvalidInput


class Channel(Protocol):
    @property
    def escalation_id(self) -> int: ...


class Channels(Protocol):
    """The escalations' channels as the Slack transport remembered them (by Slack's id)."""

    def by_channel_id(self, channel_id: str) -> Channel | None: ...


@dataclass
class ChatDesk:
    requests: SlackRequests | None
    people: SlackPeople
    web: SlackWeb | None
    channels: Channels
    answering: Answering

    def escalation_of(self, channel_id: str) -> int | None:
        """The channel knows its escalation: the one whose channel Slack created."""
        channel = self.channels.by_channel_id(channel_id) if channel_id else None
        return channel.escalation_id if channel else None

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        """Open a modal; Slack's trigger lives three seconds, so this runs within the request."""
        if self.web is None:
            raise InvalidInput("ESCDESK_SLACK_BOT_TOKEN", "is not set", "Set it to open forms")
        try:
            self.web.call("views.open", trigger_id=trigger_id, view=view)
        except Exception as exc:  # the trigger expired, or Slack refused: say so, change nothing
            problem = f"Slack did not open the form ({exc})"
            raise InvalidInput("trigger_id", problem, "Try again") from None
