"""The metrics page (R-MET): server-drawn charts, filters that change them, numbers and CSV."""

from __future__ import annotations

import re
from pathlib import Path

from escdesk.store.uow import SqlUnitOfWork
from tests.store.test_metrics import build
from tests.store.test_ticket_outcome_metrics import load
from tests.web.pages import Visitor, text_of

PERIOD = {"since": "2026-10-04", "until": "2026-11-01"}


def test_the_charts_are_drawn_with_their_numbers_and_filters_change_them(
    manager: Visitor, uow: SqlUnitOfWork
) -> None:
    build(uow)
    page = manager.client.get("/figures", params=PERIOD)
    assert page.status_code == 200
    html = page.text
    for chart in ("chart-csat", "chart-volume", "chart-time-to-close", "chart-breaches"):
        assert f'<svg class="chart" id="{chart}"' in html
    assert "<script" not in html.split("<main", 1)[-1]  # drawn on the server, no chart script
    assert 'class="goal"' in html and "goal 80%" in html
    assert "50%" in html and "100%" in html  # CSAT points carry their values
    text = text_of(html)
    assert "CSAT (goal 80 %) 66.7 %" in text
    assert "Revenue at risk 130,000" in text
    assert "Numbers behind this chart" in text and "median hours" in text
    bars = re.findall(r'class="bar" data-series="median hours"', html)
    assert len(bars) == 2  # high and medium
    high = manager.client.get("/figures", params={**PERIOD, "severity": "high"}).text
    assert len(re.findall(r'class="bar" data-series="median hours"', high)) == 1
    assert "40.0" not in text_of(high.split('id="chart-time-to-close"', 1)[1].split("</svg>")[0])
    csv = manager.client.get("/figures/time_to_close.csv", params=PERIOD)
    assert csv.status_code == 200 and csv.text.startswith("severity,median_hours,closed\n")


def test_a_bad_filter_is_refused_by_name(manager: Visitor) -> None:
    page = manager.client.get("/figures", params={"since": "last tuesday"})
    assert page.status_code == 422 and "since" in text_of(page.text)
    assert manager.client.get("/figures/nothing.csv").status_code == 422


def test_first_contact_resolution_is_drawn_against_its_goal(
    manager: Visitor, uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    load(uow, tmp_path)
    html = manager.client.get("/figures", params=PERIOD).text
    assert '<svg class="chart" id="chart-first-contact"' in html
    chart = html.split('id="chart-first-contact"', 1)[1].split("</svg>")[0]
    assert "goal 95%" in chart
    assert "66.7%" in chart  # week 1: 2 of 3 Freshdesk tickets
    assert "50%" in chart  # week 2: Freshdesk 1 of 1 and Zendesk 0 of 1, one point
    assert "First-contact resolution (goal 95 %) 60.0 %" in text_of(html)
    csv = manager.client.get("/figures/first_contact.csv", params=PERIOD).text
    assert csv.splitlines()[:2] == [
        "week,source,tickets,first_contact,first_contact_percent",
        "2026-10-05,freshdesk,3,2,66.7",
    ]
