"""Public bug reports with known duplicates, read as escdesk Tickets for the similarity benchmarks.

The files are not part of escdesk: they are looked for in `--data DIR`, else `$ESCDESK_BENCH_DATA`;
a benchmark skips a set whose files are absent.

- hadoop, seamonkey: GitBugs (github.com/av9ash/gitbugs; Patil 2025, arXiv 2504.09651),
  CC BY 4.0.
- openoffice: Lazar et al., MSR 2014 (github.com/dutta1kartik3/duplicate-bug-detection),
  no licence stated.
- eclipse, firefox, mobile: Jahan et al., study of textually dissimilar duplicates
  (github.com/SigmaJahan/Towards-Understanding-the-Impacts-of-Textual-Dissimilarity-on-
  Duplicate-Bug-Report-Detection), GPL-3.0.

Only the CC BY 4.0 sets may train what escdesk ships; the others serve as unseen test sets.
A query is every ticket with a duplicate filed strictly before it; its "twins" are those.
"""

from __future__ import annotations

import ast
import csv
import gzip
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from escdesk.domain.ticket import Ticket

csv.field_size_limit(1 << 30)
SETS = ("hadoop", "seamonkey", "openoffice", "eclipse", "firefox", "mobile")
SHIPPABLE = ("hadoop", "seamonkey")  # CC BY 4.0


@dataclass(frozen=True)
class DuplicateSet:
    name: str
    tickets: list[Ticket]
    twins: dict[str, set[str]]  # query id → ids of its earlier duplicates


def data_dir(explicit: str | None = None) -> Path | None:
    """`--data DIR`, else `$ESCDESK_BENCH_DATA`, else None (the benchmark says so and skips)."""
    if explicit:
        return Path(explicit)
    if os.environ.get("ESCDESK_BENCH_DATA"):
        return Path(os.environ["ESCDESK_BENCH_DATA"])
    return None


def available(directory: Path | None, name: str) -> bool:
    if directory is None:
        return False
    first = {
        "hadoop": "gitbugs_hadoop_bugs.csv.gz",
        "seamonkey": "gitbugs_seamonkey_bugs.csv.gz",
        "openoffice": "openoffice_dup_pairs_with_meta.tsv.gz",
    }.get(name, f"dissim_study_{name}_textually_similar_pairs.csv.gz")
    return (directory / first).exists()


def load(directory: Path, name: str, pairs_file: str | None = None) -> DuplicateSet:
    """One set; `pairs_file` picks another duplicate list of GitBugs (e.g. its test split)."""
    if name in ("hadoop", "seamonkey"):
        tickets, pairs = _gitbugs(directory, name, pairs_file)
    elif name == "openoffice":
        tickets, pairs = _openoffice(directory)
    else:
        tickets, pairs = _dissimilarity_study(directory, name)
    return DuplicateSet(name, tickets, _twins(tickets, pairs))


def _twins(tickets: list[Ticket], pairs: set[tuple[str, str]]) -> dict[str, set[str]]:
    created = {t.external_id: t.created_at for t in tickets}
    twins: dict[str, set[str]] = {}
    for a, b in pairs:
        if created[a] < created[b]:
            twins.setdefault(b, set()).add(a)
        elif created[b] < created[a]:
            twins.setdefault(a, set()).add(b)
    return twins


def _ticket(source: str, key: str, subject: str, body: str, created: datetime, **kw: str) -> Ticket:
    labels = {k: v.strip() or None for k, v in kw.items() if k != "version"}
    version = kw.get("version", "").strip()
    return Ticket(
        source=source,
        external_id=key,
        subject=subject.strip() or "(no subject)",
        body=body,
        created_at=created,
        tags=(f"version:{version}",) if version else (),
        **labels,  # type: ignore[arg-type]
    )


def _gitbugs(
    directory: Path, name: str, pairs_file: str | None
) -> tuple[list[Ticket], set[tuple[str, str]]]:
    def when(text: str) -> datetime:
        for pattern in ("%d/%b/%y %H:%M", "%Y-%m-%d %H:%M:%S%z"):
            try:
                parsed = datetime.strptime(text.strip(), pattern)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        raise ValueError(f"unknown date {text!r}")

    with gzip.open(directory / f"gitbugs_{name}_bugs.csv.gz", "rt", encoding="utf-8") as f:
        tickets = [
            _ticket(
                name,
                row["Issue id"],
                row["Summary"],
                row["Description"],
                when(row["Created"]),
                priority=row["Priority"].strip("- "),
                version=row.get("Affects Version/s", ""),
            )
            # Status, Resolution and Resolved are left out on purpose: they say "Duplicate".
            for row in csv.DictReader(f)
        ]
    known = {t.external_id for t in tickets}
    pairs: set[tuple[str, str]] = set()
    with open(directory / (pairs_file or f"gitbugs_{name}_duplicates.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for other in row["Duplicate id"].split(","):
                a, b = row["Issue id"].strip(), other.strip()
                if a != b and a in known and b in known:
                    pairs.add((min(a, b), max(a, b)))
    return tickets, pairs


def _openoffice(directory: Path) -> tuple[list[Ticket], set[tuple[str, str]]]:
    def when(text: str) -> datetime:
        text = text.strip()
        return datetime.strptime(text + ("00" if text[-3] in "+-" else ""), "%Y-%m-%d %H:%M:%S %z")

    tickets: dict[str, Ticket] = {}
    pairs: set[tuple[str, str]] = set()
    with gzip.open(
        directory / "openoffice_dup_pairs_with_meta.tsv.gz", "rt", encoding="utf-8"
    ) as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        for r in rows:
            sides = [(r[1], r[2], r[3], r[10], r[11], r[12], r[15])]
            sides.append((r[5], r[6], r[7], r[17], r[18], r[19], r[22]))
            for key, title, text, priority, product, component, created in sides:
                if key not in tickets:
                    tickets[key] = _ticket(
                        "openoffice", key, title, text, when(created),
                        priority=priority, product_area=product, component=component,
                    )  # fmt: skip
            if r[1] != r[5]:
                pairs.add((min(r[1], r[5]), max(r[1], r[5])))
    return list(tickets.values()), pairs


def _dissimilarity_study(directory: Path, name: str) -> tuple[list[Ticket], set[tuple[str, str]]]:
    """No dates in these files: Bugzilla numbers grow with time, so the number stands in."""

    def text(cell: str) -> str:
        cell = cell.strip()
        if cell.startswith("["):
            try:
                return " ".join(map(str, ast.literal_eval(cell)))
            except (ValueError, SyntaxError):
                return cell.strip("[]")
        return cell

    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    tickets: dict[str, Ticket] = {}
    pairs: set[tuple[str, str]] = set()
    for kind in ("similar", "dissimilar"):
        path = directory / f"dissim_study_{name}_textually_{kind}_pairs.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                a, b = (str(int(float(row[c]))) for c in ("Bug ID", "Duplicate_Bug_Ids"))
                for key, s, d in ((a, "Summary1", "description1"), (b, "summary2", "description2")):
                    if key not in tickets:
                        created = epoch + timedelta(seconds=int(key))
                        tickets[key] = _ticket(name, key, text(row[s]), text(row[d]), created)
                if a != b:
                    pairs.add(
                        (
                            min(a, b),
                            max(a, b),
                        )
                    )
    return list(tickets.values()), pairs


def iter_sets(directory: Path | None, names: tuple[str, ...] = SETS) -> Iterator[DuplicateSet]:
    for name in names:
        if directory is not None and available(directory, name):
            yield load(directory, name)
