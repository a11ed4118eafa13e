"""Screenshots of the pages for the README, taken in headless Chromium from the demo data.

    .venv/bin/python -m bench.screenshots [--out docs/screenshots] [--chromium /usr/bin/chromium]

Builds the demo desk in a temporary SQLite file exactly as `escdesk demo` does (its
notifications stay queued: no delivery worker runs in the demo), serves the app on a free
local port, signs in as a CSM of the demo and saves one PNG per page, then the customer's status
page of the most severe escalation (its DRI writes the customer summary and publishes it) and
the dashboard on a phone-sized screen. It prints how long each page took to load, as measured
in the browser.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from bench import desk
from bench.generate_tickets import write
from escdesk.asgi import create_app
from escdesk.cli.demo_data import build, email
from escdesk.cli.demo_stories import STORIES
from escdesk.config import Settings
from escdesk.services import auth, clustering, status_page, tickets
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations, SetCustomerSummary
from escdesk.similarity.cache import IndexCache
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWER = "Mei Lin"  # a CSM: DRI of the critical escalation the screenshots open
PASSWORD = "demo-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


TICKETS = 3_000


def import_tickets(url: str, index_dir: Path) -> str:
    """Generated helpdesk tickets, imported and clustered; returns the key of a late ticket
    of a recurring cause (its page shows similar earlier tickets)."""
    engine = make_engine(url)
    uow = SqlUnitOfWork(engine)
    now = datetime.now(UTC)
    path = index_dir.parent / "tickets.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write(out, TICKETS, 7)
    cache = IndexCache(index_dir)
    tickets.import_file(uow, cache, path, format="jsonl", now=now)
    clustering.update_issues(uow, cache, now=now)
    last = tickets.list_tickets(uow, limit=200).items
    key = next((t.key for t in last if tickets.show_ticket(uow, t.key).issue), last[0].key)
    engine.dispose()
    return key


def build_demo(url: str) -> int:
    """The demo desk; returns the id of the most severe open escalation."""
    engine = make_engine(url)
    upgrade(engine)
    uow = SqlUnitOfWork(engine)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    build(desk.runner(uow, now), STORIES, now=now)
    auth.set_password(uow, email(VIEWER), PASSWORD, now)
    first = (
        desk.ask(
            uow,
            service.list_escalations,
            ListEscalations.parse(limit=1, severity=None, status=None),
        )
        .items[0]
        .id
    )
    engine.dispose()
    return first


COMPANY = "Brightline Software"


def publish_status_page(url: str, escalation_id: int) -> str:
    """The DRI says what the escalation is about in the customer's words and publishes the
    status page; returns its path."""
    engine = make_engine(url)
    uow = SqlUnitOfWork(engine)
    now = datetime.now(UTC)
    summary = SetCustomerSummary(escalation_id, "Lab results from two hospitals arrive late")
    desk.act(uow, summary, now=now, by=email(VIEWER))
    token = status_page.publish(uow, escalation_id, now)
    engine.dispose()
    return f"/status/{token}"


def shoot(page: Page, url: str, path: Path) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    elapsed = time.perf_counter() - started
    page.screenshot(path=str(path), full_page=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1360)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        escalation_id = build_demo(url)
        status_path = publish_status_page(url, escalation_id)
        index_dir = Path(tmp) / "index"
        ticket = import_tickets(url, index_dir)
        port = free_port()
        app = create_app(
            Settings(
                database_url=url,
                base_url=f"http://127.0.0.1:{port}",
                index_dir=index_dir,
                company_name=COMPANY,
            )
        )
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": args.width, "height": 900})
                page.goto(f"{base}/login")
                page.get_by_label("E-mail").fill(email(VIEWER))
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{base}/")
                shots = {
                    "dashboard": "/",
                    "escalation": f"/escalations/{escalation_id}",
                    "escalations": "/escalations",
                    "tracker": f"/escalations/{escalation_id}/tracker",
                    "ticket": f"/tickets/{ticket}",
                }
                for name, path in shots.items():
                    seconds = shoot(page, base + path, args.out / f"{name}.png")
                    print(f"{name:12} {path:32} {seconds * 1000:7.0f} ms")
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.context.add_cookies(page.context.cookies())
                for name, path in {"status": status_path, "phone": "/"}.items():
                    seconds = shoot(
                        phone if name == "phone" else page, base + path, args.out / f"{name}.png"
                    )
                    print(f"{name:12} {path[:32]:32} {seconds * 1000:7.0f} ms")
                browser.close()
        finally:
            server.should_exit = True
            thread.join()


if __name__ == "__main__":
    main()
