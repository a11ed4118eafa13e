"""Accounts and people: lists, detail pages, and the forms that add them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from escdesk.domain.access import Actor, Permission, Principal
from escdesk.domain.accounts import AccountStatus, Tier
from escdesk.domain.people import Role, parse_roles
from escdesk.http.deps import NowDep, RunnerDep, UowDep
from escdesk.services import accounts, auth, people
from escdesk.services.desk import person_overview
from escdesk.services.runner import Runner
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.listing import first_page, listing
from escdesk.web.pages import redirect, render
from escdesk.web.routes.calendars import account_page
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
AccountManager = Annotated[Principal, Depends(allowed_to(Permission.MANAGE_ACCOUNTS))]
AccountEditor = Annotated[Principal, Depends(allowed_to(Permission.EDIT_ACCOUNT))]
PeopleManager = Annotated[Principal, Depends(allowed_to(Permission.MANAGE_PEOPLE))]

ACCOUNT_CHOICES = {"tiers": list(Tier), "statuses": list(AccountStatus)}


def _accounts_page(
    request: Request, run: Runner, actor: Actor, failed: FormError | None
) -> Response:
    asked = first_page(request) if failed else listing(request, accounts.ACCOUNT_ORDERS)
    query = accounts.ListAccounts(asked.order, asked.size, asked.offset)
    found = run.read(accounts.accounts_page, query, actor)
    known = run.read(people.list_people, people.ListPeople(), actor)
    names = {p.id: p.name for p in known}
    context = {"found": found, "people": known, "names": names, "failed": failed, "listing": asked}
    status = failed.status if failed else 200
    return render(request, "accounts/list.html", {**context, **ACCOUNT_CHOICES}, status_code=status)


@router.get("/accounts")
def account_list(request: Request, principal: Reader, run: RunnerDep) -> Response:
    actor = principal.actor
    on_error_show(request, "list", lambda req, failed: _accounts_page(req, run, actor, failed))
    return _accounts_page(request, run, principal.actor, None)


@router.post("/accounts")
def add_account(
    request: Request, principal: AccountManager, form: FormDep, run: RunnerDep
) -> Response:
    actor = principal.actor
    on_error_show(
        request, "add_account", lambda req, failed: _accounts_page(req, run, actor, failed)
    )
    cmd = accounts.AddAccount.parse(
        name=form.text("name"),
        tier=form.text("tier"),
        arr=form.integer("arr") or 0,
        status=form.text("status"),
        deal_size=form.integer("deal_size"),
        csm=form.optional("csm"),
        services_project=form.optional("services_project"),
        services_pm=form.optional("services_pm"),
    )
    account = run.run(accounts.add_account, cmd, principal.actor)
    return redirect(f"/accounts/{account.id}", flash=f"{account.name} is added.")


@router.post("/accounts/{key}")
def edit_account(
    request: Request,
    key: str,
    principal: AccountEditor,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    """The account page's edit form: every field is sent, so what is unchanged stays."""

    def show_again(req: Request, failed: FormError) -> Response:
        return account_page(req, uow, run, key, principal, now, failed)

    on_error_show(request, "edit_account", show_again)
    # An empty CSM or project choice removes it; a field the form did not send stays as it is.
    sent = {name: form.text(name) for name in ("csm", "services_project", "services_pm")}
    sent = {name: value for name, value in sent.items() if name in form.values}
    cmd = accounts.EditAccount.parse(
        key=key,
        name=form.optional("name"),
        tier=form.optional("tier"),
        arr=form.integer("arr"),
        status=form.optional("status"),
        # the form keeps the old deal size in view; it counts only for a pending deal
        deal_size=form.integer("deal_size") if form.text("status") == "pending_deal" else None,
        csm=sent.get("csm"),
        services_project=sent.get("services_project"),
        services_pm=sent.get("services_pm"),
        sentiment=form.optional("sentiment"),
        version=form.version(),
    )
    account = run.run(accounts.edit_account, cmd, principal.actor)
    return redirect(f"/accounts/{account.id}", flash=f"{account.name} is up to date.")


def _people_page(
    request: Request, run: Runner, actor: Actor, role: str, failed: FormError | None
) -> Response:
    asked = first_page(request) if failed else listing(request, people.PEOPLE_ORDERS)
    chosen = next(iter(parse_roles([role], "role"))) if role else None
    query = people.ListPeople(chosen, asked.order, asked.size, asked.offset)
    found = run.read(people.people_page, query, actor)
    context = {"found": found, "role": role, "roles": list(Role), "failed": failed}
    context["listing"] = asked
    status = failed.status if failed else 200
    return render(request, "people/list.html", context, status_code=status)


@router.get("/people")
def people_list(request: Request, principal: Reader, run: RunnerDep, role: str = "") -> Response:
    actor = principal.actor
    on_error_show(request, "filters", lambda req, failed: _people_page(req, run, actor, "", failed))
    return _people_page(request, run, actor, role, None)


@router.post("/people")
def add_person(
    request: Request, principal: PeopleManager, form: FormDep, run: RunnerDep
) -> Response:
    actor = principal.actor
    on_error_show(
        request, "add_person", lambda req, failed: _people_page(req, run, actor, "", failed)
    )
    cmd = people.AddPerson.parse(
        name=form.text("name"),
        email=form.text("email"),
        roles=form.texts("roles"),
        timezone=form.text("timezone") or "UTC",
    )
    person = run.run(people.add_person, cmd, actor)
    return redirect(
        f"/people/{person.id}", flash=f"{person.name} is added; set a password so they can sign in."
    )


def _person_page(
    request: Request, uow: SqlUnitOfWork, key: str, now: NowDep, failed: FormError | None
) -> Response:
    overview = person_overview(uow, key, now=now)
    status = failed.status if failed else 200
    context = {"overview": overview, "failed": failed}
    return render(request, "people/detail.html", context, status_code=status, now=now)


@router.get("/people/{key}")
def person_page(
    request: Request, key: str, principal: Reader, uow: UowDep, now: NowDep
) -> Response:
    return _person_page(request, uow, key, now, None)


@router.post("/people/{key}/password")
def set_password(
    request: Request,
    key: str,
    principal: PeopleManager,
    form: FormDep,
    uow: UowDep,
    now: NowDep,
) -> Response:
    """An administrator sets a first or new password; the person's sessions end."""
    on_error_show(request, "password", lambda req, failed: _person_page(req, uow, key, now, failed))
    auth.set_password(uow, key, form.text("password"), now)
    return redirect(f"/people/{key}", flash="The password is set; their other sessions ended.")
