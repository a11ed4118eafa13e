"""Import and index N helpdesk tickets, then time similar-ticket queries and clustering.

    python -m bench.recurring_scale --sizes 10000,100000,1000000 [--cluster-up-to 100000]

For each size, in a fresh process (so peak RSS is that size's own): generate N tickets with
bench/generate_tickets.py, import them with the service `escdesk tickets import` uses (one
transaction, batched upserts, the similarity index built as it goes), load the saved index
the way a new process would, and time `--queries` similar-ticket searches (k=10, earlier
only) on random tickets: the index query alone, and the whole service call (ids resolved in
the database). Sizes up to `--cluster-up-to` are then grouped into recurring issues, and
rebuilt in full with each grouping `--rebuild-with` names (e.g. `cosine,reranked`).

SQLite always; PostgreSQL too when ESCDESK_BENCH_POSTGRES_URL is set (each run gets a schema
of its own, dropped afterwards). Targets: 1M tickets imported in ≤ 10 min and ≤ 4 GiB peak RSS;
query p95 ≤ 100 ms at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import generate_tickets
from bench.postgres import create_schema
from escdesk.services import clustering, tickets
from escdesk.similarity.cache import IndexCache
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

NOW = datetime(2026, 3, 1, tzinfo=UTC)  # after the generator's two years of tickets


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_one(
    size: int,
    backend: str,
    work: Path,
    queries: int,
    cluster: bool,
    groupings: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One size on one backend, in this process."""
    export = work / f"tickets-{size}.jsonl"
    started = time.perf_counter()
    if not export.exists():
        with export.open("w", encoding="utf-8") as out:
            generate_tickets.write(out, size, seed=7)
    generated = time.perf_counter() - started
    url, cleanup = database(backend, work, size)
    try:
        engine = make_engine(url)
        upgrade(engine)
        uow = SqlUnitOfWork(engine)
        index_dir = work / f"index-{backend}-{size}"
        started = time.perf_counter()
        report = tickets.import_file(
            uow, IndexCache(index_dir), export, format="jsonl", now=NOW, source="bench"
        )
        imported = time.perf_counter() - started
        rss_import = peak_rss_mib()

        started = time.perf_counter()
        index = IndexCache(index_dir)  # a new process would start like this
        ids = [f"T-{n:07d}" for n in random.Random(3).sample(range(1, size + 1), queries)]
        with uow:
            with index.using(uow.tickets) as live:
                loaded = time.perf_counter() - started
                index_ms = []
                for ticket_id in ids:
                    t0 = time.perf_counter()
                    live.similar(ticket_id, k=10, earlier_only=True)
                    index_ms.append((time.perf_counter() - t0) * 1000)
        service_ms = []
        for ticket_id in ids:
            t0 = time.perf_counter()
            tickets.similar_tickets(uow, index, [ticket_id], k=10, earlier_only=True, details=False)
            service_ms.append((time.perf_counter() - t0) * 1000)
        result: dict[str, Any] = {
            "backend": backend,
            "tickets": size,
            "generate_s": round(generated, 1),
            "import_s": round(imported, 1),
            "import_per_s": round(report.written / imported),
            "index_load_s": round(loaded, 2),
            "peak_rss_after_import_mib": round(rss_import),
            "query_index_p50_ms": round(percentile(index_ms, 0.5), 1),
            "query_index_p95_ms": round(percentile(index_ms, 0.95), 1),
            "query_service_p50_ms": round(percentile(service_ms, 0.5), 1),
            "query_service_p95_ms": round(percentile(service_ms, 0.95), 1),
        }
        if cluster:
            started = time.perf_counter()
            clustered = clustering.update_issues(uow, index, now=NOW)
            result["cluster_s"] = round(time.perf_counter() - started, 1)
            result["issues"] = clustered.new_issues
            for grouping in groupings:  # then a full rebuild with each other grouping asked for
                started = time.perf_counter()
                regroup = IndexCache(index_dir, grouping=grouping)
                rebuilt = clustering.update_issues(uow, regroup, now=NOW, full=True)
                result[f"rebuild_{grouping}_s"] = round(time.perf_counter() - started, 1)
                result[f"rebuild_{grouping}_issues"] = rebuilt.new_issues
        result["peak_rss_mib"] = round(peak_rss_mib())
        engine.dispose()
        return result
    finally:
        cleanup()


def database(backend: str, work: Path, size: int) -> tuple[str, Any]:
    if backend == "sqlite":
        path = work / f"bench-{size}.db"
        for leftover in work.glob(f"bench-{size}.db*"):
            leftover.unlink()
        return f"sqlite:///{path}", lambda: None
    base = os.environ["ESCDESK_BENCH_POSTGRES_URL"]
    return create_schema(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cluster-up-to", type=int, default=100_000)
    parser.add_argument("--work", help="directory for exports, databases and indexes")
    parser.add_argument(
        "--rebuild-with",
        default="",
        help="also time `recurring rebuild --full` with these "
        "groupings, comma-separated (cosine, reranked)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # backend:size, run in this process
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="escdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.one:
        backend, size = args.one.split(":")
        n = int(size)
        groupings = tuple(g for g in args.rebuild_with.split(",") if g)
        clustered = n <= args.cluster_up_to
        print(json.dumps(run_one(n, backend, work, args.queries, clustered, groupings)))
        return
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("ESCDESK_BENCH_POSTGRES_URL") else [])
    for size in (int(s) for s in args.sizes.split(",")):
        for backend in backends:
            command = [sys.executable, "-m", "bench.recurring_scale", "--one", f"{backend}:{size}",
                       "--work", str(work), "--queries", str(args.queries),
                       "--cluster-up-to", str(args.cluster_up_to),
                       "--rebuild-with", args.rebuild_with]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                print(f"{backend} {size}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
