"""Accounts kept true (seed 004): editing, the sentiment with who set it, and at risk computed."""

from __future__ import annotations

import pytest

from escdesk.domain.access import ROLE_PERMISSIONS, Permission
from escdesk.domain.account_risk import risk_of
from escdesk.domain.accounts import AccountStatus, Sentiment, Tier
from escdesk.domain.errors import InvalidInput
from escdesk.domain.people import Role
from escdesk.domain.severity import Severity
from tests.domain.builders import NOW, account


def test_editing_changes_what_was_given_and_says_what_it_was_before() -> None:
    acct = account()
    changed = acct.edit(tier=Tier.STRATEGIC, arr=400_000, name="Acme Group")
    assert changed == {
        "tier": (Tier.ENTERPRISE, Tier.STRATEGIC),
        "arr": (250_000, 400_000),
        "name": ("Acme Corp", "Acme Group"),
    }
    assert (acct.tier, acct.arr, acct.name, acct.slug) == (
        Tier.STRATEGIC,
        400_000,
        "Acme Group",
        "acme-group",
    )


def test_an_edit_that_changes_nothing_reports_nothing() -> None:
    acct = account()
    assert acct.edit(tier=acct.tier, arr=acct.arr) == {}


def test_leaving_a_pending_deal_drops_its_deal_size() -> None:
    acct = account(status=AccountStatus.PENDING_DEAL, deal_size=80_000)
    changed = acct.edit(status=AccountStatus.PAYING)
    assert changed["deal_size"] == (80_000, None) and acct.deal_size is None


def test_a_refused_edit_changes_nothing() -> None:
    acct = account()
    with pytest.raises(InvalidInput) as refused:
        acct.edit(arr=1, status=AccountStatus.PENDING_DEAL)
    assert refused.value.field == "deal_size"
    assert (acct.arr, acct.status) == (250_000, AccountStatus.PAYING)
    with pytest.raises(InvalidInput) as negative:
        acct.edit(arr=-1)
    assert negative.value.field == "arr"


def test_the_sentiment_is_not_edited_like_a_fact_but_set_with_who_and_when() -> None:
    acct = account()
    with pytest.raises(InvalidInput) as refused:
        acct.edit(sentiment=Sentiment.YELLOW)
    assert refused.value.field == "sentiment"
    previous = acct.set_sentiment(Sentiment.AT_RISK, by_id=7, at=NOW)
    assert previous is Sentiment.GREEN
    assert (acct.sentiment, acct.sentiment_set_by_id, acct.sentiment_set_at) == (
        Sentiment.AT_RISK,
        7,
        NOW,
    )


def test_an_open_critical_or_high_escalation_puts_the_account_at_risk_while_it_is_open() -> None:
    acct = account()
    assert risk_of(acct, [Severity.HIGH, "medium"]).at_risk
    assert risk_of(acct, ["critical", "high"]).reasons == ["2 open critical or high escalations"]
    assert not risk_of(acct, [Severity.MEDIUM, Severity.LOW]).at_risk
    assert not risk_of(acct, []).at_risk  # closed ones are not passed: the risk ended


def test_a_sentiment_set_at_risk_keeps_the_account_at_risk_without_an_escalation() -> None:
    acct = account()
    acct.set_sentiment(Sentiment.AT_RISK, by_id=3, at=NOW)
    risk = risk_of(acct, [])
    assert risk.at_risk and risk.reasons == ["its sentiment is at risk"]
    acct.set_sentiment(Sentiment.YELLOW, by_id=3, at=NOW)
    assert not risk_of(acct, []).at_risk


def test_its_csm_and_the_leaders_may_edit_an_account_and_others_may_not() -> None:
    may = {role for role, granted in ROLE_PERMISSIONS.items() if Permission.EDIT_ACCOUNT in granted}
    assert may == {Role.CSM, Role.CSM_LEADER, Role.MANAGER}
