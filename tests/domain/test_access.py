"""R-OPS-2: roles decide who may decide, close, or see internal notes."""

from __future__ import annotations

import pytest

from escdesk.domain.access import (
    ROLE_PERMISSIONS,
    Actor,
    Permission,
    Principal,
    Via,
    forbidden_message,
    permissions_of,
)
from escdesk.domain.errors import Forbidden
from escdesk.domain.people import Role


def principal(*roles: Role) -> Principal:
    return Principal(1, "Ada", frozenset(roles), Via.SESSION)


def test_every_role_has_an_entry_and_may_read() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert all(Permission.READ in granted for granted in ROLE_PERMISSIONS.values())


def test_sales_may_open_and_read_but_never_sees_internal_notes() -> None:
    sales = principal(Role.SALES)
    assert sales.can(Permission.OPEN_ESCALATION)
    assert sales.can(Permission.READ)
    assert not sales.can(Permission.READ_INTERNAL)
    assert not sales.can(Permission.POST_UPDATE)


def test_executives_read_everything_but_change_nothing() -> None:
    assert ROLE_PERMISSIONS[Role.EXECUTIVE] == {Permission.READ, Permission.READ_INTERNAL}


def test_only_managers_and_csm_leaders_close_and_change_severity() -> None:
    for permission in (Permission.CLOSE, Permission.CHANGE_SEVERITY):
        holders = {role for role, granted in ROLE_PERMISSIONS.items() if permission in granted}
        assert holders == {Role.MANAGER, Role.CSM_LEADER}


def test_the_people_who_run_escalations_may_run_them_but_not_close_them() -> None:
    for role in (Role.SUPPORT, Role.CSM, Role.PS_PM):
        runner = principal(role)
        assert runner.can(Permission.POST_UPDATE)
        assert runner.can(Permission.READ_INTERNAL)
        assert runner.can(Permission.PUBLISH_STATUS_PAGE)
        assert not runner.can(Permission.CLOSE)


def test_posting_updates_always_comes_with_reading_internal_notes() -> None:
    """Whoever may post may read what they post: no role writes notes it cannot see."""
    for granted in ROLE_PERMISSIONS.values():
        if Permission.POST_UPDATE in granted:
            assert Permission.READ_INTERNAL in granted


def test_only_managers_hold_tokens_and_people() -> None:
    for permission in (Permission.MANAGE_TOKENS, Permission.MANAGE_PEOPLE):
        holders = {role for role, granted in ROLE_PERMISSIONS.items() if permission in granted}
        assert holders == {Role.MANAGER}


def test_a_person_with_several_roles_may_do_what_any_of_them_may() -> None:
    both = principal(Role.SALES, Role.EXECUTIVE)
    assert both.can(Permission.OPEN_ESCALATION)
    assert both.can(Permission.READ_INTERNAL)
    assert permissions_of(both.roles) == (
        ROLE_PERMISSIONS[Role.SALES] | ROLE_PERMISSIONS[Role.EXECUTIVE]
    )


def test_a_principal_without_roles_may_do_nothing() -> None:
    assert not any(principal().can(p) for p in Permission)


def test_a_token_acts_for_no_person() -> None:
    robot = Principal(None, "token sync", frozenset({Role.SUPPORT}), Via.TOKEN)
    assert robot.actor.person_id is None and robot.actor.via is Via.TOKEN
    assert robot.actor.can(Permission.POST_UPDATE)
    assert principal(Role.SUPPORT).actor.person_id == 1


def test_the_dri_holds_the_owners_powers_on_their_own_escalation_only() -> None:
    """Seed 004: the DRI owns the closing, whatever their role alone allows."""
    csm = principal(Role.CSM).actor
    assert not csm.can(Permission.CLOSE)
    assert csm.can(Permission.CLOSE, owners=(csm.person_id, None))
    assert not csm.can(Permission.CLOSE, owners=(99, None))
    assert not csm.can(Permission.MANAGE_ACCOUNTS, owners=(csm.person_id,))
    with pytest.raises(Forbidden):
        csm.require(Permission.CHANGE_SEVERITY, owners=(99,))
    csm.require(Permission.CHANGE_SEVERITY, owners=(csm.person_id,))


def test_escdesk_itself_may_do_everything_and_is_nobody() -> None:
    system = Actor.system()
    assert all(system.can(p) for p in Permission)
    assert system.person_id is None


def test_the_refusal_names_who_and_what() -> None:
    message = forbidden_message(principal(Role.SALES), Permission.CLOSE)
    assert message == "Ada (sales) may not close"
