"""Who may do what (R-OPS-2): permissions, the default role → permission table, principals.

Roles decide who may decide, close or see internal notes; customer-facing text is kept apart
from internal notes. The table is data so an installation can read it at a glance, and every
interface (API, pages, CLI) asks the same question: `principal.can(permission)`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from escdesk.domain.errors import EscdeskError, Forbidden
from escdesk.domain.people import Role

SESSION_LIFETIME = timedelta(days=14)
"""A browser session ends this long after sign-in; signing in again starts a new one."""


class Permission(StrEnum):
    READ = "read"
    READ_INTERNAL = "read_internal"
    POST_UPDATE = "post_update"
    OPEN_ESCALATION = "open_escalation"
    CHANGE_SEVERITY = "change_severity"
    MANAGE_OWNERS = "manage_owners"
    SET_ETA = "set_eta"
    EDIT_EXIT_CRITERIA = "edit_exit_criteria"
    MONITOR = "monitor"
    CLOSE = "close"
    REOPEN = "reopen"
    PUBLISH_STATUS_PAGE = "publish_status_page"
    MANAGE_ACCOUNTS = "manage_accounts"
    EDIT_ACCOUNT = "edit_account"  # seed 004: the CSM keeps their account's facts and sentiment
    MANAGE_PEOPLE = "manage_people"
    MANAGE_TOKENS = "manage_tokens"
    MANAGE_RECURRING = "manage_recurring"  # import tickets; confirm, merge, split, fix issues
    MANAGE_DELIVERY = "manage_delivery"  # see the outbox, retry dead letters
    FILE_REQUEST = "file_request"  # R-INT-1: raise an escalation request, withdraw one's own
    DECIDE_REQUEST = "decide_request"  # R-TRI-3: record the triage meeting's decision
    WRITE_RETROSPECTIVE = "write_retrospective"  # R-RCA-1/2: timeline notes, follow-ups
    SUBMIT_FIX = "submit_fix"  # R-FIX-1: attach a support-written fix
    REVIEW_FIX = "review_fix"  # R-FIX-1: Engineering's review queue
    ORDER_RELEASE = "order_release"  # R-FIX-2: plan interim releases, order their contents
    SHIP_RELEASE = "ship_release"  # R-FIX-1: Engineering ships the interim release


P = Permission

_RUN_ESCALATIONS = frozenset(
    {
        P.READ,
        P.READ_INTERNAL,
        P.OPEN_ESCALATION,
        P.POST_UPDATE,
        P.MANAGE_OWNERS,
        P.SET_ETA,
        P.EDIT_EXIT_CRITERIA,
        P.MONITOR,
        P.REOPEN,
        P.PUBLISH_STATUS_PAGE,
        P.WRITE_RETROSPECTIVE,
        P.SUBMIT_FIX,
        P.ORDER_RELEASE,
    }
)
"""What the people who run escalations day to day (seed 004: Support, CSM, PS PM) may do."""

_DECIDE = frozenset({P.CHANGE_SEVERITY, P.CLOSE})
"""Decisions with consequences beyond the escalation: told in the shared channel (R-ESC-7)."""

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    # Sales files requests for their customers and follows them, but internal notes stay
    # internal: an account executive forwards what they read.
    Role.SALES: frozenset({P.READ, P.OPEN_ESCALATION, P.FILE_REQUEST}),
    # Support mines the ticket database for repeated issues (seed 003).
    Role.SUPPORT: _RUN_ESCALATIONS | {P.MANAGE_RECURRING, P.FILE_REQUEST},
    # A CSM keeps the accounts they are CSM of current (sentiment first of all); the handler
    # narrows the permission to those accounts, and leaves handing one over to the leaders.
    Role.CSM: _RUN_ESCALATIONS | {P.FILE_REQUEST, P.EDIT_ACCOUNT},
    Role.PS_PM: _RUN_ESCALATIONS,
    # The CSM leader is involved from Medium up (R-ESC-1) and owns the accounts.
    Role.CSM_LEADER: _RUN_ESCALATIONS
    | _DECIDE
    | {P.MANAGE_ACCOUNTS, P.EDIT_ACCOUNT, P.MANAGE_RECURRING, P.MANAGE_DELIVERY},
    # The support / engineering manager runs triage and watches ETAs: everything, including
    # who may sign in and which machines hold tokens.
    Role.MANAGER: frozenset(Permission),
    # Product DRIs work inside high/critical product escalations (R-ESC-3); Product sits in the
    # triage meeting beside Engineering (seed 000) and is Engineering's side of support-written
    # fixes (seed 002).
    Role.PRODUCT: frozenset(
        {P.READ, P.READ_INTERNAL, P.POST_UPDATE, P.SET_ETA, P.EDIT_EXIT_CRITERIA, P.DECIDE_REQUEST}
        | {P.WRITE_RETROSPECTIVE, P.SUBMIT_FIX, P.REVIEW_FIX, P.SHIP_RELEASE}
    ),
    # Product leaders are the stable counterpart: they read and comment.
    Role.PRODUCT_LEADER_DIRECTOR: frozenset({P.READ, P.READ_INTERNAL, P.POST_UPDATE}),
    Role.PRODUCT_LEADER_PLT: frozenset({P.READ, P.READ_INTERNAL, P.POST_UPDATE}),
    # Executives see the whole picture and are told at key moments; they change nothing.
    Role.EXECUTIVE: frozenset({P.READ, P.READ_INTERNAL}),
}


OWNER_POWERS: frozenset[Permission] = frozenset(
    {
        P.READ,
        P.READ_INTERNAL,
        P.POST_UPDATE,
        P.CHANGE_SEVERITY,
        P.SET_ETA,
        P.EDIT_EXIT_CRITERIA,
        P.MONITOR,
        P.CLOSE,
        P.REOPEN,
        P.PUBLISH_STATUS_PAGE,
    }
)
"""Seed 004: the DRI owns the approach, the communications and the closing. On *their*
escalation the DRI (and the product DRI of a product escalation) may do these whatever their
role alone allows; handing the escalation to someone else stays with those who manage owners."""


def permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    """A person with several roles may do what any of them may."""
    granted: frozenset[Permission] = frozenset()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return granted


class Via(StrEnum):
    SESSION = "session"
    TOKEN = "token"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who a use case runs for: a person (signed in, or named on the command line), a machine
    token with its role, or escdesk itself (the worker, the scheduler, migrations of data).

    Handlers ask the actor, never the face: `actor.require(Permission.CLOSE)` refuses the same
    way whether the request came from the API, a page, the CLI or chat.
    """

    person_id: int | None
    name: str
    roles: frozenset[Role]
    via: Via = Via.SESSION

    @classmethod
    def system(cls, name: str = "escdesk") -> Actor:
        return cls(None, name, frozenset(), Via.SYSTEM)

    @property
    def is_system(self) -> bool:
        return self.via is Via.SYSTEM

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.is_system:
            return frozenset(Permission)
        return permissions_of(self.roles)

    def can(self, permission: Permission, owners: Collection[int | None] = ()) -> bool:
        """May this actor do `permission`, on a record whose owners (DRI, product DRI) are
        `owners`? Their roles decide, and being an owner adds OWNER_POWERS (seed 004)."""
        if permission in self.permissions:
            return True
        return (
            permission in OWNER_POWERS and self.person_id is not None and self.person_id in owners
        )

    def require(self, permission: Permission, owners: Collection[int | None] = ()) -> None:
        """R-OPS-2: refuse, naming who and what, unless the actor may do `permission`."""
        if not self.can(permission, owners):
            raise Forbidden(forbidden_message(self, permission))


@dataclass(frozen=True)
class Principal:
    """Whoever is asking: a signed-in person (via "session") or a machine (via "token").

    A token has no person behind it, so `person_id` is None and nothing it does is attributed
    to a person in the audit trail. `csrf_token` is set for sessions only: the value forms and
    cookie-authenticated API calls must echo back.
    """

    person_id: int | None
    name: str
    roles: frozenset[Role]
    via: str
    csrf_token: str | None = field(default=None, compare=False, repr=False)
    timezone: str = field(default="UTC", compare=False)
    """The person's own IANA zone: pages show moments and read typed times on its clock."""

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def actor(self) -> Actor:
        """The actor a use case runs for: this person, or the token with its role."""
        return Actor(self.person_id, self.name, self.roles, Via(self.via))

    @property
    def actor_key(self) -> str | None:
        """The person's id as text, for use cases that still name their actor by key."""
        return str(self.person_id) if self.person_id is not None else None


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed: never the secret itself, only a hint to recognise it by."""

    id: int
    name: str
    role: Role
    hint: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class SignInRequired(EscdeskError):
    """Nobody is signed in (no session, or a wrong, expired or revoked token): HTTP 401."""

    code = "sign_in_required"

    def __init__(self, message: str = "Sign in, or send an API token") -> None:
        super().__init__(message)


def forbidden_message(principal: Principal | Actor, permission: Permission) -> str:
    roles = ", ".join(sorted(principal.roles)) or "no role"
    return f"{principal.name} ({roles}) may not {permission.value.replace('_', ' ')}"
