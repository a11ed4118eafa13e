"""Which reminder carries which buttons; every other post stays text only."""

from __future__ import annotations

from escdesk.notify.slack_blocks import OPEN, POST_UPDATE, SNOOZE, reminder_blocks

TRACKER = "https://desk.example/escalations/7/tracker"


def actions(kind: str) -> list[tuple[str, str | None]]:
    payload = {"reminder": kind, "audience": "customer", "escalation_id": 7, "tracker_url": TRACKER}
    blocks = reminder_blocks(payload, "text")
    assert blocks is not None and blocks[0]["text"]["text"] == "text"
    return [(e["action_id"], e.get("url")) for e in blocks[1]["elements"]]


def test_a_warning_and_an_overdue_notice_offer_update_snooze_and_the_escalation() -> None:
    expected = [(POST_UPDATE, None), (SNOOZE, None), (OPEN, "https://desk.example/escalations/7")]
    assert actions("warning") == expected
    assert actions("overdue") == expected


def test_a_standup_reminder_offers_the_tracker() -> None:
    assert actions("standup") == [(OPEN, TRACKER)]


def test_the_daily_nudge_offers_an_update_and_the_tracker() -> None:
    assert actions("nudge") == [(POST_UPDATE, None), (OPEN, TRACKER)]


def test_a_post_that_is_not_a_reminder_has_no_blocks() -> None:
    assert reminder_blocks({"template": "update", "customer": "Acme", "body": "x"}, "x") is None
