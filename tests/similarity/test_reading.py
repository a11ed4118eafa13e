"""A reader that caches each token's columns reads a ticket exactly as `read` and
`Batch.append` do: the same terms in the same columns, counts, lengths, labels and tags, also
past a vocabulary's cap and with subject word pairs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from escdesk.domain.ticket import Ticket
from escdesk.similarity.reading import Batch, Reader, fields_of, read
from escdesk.similarity.vocabulary import Vocabulary
from tests.similarity.factories import T0, ticket

TEXTS = [
    "Crashes at FSDownload#call since 3.3.1: crashes, the NameNode crashed (404 x_y)",
    "Über Größe naïve ログイン失敗 crashes again",
    "at org.apache.Foo.bar(Foo.java:12)\n at org.junit.X.y(X.java:1)\nNullPointerException",
    "Пароль не работает после обновления",
    "Invoice shows the wrong VAT rate",
    "",
]


def tickets() -> list[Ticket]:
    return [
        ticket(text or "Empty body", text, at=T0 + timedelta(minutes=n), external_id=f"R-{n}",
               account=["Acme", None, " ACME ", ""][n % 4], priority="High" if n % 2 else None,
               tags=[("sso", " SSO", ""), (), ("billing", "vat")][n % 3])
        for n, text in enumerate(TEXTS * 3)
    ]  # fmt: skip


@pytest.mark.parametrize("cap", [1_000_000, 12])
@pytest.mark.parametrize("phrases", [False, True])
def test_a_reader_reads_as_read_and_append_do(cap: int, phrases: bool) -> None:
    expected, seen = Batch(), (Vocabulary(cap), Vocabulary(cap))
    for t in tickets():
        expected.append(t, read(t, phrases), *seen)
    batch, vocabularies = Batch(), (Vocabulary(cap), Vocabulary(cap))
    reader = Reader(*vocabularies, phrases)
    for t in tickets():
        reader.append(batch, fields_of(t))

    assert [v.terms for v in vocabularies] == [v.terms for v in seen]
    for name in ("ids", "created", "subject_length", "body_length", "labels"):
        assert list(getattr(batch, name)) == list(getattr(expected, name)), name
    for name in ("subject", "body", "tags"):
        ours, theirs = getattr(batch, name), getattr(expected, name)
        for part in ("indices", "counts", "indptr"):
            assert list(getattr(ours, part)) == list(getattr(theirs, part)), (name, part)
