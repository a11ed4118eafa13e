"""How long the importers take on generated tickets, and how much memory they hold.

    python bench/import_speed.py [--counts 100000,1000000] [--other-formats 100000]

Writes N tickets with `generate_tickets.py` into a temporary directory, then times a full
`open_import` of each file in a fresh process (so its peak RSS is its own; the interpreter's
own share is shown in brackets). CPU seconds are printed beside wall seconds because wall time
on a shared machine says more about the neighbours than about the importer. The same tickets
are also written as a Zendesk tickets document (one line, the shape of an API page) and as a
CSV file to time those readers. Nothing is stored: this is the parse the store calls.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _parse(path: str, fmt: str) -> tuple[int, float, float, int]:
    """Runs in a child process: tickets, wall and CPU seconds, peak RSS in KiB."""
    from escdesk.importers import open_import

    started, cpu = time.perf_counter(), time.process_time()
    with open_import(path, fmt) as run:
        count = sum(1 for _ in run)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return count, elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _baseline() -> int:
    """Peak RSS of a child that only imports the importers (subtracted from the figures)."""
    from escdesk.importers import open_import  # noqa: F401

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _generate(count: int, out: Path) -> float:
    """CPU seconds the generator script took (wall time depends on what else runs)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, str(HERE / "generate_tickets.py"), "--count", str(count), "--out", out],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _as_zendesk(source: Path, out: Path) -> None:
    with source.open(encoding="utf-8") as lines, out.open("w", encoding="utf-8") as doc:
        doc.write('{"tickets":[')
        for n, line in enumerate(lines):
            t = json.loads(line)
            ticket = {
                "id": int(t["id"][2:]),
                "subject": t["subject"],
                "description": t["body"],
                "created_at": t["created_at"],
                "priority": t["priority"],
                "status": t["status"],
                "organization_name": t["account"],
                "tags": t["tags"],
            }
            doc.write(("," if n else "") + json.dumps(ticket))
        doc.write('],"end_of_stream":true}')


def _as_csv(source: Path, out: Path) -> None:
    fields = ["id", "subject", "body", "created_at", "account", "product_area", "status", "tags"]
    with source.open(encoding="utf-8") as lines, out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(fields)
        for line in lines:
            t = json.loads(line)
            t["tags"] = ";".join(t["tags"])
            writer.writerow([t[k] or "" for k in fields])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="100000,1000000")
    parser.add_argument("--other-formats", type=int, default=100_000, help="0 to skip")
    args = parser.parse_args()
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1) as pool:
        base_kib = pool.apply(_baseline)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(c) for c in args.counts.split(",")):
            path = Path(tmp) / f"tickets-{count}.jsonl"
            generated = _generate(count, path)
            rows.append(_measure(spawn, path, "jsonl", count, generated, base_kib))
            if count == args.other_formats:
                for fmt, convert, suffix in (
                    ("zendesk", _as_zendesk, "json"),
                    ("csv", _as_csv, "csv"),
                ):
                    other = Path(tmp) / f"tickets-{count}.{suffix}"
                    convert(path, other)
                    rows.append(_measure(spawn, other, fmt, count, None, base_kib))
    print(f"{'format':<8} {'tickets':>9} {'MB':>5} {'gen CPU s':>9} {'parse s':>7} "
          f"{'CPU s':>6} {'tickets/CPU s':>13} {'MB/CPU s':>8} {'peak RSS MB':>11}")  # fmt: skip
    for row in rows:
        print(row)


def _measure(
    spawn: multiprocessing.context.SpawnContext,
    path: Path,
    fmt: str,
    count: int,
    generated: float | None,
    base_kib: int,
) -> str:
    with spawn.Pool(1) as pool:
        parsed, seconds, cpu, peak_kib = pool.apply(_parse, (str(path), fmt))
    assert parsed == count, f"{fmt}: parsed {parsed} of {count}"
    size = path.stat().st_size / 1e6
    gen = f"{generated:9.1f}" if generated is not None else f"{'-':>9}"
    return (
        f"{fmt:<8} {count:>9,} {size:>5.0f} {gen} {seconds:>7.1f} {cpu:>6.1f} "
        f"{count / cpu:>13,.0f} {size / cpu:>8.1f} {(peak_kib - base_kib) / 1024:>7.1f} "
        f"(+{base_kib / 1024:.0f})"
    )


if __name__ == "__main__":
    main()
