"""R-OPS-2: which parts of an escalation are internal text, decided field by field.

Internal text is what the team writes for itself — why, not what: it names vendors, people and
blame, and a reader without `read_internal` (Sales, and anyone outside the team) could forward
it to the customer. What the customer may be told, or already knows, is not internal.

| field | internal | why |
| --- | --- | --- |
| internal updates | yes | the team's working notes (R-ESC-6) |
| ETA change reasons | yes | why a date slipped names vendors and people |
| owner change reasons | yes | "burnout", "cover for leave": about colleagues |
| severity change reasons | yes | the internal argument for the level |
| monitoring note, reopen reason | yes | what the team watches and why it failed |
| agreement: who agreed and how | yes | a customer contact and the channel, for the record |
| RCA reference | yes | a link to an internal document |
| a customer's e-mail reply | yes | written to the team: it names their people and systems |
| summary, initial ask, skills, exit criteria | no | Sales files them; the customer asked |
| severity, status, owners, ETA and its dates | no | what Sales tells the customer |
| customer updates, when the customer agreed | no | the customer has them already |
| why an exit criterion was waived at closing | no | agreed with the customer; on its status page |
"""

from __future__ import annotations

from typing import Any

INTERNAL_EVENT_KEYS = frozenset(
    {"reason", "note", "agreed_by", "agreed_via", "rca", "rca_reference", "reply"}
)
"""Keys of audit-event data that hold internal text (see the table above)."""


def visible_data(event_type: str, data: dict[str, Any], internal: bool) -> dict[str, Any]:
    """An event's data as a reader sees it: without internal text unless they may read it."""
    if internal:
        return data
    if event_type == "update_posted" and data.get("audience") != "customer":
        return {k: v for k, v in data.items() if k != "body"}
    return {k: v for k, v in data.items() if k not in INTERNAL_EVENT_KEYS}
