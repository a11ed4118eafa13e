"""JSON shapes of retrospectives, fixes and releases for `--json` (sorted keys, UTC ISO 8601)."""

from __future__ import annotations

from escdesk.cli.output import Json, iso
from escdesk.domain.fixes import Fix
from escdesk.domain.releases import Release
from escdesk.domain.retrospective import Share
from escdesk.services.releases import ReleaseView
from escdesk.services.retrospectives import RetrospectiveView


def retro_json(view: RetrospectiveView) -> Json:
    r = view.retro
    return {
        "id": r.id,
        "version": r.version,
        "escalation_id": r.escalation_id,
        "title": view.title,
        "status": r.status.value,
        "opened_at": iso(r.opened_at),
        "due_at": iso(r.due_at),
        "completed_at": iso(r.completed_at),
        "root_cause": r.root_cause.value if r.root_cause else None,
        "summary": r.summary,
        "internal_notes": r.internal_notes if view.internal else None,
        "missed_opportunities": list(r.missed_opportunities),
        "timeline": [
            {
                "event_id": line.event_id,
                "at": iso(line.at),
                "actor": line.actor,
                "what": line.what,
                "detail": line.detail,
                "annotation": line.annotation,
            }
            for line in view.timeline
        ],
        "follow_ups": [
            {
                "number": n,
                "title": f.title,
                "owner_id": f.owner_id,
                "owner": view.owners.get(f.owner_id),
                "team": f.team,
                "due_at": iso(f.due_at),
                "done_at": iso(f.done_at),
                "tracker_url": f.tracker_url,
                "tracker_requested_at": iso(f.tracker_requested_at),
            }
            for n, f in enumerate(r.follow_ups, start=1)
        ],
    }


def share_json(share: Share) -> Json:
    return {"on_time": share.on_time, "due": share.due, "share": share.share}


def fix_json(fix: Fix) -> Json:
    lead = fix.lead_time
    return {
        "id": fix.id,
        "version": fix.version,
        "title": fix.title,
        "kind": fix.kind.value,
        "content": fix.content,
        "url": fix.url,
        "author_id": fix.author_id,
        "escalation_id": fix.escalation_id,
        "recurring_issue_id": fix.recurring_issue_id,
        "request_id": fix.request_id,
        "status": fix.status.value,
        "review_note": fix.review_note,
        "release_id": fix.release_id,
        "submitted_at": iso(fix.submitted_at),
        "reported_at": iso(fix.reported_at),
        "shipped_at": iso(fix.shipped_at),
        "lead_time_days": lead.total_seconds() / 86_400 if lead is not None else None,
    }


def release_json(release: Release, view: ReleaseView | None = None) -> Json:
    out: Json = {
        "id": release.id,
        "revision": release.revision,
        "version": release.version,
        "planned_on": release.planned_on.isoformat(),
        "status": release.status.value,
        "shipped_at": iso(release.shipped_at),
        "fix_ids": list(release.fix_ids),
    }
    if view is not None:
        out["notes"] = view.notes
        out["fixes"] = [fix_json(f) for f in view.fixes]
    return out
