"""How the escalation lists are filtered, searched and sorted in SQL.

Portable across SQLite and PostgreSQL: a search word is an ILIKE (lower() LIKE on SQLite) over
the escalation's own columns, and EXISTS over its account and its updates, so a match in many
updates still yields the escalation once and the page is cut by the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session

from escdesk.domain.records import Status
from escdesk.services.views import EscalationFilter
from escdesk.store.ordering import ordered
from escdesk.store.tables import AccountRow, EscalationRow, UpdateRow

SEVERITY_RANK = case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3}, value=EscalationRow.severity, else_=4
)
_STATUS_RANK = case(
    {"opened": 0, "active": 1, "monitoring": 2, "closed": 3}, value=EscalationRow.status, else_=4
)
_INTERNAL = EscalationRow.next_internal_update_due
_CUSTOMER = EscalationRow.next_customer_update_due
# The sooner of the two update clocks; written out because SQLite's min() and PostgreSQL's
# least() disagree on a NULL argument.
_NEXT_UPDATE = case(
    (_INTERNAL.is_(None), _CUSTOMER),
    (_CUSTOMER.is_(None), _INTERNAL),
    (_INTERNAL < _CUSTOMER, _INTERNAL),
    else_=_CUSTOMER,
)


def conditions(filters: EscalationFilter) -> ColumnElement[bool]:
    found: list[ColumnElement[bool]] = []
    if filters.severity:
        found.append(EscalationRow.severity == filters.severity)
    if filters.status:
        found.append(EscalationRow.status == filters.status)
    elif not filters.include_closed:
        found.append(EscalationRow.status != Status.CLOSED.value)
    if filters.dri_id is not None:
        found.append(EscalationRow.dri_id == filters.dri_id)
    if filters.account_id is not None:
        found.append(EscalationRow.account_id == filters.account_id)
    if filters.owner_id is not None:
        found.append(
            or_(
                EscalationRow.dri_id == filters.owner_id,
                EscalationRow.product_dri_id == filters.owner_id,
                EscalationRow.product_leader_id == filters.owner_id,
            )
        )
    if filters.due_before is not None:
        found.append(
            or_(
                EscalationRow.next_internal_update_due < filters.due_before,
                EscalationRow.next_customer_update_due < filters.due_before,
            )
        )
    found.extend(_word_matches(word, filters) for word in filters.words)
    return and_(true(), *found)


def _pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like(column: Any, word: str) -> ColumnElement[bool]:
    matched: ColumnElement[bool] = column.ilike(_pattern(word), escape="\\")
    return matched


def _visible_updates(filters: EscalationFilter) -> ColumnElement[bool]:
    """R-OPS-2: which updates a search may look into, for the reader the service named."""
    if filters.internal_text:
        return true()
    customer = UpdateRow.audience == "customer"
    if filters.internal_owner_id is None:
        return customer
    owner = filters.internal_owner_id
    return or_(
        customer,
        EscalationRow.dri_id == owner,
        and_(EscalationRow.product_related.is_(True), EscalationRow.product_dri_id == owner),
    )


def _word_matches(word: str, filters: EscalationFilter) -> ColumnElement[bool]:
    in_account = exists().where(
        AccountRow.id == EscalationRow.account_id, _like(AccountRow.name, word)
    )
    in_updates = exists().where(
        UpdateRow.escalation_id == EscalationRow.id,
        _like(UpdateRow.body, word),
        _visible_updates(filters),
    )
    return or_(
        _like(EscalationRow.customer, word),
        _like(EscalationRow.summary, word),
        _like(EscalationRow.initial_ask, word),
        in_account,
        in_updates,
    )


def order_by(filters: EscalationFilter, dri: Any) -> list[Any]:
    """The ORDER BY of a page: the asked key (blanks last either way), then id for ties."""
    if filters.order is None:
        return [SEVERITY_RANK, EscalationRow.opened_at, EscalationRow.id]
    columns: dict[str, Any] = {
        "id": EscalationRow.id,
        "customer": func.lower(EscalationRow.customer),
        "severity": SEVERITY_RANK,
        "status": _STATUS_RANK,
        "dri": func.lower(dri.name),
        "opened": EscalationRow.opened_at,
        "next_update": _NEXT_UPDATE,
        "eta": EscalationRow.eta,
    }
    return ordered(columns[filters.order.key], filters.order.descending, EscalationRow.id)


def matching_updates(
    session: Session, ids: list[int], filters: EscalationFilter
) -> list[tuple[int, str, str]]:
    """(escalation id, audience, body) of the latest visible update matching a word, for each
    of `ids` that has one: one row per escalation, however many updates match."""
    if not ids or not filters.words:
        return []
    latest = (
        select(func.max(UpdateRow.id))
        .join(EscalationRow, EscalationRow.id == UpdateRow.escalation_id)
        .where(
            UpdateRow.escalation_id.in_(ids),
            or_(*(_like(UpdateRow.body, word) for word in filters.words)),
            _visible_updates(filters),
        )
        .group_by(UpdateRow.escalation_id)
    )
    query = select(UpdateRow.escalation_id, UpdateRow.audience, UpdateRow.body).where(
        UpdateRow.id.in_(latest)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]
