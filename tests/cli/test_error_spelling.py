"""The domain names what a rule needs by field; the command line spells those fields as flags."""

from __future__ import annotations

from tests.cli.conftest import Cli, Desk


def test_a_refused_closing_names_the_flags_that_would_satisfy_it(cli: Cli, desk: Desk) -> None:
    refused = cli("escalations", "close", str(desk.product_high), "--by", desk.csm)
    assert refused.exit_code == 1
    assert "R-ESC-9" in refused.stderr
    assert "the customer's agreement: who, when and how (--agreed-by, --agreed-at," in (
        " ".join(refused.stderr.split())
    )
    assert "(--rca)" in refused.stderr
    assert cli.json("escalations", "show", str(desk.product_high))["status"] != "closed"


def test_a_partial_agreement_names_only_the_missing_flags(cli: Cli, desk: Desk) -> None:
    refused = cli(
        "escalations", "close", str(desk.product_high), "--agreed-by", "Dana", "--by", desk.csm
    )
    text = " ".join(refused.stderr.split())
    assert refused.exit_code == 1
    assert "when (--agreed-at); how (--agreed-via)" in text
    assert "--agreed-by" not in text
