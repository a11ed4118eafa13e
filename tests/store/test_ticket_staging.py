"""Staged imports (R-REC-1): a batch goes in with the database's bulk path, one upsert publishes
it, and what lands in `tickets` is exactly what the ORM would have written. SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Engine, select, text

from escdesk.domain.ticket import Ticket
from escdesk.store.tables import TicketImportRow, TicketRow
from escdesk.store.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
T0 = datetime(2026, 9, 1, 9, 0, 0, 123456, tzinfo=UTC)


def ticket(n: int, subject: str = "Login loops", **overrides: object) -> Ticket:
    values: dict[str, object] = {
        "source": "desk",
        "external_id": f"T-{n}",
        "subject": subject,
        "created_at": T0 + timedelta(hours=n),
        "body": "After the IdP, the browser returns to the login page.",
        "account": "Acme Corp",
        "tags": ("sso", "login"),
    }
    values.update(overrides)
    return Ticket(**values)  # type: ignore[arg-type]


def stage(uow: SqlUnitOfWork, *batches: list[Ticket], skipped: int = 0) -> tuple[int, int, int]:
    with uow:
        staging = uow.tickets.stage("desk", "jsonl", "tickets.jsonl", NOW)
        for batch in batches:
            staging.add(batch)
        published = staging.publish(skipped)
        uow.commit()
    return published.import_id, published.new, published.updated


def stored(engine: Engine) -> dict[str, tuple[object, ...]]:
    """Every ticket as the database holds it (raw: text dates on SQLite)."""
    columns = "external_id, subject, body, account, created_at, solved_at, tags, import_id"
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT {columns} FROM tickets")).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_a_staged_ticket_is_stored_exactly_as_the_orm_stores_it(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    solved = datetime(2026, 9, 2, 10, 0, 0, 5, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    import_id, _, _ = stage(uow, [ticket(1, solved_at=solved, component="SSO")])
    with uow:  # the same values written the ordinary way, beside it
        uow.session.add(
            TicketRow(
                source="orm",
                external_id="T-1",
                subject="Login loops",
                body="After the IdP, the browser returns to the login page.",
                account="Acme Corp",
                component="SSO",
                created_at=T0 + timedelta(hours=1),
                solved_at=solved,
                tags=["sso", "login"],
                import_id=import_id,
            )
        )
        uow.session.commit()

    with engine.connect() as connection:
        raw = connection.execute(
            text("SELECT source, created_at, solved_at, tags, component FROM tickets")
        ).all()
    by_source = {row[0]: tuple(row[1:]) for row in raw}
    assert by_source["desk"] == by_source["orm"]
    with uow:
        found = uow.tickets.resolve(["desk:T-1"])["desk:T-1"].ticket
    assert found == ticket(1, solved_at=solved.astimezone(UTC), component="SSO")


def test_publishing_again_updates_the_tickets_of_the_source_and_counts_new_and_updated(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    first = stage(uow, [ticket(1), ticket(2)], [ticket(3)])
    second = stage(uow, [ticket(2, "Login loops again")], [ticket(4)], skipped=2)

    assert first[1:] == (3, 0)
    assert second[1:] == (1, 1)
    rows = stored(engine)
    assert sorted(rows) == ["T-1", "T-2", "T-3", "T-4"]
    assert rows["T-2"][0] == "Login loops again"
    assert rows["T-2"][-1] == rows["T-4"][-1] == second[0]  # last written by the second run
    with engine.connect() as connection:
        run = connection.execute(
            select(TicketImportRow.written, TicketImportRow.skipped).where(
                TicketImportRow.id == second[0]
            )
        ).one()
    assert tuple(run) == (2, 2)


def test_a_ticket_repeated_in_a_later_batch_ends_as_its_last_record_says(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    _, new, updated = stage(
        uow, [ticket(1, "First words"), ticket(2)], [ticket(1, "Last words")], [ticket(3)]
    )

    assert (new, updated) == (3, 0)
    assert stored(engine)["T-1"][0] == "Last words"


def test_nothing_staged_or_published_is_seen_before_the_commit(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    with uow:
        staging = uow.tickets.stage("desk", "jsonl", "tickets.jsonl", NOW)
        staging.add([ticket(1), ticket(2)])
        assert stored(engine) == {}  # another connection sees nothing yet
        staging.publish(0)
        assert stored(engine) == {}
        uow.rollback()

    assert stored(engine) == {}
    with engine.connect() as connection:
        assert connection.execute(select(TicketImportRow.id)).all() == []
    assert stage(uow, [ticket(5)])[1:] == (1, 0)  # and the next import starts clean
