"""Timestamps as helpdesks export them, read into aware UTC datetimes.

A timestamp without an offset is taken as UTC: exports rarely say which zone they were written
in, and one fixed rule is easier to correct afterwards than a guess. The fast path is
`datetime.fromisoformat`, which in Python 3.11 also reads `2023-03-12 16:05:00` and offsets such
as `+0000` (Jira); `strptime` runs only for the other layouts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from escdesk.importers.values import FieldProblem, describe

DateReader = Callable[[object, str], datetime]

ISO_EXAMPLE = "2023-01-31T09:00:00Z"
CSV_LAYOUTS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
JIRA_LAYOUTS = (
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%b/%Y %H:%M",
    "%d/%b/%y",
)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:  # most exports: "…Z"
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _reader(layouts: Sequence[str], described: str, example: str) -> DateReader:
    def read(value: object, field: str) -> datetime:
        if not isinstance(value, str):
            raise FieldProblem(field, f"is {describe(value)}, not a date", f"Write it as {example}")
        text = value.strip()
        try:
            return _utc(datetime.fromisoformat(text))
        except ValueError:
            pass
        except OverflowError:  # 9999-12-31T23:59:59-23:59 is a date, but not one in UTC
            raise FieldProblem(
                field, f"{value!r} is out of range once converted to UTC", "Check the date"
            ) from None
        for layout in layouts:
            try:
                return _utc(datetime.strptime(text, layout))
            except ValueError:
                continue
        raise FieldProblem(field, f"{value!r} is not {described}", f"Write it as {example}")

    return read


parse_iso: DateReader = _reader((), "an ISO 8601 date", ISO_EXAMPLE)
"""JSON formats: ISO 8601 only (`2023-01-31T09:00:00Z`, `2023-01-31 09:00:00`, `2023-01-31`)."""

parse_csv_date: DateReader = _reader(
    CSV_LAYOUTS,
    "a date escdesk reads (ISO 8601, YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM)",
    f"{ISO_EXAMPLE} or 2023-01-31 09:00:00",
)
"""CSV exports: ISO 8601, `YYYY-MM-DD HH:MM:SS` and the day-first `DD/MM/YYYY HH:MM`."""

parse_jira_date: DateReader = _reader(
    JIRA_LAYOUTS,
    "a Jira date (12/Mar/23 4:05 PM) or ISO 8601",
    f"12/Mar/23 4:05 PM or {ISO_EXAMPLE}",
)
"""Jira: its default `dd/MMM/yy h:mm a` (English month names) and ISO 8601."""

parse_any_date: DateReader = _reader(
    CSV_LAYOUTS + JIRA_LAYOUTS,
    "a date escdesk reads (ISO 8601, YYYY-MM-DD HH:MM:SS, DD/MM/YYYY HH:MM or 12/Mar/23 4:05 PM)",
    f"{ISO_EXAMPLE} or 2023-01-31 09:00:00",
)
"""Sheets from any tracker: every layout above (they cannot be mistaken for one another)."""
