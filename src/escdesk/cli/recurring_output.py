"""The `--json` and `--markdown` shapes of tickets, recurring issues and the weekly review.

Same contract as `cli.output`: sorted keys, UTC ISO 8601 with a `Z`, keys added but never
renamed. The one exception is `tickets similar --json`, whose line format scripts depend on:
`{"id": …, "similar": [{"id": …, "score": …}, …]}`, exactly those keys, one line per query.
"""

from __future__ import annotations

import json
from typing import Any

from escdesk.cli.output import iso
from escdesk.domain.recurring_issue import Prevention
from escdesk.domain.review import ReviewAgenda, Section
from escdesk.services.ticket_views import (
    ImportReport,
    IssueDetail,
    LinkedEscalation,
    RankedIssue,
    SimilarResult,
    StoredTicket,
)

Json = dict[str, Any]


def similar_line(result: SimilarResult) -> str:
    """One line per query, best match first."""
    similar = [{"id": m.key, "score": m.score} for m in result.matches]
    return json.dumps({"id": result.query, "similar": similar}, ensure_ascii=False)


def ticket_json(stored: StoredTicket) -> Json:
    t = stored.ticket
    return {
        "id": stored.key,
        "source": t.source,
        "external_id": t.external_id,
        "subject": t.subject,
        "body": t.body,
        "account": t.account,
        "product_area": t.product_area,
        "component": t.component,
        "priority": t.priority,
        "status": t.status,
        "created_at": iso(t.created_at),
        "solved_at": iso(t.solved_at),
        "tags": list(t.tags),
    }


def import_json(report: ImportReport, seconds: float) -> Json:
    return {
        "import_id": report.import_id,
        "source": report.source,
        "format": report.format,
        "read": report.read,
        "new": report.new,
        "updated": report.updated,
        "skipped": [
            {"where": s.where, "field": s.field, "problem": s.problem, "fix": s.fix}
            for s in report.skipped
        ],
        "notices": [
            {"field": n.field, "message": n.message, "first_at": n.first_where, "count": n.count}
            for n in report.notices
        ],
        "seconds": round(seconds, 3),
    }


def escalation_json(e: LinkedEscalation) -> Json:
    return {
        "id": e.id,
        "customer": e.customer,
        "summary": e.summary,
        "status": e.status,
        "severity": e.severity,
    }


def issue_json(ranked: RankedIssue) -> Json:
    issue, figures, rank = ranked.issue, ranked.figures, ranked.rank
    return {
        "id": issue.id,
        "label": issue.label,
        "status": issue.status.value,
        "named": issue.named,
        "tickets": figures.tickets,
        "accounts": figures.accounts,
        "arr": figures.arr,
        "first_seen": iso(figures.first_seen),
        "last_seen": iso(figures.last_seen),
        "weekly": figures.weekly,
        "trend": round(ranked.trend, 3),
        "rank": {
            "score": round(rank.score, 3),
            "volume": round(rank.volume, 3),
            "reach": round(rank.reach, 3),
            "revenue": round(rank.revenue, 3),
            "growth": round(rank.growth, 3),
        },
        "escalations": sorted(issue.escalation_ids),
        "fix": issue.fix_reference,
        "release": issue.release,
        "fixed_at": iso(issue.fixed_at),
        "merged_into": issue.merged_into,
        "version": issue.version,
    }


def prevention_json(figure: Prevention) -> Json:
    return {
        "tickets_after_fix": figure.after_fix,
        "per_week_before_fix": round(figure.before_fix_per_week, 3),
        "per_week_after_fix": round(figure.after_fix_per_week, 3),
        "weeks_since_fix": round(figure.weeks_since_fix, 2),
        "stopped": figure.stopped,
    }


def detail_json(detail: IssueDetail) -> Json:
    data = issue_json(detail.ranked)
    data["recent_tickets"] = [ticket_json(t) for t in detail.tickets]
    data["affected_accounts"] = [
        {"name": a.name, "tickets": a.tickets, "account_id": a.account_id, "arr": a.arr}
        for a in detail.accounts
    ]
    data["linked_escalations"] = [escalation_json(e) for e in detail.escalations]
    data["prevention"] = prevention_json(detail.prevention) if detail.prevention else None
    return data


SECTION_TITLES = {
    Section.OPENING: "Opening",
    Section.CHRONIC_ISSUES: "Chronic issues",
    Section.PROBLEM_CUSTOMERS: "Problem customers",
    Section.ESCALATIONS_AT_RISK: "Escalations at risk",
}


def review_json(agenda: ReviewAgenda) -> Json:
    return {
        "total_minutes": agenda.total_minutes,
        "items": [
            {
                "section": item.section.value,
                "ref": item.ref,
                "title": item.title,
                "detail": item.detail,
                "minutes": item.minutes,
                "starts_at_minute": item.starts_at_minute,
            }
            for item in agenda.items
        ],
        "carried_over": [
            {"section": section.value, "ref": topic.ref, "title": topic.title}
            for section, topic in agenda.carried_over
        ],
        "left_out": [
            {"ref": topic.ref, "title": topic.title, "why": topic.detail}
            for topic in agenda.left_out
        ],
    }


def review_markdown(agenda: ReviewAgenda, date: str) -> str:
    """An agenda to paste into the meeting invite or the wiki."""
    lines = [f"# Weekly issues review — {date}", "", f"{agenda.total_minutes} minutes, strict."]
    section = None
    for item in agenda.items:
        if item.section is not section:
            section = item.section
            lines += ["", f"## {SECTION_TITLES[section]}", ""]
        start = f"{item.starts_at_minute // 60:d}:{item.starts_at_minute % 60:02d}"
        lines.append(f"- **{start}** ({item.minutes} min) {item.title} — {item.detail}")
    if agenda.carried_over:
        lines += ["", "## Carried over to next week", ""]
        lines += [f"- {SECTION_TITLES[s]}: {t.title}" for s, t in agenda.carried_over]
    if agenda.left_out:
        lines += ["", "## Ranked issues left out", ""]
        lines += [f"- {t.title} — {t.detail}" for t in agenda.left_out]
    return "\n".join(lines) + "\n"
