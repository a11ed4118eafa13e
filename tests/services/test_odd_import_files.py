"""R-OPS-4: import files with what no store can hold are refused naming the field, and nothing
of the file is written (on SQLite and, with ESCDESK_TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from escdesk.domain.errors import InvalidInput
from escdesk.services import tickets
from escdesk.similarity.cache import IndexCache
from escdesk.store.tables import TicketRow
from escdesk.store.uow import SqlUnitOfWork

GOOD = '{"id": "T-1", "subject": "Export stalls", "created_at": "2024-03-01T09:00:00Z"}\n'


def second(**fields: str) -> str:
    values = {"id": '"T-2"', "subject": '"Login loops"', "created_at": '"2024-03-01T09:00:00Z"'}
    values.update(fields)
    return "{" + ", ".join(f'"{k}": {v}' for k, v in values.items()) + "}\n"


CASES = [
    ("date beyond UTC", second(created_at='"9999-12-31T23:59:59-23:59"'), "created_at"),
    ("date before UTC", second(created_at='"0001-01-01T00:00:00+23:59"'), "created_at"),
    ("lone surrogate", second(subject='"broken \\ud800 text"'), "subject"),
    ("NUL character", second(body='"a\\u0000b"'), "body"),
    ("nesting 100,000 deep", second(extra="[" * 100_000 + "]" * 100_000), "record"),
    ("subject too long", second(subject='"' + "x" * 1001 + '"'), "subject"),
    ("body too long", second(body='"' + "x" * 100_001 + '"'), "body"),
]


@pytest.mark.parametrize(("name", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_an_odd_record_is_bad_input_naming_its_field_and_nothing_is_written(
    name: str,
    line: str,
    field: str,
    uow: SqlUnitOfWork,
    engine: Engine,
    tmp_path: Path,
    now: datetime,
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(GOOD + line, encoding="utf-8")

    with pytest.raises(InvalidInput) as refused:
        tickets.import_file(uow, IndexCache(tmp_path / "index"), path, format="jsonl", now=now)

    assert refused.value.field == f"line 2: {field}", refused.value
    refused.value.message.encode("utf-8")  # printable, even when it quotes broken text
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(TicketRow)).scalar_one() == 0


def test_skipping_odd_records_keeps_the_good_ones_and_lists_the_rest(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "odd.jsonl"
    lines = [line.replace('"T-2"', f'"T-{n}"', 1) for n, (_, line, _) in enumerate(CASES, 2)]
    path.write_text(GOOD + "".join(lines), encoding="utf-8")

    report = tickets.import_file(
        uow, IndexCache(tmp_path / "index"), path, format="jsonl", now=now, skip_invalid=True
    )

    assert report.new == 1
    assert [s.field for s in report.skipped] == [field for _, _, field in CASES]
