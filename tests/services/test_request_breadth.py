"""R-TRI-2's broad applicability: other accounts with similar earlier tickets, counted at
filing by the similarity engine, and a linked ticket of a recurring issue."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from escdesk.services import clustering, tickets
from escdesk.services import requests as intake
from escdesk.services.request_commands import FileRequest, ShowRequest
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, add_account, add_person, ask
from tests.request_factories import COMPLETE
from tests.ticket_factories import jsonl, labelled_records, record


def test_other_accounts_with_similar_tickets_count_towards_breadth(
    uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    index = IndexCache(tmp_path / "index")
    earlier = now - timedelta(days=30)
    records = [
        record(
            f"T-{n}",
            "CSV export garbles umlauts",
            earlier + timedelta(hours=n),
            body="Names with umlauts come out garbled in the exported CSV file.",
            account=account,
        )  # fmt: skip
        for n, account in enumerate(["Initech", "Umbrella", "Hooli", "Acme Corp"])
    ]
    records.append(record("T-9", "Password reset mail never arrives", earlier, account="Stark"))
    tickets.import_file(uow, index, jsonl(tmp_path / "t.jsonl", records), format="jsonl", now=now)
    add_account(uow, now=now, name="Acme Corp")
    engineer = add_person(uow, "support", now=now)
    values = {**COMPLETE, "other_customers": "0", "account": "Acme Corp",
              "problem": "CSV export garbles umlauts in customer names"}  # fmt: skip
    cmd = intake.with_similar_accounts(uow, index, FileRequest.parse(**values), now=now)
    assert cmd.similar_accounts == 3  # Initech, Umbrella and Hooli; not Acme Corp itself
    filed = act(uow, cmd, now=now, by=engineer.email, handler=intake.file_request)
    shown = ask(uow, intake.show_request, ShowRequest(filed.id))
    breadth = next(p for p in shown.score.parts if p.factor == "breadth")
    assert breadth.points == 3 * 2
    assert "similar tickets from 3 other accounts" in breadth.why


def test_a_linked_ticket_of_a_recurring_issue_counts_towards_breadth(
    uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    index = IndexCache(tmp_path / "index")
    path = jsonl(tmp_path / "l.jsonl", labelled_records(now - timedelta(days=40)))
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    clustering.update_issues(uow, index, now=now)
    assert tickets.show_ticket(uow, "L-1").issue is not None
    engineer = add_person(uow, "support", now=now)
    add_account(uow, now=now, name="Globex")
    values = {**COMPLETE, "other_customers": "0", "account": "Globex", "tickets": ["L-1"]}
    filed = act(uow, FileRequest.parse(**values), now=now, by=engineer.email,
                handler=intake.file_request)  # fmt: skip
    assert filed.tickets[0].ticket_id is not None
    shown = ask(uow, intake.show_request, ShowRequest(filed.id))
    breadth = next(p for p in shown.score.parts if p.factor == "breadth")
    assert breadth.points == 10 and "a linked recurring issue" in breadth.why
