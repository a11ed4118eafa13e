"""Who owns an escalation (R-ESC-2) and who stands for Product in it (R-ESC-3).

These are law in seed 004, so they are code, not configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from escdesk.domain.accounts import Account
from escdesk.domain.errors import Need, RuleRefused
from escdesk.domain.people import Person, Role
from escdesk.domain.severity import Severity


class Route(StrEnum):
    """How the escalation came in."""

    SUPPORT = "support"
    SALES = "sales"
    CSM = "csm"
    SERVICES = "services"


class OwnerRole(StrEnum):
    DRI = "dri"
    PRODUCT_DRI = "product_dri"
    PRODUCT_LEADER = "product_leader"


@dataclass(frozen=True)
class DriRequirement:
    """The role the DRI must hold, the person the rule names (if it names one) and why."""

    role: Role
    person_id: int | None
    rule: str


def dri_requirement(severity: Severity, route: Route, account: Account) -> DriRequirement:
    """R-ESC-2: services project → its PM; high/critical → CSM; low/medium via Support → Support.

    Low/medium escalations that did not come through Support are account matters: the CSM.
    """
    if account.services_project is not None:
        return DriRequirement(
            Role.PS_PM,
            account.services_project.pm_id,
            f"during the services project {account.services_project.name!r} its PM is the DRI",
        )
    if route is Route.SERVICES:
        raise RuleRefused(
            "R-ESC-2",
            "an escalation raised through Services needs the account's services project",
            [
                Need(
                    "the account's services project and its PM",
                    ("services_project", "services_pm"),
                )
            ],
        )
    if route is Route.SUPPORT and not severity.is_high_or_critical:
        return DriRequirement(
            Role.SUPPORT, None, "low/medium escalations from Support are run by Support"
        )
    if account.csm_id is None:
        raise RuleRefused(
            "R-ESC-2",
            f"the DRI of this {severity} escalation is the account's CSM; {account.name} has none",
            [Need("the account's CSM", ("csm",))],
        )
    return DriRequirement(
        Role.CSM,
        account.csm_id,
        "high/critical escalations outside a services project are run by the CSM"
        if severity.is_high_or_critical
        else "escalations that did not come through Support are run by the CSM",
    )


def product_leader_role(severity: Severity) -> Role | None:
    """R-ESC-3: director level for High, a leadership-team (PLT) member for Critical."""
    return {
        Severity.HIGH: Role.PRODUCT_LEADER_DIRECTOR,
        Severity.CRITICAL: Role.PRODUCT_LEADER_PLT,
    }.get(severity)


_PRODUCT_DRI_ROLES = {Role.PRODUCT, Role.PRODUCT_LEADER_DIRECTOR, Role.PRODUCT_LEADER_PLT}
_SENIORITY = [Role.PRODUCT_LEADER_DIRECTOR, Role.PRODUCT_LEADER_PLT]
"""Product leadership from junior to senior: a more senior leader fits a lower severity."""


def leads_at(person: Person, role: Role) -> bool:
    """Seed 004: the product leader "will remain attached until the escalation is resolved" —
    a leadership-team member who led a critical escalation still fits it once it is high."""
    if role not in _SENIORITY:
        return person.has(role)
    return any(person.has(r) for r in _SENIORITY[_SENIORITY.index(role) :])


@dataclass(frozen=True)
class Owners:
    dri: Person
    product_dri: Person | None = None
    product_leader: Person | None = None


def check_owners(
    severity: Severity, route: Route, product_related: bool, account: Account, owners: Owners
) -> None:
    """Refuse owners that break R-ESC-2 or R-ESC-3, naming everything that is wrong at once."""
    requirement = dri_requirement(severity, route, account)
    missing: list[Need] = []
    if not owners.dri.has(requirement.role):
        missing.append(
            Need(f"a DRI with the {requirement.role} role ({owners.dri.name} has not)", ("dri",))
        )
    if product_related and severity.is_high_or_critical:
        if owners.product_dri is None:
            missing.append(Need("a product DRI, a person with the product role", ("product_dri",)))
        elif not owners.product_dri.roles & _PRODUCT_DRI_ROLES:
            missing.append(
                Need(
                    f"a product DRI with a product role ({owners.product_dri.name} has none)",
                    ("product_dri",),
                )
            )
        leader_role = product_leader_role(severity)
        assert leader_role is not None
        if owners.product_leader is None:
            missing.append(
                Need(f"a product leader with the {leader_role} role", ("product_leader",))
            )
        elif not leads_at(owners.product_leader, leader_role):
            missing.append(
                Need(
                    f"a product leader with the {leader_role} role "
                    f"({owners.product_leader.name} has not)",
                    ("product_leader",),
                )
            )
    if missing:
        raise RuleRefused(
            "R-ESC-3" if missing[0].fields != ("dri",) else "R-ESC-2",
            f"owners do not fit a {severity} escalation ({requirement.rule})",
            missing,
        )
