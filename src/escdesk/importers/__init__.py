"""Ticket importers (R-REC-1): helpdesk exports in, `Ticket`s out, one record at a time.

Formats: jsonl, csv, zendesk, freshdesk, jira-csv, jira-json (see `formats.FORMATS`).
Nothing here writes to the database; the caller stores what it iterates, in one transaction.
"""

from escdesk.importers.base import (
    DEFAULT_OPTIONS,
    TICKET_FIELDS,
    ImportOptions,
    InvalidRecord,
    ParsedRecord,
)
from escdesk.importers.formats import FORMATS, Format, get_format
from escdesk.importers.reader import (
    ImportReport,
    ImportResult,
    TicketImport,
    import_stream,
    open_import,
    read_tickets,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "FORMATS",
    "TICKET_FIELDS",
    "Format",
    "ImportOptions",
    "ImportReport",
    "ImportResult",
    "InvalidRecord",
    "ParsedRecord",
    "TicketImport",
    "get_format",
    "import_stream",
    "open_import",
    "read_tickets",
]
