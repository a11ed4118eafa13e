"""Similar requests and escalations (R-INT-1): the words two problem statements share.

Before anyone re-investigates, the requester sees earlier requests and open escalations that
read like theirs. Requests are few (hundreds, not the ticket database's millions), so a plain
overlap of their significant words — Jaccard over word sets — is enough and explains itself:
the shared words are shown. Similar *tickets* come from the similarity engine instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

STOPWORDS = frozenset(
    """the and for are but not you all any can had her was one our out has have from they
    this that with when what which will into than then them there their been more some such
    only also very just over does after before while where who why how its it's our your
    customer customers please issue problem error errors""".split()
)
THRESHOLD = 0.2
_WORD = re.compile(r"[a-z0-9][a-z0-9_-]{2,}")


def words(text: str) -> frozenset[str]:
    """The significant words: three letters or more, not among the commonest."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


@dataclass(frozen=True)
class Candidate:
    ref: str  # REQ-7 or ESC-12
    title: str
    status: str
    text: str


@dataclass(frozen=True)
class Likeness:
    candidate: Candidate
    score: float
    shared: tuple[str, ...]


def most_similar(
    text: str, candidates: Iterable[Candidate], *, limit: int = 5, threshold: float = THRESHOLD
) -> list[Likeness]:
    """The candidates most like `text`, best first, those sharing too little left out."""
    mine = words(text)
    if not mine:
        return []
    found = []
    for candidate in candidates:
        theirs = words(candidate.text)
        shared = mine & theirs
        if not shared:
            continue
        score = len(shared) / len(mine | theirs)
        if score >= threshold:
            found.append(Likeness(candidate, round(score, 3), tuple(sorted(shared))))
    found.sort(key=lambda like: (-like.score, like.candidate.ref))
    return found[:limit]
