"""Finding escalations by a word: of the customer, the account, the summary or an update.

The database does the finding (the store turns each word into a LIKE over the joined columns),
so a search costs one page of rows whatever the desk holds. Visibility is decided here, from
the actor (R-OPS-2): internal updates are searched, and quoted, only for someone who may read
them — a reader of internal text, or the owner of that escalation (seed 004).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from escdesk.domain.access import Actor, Permission
from escdesk.domain.errors import InvalidInput
from escdesk.services.listing import Order, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.views import ESCALATION_ORDERS, EscalationFilter, EscalationPage

MAX_WORDS = 8
MAX_TEXT = 200
EXCERPT = 160


@dataclass(frozen=True)
class SearchEscalations:
    words: tuple[str, ...]
    include_closed: bool = True
    order: Order | None = None
    limit: int = 50
    offset: int = 0

    @classmethod
    def parse(cls, text: str, **values: object) -> SearchEscalations:
        """Words as typed into the search box: every word must match, in any field."""
        if len(text) > MAX_TEXT:
            raise InvalidInput("search", "is too long", f"Use at most {MAX_TEXT} characters")
        words = tuple(dict.fromkeys(w.lower() for w in text.split()))  # as SQL lower() does
        if not words:
            raise InvalidInput(
                "search", "is empty", "Type a word of a customer, a summary or an update"
            )
        if len(words) > MAX_WORDS:
            raise InvalidInput("search", "has too many words", f"Use at most {MAX_WORDS}")
        return cls(words, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Excerpt:
    """Where a word was found in an update, so the result says why it is there."""

    audience: str
    text: str
    words: tuple[str, ...] = ()

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into pieces, each marked whether it is one of the words searched for,
        so a face can highlight them its own way."""
        return split_on(self.text, self.words)


@dataclass(frozen=True)
class SearchResult:
    words: tuple[str, ...]
    page: EscalationPage
    excerpts: dict[int, Excerpt] = field(default_factory=dict)


def search_escalations(
    uow: UnitOfWork, query: SearchEscalations, actor: Actor, ctx: Context
) -> SearchResult:
    actor.require(Permission.READ)
    check_window(query.limit, query.offset)
    check_order(query.order, ESCALATION_ORDERS)
    internal = actor.can(Permission.READ_INTERNAL)
    filters = EscalationFilter(
        include_closed=query.include_closed,
        limit=query.limit,
        offset=query.offset,
        order=query.order,
        words=query.words,
        internal_text=internal,
        internal_owner_id=None if internal else actor.person_id,
    )
    page = uow.escalations.page(filters)
    ids = [item.id for item in page.items]
    found = uow.escalations.matching_updates(ids, filters)
    excerpts = {
        escalation_id: Excerpt(audience, excerpt(body, query.words), query.words)
        for escalation_id, audience, body in found
    }
    return SearchResult(query.words, page, excerpts)


def excerpt(body: str, words: tuple[str, ...], width: int = EXCERPT) -> str:
    """The part of `body` around the first word found, on one line, cut at word boundaries."""
    flat = " ".join(body.split())
    folded = flat.lower()
    hits = [i for i in (folded.find(w) for w in words) if i >= 0]
    if len(flat) <= width:
        return flat
    start = max(0, min(hits, default=0) - width // 3)
    if start:
        start = flat.find(" ", start) + 1 or start
    end = min(len(flat), start + width)
    if end < len(flat) and flat.rfind(" ", start, end) > start:
        end = flat.rfind(" ", start, end)
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


def split_on(text: str, words: tuple[str, ...]) -> list[tuple[str, bool]]:
    """`text` as (piece, is a searched word) pairs, matching case-insensitively."""
    folded = text.lower()
    if len(folded) != len(text):  # a letter whose lower case is longer: show it unmarked
        return [(text, False)]
    marks = [False] * len(text)
    for word in words:
        at = folded.find(word)
        while word and at >= 0:
            marks[at : at + len(word)] = [True] * len(word)
            at = folded.find(word, at + len(word))
    parts: list[tuple[str, bool]] = []
    for char, marked in zip(text, marks, strict=True):
        if parts and parts[-1][1] == marked:
            parts[-1] = (parts[-1][0] + char, marked)
        else:
            parts.append((char, marked))
    return parts
