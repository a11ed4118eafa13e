"""Where a follow-up's new tracker issue goes (R-RCA-2), from the tracker settings: kept apart
from the settings themselves so each module holds one concept."""

from __future__ import annotations

from typing import Protocol

from escdesk.domain.accounts import parse_choice
from escdesk.domain.engineering_links import Tracker
from escdesk.domain.errors import InvalidInput
from escdesk.domain.tracker_issues import IssueTarget


class TrackerSettings(Protocol):
    jira_project: str | None
    github_repo: str | None
    gitlab_project: str | None
    jira_issue_type: str


def issue_target(
    settings: TrackerSettings, tracker: str | None, project: str | None = None
) -> IssueTarget:
    """Where a follow-up's new tracker issue goes: the tracker named (or the one tracker
    with a project setting) and the project given (or that setting); refused naming the
    setting that is missing, before anything is queued."""
    projects = {
        Tracker.JIRA: ("jira_project", settings.jira_project),
        Tracker.GITHUB: ("github_repo", settings.github_repo),
        Tracker.GITLAB: ("gitlab_project", settings.gitlab_project),
    }
    if tracker:
        chosen = parse_choice(Tracker, tracker, "tracker")
    else:
        set_up = [t for t, (_, value) in projects.items() if value]
        if len(set_up) != 1:
            raise InvalidInput(
                "tracker", "names no tracker", "Choose jira, github or gitlab, or set "
                "ESCDESK_JIRA_PROJECT, ESCDESK_GITHUB_REPO or ESCDESK_GITLAB_PROJECT",
            )  # fmt: skip
        chosen = set_up[0]
    name, default = projects[chosen]
    if not (project or default):
        raise InvalidInput(
            "project", f"no {chosen.value} project is given",
            f"Give the project, or set ESCDESK_{name.upper()}",
        )  # fmt: skip
    needs = [f"{chosen.value}_token"] + (["jira_api_url"] if chosen is Tracker.JIRA else [])
    for need in needs:
        if not getattr(settings, need):
            raise InvalidInput(
                need, "is not set", f"Set ESCDESK_{need.upper()} to create issues there"
            )
    return IssueTarget.of(chosen, project or default or "", settings.jira_issue_type)
