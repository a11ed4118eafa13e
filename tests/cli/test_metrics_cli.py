"""`escdesk metrics [--json|--csv]` (R-MET): the figures the store computed, for scripts too."""

from __future__ import annotations

from escdesk.store.uow import SqlUnitOfWork
from tests.cli.conftest import Cli
from tests.store.test_metrics import END, T0, D, build

PERIOD = ("--since", (T0 - D).isoformat(), "--until", END.isoformat())


def test_metrics_json_and_csv_carry_the_hand_computed_figures(cli: Cli, uow: SqlUnitOfWork) -> None:
    build(uow)
    report = cli.json("metrics", *PERIOD)
    assert report["csat_percent"] == 66.7 and report["csat_goal_percent"] == 80.0
    volume = report["figures"]["volume"]
    assert volume["columns"] == ["week", "severity", "opened", "closed"]
    assert volume["rows"][0] == ["2026-10-05", "high", 2, 2]
    assert report["figures"]["revenue"]["rows"] == [[2, 130_000, 50_000]]
    assert "median time from opening to closing" in report["figures"]["time_to_close"]["definition"]
    csv = cli.ok("metrics", *PERIOD, "--csv", "time_to_close").stdout
    assert csv == "severity,median_hours,closed\nhigh,15.0,2\nmedium,40.0,1\n"
    table = cli.ok("metrics", *PERIOD, "--severity", "high").stdout
    assert "time to close" in table and "15.0" in table and "40.0" not in table


def test_a_wrong_figure_or_severity_names_the_option(cli: Cli, uow: SqlUnitOfWork) -> None:
    refused = cli("metrics", "--csv", "happiness")
    assert refused.exit_code == 2 and "--csv" in refused.output and "csat" in refused.output
    refused = cli("metrics", "--severity", "urgent")
    assert refused.exit_code == 2 and "severity" in refused.output and "urgent" in refused.output
