"""Creating a follow-up's issue through the trackers' REST APIs, as they document them:

- Jira Cloud: `POST /rest/api/3/issue` with `fields` (`project.key`, `summary`, `description`
  in Atlassian Document Format, `issuetype.name`); 201 answers `{"id", "key", "self"}`, the page
  is `{site}/browse/{key}`. Errors: `{"errorMessages": [...], "errors": {field: text}}` (400).
- GitHub: `POST /repos/{owner}/{repo}/issues` with `title` and `body`, `Accept:
  application/vnd.github+json` and a Bearer token; 201 answers the issue (`number`,
  `html_url`). Errors: `{"message", "errors": [{"field", "code"}]}` (401, 404, 410, 422).
- GitLab: `POST /api/v4/projects/:id/issues` with `title` and `description`, `PRIVATE-TOKEN`;
  201 answers the issue (`iid`, `web_url`). Errors: `{"message": ...}` or `{"error": ...}`
  (400, 401, 404).

None of the three accepts an idempotency key for issue creation, so the marker a retry finds an
issue by is written in its text (see `notify.tracker_issues`): `find` reads the project's most
recently created issues (GitHub `GET …/issues?state=all&sort=created`, GitLab `GET
…/issues?order_by=created_at`, Jira `GET /rest/api/3/search/jql`) and looks for it. Listing by
creation rather than searching avoids the search index's lag right after a creation.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx

from escdesk.config import Settings
from escdesk.domain.engineering_links import Tracker, parse_link
from escdesk.domain.errors import InvalidInput
from escdesk.domain.tracker_issues import IssueTarget
from escdesk.services.tracker_ports import CreatedIssue, TrackerRefused

RECENT = 100
"""How many of the project's newest issues a retry looks through for its marker."""
NOT_CONFIGURED_PAUSE = 600.0


class TrackerIssueClient:
    """Implements `services.tracker_ports.IssueCreator` over HTTP."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._http = httpx.Client(timeout=15.0, transport=transport, follow_redirects=False)

    # ------------------------------------------------------------------ the port
    def create(
        self, target: IssueTarget, title: str, lines: list[str], marker: str
    ) -> CreatedIssue:
        text = [*lines, f"escdesk reference {marker}"]
        if target.tracker is Tracker.GITHUB:
            url, headers = self._github(target)
            found = self._send("POST", url, headers, {"title": title, "body": "\n\n".join(text)})
            return _created(found.get("html_url"))
        if target.tracker is Tracker.GITLAB:
            url, headers = self._gitlab(target)
            body = {"title": title, "description": "\n\n".join(text)}
            return _created(self._send("POST", url, headers, body).get("web_url"))
        site, headers = self._jira()
        fields = {
            "project": {"key": target.project},
            "summary": title,
            "description": _adf(text),
            "issuetype": {"name": target.issue_type},
        }
        found = self._send("POST", f"{site}/rest/api/3/issue", headers, {"fields": fields})
        return _created(f"{site}/browse/{found.get('key')}")

    def find(self, target: IssueTarget, marker: str) -> CreatedIssue | None:
        if target.tracker is Tracker.GITHUB:
            url, headers = self._github(target)
            params = {"state": "all", "sort": "created", "direction": "desc", "per_page": RECENT}
            for issue in self._send("GET", url, headers, params=params) or []:
                if marker in (issue.get("body") or "") and "pull_request" not in issue:
                    return _created(issue.get("html_url"))
            return None
        if target.tracker is Tracker.GITLAB:
            url, headers = self._gitlab(target)
            params = {"order_by": "created_at", "sort": "desc", "per_page": RECENT}
            for issue in self._send("GET", url, headers, params=params) or []:
                if marker in (issue.get("description") or ""):
                    return _created(issue.get("web_url"))
            return None
        site, headers = self._jira()
        jql = f'project = "{target.project}" ORDER BY created DESC'
        params = {"jql": jql, "fields": "description", "maxResults": RECENT}
        found = self._send("GET", f"{site}/rest/api/3/search/jql", headers, params=params)
        for issue in found.get("issues", []):
            if marker in " ".join(_texts(issue.get("fields", {}).get("description"))):
                return _created(f"{site}/browse/{issue.get('key')}")
        return None

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ per tracker
    def _token(self, name: str) -> str:
        token = self.settings.secret(name)
        if not token:
            raise TrackerRefused(
                f"set ESCDESK_{name.upper()} to create issues there",
                permanent=False,
                retry_after=NOT_CONFIGURED_PAUSE,
            )
        return token

    def _github(self, target: IssueTarget) -> tuple[str, dict[str, str]]:
        base = (self.settings.github_api_url or "https://api.github.com").rstrip("/")
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self._token('github_token')}",
            "X-GitHub-Api-Version": "2022-11-28",
        }
        return f"{base}/repos/{target.project}/issues", headers

    def _gitlab(self, target: IssueTarget) -> tuple[str, dict[str, str]]:
        base = (self.settings.gitlab_api_url or "https://gitlab.com/api/v4").rstrip("/")
        project = quote(target.project, safe="")
        return f"{base}/projects/{project}/issues", {"PRIVATE-TOKEN": self._token("gitlab_token")}

    def _jira(self) -> tuple[str, dict[str, str]]:
        site = (self.settings.jira_api_url or "").rstrip("/")
        if not site:
            raise TrackerRefused(
                "set ESCDESK_JIRA_API_URL (the Jira site) to create issues there",
                permanent=False,
                retry_after=NOT_CONFIGURED_PAUSE,
            )
        token = self._token("jira_token")
        headers = {"Accept": "application/json"}
        if self.settings.jira_user:  # Jira Cloud: the account e-mail and its API token
            pair = f"{self.settings.jira_user}:{token}".encode()
            headers["Authorization"] = f"Basic {base64.b64encode(pair).decode()}"
        else:
            headers["Authorization"] = f"Bearer {token}"
        return site, headers

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
    ) -> Any:
        try:
            answer = self._http.request(method, url, headers=headers, json=body, params=params)
        except httpx.HTTPError as exc:
            raise TrackerRefused(f"{url} could not be reached: {exc}", permanent=False) from exc
        if answer.status_code >= 300:
            raise _refusal(answer)
        try:
            return answer.json()
        except ValueError:
            raise TrackerRefused(f"{url} answered no JSON", permanent=False) from None


def _created(url: Any) -> CreatedIssue:
    """The created issue's page, parsed as an engineering link is (so the sync can read it)."""
    try:
        parsed = parse_link(str(url or ""))
    except InvalidInput:
        raise TrackerRefused(
            f"the tracker answered an issue address escdesk cannot read: {url!r}",
            permanent=True,
        ) from None
    return CreatedIssue(parsed.url, parsed.key)


def _refusal(answer: httpx.Response) -> TrackerRefused:
    """429 and 5xx pass; GitHub's secondary rate limit is a 403 with Retry-After or no quota
    left; anything else (401, 403, 404, 410, 400, 422) needs a person to fix something."""
    code = answer.status_code
    retry = answer.headers.get("Retry-After")
    wait = float(retry) if retry and retry.isdigit() else None
    limited = code == 403 and (
        wait is not None or answer.headers.get("x-ratelimit-remaining") == "0"
    )
    reason = f"the tracker answered {code}: {_detail(answer)}"
    if code == 429 or code >= 500 or limited:
        return TrackerRefused(reason, permanent=False, retry_after=wait)
    return TrackerRefused(reason, permanent=True)


def _detail(answer: httpx.Response) -> str:
    """The error in the tracker's own words: GitHub's message and field errors, GitLab's
    message or error, Jira's errorMessages and errors by field."""
    try:
        data = answer.json()
    except ValueError:
        return answer.text[:200] or answer.reason_phrase
    if not isinstance(data, dict):
        return str(data)[:300]
    parts: list[str] = []
    message = data.get("message") or data.get("error")
    if isinstance(message, dict):  # GitLab's validation errors: {"title": ["can't be blank"]}
        parts += [f"{k} {'; '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in
                  message.items()]  # fmt: skip
    elif message:
        parts.append(str(message))
    for item in data.get("errors") or []:
        if isinstance(item, dict):  # GitHub: {"resource", "field", "code"}
            parts.append(f"{item.get('field', '')} {item.get('code', '')}".strip())
    if isinstance(data.get("errors"), dict):  # Jira: {field: message}
        parts += [f"{k}: {v}" for k, v in data["errors"].items()]
    parts += [str(m) for m in data.get("errorMessages") or []]
    return "; ".join(p for p in parts if p)[:300] or answer.reason_phrase


def _adf(paragraphs: list[str]) -> dict[str, Any]:
    """Plain paragraphs as an Atlassian Document Format document (Jira Cloud's v3 text)."""
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": text}]}
            for text in paragraphs
            if text
        ],
    }


def _texts(node: Any) -> Iterator[str]:
    """Every text of an ADF document, depth first."""
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            yield node["text"]
        for child in node.get("content") or []:
            yield from _texts(child)
    elif isinstance(node, list):
        for child in node:
            yield from _texts(child)
