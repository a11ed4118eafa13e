"""The shape every importer has: a stream in, one `ParsedRecord` per ticket out (R-REC-1).

Each format module offers `parse(stream, *, source, options) -> Iterator[ParsedRecord]`. A record
is either a `Ticket` or an `InvalidRecord` naming its line and field, so a caller can stop at the
first bad record or skip them all and report them. Problems that make the rest of the file
unreadable (wrong format, broken JSON document, missing CSV column, empty file) raise
`InvalidInput` at once: there is nothing sensible to skip to.

Nothing here keeps the tickets: a record is yielded as soon as it is read, and a caller that
writes each one inside its transaction holds one ticket at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Literal, TextIO

from escdesk.domain.errors import InvalidInput, printable
from escdesk.domain.ticket import Ticket
from escdesk.importers.compressed import read_errors
from escdesk.importers.seen import SeenIds
from escdesk.importers.source import TextSource
from escdesk.importers.values import FieldProblem

TICKET_FIELDS = (
    "id",
    "subject",
    "body",
    "created_at",
    "account",
    "product_area",
    "component",
    "priority",
    "status",
    "solved_at",
    "tags",
    "customer_messages",
    "agent_replies",
    "first_contact",
    "satisfaction",
)
"""Fields a file may hold; the last four say how the ticket was answered (`ticket_outcomes`):
the message counts, or else the helpdesk's first-contact flag, and the satisfaction rating."""


@dataclass(frozen=True, slots=True)
class InvalidRecord:
    """A record that cannot become a ticket: where it is, which field, and how to fix it.

    `record` is set for JSON documents, whose records are counted (a minified export has all of
    them on line 1); line-oriented formats leave it None.
    """

    line: int
    field: str
    problem: str
    fix: str
    record: int | None = None

    def __post_init__(self) -> None:
        for name in ("field", "problem", "fix"):  # a quoted lone surrogate stays printable
            object.__setattr__(self, name, printable(getattr(self, name)))

    @property
    def where(self) -> str:
        if self.record is None:
            return f"line {self.line}"
        return f"record {self.record} (line {self.line})"

    def to_error(self) -> InvalidInput:
        return InvalidInput(f"{self.where}: {self.field}", self.problem, self.fix)

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.problem}. {self.fix}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader decided that the person importing should know, though nothing was
    refused: which column became which field, how ids were made, what stood in for a missing
    subject. `where` names the first record it concerns (None: the whole file)."""

    field: str
    message: str
    where: str | None = None

    def __str__(self) -> str:
        at = f"{self.where}: " if self.where else ""
        return f"{at}{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """One record of a file: a ticket or why not, how far into the file the reader is, and
    any notices raised since the record before."""

    line: int
    record: int | None
    outcome: Ticket | InvalidRecord
    bytes_read: int
    notices: tuple[Notice, ...] = ()

    @property
    def ticket(self) -> Ticket | None:
        return self.outcome if isinstance(self.outcome, Ticket) else None

    @property
    def invalid(self) -> InvalidRecord | None:
        return self.outcome if isinstance(self.outcome, InvalidRecord) else None


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file beyond its format.

    `mapping` says where each ticket field is in the file: a column name for CSV formats, a
    custom field id or ticket key for Zendesk, a field key such as `customfield_10050` for Jira
    JSON. `allow_repeats` lets a later record with the same id stand (Zendesk's time-based
    incremental export repeats a ticket each time it changed); otherwise a repeat is an error.
    `row_ids` says how a sheet without an id column numbers its tickets: by a hash of each
    row's content, or by the row's position (chosen when the source is named, so that
    re-importing the grown file under that name updates the same tickets).
    """

    mapping: Mapping[str, str] = field(default_factory=dict)
    allow_repeats: bool = False
    row_ids: Literal["content", "position"] = "content"

    def __post_init__(self) -> None:
        for name in self.mapping:
            if name not in TICKET_FIELDS:
                raise InvalidInput(
                    "map",
                    f"{name!r} is not a ticket field",
                    f"Map one of: {', '.join(TICKET_FIELDS)} (as --map subject=Title)",
                )


DEFAULT_OPTIONS = ImportOptions()


def check_mapping(options: ImportOptions, fmt: str, mappable: tuple[str, ...]) -> None:
    """JSON formats fix where id, subject and dates are; only descriptive fields move."""
    for name in options.mapping:
        if name not in mappable:
            raise InvalidInput(
                "map",
                f"{fmt} reads {name} from its own field and cannot re-map it",
                f"Map only {', '.join(mappable)} for {fmt}",
            )


Outcome = tuple[int, int | None, Ticket | InvalidRecord]
"""What a format yields: the line a record starts on, its number in a JSON document (or None),
and the ticket or the problem."""


@dataclass
class Reading:
    """One parse under way: what a format reads, and what the file calls a ticket's id (a
    CSV layout learns it from the header) so a repeated id is reported in the file's words."""

    text: TextSource
    source: str
    options: ImportOptions
    id_label: str = "id"
    made_ids: str | None = None
    """How ids were made when the file has none (the repeated-id message says so)."""
    notices: list[Notice] = field(default_factory=list)

    def notice(self, field: str, message: str, where: str | None = None) -> None:
        self.notices.append(Notice(field, message, where))


Records = Callable[[Reading], Iterator[Outcome]]


def file_error(line: int, problem: str, fix: str) -> InvalidInput:
    """The whole file cannot be read on from here: `line 1: file: is empty. …`."""
    return InvalidInput(f"line {line}: file", problem, fix)


def new_ticket(
    source: str,
    external_id: str,
    subject: str,
    created_at: datetime,
    *,
    body: str = "",
    account: str | None = None,
    product_area: str | None = None,
    component: str | None = None,
    priority: str | None = None,
    status: str | None = None,
    solved_at: datetime | None = None,
    tags: tuple[str, ...] = (),
    first_contact: bool | None = None,
    satisfied: bool | None = None,
    labels: Mapping[str, str] | None = None,
) -> Ticket:
    """A Ticket; the domain's own checks (solved before created…) come back as FieldProblem,
    naming the field as the file does (`labels`: ticket field → column or key)."""
    try:
        return Ticket(
            source=source,
            external_id=external_id,
            subject=subject,
            created_at=created_at,
            body=body.replace("\r\n", "\n"),
            account=account,
            product_area=product_area,
            component=component,
            priority=priority,
            status=status,
            solved_at=solved_at,
            tags=tags,
            first_contact=first_contact,
            satisfied=satisfied,
        )
    except InvalidInput as exc:
        label = labels.get(exc.field, exc.field) if labels else exc.field
        raise FieldProblem(label, exc.problem, exc.fix) from exc


def run(
    stream: TextIO | BinaryIO, source: str, options: ImportOptions, records: Records
) -> Iterator[ParsedRecord]:
    """Drives one format over a stream: repeated ids, byte counts, undecodable text."""
    if not source.strip():
        raise InvalidInput("source", "is empty", "Name where the tickets come from: --source acme")
    text = TextSource(stream)
    reading = Reading(text, source, options)
    seen = None if options.allow_repeats else SeenIds()
    line = 0
    try:
        for line, record, outcome in records(reading):
            if seen is not None and isinstance(outcome, Ticket):
                # documents number their records (all on line 1 when minified): name the number
                unit, at = ("line", line) if record is None else ("record", record)
                earlier = seen.first_line(outcome.external_id, at)
                if earlier is not None:
                    outcome = _repeated(reading, outcome, line, record, f"{unit} {earlier}")
            notices: tuple[Notice, ...] = ()
            if reading.notices:
                notices, reading.notices = tuple(reading.notices), []
            yield ParsedRecord(line, record, outcome, text.bytes_read, notices)
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start : exc.start + 1]
        raise file_error(
            line + 1,
            f"is not UTF-8 text (byte {bad!r} within the next 64 KiB)",
            "Export the file again as UTF-8, or convert it: iconv -f latin1 -t utf-8",
        ) from exc
    except read_errors() as exc:
        raise file_error(
            line + 1,
            f"cannot be read on ({exc or type(exc).__name__})",
            "The file is cut off or damaged: export or download it again",
        ) from exc


def _repeated(
    reading: Reading, ticket: Ticket, line: int, record: int | None, earlier: str
) -> InvalidRecord:
    if reading.made_ids is not None:
        return InvalidRecord(
            line,
            "record",
            f"repeats the record at {earlier} ({reading.made_ids})",
            "Remove the repeated row, or name the source (--source NAME) to number rows",
            record,
        )
    return InvalidRecord(
        line,
        reading.id_label,
        f"{ticket.external_id!r} is already used at {earlier}",
        "Give each ticket its own id, or remove the repeated record",
        record,
    )
