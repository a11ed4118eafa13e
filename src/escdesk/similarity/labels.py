"""A readable label for a cluster of tickets: its most distinctive shared terms, as written.

A term scores by how many of the cluster's tickets hold it (in the subject, or half as much in
the body) times its idf over all tickets: frequent in the cluster and rare elsewhere. Subject
word pairs ("redirect loop") are preferred over single words, which then only add what the
pair does not already say. Only words the tickets write whole can be a label (never the hump
"tre" of "HashTree" or the part "ber" of a mangled "Über"), and a pair only when a subject writes
its two words side by side. Terms are the index's stemmed, folded forms ("expir", "uber"), so
each is shown in the spelling the cluster's subjects use most ("expired", "SSO", "Über").
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import numpy.typing as npt

from escdesk.domain.ticket import Ticket
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.text import FUNCTION_WORDS, is_cjk, written_words

MAX_TERMS = 3
MIN_SHARE = 0.25  # a label term is held by at least this share of the cluster's tickets
PAIR_BONUS = 1.5
MAX_LENGTH = 80


def label_for(corpus: Corpus, rows: npt.NDArray[np.int64], sample: list[Ticket]) -> str | None:
    """The label of the tickets at these corpus rows, or None when nothing is shared; `sample`
    (some of those tickets) gives the spelling and word order."""
    if not rows.size:
        return None
    subject, body, _ = corpus.rows_matrix(rows)
    width = len(corpus.vocabulary)
    held = np.zeros(width)
    held[: subject.shape[1]] += np.asarray((subject > 0).sum(axis=0)).ravel()
    held[: body.shape[1]] += 0.5 * np.asarray((body > 0).sum(axis=0)).ravel()
    share = np.minimum(held / rows.size, 1.0)
    terms = corpus.vocabulary.terms
    scores = share * corpus.idf_all()[:width]
    for column in np.flatnonzero(share):
        if " " in terms[column]:
            scores[column] *= PAIR_BONUS
    spelling, position, pairs = _spellings(sample)
    chosen: list[str] = []
    covered: set[str] = set()
    for column in np.argsort(-scores, kind="stable")[:80]:
        if share[column] < MIN_SHARE or scores[column] <= 0:
            continue
        if not _writable(terms[column], position, pairs):
            continue
        parts = set(terms[column].split(" "))
        if parts <= covered or any(part in seen for part in parts for seen in covered):
            continue  # says nothing new: "os" after "ios", "sync" after "ldap sync"
        chosen.append(terms[column])
        covered |= parts
        if len(chosen) == MAX_TERMS:
            break
    if not chosen:
        return None
    chosen.sort(key=lambda term: position.get(term.split(" ")[0], 99.0))
    words = [" ".join(spelling.get(part, part) for part in term.split(" ")) for term in chosen]
    return " ".join(words)[:MAX_LENGTH]


def _writable(term: str, in_subjects: dict[str, float], pairs: set[str]) -> bool:
    """A term a person would write: a whole word of a subject, or two written side by side."""
    if " " in term:
        return term in pairs
    return term in in_subjects and term not in FUNCTION_WORDS


def _spellings(sample: list[Ticket]) -> tuple[dict[str, str], dict[str, float], set[str]]:
    """Term → the spelling the subjects use most for it (bodies only when no subject writes it
    whole), where in a subject it usually stands (so the label reads in the subjects' word
    order: "password reset link"), and the pairs of words subjects write side by side."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    places: dict[str, list[int]] = defaultdict(list)
    pairs: set[str] = set()
    for ticket in sample:
        words = written_words(ticket.subject)
        for place, (term, word) in enumerate(words):
            forms[term][_display(word)] += 1
            places[term].append(place)
        pairs.update(
            f"{a} {b}"
            for (a, x), (b, y) in zip(words, words[1:], strict=False)
            if not (is_cjk(x) or is_cjk(y))  # overlapping character pairs, not two words
        )
        for term, word in written_words(ticket.body):
            forms[term][_display(word)] += 0  # known, never preferred
    for counts in forms.values():
        if not sum(counts.values()):
            counts[next(iter(counts))] = 1
    spelling = {term: counts.most_common(1)[0][0] for term, counts in forms.items()}
    return spelling, {term: sum(p) / len(p) for term, p in places.items()}, pairs


def _display(word: str) -> str:
    """Acronyms and product names keep their capitals; ordinary words are lower case."""
    return word if word[1:] != word[1:].lower() else word.lower()
