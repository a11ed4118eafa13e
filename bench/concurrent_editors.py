"""Twenty editors change one escalation at once, each with the version it read, burst after burst.

In every burst all editors read the escalation's version, wait until everyone has read it, then
post their change (an update, a new ETA or an exit criterion) with that version: one may win,
the others must be refused with a conflict. Prints, per backend, the successes per version (must
be 1 each), the acknowledged changes missing from the final state (must be 0), the changes in
the state that nobody was told succeeded (must be 0), whether the audit trail replays to the
state, and the run time. SQLite always; PostgreSQL when ESCDESK_BENCH_POSTGRES_URL or
ESCDESK_TEST_DATABASE_URL is set (in a schema of its own, dropped afterwards).

    .venv/bin/python -m bench.concurrent_editors [--editors 20] [--bursts 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bench import desk
from bench.postgres import temporary_schema
from escdesk.domain.audit import replay
from escdesk.domain.clock import Audience
from escdesk.domain.errors import Conflict
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    ChangeExitCriteria,
    OpenEscalation,
    PostUpdate,
    SetEta,
    ShowEscalation,
)
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Attempt:
    name: str
    read_version: int
    new_version: int | None  # None: refused with a conflict
    eta: datetime | None  # the ETA it set, if it set one


def eta_of(editor: int, at: datetime) -> datetime | None:
    return at + timedelta(days=2, minutes=editor) if editor % 3 == 1 else None


def change(uow: SqlUnitOfWork, key: int, name: str, editor: int, at: datetime, version: int) -> int:
    """One editor's change, posted with the version it read; the version it produced."""
    eta = eta_of(editor, at)
    if editor % 3 == 0:
        return desk.act(
            uow,
            PostUpdate(key, Audience("internal"), name, version=version),
            now=at,
            policy=DEFAULT_POLICY,
        ).version
    if eta is not None:
        return desk.act(uow, SetEta(key, eta, name, version=version), now=at).version
    return desk.act(uow, ChangeExitCriteria(key, add=(name,), version=version), now=at).version


def burst(engine: Engine, key: int, number: int, editors: int) -> list[Attempt]:
    at = NOW + timedelta(hours=number + 1)
    everyone_read = threading.Barrier(editors)
    attempts: list[Attempt] = []
    failures: list[BaseException] = []

    def editor(index: int) -> None:
        name = f"burst {number} editor {index}"
        try:
            with SqlUnitOfWork(engine) as uow:
                version = uow.escalations.get(key).version
            everyone_read.wait(timeout=120)
            try:
                done = change(SqlUnitOfWork(engine), key, name, index, at, version)
                attempts.append(Attempt(name, version, done, eta_of(index, at)))
            except Conflict:
                attempts.append(Attempt(name, version, None, None))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"an editor failed other than by a conflict: {failures[0]!r}")
    return attempts


def run(label: str, url: str, editors: int, bursts: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    uow = SqlUnitOfWork(engine)
    support = desk.add_person(
        uow, name="Sam Support", email="sam@example.com", roles=["support"], timezone="UTC", now=NOW
    )
    csm = desk.add_person(
        uow, name="Casey Csm", email="casey@example.com", roles=["csm"], timezone="UTC", now=NOW
    )
    account = desk.add_account(
        uow,
        name="Acme Corp",
        tier="enterprise",
        arr=120_000,
        status="paying",
        csm=csm.email,
        now=NOW,
    )
    esc = desk.act(
        uow,
        OpenEscalation.parse(
            account=account.name,
            kind="account_escalation",
            severity="medium",
            route="support",
            summary="Pipelines stall",
            initial_ask="An engineer on the logs daily",
            required_skills=["PostgreSQL"],
            product_related=False,
            exit_criteria=["p95 under 30 s"],
            eta=NOW + timedelta(days=7),
            also=True,
        ),
        now=NOW,
        by=support.email,
    )
    assert esc.id is not None
    started = time.perf_counter()
    durations, attempts = [], []
    for number in range(bursts):
        begun = time.perf_counter()
        attempts += burst(engine, esc.id, number, editors)
        durations.append(time.perf_counter() - begun)
    elapsed = time.perf_counter() - started

    won = [a for a in attempts if a.new_version is not None]
    per_version = Counter(a.read_version for a in won)
    stored = desk.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation
    present = (
        {u.body for u in stored.updates}
        | {c.reason for c in stored.eta_changes}
        | {c.text for c in stored.exit_criteria}
    )
    acknowledged = {a.name for a in won}
    refused = {a.name for a in attempts if a.new_version is None}
    last_eta = max((a for a in won if a.eta), key=lambda a: a.new_version or 0, default=None)
    expected_eta = last_eta.eta if last_eta else esc.eta
    lost = len(acknowledged - present) + (stored.eta != expected_eta)
    with uow:
        trail = replay(uow.escalations.events(esc.id))
    replays = (
        trail.updates == len(stored.updates)
        and trail.eta == (stored.eta.isoformat() if stored.eta else None)
        and trail.exit_criteria == [(c.text, c.done) for c in stored.exit_criteria]
    )
    engine.dispose()
    versions = sorted({a.read_version for a in attempts})  # one per burst: all read alike
    spread = Counter(per_version.get(v, 0) for v in versions)
    return [
        f"{label}: {editors} editors × {bursts} bursts = {len(attempts)} changes posted",
        "  successes per version: "
        + ", ".join(
            f"{count} success{'es' if count != 1 else ''} at {n} versions"
            for count, n in sorted(spread.items())
        ),
        f"  acknowledged {len(acknowledged)}, refused with a conflict {len(refused)}",
        f"  changes lost (acknowledged, missing from the state or overwritten): {lost}",
        f"  changes written though refused: {len(refused & present)}",
        f"  final version {stored.version} (expected {esc.version + len(won)}); "
        f"audit trail replays to the state: {'yes' if replays else 'NO'}",
        f"  run time {elapsed:.2f} s; per burst median {statistics.median(durations):.2f} s, "
        f"worst {max(durations):.2f} s",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--bursts", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'escdesk.db'}"
        print("\n".join(run("SQLite", url, args.editors, args.bursts)))
    postgres = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get(
        "ESCDESK_TEST_DATABASE_URL"
    )
    if postgres:
        with temporary_schema(postgres, "editors") as url:
            print("\n".join(run("PostgreSQL", url, args.editors, args.bursts)))


if __name__ == "__main__":
    main()
