"""A realistic escalation desk, built only through the services, with its history in the past.

Everything goes through the same use cases a person would run, each with a `now` some hours or
days before the real one, so the audit trail, the ETA slips and the overdue updates are what
the process would really have produced. This module holds the cast, the customers and the
small vocabulary the stories in `demo_stories.py` are written in; `build` plays them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from escdesk.domain.severity import SeverityPolicy
from escdesk.services import accounts, people
from escdesk.services import escalations as service
from escdesk.services.ports import UnitOfWork

D = 24.0  # hours in a day


DEMO_DOMAIN = "example.com"  # `escdesk demo` only deletes files whose people all use it


def email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class Step:
    at: float  # hours relative to now
    action: str
    args: dict[str, Any] = field(default_factory=dict)


def internal(at: float, text: str) -> Step:
    return Step(at, "update", {"audience": "internal", "body": text})


def customer(at: float, text: str) -> Step:
    return Step(at, "update", {"audience": "customer", "body": text})


def eta(at: float, new_eta: float, reason: str) -> Step:
    return Step(at, "eta", {"eta": new_eta, "reason": reason})


def done(at: float, *numbers: int) -> Step:
    return Step(at, "exit", {"done": list(numbers)})


def monitor(at: float, note: str) -> Step:
    return Step(at, "monitor", {"note": note})


def close(at: float, who: str, via: str, rca: str | None = None) -> Step:
    return Step(at, "close", {"agreed_by": who, "agreed_via": via, "rca": rca})


def reopen(at: float, reason: str) -> Step:
    return Step(at, "reopen", {"reason": reason})


def severity(at: float, level: str, reason: str, **owners: str) -> Step:
    return Step(at, "severity", {"level": level, "reason": reason, **owners})


def handover(at: float, role: str, person: str, reason: str) -> Step:
    return Step(at, "dri", {"role": role, "person": person, "reason": reason})


@dataclass(frozen=True)
class Story:
    """One escalation from opening to where it stands today."""

    account: str
    severity: str
    summary: str
    ask: str
    skills: tuple[str, ...]
    owner: str  # who runs it (and writes its updates): the DRI the rules name
    opened: float
    route: str = "support"
    kind: str = "account_escalation"
    product: tuple[str, str] | None = None  # product DRI, product leader
    exits: tuple[str, ...] = ()
    eta: float | None = None
    steps: tuple[Step, ...] = ()


PEOPLE = [
    ("Priya Raman", ["support"], "Asia/Kolkata"),
    ("Lars Eriksen", ["support"], "Europe/Oslo"),
    ("Amara Okafor", ["support"], "Africa/Lagos"),
    ("Diego Fernandez", ["support"], "America/Mexico_City"),
    ("Mei Lin", ["csm"], "Asia/Singapore"),
    ("Hannah Schmidt", ["csm"], "Europe/Berlin"),
    ("Olivia Bennett", ["csm"], "America/New_York"),
    ("Kwame Mensah", ["csm_leader"], "Europe/London"),
    ("Sofia Rossi", ["ps_pm"], "Europe/Rome"),
    ("Tomas Novak", ["manager", "support"], "Europe/Prague"),
    ("Yuki Tanaka", ["product"], "Asia/Tokyo"),
    ("Rafael Costa", ["product"], "America/Sao_Paulo"),
    ("Ingrid Johansson", ["product_leader_director", "product"], "Europe/Stockholm"),
    ("Samuel Adeyemi", ["product_leader_plt", "product"], "America/Los_Angeles"),
    ("Chloe Martin", ["sales"], "Europe/Paris"),
    ("Arjun Mehta", ["sales"], "America/Chicago"),
    ("Leila Haddad", ["executive"], "America/New_York"),
]


# name, tier, ARR, status, deal size, CSM, services project (name, PM)
ACCOUNTS: list[tuple[str, str, int, str, int | None, str | None, tuple[str, str] | None]] = [
    ("Northwind Health", "strategic", 1_850_000, "paying", None, "Mei Lin", None),
    ("Helios Bank", "strategic", 320_000, "pending_deal", 2_400_000, "Hannah Schmidt", None),
    ("Tidewater Energy", "enterprise", 720_000, "paying", None, "Hannah Schmidt", None),
    ("Fjord Logistics", "enterprise", 640_000, "paying", None, "Olivia Bennett", None),
    (
        "Kestrel Insurance",
        "enterprise",
        480_000,
        "paying",
        None,
        "Hannah Schmidt",
        ("Claims platform migration", "Sofia Rossi"),
    ),
    ("Quanta Robotics", "enterprise", 60_000, "pending_deal", 750_000, "Olivia Bennett", None),
    ("Lumen Retail", "mid_market", 185_000, "paying", None, "Olivia Bennett", None),
    ("Pinecrest University", "mid_market", 96_000, "paying", None, "Mei Lin", None),
    ("Orbital Media", "smb", 0, "prospect", None, None, None),
    ("Saffron Foods", "smb", 36_000, "paying", None, "Mei Lin", None),
]


def _play(uow: UnitOfWork, story: Story, now: datetime, policy: SeverityPolicy) -> int:
    def at(hours: float) -> datetime:
        return now + timedelta(hours=hours)

    by = email(story.owner)
    esc = service.open_escalation(
        uow,
        account=story.account,
        kind=story.kind,
        severity=story.severity,
        route=story.route,
        summary=story.summary,
        initial_ask=story.ask,
        required_skills=list(story.skills),
        product_related=story.product is not None,
        exit_criteria=list(story.exits),
        dri=by if story.route == "support" else None,
        product_dri=email(story.product[0]) if story.product else None,
        product_leader=email(story.product[1]) if story.product else None,
        eta=at(story.eta) if story.eta is not None else None,
        by=by,
        now=at(story.opened),
        policy=policy,
    )
    assert esc.id is not None
    for step in story.steps:
        a, moment = step.args, at(step.at)
        if step.action == "update":
            service.post_update(
                uow,
                esc.id,
                audience=a["audience"],
                body=a["body"],
                by=by,
                now=moment,
                policy=policy,
            )
        elif step.action == "eta":
            service.set_eta(uow, esc.id, eta=at(a["eta"]), reason=a["reason"], by=by, now=moment)
        elif step.action == "exit":
            service.change_exit_criteria(uow, esc.id, done=a["done"], by=by, now=moment)
        elif step.action == "monitor":
            service.move_to_monitoring(uow, esc.id, note=a["note"], by=by, now=moment)
        elif step.action == "close":
            service.close_escalation(
                uow,
                esc.id,
                agreed_by=a["agreed_by"],
                agreed_at=moment - timedelta(hours=2),
                agreed_via=a["agreed_via"],
                rca_reference=a["rca"],
                by=by,
                now=moment,
            )
        elif step.action == "reopen":
            service.reopen_escalation(
                uow, esc.id, reason=a["reason"], by=by, now=moment, policy=policy
            )
        elif step.action == "severity":
            leader = a.get("product_leader")
            service.change_severity(
                uow,
                esc.id,
                severity=a["level"],
                reason=a["reason"],
                by=by,
                now=moment,
                policy=policy,
                product_leader=email(leader) if leader else None,
            )
        elif step.action == "dri":
            person = email(a["person"])
            service.assign_owner(
                uow, esc.id, role=a["role"], person=person, reason=a["reason"], by=by, now=moment
            )
            by = person if a["role"] == "dri" else by
        else:  # pragma: no cover - a typo in the stories below
            raise ValueError(f"unknown demo step {step.action!r}")
    return esc.id


def build(
    uow: UnitOfWork,
    stories: Sequence[Story],
    *,
    now: datetime,
    policy: SeverityPolicy,
    progress: Callable[[str], None] = lambda _: None,
) -> list[int]:
    """Fill an empty, migrated database; returns the escalation ids in opening order."""
    start = now - timedelta(days=60)
    for name, roles, tz in PEOPLE:
        progress(f"person {name}")
        people.add_person(uow, name=name, email=email(name), roles=roles, timezone=tz, now=start)
    for name, tier, arr, status, deal, csm, project in ACCOUNTS:
        progress(f"account {name}")
        accounts.add_account(
            uow,
            name=name,
            tier=tier,
            arr=arr,
            status=status,
            deal_size=deal,
            csm=email(csm) if csm else None,
            services_project=project[0] if project else None,
            services_pm=email(project[1]) if project else None,
            now=start,
        )
    ids = []
    for story in sorted(stories, key=lambda s: s.opened):
        progress(f"{story.severity} escalation for {story.account}")
        ids.append(_play(uow, story, now, policy))
    return ids
