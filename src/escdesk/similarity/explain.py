"""Why a ticket matched, in words both tickets use (R-REC-2).

The index holds stemmed, folded terms ("upgrad", "uber"); a person should read the words as
each ticket writes them: "upgrade / upgrading", "Über". A term only found inside a longer word
already shown (the "Node" of "NameNode") adds nothing and is left out; a CJK pair is shown as
the pair, since it is the text itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from escdesk.domain.ticket import Ticket
from escdesk.similarity.text import FUNCTION_WORDS, spelled_terms, written_words

MAX_WORDS = 6


def spellings(ticket: Ticket) -> tuple[dict[str, str], dict[str, str]]:
    """Term → how the ticket writes it: as a whole word (subject first), and as any part."""
    whole: dict[str, str] = {}
    part: dict[str, str] = {}
    for text in (ticket.subject, ticket.body):
        for term, written in written_words(text):
            whole.setdefault(term, written)
        for term, written in spelled_terms(text):
            part.setdefault(term, written)
    return whole, part


def shared_words(terms: Sequence[str], query: Ticket, match: Ticket) -> tuple[str, ...]:
    """The shared terms (most telling first) as the two tickets write them."""
    mine, theirs = spellings(query), spellings(match)
    shown: list[str] = []
    out: list[str] = []
    for term in terms:
        parts = term.split(" ")
        if len(parts) == 1 and parts[0] in FUNCTION_WORDS:
            continue
        ours = [_spelled(p, mine) for p in parts]
        other = [_spelled(p, theirs) for p in parts]
        found = [w for w in ours + other if w is not None]
        if len(found) < 2 * len(parts):
            continue  # not written in one of them (a tag, or a word of the other field)
        a = " ".join(w for w, _ in found[: len(parts)])
        b = " ".join(w for w, _ in found[len(parts) :])
        folded = a.casefold().replace(" ", "")
        whole = all(is_whole for _, is_whole in found)
        if any(folded in earlier for earlier in shown) and (not whole or folded in shown):
            continue  # a hump of a word already shown, or the same word again
        shown.append(folded)
        out.append(a if a.casefold() == b.casefold() else f"{a} / {b}")
        if len(out) == MAX_WORDS:
            break
    return tuple(out)


def _spelled(term: str, spelling: tuple[dict[str, str], dict[str, str]]) -> tuple[str, bool] | None:
    whole, part = spelling
    if term in whole:
        return whole[term], True
    if term in part:
        return part[term], False
    return None
