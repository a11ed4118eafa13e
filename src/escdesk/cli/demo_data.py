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

from escdesk.domain.access import Actor
from escdesk.domain.accounts import parse_choice
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.severity import parse_severity
from escdesk.services import accounts, people
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeExitCriteria,
    ChangeSeverity,
    CloseEscalation,
    MoveToMonitoring,
    OpenEscalation,
    PostUpdate,
    ReopenEscalation,
    SetEta,
    Waiver,
    agreement_from,
)
from escdesk.services.runner import Runner

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


def close(
    at: float, who: str, via: str, rca: str | None = None, waive: dict[int, str] | None = None
) -> Step:
    """Closing; `waive` lets open exit criteria go, each with the reason agreed (R-ESC-9)."""
    return Step(
        at, "close", {"agreed_by": who, "agreed_via": via, "rca": rca, "waivers": waive or {}}
    )


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


def _play(runner: Runner, story: Story, now: datetime) -> int:
    def at(hours: float) -> datetime:
        return now + timedelta(hours=hours)

    def actor(email_address: str) -> Actor:
        return people.acting_as(runner, email_address)

    by = email(story.owner)
    cmd = OpenEscalation.parse(
        account=story.account,
        kind=story.kind,
        severity=story.severity,
        route=story.route,
        summary=story.summary,
        initial_ask=story.ask,
        required_skills=story.skills,
        product_related=story.product is not None,
        exit_criteria=story.exits,
        dri=by if story.route == "support" else None,
        product_dri=email(story.product[0]) if story.product else None,
        product_leader=email(story.product[1]) if story.product else None,
        eta=at(story.eta) if story.eta is not None else None,
        also=True,  # the stories give some customers two escalations on purpose
    )
    esc = runner.at(at(story.opened)).run(service.open_escalation, cmd, actor(by))
    assert esc.id is not None
    for step in story.steps:
        a, moment, who = step.args, at(step.at), actor(by)
        run = runner.at(moment)
        if step.action == "update":
            audience = parse_choice(Audience, a["audience"], "audience")
            run.run(service.post_update, PostUpdate(esc.id, audience, a["body"]), who)
        elif step.action == "eta":
            run.run(service.set_eta, SetEta(esc.id, at(a["eta"]), a["reason"]), who)
        elif step.action == "exit":
            cmd_exit = ChangeExitCriteria(esc.id, done=tuple(a["done"]))
            run.run(service.change_exit_criteria, cmd_exit, who)
        elif step.action == "monitor":
            run.run(service.move_to_monitoring, MoveToMonitoring(esc.id, a["note"]), who)
        elif step.action == "close":
            agreement = agreement_from(a["agreed_by"], moment - timedelta(hours=2), a["agreed_via"])
            waivers = tuple(Waiver(n, why) for n, why in a["waivers"].items())
            cmd_close = CloseEscalation(esc.id, agreement, a["rca"], waivers=waivers)
            run.run(service.close_escalation, cmd_close, who)
        elif step.action == "reopen":
            run.run(service.reopen_escalation, ReopenEscalation(esc.id, a["reason"]), who)
        elif step.action == "severity":
            leader = a.get("product_leader")
            cmd_severity = ChangeSeverity(
                esc.id,
                parse_severity(a["level"]),
                a["reason"],
                product_leader=email(leader) if leader else None,
            )
            run.run(service.change_severity, cmd_severity, who)
        elif step.action == "dri":
            person = email(a["person"])
            role = parse_choice(OwnerRole, a["role"], "role")
            run.run(service.assign_owner, AssignOwner(esc.id, role, person, a["reason"]), who)
            by = person if a["role"] == "dri" else by
        else:  # pragma: no cover - a typo in the stories below
            raise ValueError(f"unknown demo step {step.action!r}")
    return esc.id


def build(
    runner: Runner,
    stories: Sequence[Story],
    *,
    now: datetime,
    progress: Callable[[str], None] = lambda _: None,
) -> list[int]:
    """Fill an empty, migrated database; returns the escalation ids in opening order."""
    start = runner.at(now - timedelta(days=60))
    admin = Actor.system("administrator")
    for name, roles, tz in PEOPLE:
        progress(f"person {name}")
        add = people.AddPerson.parse(name=name, email=email(name), roles=roles, timezone=tz)
        start.run(people.add_person, add, admin)
    for name, tier, arr, status, deal, csm, project in ACCOUNTS:
        progress(f"account {name}")
        account = accounts.AddAccount.parse(
            name=name,
            tier=tier,
            arr=arr,
            status=status,
            deal_size=deal,
            csm=email(csm) if csm else None,
            services_project=project[0] if project else None,
            services_pm=email(project[1]) if project else None,
        )
        start.run(accounts.add_account, account, admin)
    ids = []
    for story in sorted(stories, key=lambda s: s.opened):
        progress(f"{story.severity} escalation for {story.account}")
        ids.append(_play(runner, story, now))
    return ids
