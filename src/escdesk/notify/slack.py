"""Slack (seed 004): the escalation's own channel, its pinned opening message, the declaration
in `#escalated_customers`, key-moment posts, archiving at closing and unarchiving at reopening.

Message kinds (the outbox row's `kind`, `destination`, `payload`):
- `slack.create_channel`: destination = the channel name wanted (`#esc_acme`); subject = the
  escalation. Payload: `invite` [{email, name, role}], `tracker_url`. Creates the public
  channel (a numbered suffix when Slack says `name_taken`), invites the people Slack knows by
  e-mail (`users.lookupByEmail`), bookmarks the tracker. Receipt: channel_id, channel (the name
  Slack has), invited, not_in_slack, not_invited, bookmark.
- `slack.post`: a post in the escalation's own channel, found by the subject's id — never by
  name, so never in another escalation's channel. Payload: `template` (see `slack_text`) and
  its fields, `by`, `reason`, `pin` (pin it, for the opening message). Receipt: channel_id,
  channel, ts, pinned.
- `slack.announce`: a post in a named channel (destination `#escalated_customers`), naming the
  escalation's channel; it waits until that channel exists. Same payload and receipt.
- `slack.archive` / `slack.unarchive`: the escalation's own channel, at closing / reopening
  (`slack_archive`). Unarchive payload: `invite` as for creation (owners are asked back in).
- `slack.refresh_opening`: the pinned opening message rewritten with `chat.update` from the
  state in the payload (`slack_opening`); the opening post's ts is recorded when Slack
  confirms it, for this.

Each step a retry must not repeat (create, invite, a post that is pinned after) goes through
the delivery journal; a post carries the outbox row's idempotency key as message metadata, so a
later try of a message — after a worker died between Slack's answer and its record, or a
timeout — finds its post in the channel's history instead of posting twice. A message's first
try skips both (nothing of it can be in Slack yet): a plain post costs the claim, one Web API
call and the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from escdesk.domain.channel_names import bare, channel_name
from escdesk.notify import slack_archive, slack_blocks, slack_channel, slack_opening, slack_text
from escdesk.notify.ports import DeliveryJournal, SlackChannel, SlackChannels
from escdesk.notify.slack_api import SlackApi, SlackRefused
from escdesk.notify.slack_people import invite_all
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt

METADATA_TYPE = "escdesk_message"
HISTORY_WINDOW = 100
"""How far back a retry looks for its own post: the messages of a few minutes in one channel."""


class SlackTransport:
    kinds = frozenset(
        {
            "slack.create_channel",
            "slack.post",
            "slack.announce",
            "slack.archive",
            "slack.unarchive",
            slack_opening.KIND,
        }
    )

    def __init__(
        self,
        bot: SlackApi,
        channels: SlackChannels,
        journal: DeliveryJournal,
        user: SlackApi | None = None,
    ) -> None:
        self.bot = bot
        self.user = user
        self.channels = channels
        self.journal = journal
        self._named: dict[str, str] = {}
        self._bot_user: str | None = None

    def deliver(self, message: OutboundMessage) -> Receipt:
        handler = {
            "slack.create_channel": self._create_channel,
            "slack.post": self._post_in_escalation_channel,
            "slack.announce": self._announce,
            "slack.archive": self._archive,
            "slack.unarchive": self._unarchive,
            slack_opening.KIND: self._refresh_opening,
        }.get(message.kind)
        if handler is None:
            raise DeliveryError(f"Slack does not deliver {message.kind}", permanent=True)
        return handler(message)

    # ------------------------------------------------------------------ channel
    def _create_channel(self, m: OutboundMessage) -> Receipt:
        escalation_id = _escalation(m)
        channel = self.channels.of_escalation(escalation_id) or self._new_channel(m, escalation_id)
        receipt: dict[str, Any] = {"channel_id": channel.channel_id, "channel": channel.name}
        receipt.update(self._invite_once(m, channel.channel_id))
        tracker = m.payload.get("tracker_url")
        if tracker:
            receipt["bookmark"] = self._bookmark_once(m, channel.channel_id, str(tracker))
        return Receipt(receipt)

    def _new_channel(self, m: OutboundMessage, escalation_id: int) -> SlackChannel:
        wanted = bare(m.destination)
        name = wanted if slack_channel.valid_name(wanted) else channel_name(wanted)
        resumed = self.journal.begin(m.id, "create")
        adopted = (
            slack_channel.orphan(self.bot, self.channels, name, self._bot_user_id())
            if resumed
            else None
        )
        created = adopted or slack_channel.create_free(self.bot, name)
        self.channels.remember(escalation_id, created["id"], created["name"])
        self.journal.finish(m.id, "create", {"channel_id": created["id"]})
        return SlackChannel(escalation_id, created["id"], created["name"])

    def _invite_once(self, m: OutboundMessage, channel_id: str) -> Mapping[str, Any]:
        done = self.journal.done(m.id, "invite")
        if done is not None:
            return done
        outcome = invite_all(self.bot, channel_id, m.payload.get("invite") or [], self._join)
        self.journal.finish(m.id, "invite", outcome)
        return outcome

    def _bookmark_once(self, m: OutboundMessage, channel_id: str, link: str) -> str:
        """The bookmark's id, or why Slack would not add one (the channel works without)."""
        done = self.journal.done(m.id, "bookmark")
        if done is not None:
            return str(done["result"])
        try:
            answer = self.bot.call(
                "bookmarks.add",
                channel_id=channel_id,
                title="Escalation tracker",
                type="link",
                link=link,
            )
            result = str(answer.get("bookmark", {}).get("id", "added"))
        except SlackRefused as refused:
            result = f"not added: {refused.error}"
        self.journal.finish(m.id, "bookmark", {"result": result})
        return result

    # ------------------------------------------------------------------ posts
    def _post_in_escalation_channel(self, m: OutboundMessage) -> Receipt:
        channel = self._escalation_channel(m)
        if channel.archived:
            raise DeliveryError(
                f"#{channel.name} is archived; reopen the escalation to post in it", permanent=True
            )
        return self._post(m, channel.channel_id, channel.name, f"<#{channel.channel_id}>")

    def _announce(self, m: OutboundMessage) -> Receipt:
        name = bare(m.destination)
        reference = f"#{bare(str(m.payload.get('channel') or ''))}"
        if m.subject_type == "escalation" and m.subject_id is not None:
            own = self.channels.of_escalation(m.subject_id)
            if own is None:
                raise DeliveryError(
                    "waiting for the escalation's channel to be created, to name it",
                    permanent=False,
                )
            reference = f"<#{own.channel_id}>"
        return self._post(m, self._named_channel(name), name, reference)

    def _post(self, m: OutboundMessage, channel_id: str, name: str, reference: str) -> Receipt:
        try:
            text = slack_text.render(m.payload, reference)
        except slack_text.UnknownTemplate as exc:
            raise DeliveryError(str(exc), permanent=True) from None
        ts = self._post_step(m, channel_id, name, text)
        if m.kind == "slack.post" and m.payload.get("template") == "opening":
            version = int(m.payload.get("version") or 0)  # kept current from here on
            self.channels.remember_opening(_escalation(m), ts, version)
        pinned = bool(m.payload.get("pin")) and self._pin(channel_id, name, ts)
        return Receipt({"channel_id": channel_id, "channel": name, "ts": ts, "pinned": pinned})

    def _post_step(self, m: OutboundMessage, channel_id: str, name: str, text: str) -> str:
        """The post's ts, posting it only if no earlier try did.

        On a message's first try nothing of it can be in Slack: it is posted at once, with no
        journal round trips (most posts, and the latency of every post). A later try reads the
        journal, then the channel's history, since an earlier try may have posted and died, or
        timed out waiting for the answer, before it could say so. The post is journalled only
        when a step follows it (the pin) that a retry must be able to resume after it; the
        outbox row's own receipt records the rest."""
        found = None
        if not m.first_try:
            done = self.journal.done(m.id, "post")
            if done is not None:
                return str(done["ts"])
            found = self._posted_before(channel_id, m.idempotency_key)
        ts = found or self._post_once(m, channel_id, name, text)
        if m.payload.get("pin"):
            self.journal.finish(m.id, "post", {"ts": ts, "channel_id": channel_id})
        return ts

    def _post_once(self, m: OutboundMessage, channel_id: str, name: str, text: str) -> str:
        metadata = {
            "event_type": METADATA_TYPE,
            "event_payload": {"idempotency_key": m.idempotency_key, "outbox_id": m.id},
        }
        answer = self._in_channel(
            channel_id,
            name,
            "post in",
            lambda: self.bot.call(
                "chat.postMessage",
                channel=channel_id,
                text=text,
                blocks=slack_blocks.reminder_blocks(m.payload, text),
                metadata=metadata,
                unfurl_links=False,
            ),
        )
        return str(answer["ts"])

    def _posted_before(self, channel_id: str, key: str) -> str | None:
        """The ts of the post an earlier attempt made, found by its metadata, if any."""
        try:
            answer = self.bot.call(
                "conversations.history",
                channel=channel_id,
                limit=HISTORY_WINDOW,
                include_all_metadata=True,
            )
        except SlackRefused:
            return None  # no history scope or access: post, accepting a rare duplicate
        for message in answer.get("messages", []):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("idempotency_key") == key:
                return str(message["ts"])
        return None

    def _pin(self, channel_id: str, name: str, ts: str) -> bool:
        self._in_channel(
            channel_id,
            name,
            "pin in",
            lambda: self.bot.call("pins.add", channel=channel_id, timestamp=ts),
            tolerate={"already_pinned"},
        )
        return True

    # ------------------------------------------------------------------ archive
    def _archive(self, m: OutboundMessage) -> Receipt:
        return slack_archive.archive(self.bot, self.channels, _escalation(m))

    def _unarchive(self, m: OutboundMessage) -> Receipt:
        channel = self._escalation_channel(m)
        receipt = slack_archive.unarchive(self.bot, self.user, channel)
        self.channels.mark_archived(channel.escalation_id, False)
        receipt.update(self._invite_once(m, channel.channel_id))
        return Receipt(receipt)

    def _refresh_opening(self, m: OutboundMessage) -> Receipt:
        return slack_opening.refresh(self.bot, self.channels, m, _escalation(m))

    # ------------------------------------------------------------------ helpers
    def _escalation_channel(self, m: OutboundMessage) -> SlackChannel:
        channel = self.channels.of_escalation(_escalation(m))
        if channel is None:
            raise DeliveryError(
                "waiting for the escalation's channel to be created", permanent=False
            )
        return channel

    def _in_channel(
        self,
        channel_id: str,
        name: str,
        what: str,
        call: Callable[[], dict[str, Any]],
        tolerate: Collection[str] = (),
    ) -> dict[str, Any]:
        return slack_channel.in_channel(self.bot, channel_id, name, what, call, tolerate)

    def _join(self, channel_id: str) -> None:
        slack_channel.join(self.bot, channel_id)

    def _named_channel(self, name: str) -> str:
        """The id of a channel known by name (`#escalated_customers`), looked up once."""
        if name not in self._named:
            for channel in self._channel_list(exclude_archived=True):
                self._named.setdefault(str(channel["name"]), str(channel["id"]))
        if name not in self._named:
            raise DeliveryError(
                f"there is no channel #{name} in Slack; create it (public) and retry",
                permanent=True,
            )
        return self._named[name]

    def _channel_list(self, *, exclude_archived: bool) -> list[dict[str, Any]]:
        return slack_channel.channel_list(self.bot, exclude_archived=exclude_archived)

    def _bot_user_id(self) -> str:
        if self._bot_user is None:
            self._bot_user = str(self.bot.call("auth.test")["user_id"])
        return self._bot_user


def _escalation(m: OutboundMessage) -> int:
    """The escalation whose channel this is about: the subject itself, or the escalation a
    reminder, a release or a link notice belongs to."""
    if m.subject_type == "escalation" and m.subject_id is not None:
        return m.subject_id
    if m.escalation_id is not None:
        return m.escalation_id
    raise DeliveryError(
        f"{m.kind} is about no escalation ({m.subject_type} {m.subject_id}), so it has no channel",
        permanent=True,
    )
