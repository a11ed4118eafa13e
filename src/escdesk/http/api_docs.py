"""The API's interactive docs at /docs, with Swagger UI served by escdesk itself.

FastAPI's default page loads Swagger UI from a CDN, so /docs is blank on a network without
internet access. The `fastapi-swagger` package ships the current Swagger UI distribution (the
5.x line, which reads OpenAPI 3.1 as FastAPI writes it); its files are served from /docs/assets.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"


def install(app: FastAPI) -> None:
    """Call on an app built with `docs_url=None`; adds /docs, its assets and its redirect."""
    bundle = resources.files("fastapi_swagger.resources")
    app.mount(ASSETS, StaticFiles(directory=str(bundle)), name="api-docs-assets")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            oauth2_redirect_url=OAUTH2_REDIRECT,
        )

    @app.get(OAUTH2_REDIRECT, include_in_schema=False)
    def api_docs_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
