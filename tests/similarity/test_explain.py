"""R-REC-2: results a person trusts — why a ticket matched in the words both tickets write,
labels made of whole words, and a strength instead of a score that looks like a probability."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from escdesk.similarity import SimilarityIndex
from escdesk.similarity.explain import shared_words
from escdesk.similarity.labels import label_for
from escdesk.similarity.search import STRONG_PROBABILITY
from escdesk.similarity.text import terms, written_words
from tests.similarity.factories import T0, helpdesk, helpdesk_index, ticket


def test_the_why_shows_each_tickets_own_spelling_never_a_stem() -> None:
    query = ticket("NameNode runs out of memory after upgrading", "OutOfMemoryError in NameNode")
    match = ticket("NameNode OOM after the upgrade to 3.3.5", "java.lang.OutOfMemoryError: memory")
    shared = [
        t
        for t in terms(f"{query.subject} {query.body}")
        if t in terms(match.body + " " + match.subject)
    ]

    words = shared_words(shared, query, match)

    assert "upgrading / upgrade" in words and "NameNode" in words and "memory" in words
    assert "upgrad" not in words and "namenod" not in words
    assert "Name" not in words and "Node" not in words  # humps of a word already shown


def test_the_why_keeps_accents_and_scripts_as_written() -> None:
    query = ticket("Über-Konto gesperrt nach Passwortänderung")
    match = ticket("über konto gesperrt")

    assert shared_words(["uber", "konto", "gesperrt"], query, match) == (
        "Über",  # a difference of case alone is not shown twice
        "Konto",
        "gesperrt",
    )
    japanese = shared_words(["ログ", "グイ"], ticket("ログインできない"), ticket("ログイン失敗"))
    assert japanese == ("ログ", "グイ")


def test_a_term_one_ticket_only_holds_as_a_tag_is_not_shown() -> None:
    assert shared_words(["billing"], ticket("Invoice wrong"), ticket("billing is wrong")) == ()


def test_written_words_leave_out_the_humps_and_parts_of_identifiers() -> None:
    written = dict(written_words("ConcurrentHashTree constructors of org.apache.Foo fail"))
    assert set(written.values()) == {"ConcurrentHashTree", "constructors", "org.apache.Foo", "fail"}


def test_a_label_is_whole_words_from_the_subjects_not_fragments() -> None:
    tickets = [
        ticket(
            f"ConcurrentHashTree constructors leak memory ({n})",
            "HashTree.insert fails in the constructor; tree is empty",
            at=T0 + timedelta(hours=n),
        )
        for n in range(4)
    ]
    index = SimilarityIndex(rerank=False)
    index.add(tickets)
    rows = np.arange(4, dtype=np.int64)

    label = label_for(index.corpus, rows, tickets)

    assert label is not None
    words = label.split(" ")
    assert all(w in "ConcurrentHashTree constructors leak memory".split(" ") for w in words)
    assert "tre" not in words and "ber" not in words and "hash" not in label.lower().split(" ")


def test_a_german_issue_is_labelled_with_its_umlauts() -> None:
    tickets = [
        ticket(f"Über-Konto Anmeldung schlägt fehl {n}", at=T0 + timedelta(hours=n))
        for n in range(4)
    ]
    index = SimilarityIndex(rerank=False)
    index.add(tickets)

    label = label_for(index.corpus, np.arange(4, dtype=np.int64), tickets)

    assert label is not None and "über" in label.casefold().split(" ")
    assert "ber" not in label.split(" ") and "uber" not in label.split(" ")


def test_a_paraphrase_is_a_strong_match_and_a_loose_one_only_possible() -> None:
    index = helpdesk_index()
    model = index.reranker
    assert model is not None
    paraphrase = ticket(
        "Login fails after resetting my password", "invalid credentials since reset"
    )
    found = index.similar(paraphrase, k=5)

    assert found[0].strength == "strong" and found[0].score >= STRONG_PROBABILITY
    assert all(m.strength == "possible" for m in found[1:] if m.score < STRONG_PROBABILITY)


def test_without_a_model_strength_compares_with_the_querys_own_score() -> None:
    index = SimilarityIndex(rerank=False)
    index.add(helpdesk())
    loose = index.similar(
        ticket(
            "Quarterly board report needs the new logo",
            "Marketing asked for the logo on the cover; also the password page looks dated",
        ),
        k=5,
    )
    close = index.similar(
        ticket("Cannot log in after password reset", "invalid credentials reset my password"), k=1
    )

    assert close[0].strength == "strong"
    assert all(m.strength == "possible" for m in loose)
