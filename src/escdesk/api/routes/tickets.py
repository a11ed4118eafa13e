"""Imported tickets: list, import an export, one ticket, similar tickets (R-REC-1, R-REC-2).

The similarity index is one per application (and database), loaded on first use and kept in
step with the tickets table by the service; `http.deps.IndexDep` hands it to routes and pages.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile

from escdesk.api.schemas.common import MAX_ID, SafeStr
from escdesk.api.schemas.tickets import ImportOut, SimilarOut, TicketDetailOut, TicketList
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput
from escdesk.http.deps import IndexDep, NowDep, UowDep, require
from escdesk.services import tickets as service

router = APIRouter(prefix="/tickets", tags=["tickets"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Importer = Annotated[Principal, Depends(require(Permission.MANAGE_RECURRING))]
TicketKey = Annotated[
    str, Path(min_length=1, max_length=301, description="Helpdesk id, or source:id.")
]
K = Annotated[int, Query(ge=1, le=service.MAX_K, description="How many similar tickets.")]


@router.get("", response_model=TicketList)
def list_tickets(
    _: Reader,
    uow: UowDep,
    account: Annotated[SafeStr | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> TicketList:
    """Imported tickets, newest first."""
    return TicketList.of(service.list_tickets(uow, limit=limit, offset=offset, account=account))


@router.post("/import", response_model=ImportOut)
def import_tickets(
    _: Importer,
    uow: UowDep,
    now: NowDep,
    index: IndexDep,
    file: Annotated[UploadFile, File(description="The helpdesk export.")],
    format: Annotated[str, Form(max_length=20, description="jsonl, csv, zendesk, …")],
    source: Annotated[str | None, Form(max_length=100)] = None,
    skip_invalid: Annotated[bool, Form()] = False,
    allow_repeats: Annotated[bool, Form()] = False,
    map: Annotated[
        list[str] | None, Form(description="FIELD=COLUMN, repeatable, as --map on the CLI.")
    ] = None,
) -> ImportOut:
    """Import (or re-import: updates, never duplicates) an export, in one transaction."""
    mapping: dict[str, str] = {}
    for pair in map or []:
        field, sep, column = pair.partition("=")
        if not sep:
            raise InvalidInput("map", f"{pair!r} is not FIELD=COLUMN", "Write it as subject=Title")
        mapping[field.strip()] = column.strip()
    report = service.import_stream(
        uow,
        index,
        file.file,
        format=format,
        now=now,
        file_name=file.filename or "upload",
        total_bytes=file.size,
        source=source,
        mapping=mapping,
        skip_invalid=skip_invalid,
        allow_repeats=allow_repeats,
    )
    return ImportOut.of(report)


@router.get("/similar", response_model=SimilarOut)
def similar_to_text(
    _: Reader,
    uow: UowDep,
    now: NowDep,
    index: IndexDep,
    q: Annotated[SafeStr | None, Query(max_length=10_000, description="A description.")] = None,
    escalation: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Or an escalation.")
    ] = None,
    k: K = 10,
) -> SimilarOut:
    """Tickets like a description (a ticket being filed) or an escalation's summary and ask."""
    if (q is None) == (escalation is None):
        raise InvalidInput("q", "give a description or an escalation, not both or neither",
                           "Send ?q=words or ?escalation=12")  # fmt: skip
    if escalation is not None:
        return SimilarOut.of(service.similar_to_escalation(uow, index, escalation, k=k))
    return SimilarOut.of(service.similar_to_text(uow, index, q or "", now=now, k=k))


@router.get("/{key}", response_model=TicketDetailOut)
def show_ticket(key: TicketKey, _: Reader, uow: UowDep) -> TicketDetailOut:
    return TicketDetailOut.of_detail(service.show_ticket(uow, key))


@router.get("/{key}/similar", response_model=SimilarOut)
def similar_tickets(
    key: TicketKey,
    _: Reader,
    uow: UowDep,
    index: IndexDep,
    k: K = 10,
    earlier_only: Annotated[
        bool, Query(description="Only tickets created strictly before this one.")
    ] = False,
) -> SimilarOut:
    """The tickets most like this one, best first, with the shared terms as the reason."""
    results = service.similar_tickets(uow, index, [key], k=k, earlier_only=earlier_only)
    return SimilarOut.of(results[0])
