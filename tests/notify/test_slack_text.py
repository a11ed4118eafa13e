"""The words of Slack messages: escaped as Slack asks, moments in each reader's timezone."""

from __future__ import annotations

import pytest

from escdesk.notify import slack_text


def test_text_a_person_wrote_cannot_ping_everyone_or_forge_a_link() -> None:
    text = slack_text.render(
        {"template": "update", "customer": "A", "body": "<!here> see <http://x|y> & more"}, "#c"
    )
    assert "<!here>" not in text and "&lt;!here&gt;" in text and "&amp; more" in text


def test_an_eta_change_names_both_moments_who_moved_it_and_why() -> None:
    text = slack_text.render(
        {
            "template": "eta_changed",
            "customer": "A",
            "old": "2026-11-09T17:00:00+00:00",
            "eta": "2026-11-16T17:00:00+00:00",
            "by": "Cara Diaz",
            "reason": "the vendor patch slipped",
        },
        "#c",
    )
    assert text.count("<!date^") == 2 and "by Cara Diaz" in text
    assert "“the vendor patch slipped”" in text


def test_a_change_without_a_reason_says_so_rather_than_inventing_one() -> None:
    text = slack_text.render(
        {"template": "owner_changed", "customer": "A", "role": "dri", "old": "Cara", "new": "Sam"},
        "#c",
    )
    assert "DRI changed from Cara to Sam, by escdesk (no reason given)" in text


def test_an_unknown_template_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(slack_text.UnknownTemplate, match="opening"):
        slack_text.render({"template": "limerick", "customer": "A"}, "#c")


@pytest.mark.parametrize(
    ("waived", "said"),
    [
        (0, None),
        (1, "1 exit criterion waived with the customer."),
        (2, "2 exit criteria waived with the customer."),
    ],
)
def test_a_closing_tells_how_many_exit_criteria_were_waived(waived: int, said: str | None) -> None:
    payload = {"template": "closed", "customer": "A", "agreed_by": "Jo", "waived": waived}
    text = slack_text.render(payload, "#c")
    assert "is closed" in text
    if said is None:
        assert "waived" not in text
    else:
        assert said in text
