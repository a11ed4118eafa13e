"""Signing in and out (R-OPS-2): every person signs in before they see an escalation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from escdesk.domain.errors import DatabaseUnavailable
from escdesk.http.deps import (
    NowDep,
    PrincipalDep,
    UowDep,
    get_optional_principal,
)
from escdesk.http.security import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from escdesk.http.throttle import ThrottleDep, client_address
from escdesk.services import auth
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep, SignInFormDep
from escdesk.web.pages import redirect, render, safe_next

router = APIRouter(route_class=PageRoute)


@router.get("/login")
async def login_page(request: Request, uow: UowDep, now: NowDep, next: str = "/") -> Response:
    """Needs no database (and no worker thread) unless a session cookie is sent: the sign-in
    page answers while the database is down or every thread waits for it."""
    principal = None
    if request.cookies.get(SESSION_COOKIE):
        try:
            principal = await run_in_threadpool(get_optional_principal, request, uow, now)
        except DatabaseUnavailable:
            principal = None
    if principal is not None:
        return redirect(safe_next(next))
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login")
def login(
    request: Request, form: SignInFormDep, uow: UowDep, now: NowDep, throttle: ThrottleDep
) -> Response:
    target = safe_next(form.text("next"))

    def show_again(request: Request, failed: FormError) -> Response:
        context = {"next": target, "failed": failed}
        return render(request, "login.html", context, status_code=failed.status)

    on_error_show(request, "login", show_again)
    client = client_address(request)
    email, password = form.text("email"), form.text("password")
    signed = auth.sign_in(uow, email, password, now, throttle=throttle, client=client)
    flash = f"Signed in as {signed.principal.name}."
    if signed.wrong_before:
        flash += (
            f" Sign-in to your account was paused after {signed.wrong_before} wrong passwords"
            " in a row; if they were not yours, change your password and tell your "
            "administrator."
        )
    response = redirect(target, flash=flash)
    set_session_cookie(response, signed.session_token, request)
    return response


@router.get("/logout")
def logout_page(request: Request, principal: PrincipalDep) -> Response:
    request.state.principal = principal
    return render(request, "logout.html")


@router.post("/logout")
def logout(request: Request, principal: PrincipalDep, form: FormDep, uow: UowDep) -> Response:
    auth.sign_out(uow, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login", flash="You are signed out.")
    clear_session_cookie(response)
    return response
