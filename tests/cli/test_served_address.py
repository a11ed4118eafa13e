"""Links follow the address `escdesk serve` (and `make demo PORT=…`) actually serves, unless
the public address is configured."""

from __future__ import annotations

import socket

from escdesk.cli.serve import served_at
from escdesk.config import Settings


def test_without_a_configured_address_links_use_the_port_served() -> None:
    assert served_at(Settings(), "127.0.0.1", 8080).base_url == "http://127.0.0.1:8080"


def test_a_configured_public_address_wins_over_the_one_served() -> None:
    configured = Settings(base_url="https://desk.example.com")
    assert served_at(configured, "0.0.0.0", 8080).base_url == "https://desk.example.com"


def test_listening_on_every_interface_names_this_host_not_the_wildcard() -> None:
    assert served_at(Settings(), "0.0.0.0", 9000).base_url == f"http://{socket.getfqdn()}:9000"
    assert served_at(Settings(), "::1", 9000).base_url == "http://[::1]:9000"
