"""The trackers' REST APIs, as far as escdesk reads them: is a linked issue or pull/merge
request still open? One GET per link, with the tracker's token:

- GitHub: `GET /repos/{owner}/{repo}/issues/{n}` (`state`), `GET /repos/{o}/{r}/pulls/{n}`
  (`state`, `merged`); `Authorization: Bearer`.
- GitLab: `GET /api/v4/projects/{path}/issues/{iid}` and `/merge_requests/{iid}` (`state`:
  opened, closed, merged); `PRIVATE-TOKEN`.
- Jira: `GET /rest/api/2/issue/{key}?fields=status` (`fields.status.statusCategory.key` is
  `done` once finished); basic auth with the account e-mail, or a bearer token.

A tracker that cannot be reached, refuses or does not know the link answers None: the sync
tries again next pass and nothing is concluded from a failure.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx

from escdesk.config import Settings
from escdesk.domain.engineering_links import LinkKind, LinkState, ParsedLink, Tracker

log = logging.getLogger("escdesk.adapters.trackers")


class TrackerClient:
    """Implements `services.links.TrackerStatus` over HTTP."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._http = httpx.Client(timeout=10.0, transport=transport, follow_redirects=False)

    def status(self, link: ParsedLink) -> tuple[LinkState, str] | None:
        try:
            if link.tracker is Tracker.GITHUB:
                return self._github(link)
            if link.tracker is Tracker.GITLAB:
                return self._gitlab(link)
            return self._jira(link)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("could not read %s from %s: %s", link.key, link.tracker.value, exc)
            return None

    def _get(self, url: str, **kwargs: Any) -> Any:
        answer = self._http.get(url, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def _github(self, link: ParsedLink) -> tuple[LinkState, str]:
        base = (self.settings.github_api_url or "https://api.github.com").rstrip("/")
        token = self.settings.secret("github_token")
        headers = {"Accept": "application/vnd.github+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        what = "pulls" if link.kind is LinkKind.PULL_REQUEST else "issues"
        found = self._get(f"{base}/repos/{link.project}/{what}/{link.number}", headers=headers)
        state = str(found["state"])
        if found.get("merged"):
            state = "merged"
        return (LinkState.OPEN if state == "open" else LinkState.CLOSED), state

    def _gitlab(self, link: ParsedLink) -> tuple[LinkState, str]:
        base = (self.settings.gitlab_api_url or f"{link.site}/api/v4").rstrip("/")
        token = self.settings.secret("gitlab_token")
        headers = {"PRIVATE-TOKEN": token} if token else {}
        what = "merge_requests" if link.kind is LinkKind.MERGE_REQUEST else "issues"
        project = quote(link.project, safe="")
        found = self._get(f"{base}/projects/{project}/{what}/{link.number}", headers=headers)
        state = str(found["state"])
        return (LinkState.OPEN if state in ("opened", "locked") else LinkState.CLOSED), state

    def _jira(self, link: ParsedLink) -> tuple[LinkState, str]:
        base = (self.settings.jira_api_url or link.site).rstrip("/")
        token = self.settings.secret("jira_token")
        auth: tuple[str, str] | None = None
        headers: dict[str, str] = {"Accept": "application/json"}
        if token and self.settings.jira_user:
            auth = (self.settings.jira_user, token)
        elif token:
            headers["Authorization"] = f"Bearer {token}"
        url = f"{base}/rest/api/2/issue/{quote(link.key)}"
        found = self._get(url, params={"fields": "status"}, headers=headers, auth=auth)
        status = found["fields"]["status"]
        done = status.get("statusCategory", {}).get("key") == "done"
        return (LinkState.CLOSED if done else LinkState.OPEN), str(status.get("name", ""))

    def close(self) -> None:
        self._http.close()
