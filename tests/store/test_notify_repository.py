"""The transports' memory: each answer survives a worker that dies right after asking."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from escdesk.services.webhooks import WebhookAttempt
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import open_escalation


def test_an_escalations_channel_is_remembered_and_archived_for_that_escalation_only(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    first = open_escalation(uow, now=now)
    second = open_escalation(uow, now=now)
    assert first.id is not None and second.id is not None
    store = NotifyStore(engine, clock=lambda: now)
    store.remember(first.id, "C1", "esc_acme")
    store.remember(second.id, "C2", "esc_acme-2")
    store.mark_archived(first.id, True)
    assert store.of_escalation(first.id) is not None
    assert store.of_escalation(first.id).archived  # type: ignore[union-attr]
    assert not store.of_escalation(second.id).archived  # type: ignore[union-attr]
    assert store.by_channel_id("C2").escalation_id == second.id  # type: ignore[union-attr]
    assert store.by_channel_id("C9") is None


def test_a_step_that_began_but_never_finished_is_reported_to_the_next_attempt(
    engine: Engine, now: datetime
) -> None:
    store = NotifyStore(engine, clock=lambda: now)
    assert store.begin(41, "post") is False
    assert store.done(41, "post") is None
    assert store.begin(41, "post") is True  # the attempt that died may have posted
    store.finish(41, "post", {"ts": "1.2"})
    assert store.done(41, "post") == {"ts": "1.2"}
    assert store.done(42, "post") is None


def test_a_thread_lists_the_message_ids_of_older_outbox_messages_only(
    engine: Engine, now: datetime
) -> None:
    store = NotifyStore(engine, clock=lambda: now)
    store.place("escalation-1:jo@acme.example", 10, "<a@x>")
    store.place("escalation-1:jo@acme.example", 12, "<c@x>")
    store.place("escalation-1:jo@acme.example", 12, "<c@x>")  # a retry places nothing new
    store.place("escalation-2:jo@acme.example", 11, "<b@x>")
    assert store.earlier("escalation-1:jo@acme.example", 12) == ["<a@x>"]
    assert store.earlier("escalation-1:jo@acme.example", 13) == ["<a@x>", "<c@x>"]


def test_a_series_gets_a_new_sequence_per_message_and_the_same_one_on_a_retry(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    store = NotifyStore(engine, clock=lambda: now)
    kwargs = {"uid": "standup-1@x", "escalation_id": esc.id, "cadence": {"time": "10:30"}}
    first = store.revise(message_id=5, attendees=["a@x", "b@x"], cancelled=False, now=now, **kwargs)
    again = store.revise(message_id=5, attendees=["a@x", "b@x"], cancelled=False, now=now, **kwargs)
    second = store.revise(
        message_id=9, attendees=["a@x"], cancelled=False, now=now + timedelta(hours=1), **kwargs
    )
    assert (first.sequence, again.sequence, second.sequence) == (0, 0, 1)
    assert second.previous_attendees == ("a@x", "b@x")
    with uow:
        assert [r.uid for r in uow.calendar_feeds.standups_of("A@x")] == ["standup-1@x"]
        assert uow.calendar_feeds.standups_of("b@x") == []
    store.revise(message_id=11, attendees=["a@x"], cancelled=True, now=now, **kwargs)
    with uow:
        assert uow.calendar_feeds.standups_of("a@x") == []


def test_a_disabled_subscription_is_reported_inactive_and_its_attempts_are_logged(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    from escdesk.store.tables import WebhookSubscriptionRow

    with uow:
        row = WebhookSubscriptionRow(
            url="http://127.0.0.1:9/hook",
            secret="whsec_x",
            event_types=["escalation.opened"],
            description="",
            created_at=now,
        )
        uow.session.add(row)
        uow.session.commit()
        subscription_id = row.id
    store = NotifyStore(engine, clock=lambda: now)
    assert store.endpoint(subscription_id).active  # type: ignore[union-attr]
    store.log(
        WebhookAttempt(subscription_id, 3, "msg_1", "escalation.opened", now, 410, False, "", 5)
    )
    store.disable(subscription_id, "the endpoint answered 410 Gone", now)
    assert not store.endpoint(subscription_id).active  # type: ignore[union-attr]
    assert store.endpoint(subscription_id + 1) is None
