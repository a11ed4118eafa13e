from datetime import timedelta

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.similarity import SimilarityIndex
from escdesk.similarity import corpus as corpus_module
from tests.similarity.factories import T0, helpdesk, helpdesk_index, ticket


def test_a_ticket_added_later_is_found_without_a_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    index = helpdesk_index()
    (before,) = index.corpus.segments
    read = []
    monkeypatch.setattr(
        corpus_module, "fields_of", lambda t: read.append(t.external_id) or original(t)
    )
    index.add([ticket("Printer driver installation hangs", "The driver setup freezes at 90%",
                      external_id="NEW", at=T0 + timedelta(days=20))])  # fmt: skip
    query = ticket("Driver setup for the printer freezes", at=T0 + timedelta(days=21))
    assert index.similar(query, k=1, earlier_only=True)[0].id == "NEW"
    assert len(index) == 9
    assert read == ["NEW"]  # no earlier ticket was read again
    first, added = index.corpus.segments  # the old segment kept as it was, not merged
    assert first is before and (added.start, added.rows) == (8, 1)


original = corpus_module.fields_of


def test_re_importing_a_ticket_replaces_its_old_text() -> None:
    index = helpdesk_index()
    index.add([ticket("Calendar sync duplicates events", external_id="H-2", at=T0)])
    assert len(index) == len(helpdesk())
    dashboards = index.similar(ticket("Analytics dashboard charts are slow"), k=5)
    calendars = index.similar(ticket("Events duplicated by calendar sync"), k=1)
    assert "H-2" not in [m.id for m in dashboards]
    assert calendars[0].id == "H-2"


def test_many_small_adds_are_merged_into_few_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_module, "BATCH_SIZE", 4)
    index = SimilarityIndex()
    for n in range(40):
        index.add([ticket(f"Alarm {n} on pump station {n % 7}", f"pressure sensor {n}",
                          at=T0 + timedelta(minutes=n), external_id=f"P{n}")])  # fmt: skip
    index.add(helpdesk(T0 + timedelta(days=1)))
    assert len(index) == 48
    assert len(index.corpus.segments) <= 6
    assert sum(segment.rows for segment in index.corpus.segments) == 48
    query = ticket("VAT on books invoiced wrongly", at=T0 + timedelta(days=40))
    assert index.similar(query, k=1)[0].id == "H-1"


def test_adding_something_else_is_refused_and_leaves_the_index_whole() -> None:
    index = SimilarityIndex()
    good = ticket("Backup job fails every Sunday", external_id="B1")
    with pytest.raises(InvalidInput) as error:
        index.add([good, "not a ticket"])  # type: ignore[list-item]
    assert error.value.field == "tickets"
    assert len(index) == 1
    assert index.similar(ticket("Sunday backup job fails"), k=1)[0].id == "B1"


def test_terms_past_the_vocabulary_cap_are_left_out_of_the_counts() -> None:
    capped = SimilarityIndex(max_terms=3)
    capped.add([ticket("disk full", "disk full on node seven", external_id="C-1")])
    corpus = capped.corpus
    assert corpus.vocabulary.terms == ["disk", "full", "node"]
    subject, body, _ = corpus.counts_of(0)
    assert dict(zip(subject.indices.tolist(), subject.data.tolist(), strict=True)) == {0: 1, 1: 1}
    assert dict(zip(body.indices.tolist(), body.data.tolist(), strict=True)) == {0: 1, 1: 1, 2: 1}
