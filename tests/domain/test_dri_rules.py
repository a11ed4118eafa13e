"""R-ESC-2 (who is the DRI) and R-ESC-3 (product DRI and product leader)."""

from __future__ import annotations

import pytest

from escdesk.domain.dri import Owners, Route, check_owners, dri_requirement, product_leader_role
from escdesk.domain.errors import RuleRefused
from escdesk.domain.people import Role
from escdesk.domain.severity import Severity
from tests.domain.builders import account, escalation, person


@pytest.mark.parametrize("severity", [Severity.LOW, Severity.MEDIUM])
def test_r_esc_2_low_and_medium_from_support_are_run_by_support(severity: Severity) -> None:
    req = dri_requirement(severity, Route.SUPPORT, account(csm=person(Role.CSM)))
    assert req.role is Role.SUPPORT
    assert req.person_id is None


@pytest.mark.parametrize("route", list(Route)[:3])
@pytest.mark.parametrize("severity", [Severity.HIGH, Severity.CRITICAL])
def test_r_esc_2_high_and_critical_are_run_by_the_accounts_csm(
    severity: Severity, route: Route
) -> None:
    csm = person(Role.CSM)
    req = dri_requirement(severity, route, account(csm=csm))
    assert (req.role, req.person_id) == (Role.CSM, csm.id)


def test_r_esc_2_low_escalations_from_sales_are_run_by_the_csm() -> None:
    csm = person(Role.CSM)
    req = dri_requirement(Severity.LOW, Route.SALES, account(csm=csm))
    assert (req.role, req.person_id) == (Role.CSM, csm.id)


@pytest.mark.parametrize("severity", list(Severity))
@pytest.mark.parametrize("route", list(Route))
def test_r_esc_2_any_escalation_during_a_services_project_is_run_by_its_pm(
    severity: Severity, route: Route
) -> None:
    pm = person(Role.PS_PM)
    req = dri_requirement(severity, route, account(csm=person(Role.CSM), pm=pm))
    assert (req.role, req.person_id) == (Role.PS_PM, pm.id)


def test_r_esc_2_a_high_escalation_on_an_account_without_csm_is_refused_naming_the_csm() -> None:
    with pytest.raises(RuleRefused) as refused:
        dri_requirement(Severity.HIGH, Route.SUPPORT, account(csm=None))
    assert refused.value.rule_id == "R-ESC-2"
    assert "CSM" in refused.value.missing[0].what
    assert refused.value.missing[0].fields == ("csm",)


def test_r_esc_2_services_route_without_a_services_project_is_refused() -> None:
    with pytest.raises(RuleRefused, match="services project"):
        dri_requirement(Severity.LOW, Route.SERVICES, account(csm=person(Role.CSM)))


def test_r_esc_2_a_dri_without_the_required_role_is_refused() -> None:
    csm = person(Role.CSM)
    with pytest.raises(RuleRefused) as refused:
        check_owners(
            Severity.HIGH, Route.SUPPORT, False, account(csm=csm), Owners(dri=person(Role.SUPPORT))
        )
    assert refused.value.rule_id == "R-ESC-2"


@pytest.mark.parametrize("severity", [Severity.HIGH, Severity.CRITICAL])
def test_r_esc_3_high_and_critical_product_escalations_require_a_product_dri(
    severity: Severity,
) -> None:
    csm = person(Role.CSM)
    with pytest.raises(RuleRefused) as refused:
        check_owners(severity, Route.SUPPORT, True, account(csm=csm), Owners(dri=csm))
    assert refused.value.rule_id == "R-ESC-3"
    needs = {need.fields: need.what for need in refused.value.missing}
    assert "product DRI" in needs[("product_dri",)]
    assert "product leader" in needs[("product_leader",)]


def test_r_esc_3_medium_product_escalations_need_no_product_dri() -> None:
    """The same owners pass at medium and are refused at high: the line is the severity."""
    csm = person(Role.CSM)
    owners = Owners(dri=person(Role.SUPPORT))
    check_owners(Severity.MEDIUM, Route.SUPPORT, True, account(csm=csm), owners)  # no refusal
    with pytest.raises(RuleRefused) as refused:
        check_owners(Severity.HIGH, Route.SUPPORT, True, account(csm=csm), Owners(dri=csm))
    assert ("product_dri",) in [need.fields for need in refused.value.missing]


def test_r_esc_3_high_needs_a_director_and_critical_a_leadership_team_member() -> None:
    assert product_leader_role(Severity.HIGH) is Role.PRODUCT_LEADER_DIRECTOR
    assert product_leader_role(Severity.CRITICAL) is Role.PRODUCT_LEADER_PLT
    assert product_leader_role(Severity.MEDIUM) is None


def test_r_esc_3_a_director_cannot_stand_in_for_a_critical_escalation() -> None:
    csm = person(Role.CSM)
    owners = Owners(
        dri=csm,
        product_dri=person(Role.PRODUCT),
        product_leader=person(Role.PRODUCT_LEADER_DIRECTOR),
    )
    check_owners(Severity.HIGH, Route.SUPPORT, True, account(csm=csm), owners)
    with pytest.raises(RuleRefused, match="product_leader_plt"):
        check_owners(Severity.CRITICAL, Route.SUPPORT, True, account(csm=csm), owners)


def test_r_esc_2_every_change_of_dri_is_recorded_with_its_reason() -> None:
    csm, other_csm = person(Role.CSM), person(Role.CSM)
    acct = account(csm=csm)
    esc = escalation(severity=Severity.HIGH, acct=acct, owners=Owners(dri=csm))
    changes = esc.assign_owners(
        Owners(dri=other_csm), account=acct, reason="Cara on leave", by_id=None, now=esc.opened_at
    )
    assert esc.dri_id == other_csm.id
    assert [(c.old_id, c.new_id, c.reason) for c in changes] == [
        (csm.id, other_csm.id, "Cara on leave")
    ]
    assert esc.pending_events[-1].type == "owner_changed"
    assert esc.pending_events[-1].data["reason"] == "Cara on leave"


def test_a_more_senior_product_leader_fits_a_lower_severity_but_not_the_other_way() -> None:
    csm = person(Role.CSM)
    product_dri = person(Role.PRODUCT)
    plt, director = person(Role.PRODUCT_LEADER_PLT), person(Role.PRODUCT_LEADER_DIRECTOR)
    for severity, leader in (
        (Severity.HIGH, plt),
        (Severity.HIGH, director),
        (Severity.CRITICAL, plt),
    ):
        owners = Owners(dri=csm, product_dri=product_dri, product_leader=leader)
        check_owners(severity, Route.CSM, True, account(csm=csm), owners)
    owners = Owners(dri=csm, product_dri=product_dri, product_leader=director)
    with pytest.raises(RuleRefused) as refused:
        check_owners(Severity.CRITICAL, Route.CSM, True, account(csm=csm), owners)
    assert [need.fields for need in refused.value.missing] == [("product_leader",)]
