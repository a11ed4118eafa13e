"""Import at the database's pace: escdesk beside its peers on the same tickets, in one run.

    python -m bench.import_speed [--tickets 1000000] [--writer] [--profile-index]
    ESCDESK_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python -m …

`generate_tickets.py` writes N tickets as jsonl (20,000 unless `--tickets` says), then each
figure runs in a fresh process (so its peak RSS is its own), the peer right after escdesk so
that both see the same load on a shared machine; the ratio of the two is printed:

- escdesk on SQLite: `tickets.import_file` (parse, stage, publish, commit) and then the
  similar-tickets index brought up to date (the step after the commit: an older escdesk read
  every ticket back for it), each timed, with the peak RSS of the two; then
  the p50 / p95 of similar-tickets queries at that size (`--queries` tickets of the file, asked
  through the service as `escdesk tickets similar ID --earlier-only` asks, and on the index
  alone);
- SQLite FTS5 (`porter unicode61`) indexing the same subjects and bodies read from the same
  file: the peer for import + index on SQLite;
- with PostgreSQL: escdesk's import + index there, beside a bare COPY of the same rows
  (read from the same file, into a table of the same columns, no index): the peer there;
- parsing alone (the importer, nothing stored), to show what the database adds.

`--writer` posts an escalation update every 20 ms while escdesk imports (a desk at work) and
prints how many succeeded, failed and the longest wait. `--profile-index` profiles the index
update of an older escdesk (one that reads the tickets back) and prints where its time goes, by
module. Run it from the repository root; it also
runs against older escdesk sources (PYTHONPATH=…/src) to print the figures before a change.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import json
import multiprocessing
import os
import pstats
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 3, 1, tzinfo=UTC)
COLUMNS = ("id", "subject", "body", "created_at", "account", "product_area", "component",
           "priority", "status", "solved_at")  # fmt: skip


def _rss_mib() -> float:
    """Peak RSS of this process plus the largest of its children (escdesk reads a big import
    in a process of its own): the two peaks summed, never less than both at once."""
    return _own_mib() + _children_mib()


def _own_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _escdesk(
    url: str, export: str, index_dir: str, writer: bool, profile: bool, queries: int
) -> dict[str, Any]:
    """Child: escdesk's import, then its index, then similar-tickets queries; the writer posts
    updates meanwhile."""
    from escdesk.services import tickets
    from escdesk.similarity.cache import IndexCache
    from escdesk.store.database import make_engine
    from escdesk.store.migrate import upgrade
    from escdesk.store.uow import SqlUnitOfWork

    engine = make_engine(url)
    upgrade(engine)
    uow, index = SqlUnitOfWork(engine), IndexCache(Path(index_dir))
    desk = _Writer(url, SqlUnitOfWork(engine)) if writer else None
    separate = "index_after" in inspect.signature(tickets.import_file).parameters
    extra = {"index_after": False} if separate else {}
    if desk:
        desk.start()
    started = time.perf_counter()
    report = tickets.import_file(
        uow, index, export, format="jsonl", now=NOW, source="bench", **extra
    )
    imported = time.perf_counter() - started
    if desk:
        desk.stop()
    indexed, by_module = getattr(report, "index_seconds", 0.0), ""
    imported -= indexed  # the index's part of the import, once it reads while importing
    if separate:  # before the change, the import indexed as it went: its time is all above
        started = time.perf_counter()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        tickets.update_index(uow, index)
        if profiler:
            profiler.disable()
            by_module = _by_module(profiler)
        indexed = time.perf_counter() - started
    rss, cpu = _rss_mib(), time.process_time()  # import and index; not the queries below
    rss_parts = (_own_mib(), _children_mib())
    latency = _query_latency(uow, index, export, queries)
    engine.dispose()
    return {
        "written": report.new + report.updated,
        "import_s": imported,
        "index_s": indexed,
        "rss_mib": rss,
        "rss_parts": rss_parts,
        "cpu_s": cpu,
        "writer": desk.figures() if desk else None,
        "profile": by_module,
        "queries": latency,
    }


def _query_latency(uow: Any, index: Any, export: str, count: int) -> dict[str, float]:
    """p50 / p95 of `count` similar-tickets queries by id, spread over the file: through the
    service (ids resolved, matches described) and on the index alone."""
    from escdesk.services import tickets

    if count <= 0:
        return {}
    with open(export, encoding="utf-8") as lines:
        ids = [json.loads(line)["id"] for line in lines]
    step = max(len(ids) // count, 1)
    asked = ids[step // 2 :: step][:count]
    service, alone = [], []
    tickets.similar_tickets(uow, index, asked[:1], k=10, earlier_only=True)  # warm
    for key in asked:
        started = time.perf_counter()
        tickets.similar_tickets(uow, index, [key], k=10, earlier_only=True)
        service.append(time.perf_counter() - started)
    with uow:
        found = uow.tickets.resolve(asked)
        with index.using(uow.tickets) as live:
            for key in asked:
                started = time.perf_counter()
                live.similar(found[key].key, k=10, earlier_only=True)
                alone.append(time.perf_counter() - started)
    return {
        "service_p50_ms": _quantile(service, 0.5) * 1000,
        "service_p95_ms": _quantile(service, 0.95) * 1000,
        "index_p50_ms": _quantile(alone, 0.5) * 1000,
        "index_p95_ms": _quantile(alone, 0.95) * 1000,
    }


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


class _Writer:
    """A desk at work: one escalation update every 20 ms, from a process of its own (so it
    waits for the database, not for the importing process's interpreter lock)."""

    def __init__(self, url: str, uow: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop, self._ready, self._results = context.Event(), context.Event(), context.Queue()
        escalation = _one_escalation(uow)
        self._process = context.Process(
            target=_post_updates, args=(url, escalation, self._ready, self._stop, self._results)
        )

    def start(self) -> None:
        """Returns once the writer has posted its first update."""
        self._process.start()
        self._ready.wait(120)

    def stop(self) -> None:
        self._stop.set()
        self._figures: dict[str, Any] = self._results.get()
        self._process.join()

    def figures(self) -> dict[str, Any]:
        return self._figures


def _post_updates(url: str, escalation: int, ready: Any, stop: Any, results: Any) -> None:
    from escdesk.domain.severity import DEFAULT_POLICY
    from escdesk.services import escalations
    from escdesk.store.database import make_engine
    from escdesk.store.uow import SqlUnitOfWork

    uow, waits, failures = SqlUnitOfWork(make_engine(url)), [], 0
    while not stop.wait(0.02):
        started = time.perf_counter()
        try:
            escalations.post_update(
                uow, escalation, audience="internal", body="Still on it",
                now=NOW, policy=DEFAULT_POLICY,
            )  # fmt: skip
        except Exception:
            failures += 1
        if ready.is_set():
            waits.append(time.perf_counter() - started)
        ready.set()  # the first one paid for the imports and the connection
    waits.sort()
    results.put({
        "ok": len(waits) - failures,
        "failed": failures,
        "p50_ms": waits[len(waits) // 2] * 1000 if waits else 0.0,
        "max_ms": waits[-1] * 1000 if waits else 0.0,
    })  # fmt: skip


def _one_escalation(uow: Any) -> int:
    from escdesk.domain.severity import DEFAULT_POLICY
    from escdesk.services import accounts, escalations, people

    csm = people.add_person(uow, name="Cara Diaz", email="cara@example.com", roles=["csm"],
                            timezone="UTC", now=NOW)  # fmt: skip
    support = people.add_person(uow, name="Sam Okafor", email="sam@example.com",
                                roles=["support"], timezone="UTC", now=NOW)  # fmt: skip
    account = accounts.add_account(uow, name="Acme Corp", tier="enterprise", arr=250_000,
                                   status="paying", csm=csm.email, now=NOW)  # fmt: skip
    esc = escalations.open_escalation(
        uow, kind="account_escalation", severity="medium", route="support",
        summary="Pipelines stall", initial_ask="An engineer who reads logs",
        required_skills=["PostgreSQL"], product_related=False, exit_criteria=["p95 < 30 s"],
        eta=None, policy=DEFAULT_POLICY, account=account.name, by=support.email, now=NOW,
    )  # fmt: skip
    assert esc.id is not None
    return esc.id


def _by_module(profiler: cProfile.Profile) -> str:
    """Own time per source file, largest first: where an index build spends its seconds."""
    stats = pstats.Stats(profiler)
    own: dict[str, float] = {}
    for (file, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = file.split("/src/")[-1] if "/src/" in file else Path(file).name
        key = "(built-ins: regular expressions, str, dict, …)" if key == "~" else key
        own[key] = own.get(key, 0.0) + tottime
    total = sum(own.values()) or 1.0
    top = sorted(own.items(), key=lambda item: -item[1])[:8]
    return "\n".join(f"    {share / total:6.1%}  {name}" for name, share in top)


def _fts5(export: str, database: str) -> dict[str, Any]:
    """Child: SQLite FTS5 (porter unicode61) indexing the subjects and bodies of the file."""
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE VIRTUAL TABLE tickets USING fts5(subject, body, tokenize='porter unicode61')"
    )
    with open(export, encoding="utf-8") as lines:
        rows = ((t["subject"], t["body"]) for t in map(json.loads, lines))
        connection.executemany("INSERT INTO tickets (subject, body) VALUES (?, ?)", rows)
    connection.commit()
    connection.close()
    return {"import_s": time.perf_counter() - started, "rss_mib": _rss_mib()}


def _copy(export: str, url: str) -> dict[str, Any]:
    """Child: a bare PostgreSQL COPY of the same rows into a table of the same columns."""
    import psycopg
    from sqlalchemy.engine import make_url

    started = time.perf_counter()
    parts = make_url(url)
    options = parts.query.get("options")
    with psycopg.connect(
        host=parts.host, port=parts.port, user=parts.username, dbname=parts.database,
        options=options if isinstance(options, str) else None,
    ) as connection:  # fmt: skip
        connection.execute(
            "CREATE TABLE bare_tickets (id bigserial, source text, external_id text, subject "
            "text, body text, account text, product_area text, component text, priority text, "
            "status text, created_at timestamptz, solved_at timestamptz, tags jsonb)"
        )
        names = "source, external_id, " + ", ".join(COLUMNS[1:]) + ", tags"
        with connection.cursor() as cursor, open(export, encoding="utf-8") as lines:
            with cursor.copy(f"COPY bare_tickets ({names}) FROM STDIN") as copy:
                for t in map(json.loads, lines):
                    copy.write_row(("bench", *(t[c] for c in COLUMNS), json.dumps(t["tags"])))
    return {"import_s": time.perf_counter() - started, "rss_mib": _rss_mib()}


def _parse(export: str) -> dict[str, Any]:
    from escdesk.importers import open_import

    started = time.perf_counter()
    with open_import(export, "jsonl") as run:
        count = sum(1 for _ in run)
    return {"import_s": time.perf_counter() - started, "rss_mib": _rss_mib(), "written": count}


def _in_child(function: Any, *args: Any) -> dict[str, Any]:
    """`function(*args)` in a fresh process (not a pool's: the writer is a child of it)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    before = _child_cpu()
    child = context.Process(target=_call, args=(results, function, args))
    child.start()
    result: dict[str, Any] = results.get()
    child.join()
    if "error" in result:
        raise SystemExit(f"{function.__name__}: {result['error']}")
    return {"cpu_s": _child_cpu() - before} | result


def _call(results: Any, function: Any, args: tuple[Any, ...]) -> None:
    try:
        results.put(function(*args))
    except BaseException as exc:
        results.put({"error": repr(exc)})
        raise


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000, help="how many to import")
    parser.add_argument("--queries", type=int, default=200, help="similar-tickets queries timed")
    parser.add_argument("--writer", action="store_true", help="a desk posting updates meanwhile")
    parser.add_argument("--profile-index", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL figures only")
    args = parser.parse_args()
    postgres = os.environ.get("ESCDESK_BENCH_POSTGRES_URL")
    count = args.tickets
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        export = work / f"tickets-{count}.jsonl"
        subprocess.run(
            [sys.executable, str(HERE / "generate_tickets.py"), "--count", str(count),
             "--out", str(export)], check=True, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"\n{count:,} tickets ({export.stat().st_size / 1e6:.0f} MB of jsonl)")
        _row("parse alone (nothing stored)", _in_child(_parse, str(export)))
        if not args.no_sqlite:
            sqlite_url = f"sqlite:///{work / 'escdesk.db'}"
            mine = _in_child(_escdesk, sqlite_url, str(export), str(work / "ix"),
                             args.writer, args.profile_index, args.queries)  # fmt: skip
            peer = _in_child(_fts5, str(export), str(work / "fts5.db"))
            _row("escdesk, SQLite", mine)
            _row("SQLite FTS5 porter unicode61", peer)
            _ratio(mine, peer)
        if postgres:
            from bench.postgres import temporary_schema

            with temporary_schema(postgres, "import") as url:
                pg = _in_child(_escdesk, url, str(export), str(work / "ixp"),
                               args.writer, False, args.queries)  # fmt: skip
            with temporary_schema(postgres, "copy") as url:
                bare = _in_child(_copy, str(export), url)
            _row("escdesk, PostgreSQL", pg)
            _row("PostgreSQL bare COPY", bare)
            _ratio(pg, bare)


def _total(figures: dict[str, Any]) -> float:
    return float(figures["import_s"] + figures.get("index_s", 0.0))


def _ratio(mine: dict[str, Any], peer: dict[str, Any]) -> None:
    print(f"    escdesk / peer: wall {_total(mine) / _total(peer):.1f}x, "
          f"cpu {mine['cpu_s'] / max(peer['cpu_s'], 1e-9):.1f}x")  # fmt: skip


def _row(name: str, figures: dict[str, Any]) -> None:
    total = _total(figures)
    line = f"  {name:<31} {total:7.1f} s"
    if figures.get("index_s"):
        line += f" (import {figures['import_s']:.1f} s + index {figures['index_s']:.1f} s)"
    line += f"  cpu {figures['cpu_s']:.1f} s  peak RSS {figures['rss_mib']:.0f} MiB"
    own, reader = figures.get("rss_parts", (0.0, 0.0))
    if reader:
        line += f" ({own:.0f} + {reader:.0f} of its reading process)"
    print(line)
    writer = figures.get("writer")
    if writer:
        print(f"    desk updates meanwhile: {writer['ok']} ok, {writer['failed']} failed, "
              f"p50 {writer['p50_ms']:.0f} ms, longest {writer['max_ms']:.0f} ms")  # fmt: skip
    queries = figures.get("queries")
    if queries:
        print(f"    similar tickets p50 / p95: service {queries['service_p50_ms']:.1f} / "
              f"{queries['service_p95_ms']:.1f} ms, index alone {queries['index_p50_ms']:.1f} / "
              f"{queries['index_p95_ms']:.1f} ms")  # fmt: skip
    if figures.get("profile"):
        print("    index update, own time by module:\n" + figures["profile"])


if __name__ == "__main__":
    main()
