"""The request and the agenda as data and as Markdown, one shape for the CLI, the API and pages.

JSON keys are sorted by the faces; datetimes are ISO 8601 UTC with a `Z`. The Markdown is meant
to be pasted into a meeting document: every request shows its score *with* its breakdown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from escdesk.domain.request import EscalationRequest
from escdesk.domain.request_similarity import Likeness
from escdesk.domain.triage_meeting import Agenda, EscalationItem, RequestItem
from escdesk.domain.triage_score import Score
from escdesk.services.requests import RequestView

Json = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def score_json(score: Score) -> Json:
    return {
        "total": score.total,
        "breakdown": [{"factor": p.factor, "points": p.points, "why": p.why} for p in score.parts],
    }


def request_json(r: EscalationRequest) -> Json:
    b = r.business
    hours = r.time_to_decision()
    return {
        "id": r.id,
        "ref": f"REQ-{r.id}",
        "version": r.version,
        "status": r.status.value,
        "kind": r.kind.value,
        "account_id": r.account_id,
        "problem": r.problem,
        "problem_type": r.problem_type.value,
        "proposed_severity": r.proposed_severity.value,
        "workarounds": r.workarounds,
        "difficulty": r.difficulty.value,
        "dependencies": r.dependencies,
        "business": {
            "status": b.status.value,
            "arr": b.arr,
            "deal_size": b.deal_size,
            "expected_close": b.expected_close.isoformat() if b.expected_close else None,
        },
        "other_customers": r.other_customers,
        "similar_accounts": r.similar_accounts,
        "happiness_confirmed": r.happiness_confirmed,
        "skills": list(r.skills),
        "tickets": [
            {"ticket_id": t.ticket_id, "external_id": t.external_id, "url": t.url}
            for t in r.tickets
        ],
        "requester_id": r.requester_id,
        "filed_at": iso(r.filed_at),
        "hours_to_decision": round(hours, 1) if hours is not None else None,
        "withdrawn_reason": r.withdrawn_reason,
        "decisions": [
            {
                "outcome": d.outcome.value,
                "rationale": d.rationale,
                "by_id": d.by_id,
                "at": iso(d.at),
                "release": d.release,
                "escalation_id": d.escalation_id,
                "education_id": d.education_id,
                "meeting_id": d.meeting_id,
            }
            for d in r.decisions
        ],
    }


def view_json(view: RequestView) -> Json:
    return {
        **request_json(view.request),
        "customer": view.customer,
        "requester": view.requester,
        "score": score_json(view.score),
        "open_escalations": [
            {"id": e.id, "severity": e.severity, "status": e.status, "summary": e.summary}
            for e in view.open_escalations
        ],
    }


def likeness_json(like: Likeness) -> Json:
    c = like.candidate
    return {"ref": c.ref, "title": c.title, "status": c.status, "score": like.score,
            "shared": list(like.shared)}  # fmt: skip


def _request_item(item: RequestItem) -> Json:
    r = item.request
    return {
        "id": r.id,
        "ref": f"REQ-{r.id}",
        "customer": item.customer,
        "requester": item.requester,
        "summary": r.summary,
        "problem_type": r.problem_type.value,
        "proposed_severity": r.proposed_severity.value,
        "workarounds": r.workarounds,
        "difficulty": r.difficulty.value,
        "dependencies": r.dependencies,
        "score": score_json(item.score),
        "minutes": item.minutes,
        "waiting_hours": item.waiting_hours,
        "missed_meetings": item.missed_meetings,
        "flagged": item.flagged,
    }


def _escalation_item(item: EscalationItem) -> Json:
    p = item.progress
    return {
        "id": p.id,
        "ref": f"ESC-{p.id}",
        "customer": p.customer,
        "summary": p.summary,
        "severity": p.severity,
        "status": p.status,
        "dri": p.dri_name,
        "eta": iso(p.eta),
        "eta_missed": p.eta_missed,
        "eta_slips": p.eta_slips,
        "exit_criteria": {"done": p.criteria_done, "total": p.criteria_total},
        "overdue_updates": list(p.overdue_updates),
        "days_open": p.days_open,
        "minutes": item.minutes,
    }


def agenda_json(agenda: Agenda) -> Json:
    return {
        "meeting_at": iso(agenda.meeting_at),
        "held": agenda.held,
        "skipped_reason": agenda.skipped_reason,
        "minutes": agenda.minutes,
        "requests": [_request_item(i) for i in agenda.requests],
        "escalations": [_escalation_item(i) for i in agenda.escalations],
    }


def breakdown_text(score: Score) -> str:
    """`type 30 + customer 20 + … = 103`: the sum as the meeting reads it."""
    terms = " ".join(
        f"{'−' if p.points < 0 else '+'} {p.factor} {abs(p.points)}" for p in score.parts
    )
    return f"{terms.removeprefix('+ ')} = {score.total}"


def _moment(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC") if moment else "none"


def progress_line(p: Any) -> str:
    eta = _moment(p.eta) + (" (missed)" if p.eta_missed else "")
    parts = [
        f"ETA {eta}",
        f"exit criteria {p.criteria_done}/{p.criteria_total}",
        f"ETA slipped {p.eta_slips}×",
        f"{p.days_open} days open",
    ]
    if p.overdue_updates:
        parts.append(", ".join(f"{a} update overdue" for a in p.overdue_updates))
    return "; ".join(parts)


def agenda_markdown(agenda: Agenda) -> str:
    """The agenda to paste into the meeting's document."""
    lines = [f"# Triage meeting, {_moment(agenda.meeting_at)}", ""]
    if not agenda.held:
        lines.append(f"Skipped: {agenda.skipped_reason}.")
        return "\n".join(lines) + "\n"
    lines += [f"Time box: {agenda.minutes} minutes.", "", "## New requests, by score", ""]
    for n, item in enumerate(agenda.requests, 1):
        r = item.request
        flag = " — **waited past a meeting**" if item.flagged else ""
        lines += [
            f"{n}. **REQ-{r.id} {item.customer}: {r.summary}** — score {item.score.total} "
            f"({item.minutes} min){flag}",
            f"   - Score: {breakdown_text(item.score)}",
            f"   - {r.problem_type.value}, proposed {r.proposed_severity.value}, "
            f"{r.difficulty.value} fix; filed by {item.requester or 'escdesk'}, waiting "
            f"{item.waiting_hours:g} h",
            f"   - Workarounds: {r.workarounds}",
            f"   - Dependencies: {r.dependencies}",
        ]
    lines += ["", "## Escalations in progress", ""]
    if not agenda.escalations:
        lines.append("None.")
    for reviewed in agenda.escalations:
        p = reviewed.progress
        lines += [
            f"- **ESC-{p.id} {p.customer}: {p.summary}** ({p.severity}, {p.status}, "
            f"DRI {p.dri_name}; {reviewed.minutes} min)",
            f"  - {progress_line(p)}",
        ]
    return "\n".join(lines) + "\n"
