"""The pinned opening message tells the truth: each change of DRI, severity, ETA or status
rewrites it (`chat.update`), in order, and a stale or orphaned refresh never wins."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.escalation import Escalation
from escdesk.domain.severity import Severity
from escdesk.notify.transport import DeliveryError, OutboundMessage
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeSeverity,
    CloseEscalation,
    MoveToMonitoring,
    PostUpdate,
    SetEta,
    agreement_from,
)
from escdesk.services.views import OutboxItem
from escdesk.store.migrate import MIGRATIONS, _config, upgrade
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import BOT_USER, Message, SlackError, SlackServer
from tests.notify.test_delivery_end_to_end import worker_for
from tests.notify.test_worker import Clock, queued

REFRESH = "slack.refresh_opening"


def opened(uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer) -> Escalation:
    esc = factories.open_escalation(uow, now=now)
    worker_for(engine, slack, Clock(now)).run_once()
    return esc


def pinned(slack: SlackServer, esc: Escalation) -> Message:
    channel = slack.workspace.by_name(esc.channel.lstrip("#"))
    assert channel is not None
    (message,) = channel.pinned()
    return message


def test_the_opening_message_shows_the_state_it_was_opened_with(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = opened(uow, engine, now, slack)
    text = pinned(slack, esc).text
    assert "• Severity: *medium* · Status: Opened" in text
    assert "• DRI: Person" in text and "• ETA: <!date^" in text
    channel = NotifyStore(engine).of_escalation(esc.id or 0)
    assert channel is not None and channel.opening_ts == pinned(slack, esc).ts


def test_each_change_of_dri_severity_eta_or_status_rewrites_the_pinned_message(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = opened(uow, engine, now, slack)
    assert esc.id is not None
    clock = Clock(now)
    worker = worker_for(engine, slack, clock)
    opening_ts = pinned(slack, esc).ts

    def step(cmd: object) -> str:
        clock.now += timedelta(minutes=5)
        factories.act(uow, cmd, now=clock.now)
        worker.run_once()
        message = pinned(slack, esc)
        assert message.ts == opening_ts and message.edited is not None, "edited, not reposted"
        return message.text

    text = step(ChangeSeverity(esc.id, Severity.LOW, "customer found a workaround"))
    assert "Severity: *low*" in text and "last changed by escdesk" in text
    new_dri = factories.add_person(uow, "support", now=now, name="Nia Okafor")
    text = step(AssignOwner(esc.id, OwnerRole.DRI, new_dri.email, "shift change"))
    assert "• DRI: Nia Okafor" in text
    eta = now + timedelta(days=3)
    text = step(SetEta(esc.id, eta, "vendor patch lands Friday"))
    assert f"<!date^{int(eta.timestamp())}^" in text
    assert "Status: Opened" in text
    text = step(PostUpdate(esc.id, Audience.INTERNAL, "Logs collected"))
    assert "Status: Active" in text
    text = step(MoveToMonitoring(esc.id, "fix deployed"))
    assert "Status: Monitoring" in text
    assert {r.state for r in queued(engine)} == {"delivered"}
    assert slack.count("chat.update") == 5
    assert slack.count("pins.add") == 1


def test_two_quick_changes_are_applied_in_order_and_the_last_one_shows(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = opened(uow, engine, now, slack)
    assert esc.id is not None
    first, second = now + timedelta(days=2), now + timedelta(days=4)
    factories.act(uow, SetEta(esc.id, first, "first guess"), now=now)
    factories.act(uow, SetEta(esc.id, second, "vendor slipped"), now=now)
    worker_for(engine, slack, Clock(now)).run_once()
    refreshes = [r for r in queued(engine) if r.kind == REFRESH]
    assert [r.payload["eta"] for r in refreshes] == [first.isoformat(), second.isoformat()]
    assert refreshes[0].payload["version"] < refreshes[1].payload["version"]
    assert f"<!date^{int(second.timestamp())}^" in pinned(slack, esc).text

    stale = refreshes[0]  # delivered again late (a dead letter retried by hand): it must not win
    transport = slack_transport(slack, NotifyStore(engine))
    receipt = transport.deliver(_outbound(stale)).data
    assert receipt["refreshed"] is False and "shows version" in receipt["skipped"]
    assert f"<!date^{int(second.timestamp())}^" in pinned(slack, esc).text


def test_a_refresh_of_an_opening_never_posted_is_dropped_with_the_reason(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    for _ in range(2):  # the declaration (another channel) and the opening post both die
        slack.fail_next("chat.postMessage", "msg_too_long")
    esc = opened(uow, engine, now, slack)
    assert esc.id is not None
    opening = next(r for r in queued(engine) if r.payload.get("template") == "opening")
    assert opening.kind == "slack.post" and opening.state == "dead"
    factories.act(uow, SetEta(esc.id, now + timedelta(days=2), "vendor"), now=now)
    worker_for(engine, slack, Clock(now)).run_once()
    refresh = next(r for r in queued(engine) if r.kind == REFRESH)
    assert refresh.state == "dead"
    assert "opening was never posted" in (refresh.last_error or "")
    assert slack.count("chat.update") == 0


@pytest.mark.parametrize(
    ("error", "says"),
    [
        ("message_not_found", "was deleted in Slack"),
        ("cant_update_message", "not posted by this Slack app's bot"),
        ("edit_window_closed", "editing settings forbid"),
        ("channel_not_found", "does not exist in Slack"),
    ],
)
def test_what_slack_refuses_to_update_is_permanent_and_explained(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer, error: str, says: str
) -> None:
    esc = opened(uow, engine, now, slack)
    assert esc.id is not None
    factories.act(uow, SetEta(esc.id, now + timedelta(days=2), "vendor"), now=now)
    refresh = next(r for r in queued(engine) if r.kind == REFRESH)
    slack.fail_next("chat.update", error)
    with pytest.raises(DeliveryError) as failure:
        slack_transport(slack, NotifyStore(engine)).deliver(_outbound(refresh))
    assert failure.value.permanent and says in failure.value.reason and error in str(failure.value)


def test_the_stand_in_refuses_edits_as_slack_documents(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = opened(uow, engine, now, slack)
    channel = slack.workspace.by_name(esc.channel.lstrip("#"))
    assert channel is not None
    ts = pinned(slack, esc).ts
    workspace, bot = slack.workspace, BOT_USER

    def refused(caller: str = bot) -> str:
        with pytest.raises(SlackError) as refusal:
            workspace.chat_update(caller, {"channel": channel.id, "ts": ts, "text": "x"})
        return refusal.value.error

    assert refused("USOMEONE") == "cant_update_message"
    workspace.edit_window_closed = True
    assert refused() == "edit_window_closed"
    workspace.edit_window_closed = False
    channel.is_archived = True
    assert refused() == "is_archived"
    channel.is_archived = False
    ts = "1700000000.999999"
    assert refused() == "message_not_found"
    ts = pinned(slack, esc).ts
    answer = workspace.chat_update(bot, {"channel": channel.id, "ts": ts, "text": "new"})
    assert answer == {
        "channel": channel.id,
        "ts": ts,
        "text": "new",
        "message": {"type": "message", "text": "new", "user": bot},
    }


def _outbound(item: OutboxItem) -> OutboundMessage:
    """The row as the worker hands it to the transport."""
    fields = {f.name for f in dataclasses.fields(OutboundMessage)}
    return OutboundMessage(**{k: v for k, v in dataclasses.asdict(item).items() if k in fields})


def test_an_escalation_opened_before_the_upgrade_is_kept_current_too(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = opened(uow, engine, now, slack)
    assert esc.id is not None
    before = ScriptDirectory(str(MIGRATIONS)).get_revision("0018")
    assert before is not None and isinstance(before.down_revision, str)
    command.downgrade(_config(engine), before.down_revision)  # posted by the version before
    upgrade(engine)
    channel = NotifyStore(engine).of_escalation(esc.id)
    assert channel is not None and channel.opening_ts == pinned(slack, esc).ts
    factories.act(uow, ChangeSeverity(esc.id, Severity.LOW, "workaround"), now=now)
    worker_for(engine, slack, Clock(now)).run_once()
    assert "Severity: *low*" in pinned(slack, esc).text


def test_closing_refreshes_the_opening_before_the_channel_is_archived(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = opened(uow, engine, now, slack)
    assert esc.id is not None
    closed = now + timedelta(hours=2)
    agreement = agreement_from("Jo Chen, CTO", closed - timedelta(minutes=5), "email")
    factories.act(uow, CloseEscalation(esc.id, agreement, waivers=factories.WAIVED), now=closed)
    worker_for(engine, slack, Clock(closed)).run_once()
    channel = slack.workspace.by_name(esc.channel.lstrip("#"))
    assert channel is not None and channel.is_archived
    assert "Status: Closed" in pinned(slack, esc).text
    assert {r.state for r in queued(engine) if r.kind == REFRESH} == {"delivered"}
