"""`GET /api/metrics` and `/api/metrics/{figure}.csv` (R-MET): the same figures as the CLI."""

from __future__ import annotations

from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests.store.test_metrics import END, T0, D, build

PERIOD = {"since": (T0 - D).isoformat(), "until": END.isoformat()}


def test_the_api_answers_every_figure_with_its_definition(
    manager: TestClient, uow: SqlUnitOfWork
) -> None:
    build(uow)
    body = manager.get("/api/metrics", params=PERIOD).json()
    assert body["csat_percent"] == 66.7
    assert body["figures"]["csat"]["rows"] == [
        ["2026-10-05", "survey", 2, 1, 50.0],
        ["2026-10-12", "survey", 1, 1, 100.0],
    ]
    assert body["figures"]["eta"]["rows"] == [[3, 2, 66.7, 2, 0.67]]
    smb = manager.get("/api/metrics", params={**PERIOD, "tier": "smb"}).json()
    assert smb["figures"]["revenue"]["rows"] == [[0, 0, 0]]
    csv = manager.get("/api/metrics/recurring.csv", params=PERIOD)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text == "fixed,eliminated,tickets_prevented\n2,1,2\n"


def test_bad_filters_are_problems_naming_the_field(
    manager: TestClient, anonymous: TestClient
) -> None:
    wrong = manager.get("/api/metrics", params={"tier": "galactic"})
    assert wrong.status_code == 422 and "tier" in wrong.text
    assert manager.get("/api/metrics/happiness.csv").status_code == 422
    assert anonymous.get("/api/metrics").status_code == 401
