"""The README's webhook receiver, run exactly as printed, against escdesk's deliveries."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from escdesk.notify.transport import DeliveryError
from escdesk.notify.webhooks import WebhookTransport
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.notify.builders import event, subscribe

README = Path(__file__).parents[2] / "README.md"


def readme_receiver() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- webhook receiver -->\n```python\n(.*?)```", text, re.DOTALL)
    assert found, "the README lost its webhook receiver"
    return found.group(1)


@pytest.fixture
def receiver_url(uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    """The README's code, given the secret of a subscription to its own address."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    subscription_id, secret = subscribe(uow, datetime.now(UTC), url)
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    namespace: dict[str, Any] = {"__name__": "readme_receiver"}
    exec(compile(readme_receiver(), "README.md", "exec"), namespace)  # noqa: S102
    server.RequestHandlerClass = namespace["Receiver"]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url, subscription_id
    server.shutdown()
    server.server_close()


def test_the_readme_receiver_accepts_a_delivery_from_escdesk(
    receiver_url: tuple[str, int], store: NotifyStore
) -> None:
    _, subscription_id = receiver_url
    receipt = WebhookTransport(store).deliver(event(subscription_id))
    assert receipt.data["status"] == 204


def test_the_readme_receiver_refuses_another_secret_a_changed_body_and_a_replay(
    receiver_url: tuple[str, int], store: NotifyStore, uow: SqlUnitOfWork
) -> None:
    url, subscription_id = receiver_url
    stranger, _ = subscribe(uow, datetime.now(UTC), url)  # signs with a secret of its own
    with pytest.raises(DeliveryError) as refused:
        WebhookTransport(store).deliver(event(stranger))
    assert "401" in refused.value.reason
    captured: list[httpx.Request] = []

    def capture(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(204)

    offline = WebhookTransport(store, client=httpx.Client(transport=httpx.MockTransport(capture)))
    offline.deliver(event(subscription_id))  # a genuine delivery, kept to tamper with
    genuine = captured[0]
    tampered = genuine.content.replace(b"teams", b"TEAMS")  # same length, other meaning
    assert httpx.post(url, content=tampered, headers=genuine.headers).status_code == 401
    assert httpx.post(url, content=genuine.content, headers=genuine.headers).status_code == 204
    old = WebhookTransport(store, client=httpx.Client(transport=httpx.MockTransport(capture)),
                           clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip
    old.deliver(event(subscription_id))
    replay = captured[1]
    assert httpx.post(url, content=replay.content, headers=replay.headers).status_code == 401
