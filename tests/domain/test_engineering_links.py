"""Engineering links are parsed from the URL people paste: Jira, GitHub and GitLab issues and
pull/merge requests, with the tracker's own key; anything else is refused naming the field."""

from __future__ import annotations

import pytest

from escdesk.domain.engineering_links import LinkKind, Tracker, parse_link
from escdesk.domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("url", "tracker", "kind", "key"),
    [
        ("https://github.com/acme/app/issues/12", Tracker.GITHUB, LinkKind.ISSUE, "acme/app#12"),
        ("https://github.com/acme/app.js/pull/7/", Tracker.GITHUB, LinkKind.PULL_REQUEST,
         "acme/app.js#7"),
        ("https://gitlab.com/acme/tools/app/-/issues/3", Tracker.GITLAB, LinkKind.ISSUE,
         "acme/tools/app#3"),
        ("https://git.example.org/acme/app/-/merge_requests/88", Tracker.GITLAB,
         LinkKind.MERGE_REQUEST, "acme/app!88"),
        ("https://acme.atlassian.net/browse/APP-1234", Tracker.JIRA, LinkKind.ISSUE, "APP-1234"),
        ("https://jira.example.com/jira/software/projects/OPS/issues/OPS-9", Tracker.JIRA,
         LinkKind.ISSUE, "OPS-9"),
        ("https://acme.atlassian.net/jira/software/c/projects/APP/boards/1?selectedIssue=APP-5",
         Tracker.JIRA, LinkKind.ISSUE, "APP-5"),
    ],
)  # fmt: skip
def test_a_link_names_its_tracker_kind_and_key(
    url: str, tracker: Tracker, kind: LinkKind, key: str
) -> None:
    parsed = parse_link(url)
    assert (parsed.tracker, parsed.kind, parsed.key) == (tracker, kind, key)


@pytest.mark.parametrize(
    "url",
    [
        "github.com/acme/app/issues/12",
        "https://github.com/acme/app",
        "https://github.com/acme/app/issues/0",
        "https://gitlab.com/acme/app/issues/3",
        "https://acme.atlassian.net/browse/app-1",
        "ftp://acme.atlassian.net/browse/APP-1",
        "https://example.com/anything",
    ],
)
def test_anything_else_is_refused_naming_the_url(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_link(url)
    assert refused.value.field == "url"
