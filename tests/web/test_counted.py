"""Counts on the pages read as English: '1 event', '2 events', '1 person', '3 people'."""

from __future__ import annotations

from escdesk.web.pages import counted


def test_one_is_singular_and_everything_else_plural() -> None:
    assert counted(1, "event") == "1 event"
    assert counted(0, "event") == "0 events"
    assert counted(1_250, "ticket") == "1,250 tickets"
    assert counted(1, "person", "people") == "1 person"
    assert counted(3, "person", "people") == "3 people"
