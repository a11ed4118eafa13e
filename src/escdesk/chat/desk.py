"""What the Slack face holds for the app's life: the verifier, the people directory, the Web
API, the channel directory and the thread pool that answers in time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from escdesk.chat.handoff import Answering
from escdesk.chat.people import SlackPeople, SlackWeb
from escdesk.chat.signing import SlackRequests


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
