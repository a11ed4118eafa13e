"""Signing in and out (R-OPS-2): every person signs in before they see an escalation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.http.deps import NowDep, OptionalPrincipalDep, PrincipalDep, UowDep
from escdesk.http.security import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from escdesk.services import auth
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep, SignInFormDep
from escdesk.web.pages import redirect, render, safe_next

router = APIRouter(route_class=PageRoute)


@router.get("/login")
def login_page(request: Request, principal: OptionalPrincipalDep, next: str = "/") -> Response:
    if principal is not None:
        return redirect(safe_next(next))
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login")
def login(request: Request, form: SignInFormDep, uow: UowDep, now: NowDep) -> Response:
    target = safe_next(form.text("next"))

    def show_again(request: Request, failed: FormError) -> Response:
        context = {"next": target, "failed": failed}
        return render(request, "login.html", context, status_code=failed.status)

    on_error_show(request, "login", show_again)
    signed = auth.sign_in(uow, form.text("email"), form.text("password"), now)
    response = redirect(target, flash=f"Signed in as {signed.principal.name}.")
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
