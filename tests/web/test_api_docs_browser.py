"""/docs works with no internet: Swagger UI comes from escdesk, and it renders every operation."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, Route, expect

from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


def test_the_api_docs_render_with_every_request_off_this_machine_refused(
    app: FastAPI, page: Page
) -> None:
    elsewhere: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    with serving(app) as base:
        page.goto(f"{base}/docs")
        # The first render builds the OpenAPI document (95 paths) and parses Swagger UI's
        # bundle: seconds when the suite shares both cores with other browsers.
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("escdesk", timeout=30_000)
        expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
        operations = page.locator(".opblock").count()
    paths = len(app.openapi()["paths"])
    assert operations >= paths > 50
    assert elsewhere == []
