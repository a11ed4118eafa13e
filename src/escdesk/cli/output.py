"""The `--json` shapes, defined once, and the console every command prints to.

The shapes are a contract for scripts: keys are sorted, datetimes are ISO 8601 in UTC with a
`Z`, ids are integers, enums are their lower-case values. Add keys freely; never rename one.
Overdue, days open and ETA missed come from the lateness read model (`escdesk.services.lateness`)
at the invocation's `now`, exactly as the board and the pages show them.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import typer

from escdesk.domain.accounts import Account
from escdesk.domain.people import Person
from escdesk.services import lateness
from escdesk.services.views import (
    EscalationDetail,
    EscalationPage,
    EscalationSummary,
    HistoryEntry,
)

if TYPE_CHECKING:
    from rich.console import Console

Json = dict[str, Any]


def esc_label(escalation_id: int | None) -> str:
    return f"ESC-{escalation_id}"


def console() -> Console:
    """A console on the current stdout (test runners swap it).

    Markup is off: customer names and summaries are user text, and `[x]` in one must print
    as typed, not vanish as a style tag. Styles are applied with `rich.text.Text` instead.
    Rich is imported here, by a command that prints for a person: `--json` never pays for it.
    """
    from rich.console import Console

    out = Console(highlight=False, markup=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = 160  # piped to a file or a pager: do not squeeze the board into 80 columns
    return out


def print_json(data: Json) -> None:
    typer.echo(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False))


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def ref(person_id: int | None, name: str | None) -> Json | None:
    """A person as every shape names one: `{"id", "name"}`, or null."""
    return None if person_id is None else {"id": person_id, "name": name}


def summary_item(item: EscalationSummary, now: datetime) -> Json:
    """One line of `escalations list` / `due`."""
    late = lateness.of_summary(item, now)
    return {
        "id": item.id,
        "customer": item.customer,
        "kind": item.kind,
        "severity": item.severity,
        "status": item.status,
        "summary": item.summary,
        "dri": ref(item.dri_id, item.dri_name),
        "opened_at": iso(item.opened_at),
        "days_open": late.days_open,
        "eta": iso(item.eta),
        "eta_slips": item.eta_slips,
        "eta_missed": late.eta_missed,
        "next_internal_update_due": iso(item.next_internal_update_due),
        "next_customer_update_due": iso(item.next_customer_update_due),
        "overdue": [audience.value for audience in late.overdue],
        "paused": [audience.value for audience in late.paused],
        "version": item.version,
    }


def page_json(page: EscalationPage, now: datetime) -> Json:
    return {
        "items": [summary_item(item, now) for item in page.items],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
    }


def account_json(account: Account) -> Json:
    project = account.services_project
    return {
        "id": account.id,
        "name": account.name,
        "slug": account.slug,
        "tier": account.tier.value,
        "arr": account.arr,
        "status": account.status.value,
        "deal_size": account.deal_size,
        "sentiment": account.sentiment.value,
        "sentiment_set_by_id": account.sentiment_set_by_id,
        "sentiment_set_at": iso(account.sentiment_set_at),
        "csm_id": account.csm_id,
        "services_project": (
            None if project is None else {"name": project.name, "pm_id": project.pm_id}
        ),
        "version": account.version,
    }


def person_json(person: Person) -> Json:
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "roles": sorted(role.value for role in person.roles),
        "timezone": person.timezone,
    }


def detail_json(detail: EscalationDetail, now: datetime) -> Json:
    """`escalations show --json`: the whole escalation, people named, due moments computed."""
    esc, account = detail.escalation, detail.account
    late = lateness.of_escalation(esc, now)

    def person(person_id: int | None) -> Json | None:
        return ref(person_id, detail.name_of(person_id))

    agreement = esc.agreement
    return {
        "id": esc.id,
        "customer": esc.customer,
        "account": {
            "id": account.id,
            "name": account.name,
            "tier": account.tier.value,
            "arr": account.arr,
            "status": account.status.value,
            "deal_size": account.deal_size,
            "sentiment": account.sentiment.value,
        },
        "channel": esc.channel,
        "kind": esc.kind.value,
        "severity": esc.severity.value,
        "status": esc.status.value,
        "route": esc.route.value,
        "summary": esc.summary,
        "customer_summary": esc.customer_summary,
        "initial_ask": esc.initial_ask,
        "required_skills": list(esc.required_skills),
        "product_related": esc.product_related,
        "owners": {
            "dri": person(esc.dri_id),
            "product_dri": person(esc.product_dri_id),
            "product_leader": person(esc.product_leader_id),
        },
        "exit_criteria": [
            {
                "number": n,
                "text": c.text,
                "done": c.done,
                "done_at": iso(c.done_at),
                "waived_reason": c.waived_reason,
                "waived_at": iso(c.waived_at),
            }
            for n, c in enumerate(esc.exit_criteria, start=1)
        ],
        "updates": [
            {
                "id": u.id,
                "audience": u.audience.value,
                "body": u.body,
                "author": person(u.author_id),
                "posted_at": iso(u.posted_at),
            }
            for u in esc.updates
        ],
        "eta": iso(esc.eta),
        "eta_missed": late.eta_missed,
        "eta_slips": esc.eta_slips,
        "eta_history": [
            {
                "changed_at": iso(c.changed_at),
                "old_eta": iso(c.old_eta),
                "new_eta": iso(c.new_eta),
                "reason": c.reason,
                "by": person(c.by_id),
                "slipped": c.slipped,
            }
            for c in esc.eta_changes
        ],
        "owner_changes": [
            {
                "role": c.role.value,
                "from": person(c.old_id),
                "to": person(c.new_id),
                "reason": c.reason,
                "by": person(c.by_id),
                "changed_at": iso(c.changed_at),
            }
            for c in esc.owner_changes
        ],
        "agreement": (
            None
            if agreement is None
            else {"by": agreement.who, "at": iso(agreement.when), "via": agreement.how.value}
        ),
        "rca": esc.rca_reference,
        "opened_at": iso(esc.opened_at),
        "closed_at": iso(esc.closed_at),
        "days_open": late.days_open,
        "next_internal_update_due": iso(esc.next_internal_update_due),
        "next_customer_update_due": iso(esc.next_customer_update_due),
        "overdue": [audience.value for audience in late.overdue],
        "paused": [audience.value for audience in late.paused],
        "working_seconds_left": late.working_seconds_left(),
        "calendar": esc.calendar.name,
        "version": esc.version,
    }


def history_json(entries: list[HistoryEntry]) -> Json:
    return {
        "items": [
            {
                "id": e.id,
                "type": e.type,
                "at": iso(e.at),
                "actor": ref(e.actor_id, e.actor_name),
                "data": e.data,
            }
            for e in entries
        ]
    }
