"""Each role's dashboard shows its own figures (R-MET) above the board every role shares."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import FastAPI

from escdesk.store import tables as t
from escdesk.store.uow import SqlUnitOfWork
from tests.store.test_metrics import T0, add, build
from tests.web.pages import text_of, visitor


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return text_of(html[start : html.index("</section>", start)])


def test_the_executive_sees_revenue_at_risk_csat_and_the_high_ones(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    build(uow)
    with visitor(app, uow, now, "executive") as exec_:
        html = exec_.client.get("/").text
    panel = section(html, "role-executive")
    assert "Revenue at risk 130,000 2 accounts" in panel
    assert "Pending deals at risk 50,000" in panel
    assert "CSAT (goal 80 %) 66.7 %" in panel
    assert "Critical and high open 1" in panel and "Deal" in panel


def test_the_manager_sees_the_triage_queue(app: FastAPI, uow: SqlUnitOfWork, now: datetime) -> None:
    build(uow)
    with visitor(app, uow, now, "manager") as manager:
        panel = section(manager.client.get("/").text, "role-manager")
    assert "Triage queue 1" in panel and "Missed updates, last 7 days 0" in panel


def test_the_csm_leader_sees_load_and_risk_per_csm(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    build(uow)
    with visitor(app, uow, now, "csm_leader") as leader:
        html = leader.client.get("/").text
    assert "revenue at risk 130,000" in section(html, "role-csm_leader")
    table = html.split('id="csm-load"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    rows = [re.findall(r"<td>([^<]*)</td>", row)[1:] for row in table.split("</tr>")[:-1]]
    assert rows == [["1", "0", "100,000"], ["1", "1", "30,000"], ["1", "0", "0"]]


def test_sales_see_their_accounts_and_support_their_requests_and_fixes(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    build(uow)
    with uow:
        deal = uow.session.query(t.AccountRow).filter_by(name="Deal").one().id
    with visitor(app, uow, now, "sales") as sales, visitor(app, uow, now, "support") as support:
        rows: list[object] = [
            t.EscalationRequestRow(
                account_id=deal,
                kind="account_escalation",
                problem="p",
                problem_type="bug",
                proposed_severity="high",
                workarounds="",
                difficulty="medium",
                dependencies="",
                business_status="pending_deal",
                arr=1,
                other_customers=0,
                happiness_confirmed=False,
                similar_accounts=0,
                skills=[],
                filed_at=T0,
                status=status,
                requester_id=who.person.id,
                version=1,
            )
            for who, status in ((sales, "pending"), (support, "escalated"), (support, "pending"))
        ]
        rows.append(
            t.FixRow(title="fix", kind="patch", content="", status="submitted",
                     submitted_at=T0, author_id=support.person.id, version=1)
        )  # fmt: skip
        add(uow, *rows)
        panel = section(sales.client.get("/").text, "role-sales")
        work = section(support.client.get("/").text, "role-support")
    # the CSM's sentiment, as set, beside the risk computed from it and the open escalations
    assert "Deal 30,000 green at risk 1 open critical or high escalation 1" in panel
    assert "Acme" not in panel
    assert work.endswith("1 request escalated 1 request pending 1 fix submitted")
