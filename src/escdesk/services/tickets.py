"""Ticket use cases (R-REC-1, R-REC-2): import a helpdesk export, find similar earlier tickets.

An import is one transaction: a bad record stops it with its line and field and nothing is
written, or, with `skip_invalid`, is left out and reported. Tickets are staged in batches of
`BATCH` and published as one upsert keyed by (source, helpdesk id) (see the store's
`ticket_staging`), so importing a file again updates its tickets instead of duplicating them,
and the desk's other writes never wait for an import to finish. Each batch is also read for
the similar-tickets index as it is staged (`TicketIndex.prepare`), which neither holds nor
changes the index; after the commit the index takes them in one short step (`adopt`), so the
tickets are never read back from the database. Indexing never holds the database.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, TextIO

from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket import Ticket
from escdesk.domain.values import storable_problem
from escdesk.importers import InvalidRecord, ParsedRecord, get_format
from escdesk.importers.base import ImportOptions
from escdesk.importers.notices import Notices
from escdesk.importers.source import open_export
from escdesk.services.ports import UnitOfWork
from escdesk.services.ranker import rank_with_team_model
from escdesk.services.recurring_ports import TicketStaging
from escdesk.services.ticket_index import LiveIndex, PreparedTickets, SimilarMatch, TicketIndex
from escdesk.services.ticket_judgements import apply_verdicts, verdict_counts
from escdesk.services.ticket_views import (
    ImportNotice,
    ImportReport,
    SimilarResult,
    Skipped,
    StoredTicket,
    TicketDetail,
    TicketMatch,
)

BATCH = 10_000
MAX_K = 100
MAX_SOURCE = 100
MAX_ID = 200
Progress = Callable[[int, int | None], None]
"""Told the bytes read so far and the total (None when unknown), after every batch."""


@dataclass(frozen=True)
class TicketPage:
    items: list[StoredTicket]
    total: int
    limit: int
    offset: int


def import_file(
    uow: UnitOfWork,
    index: TicketIndex,
    path: str | os.PathLike[str],
    *,
    format: str,
    now: datetime,
    source: str | None = None,
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    allow_repeats: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the export at `path` (see `import_stream`); it may be gzip, bzip2, xz or zip."""
    get_format(format)  # an unknown format is reported before a missing file
    file = Path(path)
    stream = open_export(file, "FILE")
    with stream:
        return import_stream(
            uow,
            index,
            stream,
            format=format,
            now=now,
            file_name=file.name,
            total_bytes=file.stat().st_size,
            source=source,
            mapping=mapping,
            skip_invalid=skip_invalid,
            allow_repeats=allow_repeats,
            progress=progress,
        )


def import_stream(
    uow: UnitOfWork,
    index: TicketIndex,
    stream: TextIO | BinaryIO,
    *,
    format: str,
    now: datetime,
    file_name: str = "-",
    total_bytes: int | None = None,
    source: str | None = None,
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    allow_repeats: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> ImportReport:
    """Read an export and store its tickets in one transaction, then bring the similar-tickets
    index up to date with them (the report says how long that took).

    A sheet without an id column numbers its rows when the source is named, else ids them by
    their content (the import's notices say which)."""
    chosen = get_format(format)
    name = chosen.default_source if source is None else source.strip()
    if not name or len(name) > MAX_SOURCE:
        raise InvalidInput(
            "source",
            f"{name!r} is empty or too long",
            "Name it in 1 to 100 characters, e.g. acme",
        )
    options = ImportOptions(
        mapping=dict(mapping or {}),
        allow_repeats=allow_repeats,
        row_ids="content" if source is None else "position",
    )
    records = chosen.parse(stream, source=name, options=options)
    skipped: list[Skipped] = []
    notices = Notices()
    update_index(uow, index)  # as the table stands: afterwards only this import is added
    prepared = index.prepare()
    try:
        with uow:
            staging = uow.tickets.stage(name, format, file_name, now)
            read = _stage_all(
                records, staging, prepared, skip_invalid, skipped, notices, batch_size,
                progress, total_bytes,
            )  # fmt: skip
            if progress:
                progress(total_bytes if total_bytes is not None else read.bytes_read, total_bytes)
            published = staging.publish(skipped=len(skipped))
            uow.commit()
        started = time.perf_counter()
        with uow:
            index.adopt(prepared, uow.tickets, published.import_id)
        indexing = time.perf_counter() - started
    finally:
        prepared.close()  # a failed import stops its reading too
    told = [ImportNotice(n.field, n.message, n.first_where, n.count) for n in notices.counted()]
    return ImportReport(
        published.import_id,
        name,
        format,
        read.tickets,
        published.new,
        published.updated,
        skipped,
        told,
        indexing,
    )


@dataclass
class _Read:
    tickets: int = 0
    bytes_read: int = 0


def _stage_all(
    records: Iterable[ParsedRecord],
    staging: TicketStaging,
    prepared: PreparedTickets,
    skip_invalid: bool,
    skipped: list[Skipped],
    notices: Notices,
    batch_size: int,
    progress: Progress | None,
    total_bytes: int | None,
) -> _Read:
    """Every accepted record into the staging, a batch at a time, each batch also read for
    the index; returns how many tickets and bytes were read."""
    read = _Read()
    batch: dict[str, Ticket] = {}
    for record in records:
        read.bytes_read = record.bytes_read
        if record.notices:
            notices.add(record.notices)
        ticket = _accepted(record, skip_invalid, skipped)
        if ticket is None:
            continue
        read.tickets += 1
        batch.pop(ticket.external_id, None)  # a repeat (allowed) replaces the earlier
        batch[ticket.external_id] = ticket
        if len(batch) >= batch_size:
            _stage(staging, prepared, list(batch.values()))
            batch = {}
            if progress:
                progress(read.bytes_read, total_bytes)
    _stage(staging, prepared, list(batch.values()))
    return read


def _stage(staging: TicketStaging, prepared: PreparedTickets, tickets: list[Ticket]) -> None:
    """One batch into the database's staging, and read for the index."""
    staging.add(tickets)
    prepared.add(tickets)


def update_index(uow: UnitOfWork, index: TicketIndex) -> int:
    """Bring the similar-tickets index up to date with the tickets table (after an import):
    newer imports are added, anything else rebuilds it. Returns how many tickets it holds."""
    with uow, index.using(uow.tickets) as live:
        return len(live)


def _accepted(record: ParsedRecord, skip_invalid: bool, skipped: list[Skipped]) -> Ticket | None:
    """The record's ticket if it can be stored; else stop (InvalidInput) or note it skipped."""
    outcome = record.outcome
    problem: InvalidRecord | None = outcome if isinstance(outcome, InvalidRecord) else None
    if isinstance(outcome, Ticket):
        problem = _unstorable(record, outcome)
        if problem is None:
            return outcome
    assert problem is not None
    if not skip_invalid:
        raise problem.to_error()
    skipped.append(Skipped(problem.where, problem.field, problem.problem, problem.fix))
    return None


def _unstorable(record: ParsedRecord, ticket: Ticket) -> InvalidRecord | None:
    """What no database column takes: overlong ids, NUL characters (PostgreSQL refuses them),
    unpaired surrogates (no encoder does)."""
    if len(ticket.external_id) > MAX_ID:
        return InvalidRecord(
            record.line, "id", f"is longer than {MAX_ID} characters", "Shorten it", record.record
        )
    t = ticket  # one check over every text first: bad text is rare, which field it is, rarer
    every = f"{t.external_id}{t.subject}{t.body}{t.account}{t.product_area}{t.component}"
    if storable_problem(f"{every}{t.priority}{t.status}{''.join(t.tags)}") is None:
        return None
    for name in _TEXT_FIELDS:
        value = getattr(ticket, name)
        problem = storable_problem(value) if value else None
        if problem is not None:
            field = "id" if name == "external_id" else name
            return InvalidRecord(record.line, field, problem, "Remove it", record.record)
    return InvalidRecord(
        record.line, "tags", "contains a NUL character or broken text", "Remove it", record.record
    )


_TEXT_FIELDS = (
    "external_id",
    "subject",
    "body",
    "account",
    "product_area",
    "component",
    "priority",
    "status",
)


# ---------------------------------------------------------------------- similar tickets
def similar_tickets(
    uow: UnitOfWork,
    index: TicketIndex,
    ids: Iterable[str],
    *,
    k: int = 10,
    earlier_only: bool = False,
    details: bool = True,
) -> list[SimilarResult]:
    """R-REC-2: for each ticket named (helpdesk id, or source:id), the k most similar, best
    first; `earlier_only` keeps tickets created strictly before it. `details=False` skips the
    subjects and linked issues a script printing ids and scores does not need."""
    wanted = [i.strip() for i in ids if i.strip()]
    if not wanted:
        raise InvalidInput("ids", "no ticket was named", "Give ticket ids, or a file of them")
    _check_k(k)
    with uow:
        found = uow.tickets.resolve(wanted)
        judged = verdict_counts(uow, [t.id for t in found.values()])
        with index.using(uow.tickets) as live:
            rank_with_team_model(uow, live)
            raw = [
                (
                    q,
                    live.similar(
                        found[q].key, k=k + judged.get(found[q].id, 0), earlier_only=earlier_only
                    ),
                )
                for q in wanted
            ]  # pairs judged unrelated are dropped: ask for as many more
            if not details:
                bare = [SimilarResult(q, [_bare(m) for m in matches]) for q, matches in raw]
                return [apply_verdicts(uow, found[r.query], r, k) for r in bare]
            described = _described(uow, live, [(q, found[q].ticket, m) for q, m in raw])
            return [apply_verdicts(uow, found[r.query], r, k) for r in described]


def similar_to_text(
    uow: UnitOfWork, index: TicketIndex, text: str, *, now: datetime, k: int = 10
) -> SimilarResult:
    """Tickets like a problem described in words: a new ticket or request being filed."""
    _check_k(k)
    words = text.strip()
    if not words:
        raise InvalidInput("q", "is empty", "Describe the problem in a few words")
    subject, _, body = words[:10_000].partition("\n")
    query = Ticket("escdesk", "escdesk:query", subject.strip() or body, now, body=body.strip())
    return _similar_to(uow, index, query, k, label=words[:200])


def similar_to_escalation(
    uow: UnitOfWork, index: TicketIndex, escalation_id: int, *, k: int = 10
) -> SimilarResult:
    """Tickets like an escalation's summary and initial ask: maybe it was seen before."""
    _check_k(k)
    with uow:
        esc = uow.escalations.get(escalation_id)
    query = Ticket(
        "escdesk",
        f"escdesk:ESC-{escalation_id}",
        esc.summary,
        esc.opened_at,
        body=esc.initial_ask,
        account=esc.customer,
    )
    return _similar_to(uow, index, query, k, label=f"ESC-{escalation_id}")


def _similar_to(
    uow: UnitOfWork, index: TicketIndex, query: Ticket, k: int, *, label: str
) -> SimilarResult:
    with uow:
        with index.using(uow.tickets) as live:
            rank_with_team_model(uow, live)
            matches = _search(live, query, k)
            return _described(uow, live, [(label, query, matches)])[0]


def _search(live: LiveIndex, query: Ticket, k: int) -> list[SimilarMatch]:
    if not len(live):
        return []  # nothing imported yet: nothing is similar, which is an answer, not an error
    return list(live.similar(query, k=k))


def _check_k(k: int) -> None:
    if not 1 <= k <= MAX_K:
        raise InvalidInput("k", f"is {k}", f"Ask for 1 to {MAX_K} similar tickets")


def _bare(match: SimilarMatch) -> TicketMatch:
    return TicketMatch(match.id, match.score, match.shared_terms, match.strength)


def _described(
    uow: UnitOfWork, live: LiveIndex, raw: list[tuple[str, Ticket, Sequence[SimilarMatch]]]
) -> list[SimilarResult]:
    """Subjects, accounts and the recurring issue of every match, with linked escalations,
    and why each matched in the words the two tickets use."""
    stored = uow.tickets.by_keys(m.id for _, _, matches in raw for m in matches)
    issues = uow.recurring.issues_of(t.id for t in stored.values())
    results = []
    for query, asked, matches in raw:
        found: list[TicketMatch] = []
        for m in matches:
            ticket = stored.get(m.id)
            if ticket is None:
                continue  # the index knew a ticket the table no longer has
            issue = issues.get(ticket.id)
            t = ticket.ticket
            found.append(
                TicketMatch(
                    m.id,
                    m.score,
                    m.shared_terms,
                    m.strength,
                    t.subject,
                    t.account,
                    t.created_at,
                    issue,
                    live.explain(m.shared_terms, asked, t),
                )
            )
        linked = sorted({e for m in found if m.issue for e in m.issue.escalation_ids})
        results.append(SimilarResult(query, found, uow.recurring.escalations(linked)))
    return results


# ---------------------------------------------------------------------- reading
def list_tickets(
    uow: UnitOfWork, *, limit: int = 50, offset: int = 0, account: str | None = None
) -> TicketPage:
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit", f"is {limit}", "Ask for 1 to 1000 tickets")
    if offset < 0:
        raise InvalidInput("offset", f"is {offset}", "Start at 0 or later")
    with uow:
        items = uow.tickets.page(limit=limit, offset=offset, account=account)
        return TicketPage(items, uow.tickets.count(account), limit, offset)


def show_ticket(uow: UnitOfWork, key: str) -> TicketDetail:
    """One ticket, the recurring issue it belongs to and that issue's escalations."""
    with uow:
        ticket = uow.tickets.resolve([key])[key.strip()]
        issue = uow.recurring.issues_of([ticket.id]).get(ticket.id)
        linked = uow.recurring.escalations(issue.escalation_ids if issue else ())
        return TicketDetail(ticket, issue, linked)


def reindex(uow: UnitOfWork, index: TicketIndex) -> int:
    """Rebuild the similarity index from the tickets table; returns how many it holds."""
    with uow:
        return index.rebuild(uow.tickets)
