"""A local HTTP server that speaks the tracker endpoints escdesk uses: GitHub's issues and
pulls, GitLab's issues and merge requests, Jira's issue status (`adapters.trackers`), and the
three create-issue endpoints with their list/search endpoints (`adapters.tracker_issues`),
answering errors in each tracker's own shape: 401, 404, 422 (GitHub) and 400 (GitLab, Jira)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "tracker-token"
DOCS = "https://docs.github.com/rest/issues/issues#create-an-issue"


@dataclass
class Trackers:
    """What the server answers, by path; the auth headers it was sent; the issues created."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    base: str = ""
    projects: set[str] = field(default_factory=lambda: {"acme/app", "APP"})
    created: list[dict[str, Any]] = field(default_factory=list)
    lose_answers: int = 0
    """The next creations are made but answered 502, as a proxy that lost the answer would."""
    creations: int = 0
    """Every create request received, answered or not."""

    def issues(self, tracker: str, project: str) -> list[dict[str, Any]]:
        """Newest first, as the list endpoints sort them."""
        found = [i for i in self.created if i["tracker"] == tracker and i["project"] == project]
        return list(reversed(found))

    def close(self, url: str) -> None:
        """The created issue at `url` is done in its tracker."""
        issue = next(i for i in self.created if i["url"] == url)
        issue["status_answer"].update(issue["closed"])


def _reply(handler: BaseHTTPRequestHandler, code: int, body: Any) -> None:
    data = json.dumps(body).encode()
    handler.send_response(code)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _adf_text(node: Any) -> str:
    if isinstance(node, dict):
        own = node.get("text", "") if isinstance(node.get("text"), str) else ""
        return " ".join([own, *(_adf_text(c) for c in node.get("content") or [])]).strip()
    return ""


def _create(state: Trackers, path: str, headers: Any, body: dict[str, Any]) -> tuple[int, Any]:
    """One create request: who may, which project, which fields; then the issue."""
    bearer, private = headers.get("Authorization"), headers.get("PRIVATE-TOKEN")
    if path.startswith("/repos/") and path.endswith("/issues"):
        project = path.removeprefix("/repos/").removesuffix("/issues")
        if bearer != f"Bearer {TOKEN}":
            return 401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}
        if project not in state.projects:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
        if not str(body.get("title") or "").strip():
            return 422, {"message": "Validation Failed", "documentation_url": DOCS,
                         "errors": [{"resource": "Issue", "code": "missing_field",
                                     "field": "title"}], "status": "422"}  # fmt: skip
        number = len(state.issues("github", project)) + 1
        url = f"https://github.com/{project}/issues/{number}"
        issue = {"number": number, "title": body["title"], "body": body.get("body"),
                 "state": "open", "html_url": url}  # fmt: skip
        state.answers[f"/repos/{project}/issues/{number}"] = issue
        state.created.append({"tracker": "github", "project": project, "url": url,
                              "text": body.get("body") or "", "answer": issue,
                              "status_answer": issue, "closed": {"state": "closed"}})  # fmt: skip
        return 201, issue
    if path.startswith("/api/v4/projects/") and path.endswith("/issues"):
        project = path.removeprefix("/api/v4/projects/").removesuffix("/issues")
        if private != TOKEN:
            return 401, {"message": "401 Unauthorized"}
        if project not in state.projects:
            return 404, {"message": "404 Project Not Found"}
        if not str(body.get("title") or "").strip():
            return 400, {"error": "title is missing"}
        iid = len(state.issues("gitlab", project)) + 1
        url = f"https://gitlab.example.com/{project}/-/issues/{iid}"
        issue = {"id": 1000 + iid, "iid": iid, "title": body["title"], "state": "opened",
                 "description": body.get("description"), "web_url": url}  # fmt: skip
        state.answers[f"/api/v4/projects/{project}/issues/{iid}"] = issue
        state.created.append({"tracker": "gitlab", "project": project, "url": url,
                              "text": body.get("description") or "", "answer": issue,
                              "status_answer": issue, "closed": {"state": "closed"}})  # fmt: skip
        return 201, issue
    if path == "/rest/api/3/issue":
        if bearer not in (f"Bearer {TOKEN}",) and not (bearer or "").startswith("Basic "):
            return 401, {"errorMessages": ["You are not authenticated. Authentication required "
                                           "to perform this operation."], "errors": {}}  # fmt: skip
        fields = body.get("fields") or {}
        project = (fields.get("project") or {}).get("key", "")
        errors = {}
        if project not in state.projects:
            errors["project"] = "valid project is required"
        if not str(fields.get("summary") or "").strip():
            errors["summary"] = "You must specify a summary of the issue."
        if not (fields.get("issuetype") or {}).get("name"):
            errors["issuetype"] = "Specify an issue type"
        if errors:
            return 400, {"errorMessages": [], "errors": errors}
        number = len(state.issues("jira", project)) + 1
        key = f"{project}-{number}"
        status = {"fields": {"status": {"name": "To Do", "statusCategory": {"key": "new"}}}}
        state.answers[f"/rest/api/2/issue/{key}"] = status
        issue = {"id": str(10000 + number), "key": key,
                 "self": f"{state.base}/rest/api/3/issue/{10000 + number}"}  # fmt: skip
        done = {"fields": {"status": {"name": "Done", "statusCategory": {"key": "done"}}}}
        state.created.append({"tracker": "jira", "project": project, "key": key,
                              "url": f"{state.base}/browse/{key}", "answer": issue,
                              "description": fields.get("description"),
                              "text": _adf_text(fields.get("description")),
                              "status_answer": status, "closed": done})  # fmt: skip
        return 201, issue
    return 404, {"message": "Not Found"}


def _listing(state: Trackers, path: str, query: str) -> Any:
    """The list and search endpoints a retry reads; None when the path is not one."""
    if path.startswith("/repos/") and path.endswith("/issues"):
        project = path.removeprefix("/repos/").removesuffix("/issues")
        return [i["answer"] for i in state.issues("github", project)]
    if path.startswith("/api/v4/projects/") and path.endswith("/issues"):
        project = path.removeprefix("/api/v4/projects/").removesuffix("/issues")
        return [i["answer"] for i in state.issues("gitlab", project)]
    if path == "/rest/api/3/search/jql":
        jql = parse_qs(query).get("jql", [""])[0]
        project = jql.split('"')[1] if '"' in jql else ""
        issues = [{"id": i["answer"]["id"], "key": i["key"],
                   "fields": {"description": i["description"]}}
                  for i in state.issues("jira", project)]  # fmt: skip
        return {"issues": issues, "isLast": True}
    return None


@contextmanager
def tracker_server() -> Iterator[Trackers]:
    state = Trackers()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            state.seen.append(
                (path, self.headers.get("Authorization"), self.headers.get("PRIVATE-TOKEN"))
            )
            listed = _listing(state, path, parts.query)
            if listed is not None:
                _reply(self, 200, listed)
                return
            body = state.answers.get(path)
            _reply(self, 200 if body is not None else 404, body or {"message": "Not Found"})

        def do_POST(self) -> None:  # noqa: N802
            path = unquote(urlsplit(self.path).path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.seen.append(
                (path, self.headers.get("Authorization"), self.headers.get("PRIVATE-TOKEN"))
            )
            state.creations += 1
            code, answer = _create(state, path, self.headers, body)
            if code == 201 and state.lose_answers > 0:
                state.lose_answers -= 1
                _reply(self, 502, {"message": "Bad Gateway"})
                return
            _reply(self, code, answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
