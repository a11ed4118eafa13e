"""The formats `escdesk tickets import --format …` reads, by name.

Each entry is a module's `parse` and the source name tickets get by default: both Jira
formats file their tickets under `jira`, so an issue imported from either is the same ticket.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, TextIO

from escdesk.domain.errors import InvalidInput
from escdesk.importers import csvfile, freshdesk, jira_csv, jira_json, jsonl, zendesk
from escdesk.importers.base import ImportOptions, ParsedRecord


class Parse(Protocol):
    def __call__(
        self, stream: TextIO | BinaryIO, *, source: str, options: ImportOptions
    ) -> Iterator[ParsedRecord]: ...


@dataclass(frozen=True)
class Format:
    name: str
    parse: Parse
    default_source: str
    summary: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", jsonl.parse, "jsonl", "escdesk's own: one JSON object per line"),
        Format("csv", csvfile.parse, "csv", "any CSV; name its columns with --map"),
        Format("zendesk", zendesk.parse, "zendesk", "Zendesk tickets JSON, incremental or NDJSON"),
        Format("freshdesk", freshdesk.parse, "freshdesk", "Freshdesk ticket CSV export"),
        Format("jira-csv", jira_csv.parse, "jira", "Jira issue search CSV export"),
        Format("jira-json", jira_json.parse, "jira", "Jira REST /rest/api/2/search JSON"),
    )
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise InvalidInput(
            "format", f"{name!r} is not a format escdesk reads", f"Use one of: {', '.join(FORMATS)}"
        ) from None
