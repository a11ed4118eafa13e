"""R-REC-1, R-REC-2, R-OPS-4: importing helpdesk tickets and finding similar earlier ones.

Every test runs on SQLite and, with ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.services import clustering, tickets
from escdesk.services.recurring_changes import LinkEscalation
from escdesk.similarity.cache import IndexCache
from escdesk.similarity.storage import CURRENT
from escdesk.store.tables import TicketImportRow, TicketRow
from escdesk.store.ticket_repository import TicketRepository
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ticket_factories import T0, jsonl, labelled_records, record


@pytest.fixture
def index(tmp_path: Path) -> IndexCache:
    return IndexCache(tmp_path / "index")


def count(engine: Engine, table: type[TicketRow] | type[TicketImportRow]) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def subjects(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(select(TicketRow.external_id, TicketRow.subject)).all()
        return {row.external_id: row.subject for row in rows}


def test_reimporting_a_file_updates_its_tickets_instead_of_duplicating_them(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    first = jsonl(tmp_path / "a.jsonl", labelled_records())
    report = tickets.import_file(uow, index, first, format="jsonl", now=now)
    assert (report.new, report.updated, report.skipped) == (31, 0, [])

    changed = labelled_records()
    changed[0]["subject"] = "LDAP sync times out for groups over 5000 members"
    again = tickets.import_file(
        uow, index, jsonl(tmp_path / "b.jsonl", changed), format="jsonl", now=now
    )

    assert (again.new, again.updated) == (0, 31)
    assert count(engine, TicketRow) == 31
    assert subjects(engine)["L-1"] == "LDAP sync times out for groups over 5000 members"
    found = tickets.similar_tickets(uow, index, ["L-5"], k=31)[0]
    assert [m.key for m in found.matches].count("L-1") == 1  # the index replaced it, too


def test_a_bad_record_stops_the_import_naming_line_and_field_and_writes_nothing(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    bad = record("X-1", "Broken date", T0) | {"created_at": "last tuesday"}
    path = jsonl(tmp_path / "bad.jsonl", labelled_records() + [bad])

    with pytest.raises(InvalidInput) as error:
        tickets.import_file(uow, index, path, format="jsonl", now=now)

    assert error.value.field == "line 32: created_at"
    assert count(engine, TicketRow) == 0
    assert count(engine, TicketImportRow) == 0
    assert not (tmp_path / "index").exists()  # nor was the index saved with them


def test_skip_invalid_leaves_bad_records_out_and_reports_every_one(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    records = labelled_records()[:5]
    path = jsonl(
        tmp_path / "mixed.jsonl",
        records,
        extra=[
            '{"id": "X-1", "subject": "", "created_at": "2026-09-01T00:00:00Z"}',
            "not json at all",
            '{"id": "X-3", "subject": "NUL \\u0000 inside", "created_at": "2026-09-01T00:00:00Z"}',
            '{"id": "L-2", "subject": "repeated id", "created_at": "2026-09-01T00:00:00Z"}',
        ],
    )
    report = tickets.import_file(uow, index, path, format="jsonl", now=now, skip_invalid=True)

    assert report.new == 5
    assert [(s.where, s.field) for s in report.skipped] == [
        ("line 6", "subject"),
        ("line 7", "record"),
        ("line 8", "subject"),
        ("line 9", "id"),
    ]
    assert all(s.fix for s in report.skipped)
    assert count(engine, TicketRow) == 5


def test_earlier_only_keeps_tickets_created_strictly_before_the_query(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    same = "Webhook deliveries arrive hours late"
    rows = [
        record("W-1", same, T0),
        record("W-2", same, T0 + timedelta(hours=1)),
        record("W-3", same, T0 + timedelta(hours=2)),  # the query
        record("W-4", same, T0 + timedelta(hours=2)),  # same moment: not earlier
        record("W-5", same, T0 + timedelta(hours=3)),
    ]
    tickets.import_file(uow, index, jsonl(tmp_path / "w.jsonl", rows), format="jsonl", now=now)

    earlier = tickets.similar_tickets(uow, index, ["W-3"], k=10, earlier_only=True)[0]
    anytime = tickets.similar_tickets(uow, index, ["W-3"], k=10)[0]

    assert sorted(m.key for m in earlier.matches) == ["W-1", "W-2"]
    assert sorted(m.key for m in anytime.matches) == ["W-1", "W-2", "W-4", "W-5"]
    scores = [m.score for m in anytime.matches]
    assert scores == sorted(scores, reverse=True)


def test_a_newly_imported_ticket_is_searchable_without_rebuilding_the_index(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    tickets.import_file(
        uow, index, jsonl(tmp_path / "a.jsonl", labelled_records()), format="jsonl", now=now
    )
    assert index.rebuilds == 1 and (tmp_path / "index" / CURRENT).is_file()
    new = record("N-1", "LDAP sync timeout for the sales group", T0 + timedelta(days=60))
    tickets.import_file(uow, index, jsonl(tmp_path / "n.jsonl", [new]), format="jsonl", now=now)

    found = tickets.similar_tickets(uow, index, ["N-1"], k=3, earlier_only=True)[0]
    assert index.rebuilds == 1  # added, not rebuilt
    assert found.matches and "LDAP sync" in found.matches[0].subject  # one of the LDAP tickets

    later = IndexCache(tmp_path / "index")  # another process: loads what was saved
    assert tickets.similar_tickets(uow, later, ["N-1"], k=1)[0].matches
    assert later.rebuilds == 0


def test_the_index_catches_up_with_tickets_imported_behind_its_back(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    shared, other = IndexCache(tmp_path / "idx"), IndexCache(tmp_path / "idx")
    path = jsonl(tmp_path / "a.jsonl", labelled_records()[:10])
    tickets.import_file(uow, shared, path, format="jsonl", now=now)
    assert tickets.similar_tickets(uow, other, ["L-1"], k=1)[0].matches  # loaded
    tickets.import_file(
        uow, shared, jsonl(tmp_path / "b.jsonl", labelled_records()[10:]), format="jsonl", now=now
    )

    found = tickets.similar_tickets(uow, other, ["L-26"], k=2, earlier_only=True)[0]

    assert other.rebuilds == 0 and found.matches  # caught up from the newer import alone


def test_a_missing_or_unreadable_index_is_rebuilt_from_the_tickets_table(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    path = jsonl(tmp_path / "a.jsonl", labelled_records())
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    (tmp_path / "index" / CURRENT).write_text("{not json", encoding="utf-8")

    fresh = IndexCache(tmp_path / "index")
    found = tickets.similar_tickets(uow, fresh, ["L-1"], k=3)[0]

    assert fresh.rebuilds == 1
    assert {m.key for m in found.matches} & {"L-5", "L-13", "L-20", "L-26"}


def test_a_ticket_id_two_sources_share_is_named_source_colon_id(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    path = jsonl(tmp_path / "a.jsonl", [record("100", "Invoice shows the wrong VAT rate", T0)])
    tickets.import_file(uow, index, path, format="jsonl", now=now, source="zendesk")
    other = jsonl(tmp_path / "b.jsonl", [record("100", "Wrong VAT on our invoice", T0)])
    tickets.import_file(uow, index, other, format="jsonl", now=now, source="freshdesk")

    with pytest.raises(InvalidInput, match="source:id"):
        tickets.similar_tickets(uow, index, ["100"])
    found = tickets.similar_tickets(uow, index, ["zendesk:100"], k=5)[0]

    assert [m.key for m in found.matches] == ["freshdesk:100"]
    assert tickets.show_ticket(uow, "freshdesk:100").stored.ticket.source == "freshdesk"


def test_an_unknown_ticket_id_is_not_found(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    tickets.import_file(
        uow, index, jsonl(tmp_path / "a.jsonl", labelled_records()), format="jsonl", now=now
    )
    with pytest.raises(NotFound):
        tickets.similar_tickets(uow, index, ["L-1", "L-404"])


def test_similar_results_show_the_escalations_linked_to_their_recurring_issue(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    tickets.import_file(
        uow, index, jsonl(tmp_path / "a.jsonl", labelled_records()), format="jsonl", now=now
    )
    clustering.update_issues(uow, index, now=now)
    issue = tickets.show_ticket(uow, "L-1").issue
    assert issue is not None
    esc = factories.open_escalation(
        uow, now=now, summary="LDAP sync times out", initial_ask="Fix the LDAP group sync timeout"
    )
    assert esc.id is not None
    factories.act(uow, LinkEscalation(issue.id, esc.id), now=now)

    by_text = tickets.similar_to_text(uow, index, "our LDAP sync hits a timeout", now=now, k=3)
    by_escalation = tickets.similar_to_escalation(uow, index, esc.id, k=3)

    for result in (by_text, by_escalation):
        assert result.matches[0].issue is not None
        assert result.matches[0].issue.escalation_ids == (esc.id,)
        assert [e.id for e in result.escalations] == [esc.id]


def test_searching_an_empty_desk_answers_with_nothing_rather_than_an_error(
    uow: SqlUnitOfWork, index: IndexCache, now: datetime
) -> None:
    assert tickets.similar_to_text(uow, index, "anything at all", now=now).matches == []


@pytest.mark.parametrize(("k", "field"), [(0, "k"), (101, "k")])
def test_asking_for_too_few_or_too_many_similar_tickets_is_refused(
    uow: SqlUnitOfWork, index: IndexCache, now: datetime, k: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        tickets.similar_to_text(uow, index, "words", now=now, k=k)
    assert error.value.field == field


def test_the_report_tells_what_the_import_decided_once_per_kind(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    sheet = tmp_path / "it-desk.csv.gz"
    rows = "".join(f"Printer {n} jams,2026-09-0{n} 08:00\n" for n in range(1, 4))
    sheet.write_bytes(gzip.compress(f"Short description,Opened\n{rows}".encode()))

    report = tickets.import_file(uow, index, sheet, format="csv", now=now, source="it-desk")

    assert (report.new, report.skipped) == (3, [])
    told = {n.field: n for n in report.notices}
    assert told["columns"].message == "read 'Short description' → subject, 'Opened' → created_at"
    assert told["id"].message.startswith("the file has no id column: each ticket's id is its row")
    assert tickets.show_ticket(uow, "it-desk:2").stored.ticket.subject == "Printer 2 jams"


def test_a_ticket_repeated_in_a_later_batch_is_stored_once_as_its_last_record(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    rows = labelled_records()[:5] + [record("L-1", "Edited later in the export", T0)]
    path = jsonl(tmp_path / "incremental.jsonl", rows)

    with path.open("rb") as stream:
        report = tickets.import_stream(
            uow, index, stream, format="jsonl", now=now, allow_repeats=True, batch_size=2
        )

    assert (report.read, report.new, report.updated) == (6, 5, 0)
    assert subjects(engine)["L-1"] == "Edited later in the export"
    assert tickets.update_index(uow, index) == 5  # indexed once, too


def _ranked(uow: SqlUnitOfWork, index: IndexCache, keys: list[str]) -> list[list[tuple]]:
    found = tickets.similar_tickets(uow, index, keys, k=10, details=False)
    return [[(m.key, round(m.score, 6)) for m in result.matches] for result in found]


def test_an_import_is_indexed_as_it_is_read_without_reading_its_tickets_back(
    uow: SqlUnitOfWork,
    index: IndexCache,
    tmp_path: Path,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = labelled_records()
    tickets.import_file(
        uow, index, jsonl(tmp_path / "a.jsonl", records[:12]), format="jsonl", now=now
    )
    changed = [r | {"subject": f"{r['subject']} again"} for r in records[8:]]  # 4 re-imported

    def no_read_back(*_: object, **__: object) -> None:
        raise AssertionError("the import's tickets were read back from the table")

    with monkeypatch.context() as patched:
        patched.setattr(TicketRepository, "stream", no_read_back)
        report = tickets.import_stream(
            uow, index, jsonl(tmp_path / "b.jsonl", changed).open("rb"), format="jsonl",
            now=now, batch_size=5,
        )  # fmt: skip

    assert (report.new, report.updated) == (19, 4)
    keys = [r["id"] for r in records]
    rebuilt = IndexCache(None)
    with uow:
        rebuilt.rebuild(uow.tickets)
    assert len(index.index or ()) == 31
    assert _ranked(uow, index, keys) == _ranked(uow, rebuilt, keys)  # as if built from the table
    assert index.rebuilds == 1 and IndexCache(tmp_path / "index").rebuilds == 0


def test_an_import_committed_meanwhile_is_caught_up_from_the_table(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    records = labelled_records()
    tickets.import_file(
        uow, index, jsonl(tmp_path / "a.jsonl", records[:10]), format="jsonl", now=now
    )
    beside = jsonl(tmp_path / "beside.jsonl", records[20:])
    ran: list[int] = []

    def another_import_commits(done: int, total: int | None) -> None:
        if not ran:  # another process imports while this one stages its first batch
            other = tickets.import_file(
                SqlUnitOfWork(engine), IndexCache(tmp_path / "other"), beside,
                format="jsonl", now=now,
            )  # fmt: skip
            ran.append(other.new)

    mine = jsonl(tmp_path / "b.jsonl", records[10:20])
    with mine.open("rb") as stream:
        tickets.import_stream(
            uow, index, stream, format="jsonl", now=now, batch_size=4,
            progress=another_import_commits,
        )  # fmt: skip

    assert ran == [11]
    keys = [r["id"] for r in records]
    rebuilt = IndexCache(None)
    with uow:
        rebuilt.rebuild(uow.tickets)
    assert len(index.index or ()) == 31 and index.rebuilds == 1
    assert _ranked(uow, index, keys) == _ranked(uow, rebuilt, keys)


def test_a_failed_import_leaves_the_index_as_it_was(
    uow: SqlUnitOfWork, engine: Engine, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    records = labelled_records()
    path = jsonl(tmp_path / "a.jsonl", records[:10])
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    bad = record("X-1", "Broken date", T0) | {"created_at": "last tuesday"}
    failing = jsonl(tmp_path / "b.jsonl", records[10:] + [bad])  # after 5 batches were read

    with pytest.raises(InvalidInput), failing.open("rb") as stream:
        tickets.import_stream(uow, index, stream, format="jsonl", now=now, batch_size=4)

    assert count(engine, TicketRow) == 10
    assert len(index.index or ()) == 10 and index.rebuilds == 1
    later = IndexCache(tmp_path / "index")  # what was saved: the 10, loaded, not rebuilt
    assert tickets.similar_tickets(uow, later, ["L-1"], k=3)[0].matches
    assert len(later.index or ()) == 10 and later.rebuilds == 0
