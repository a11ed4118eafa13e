"""Signing in and out with a session cookie, and "who am I"."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from escdesk.api.schemas.session import PrincipalOut, SignedInOut, SignInIn
from escdesk.http.deps import NowDep, PrincipalDep, UowDep
from escdesk.http.security import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from escdesk.http.throttle import ThrottleDep, client_address
from escdesk.services import auth

router = APIRouter(prefix="/session", tags=["session"])


@router.post("", response_model=SignedInOut)
def sign_in(
    body: SignInIn,
    request: Request,
    response: Response,
    uow: UowDep,
    now: NowDep,
    throttle: ThrottleDep,
) -> SignedInOut:
    """Sign in; the session cookie is set, and the CSRF token to send on changes returned.

    After repeated wrong passwords for an account or from one address, attempts are refused
    with 429 and `Retry-After` until the growing pause has passed."""
    signed = auth.sign_in(
        uow, body.email, body.password, now, throttle=throttle, client=client_address(request)
    )
    set_session_cookie(response, signed.session_token, request)
    return SignedInOut(
        csrf_token=signed.csrf_token,
        principal=PrincipalOut.of(signed.principal),
        paused_after_wrong_passwords=signed.wrong_before,
    )


@router.get("", response_model=PrincipalOut)
def who_am_i(principal: PrincipalDep) -> PrincipalOut:
    return PrincipalOut.of(principal)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request, principal: PrincipalDep, uow: UowDep) -> Response:
    """End this browser session (an API token is revoked with DELETE /api/tokens/{id})."""
    auth.sign_out(uow, request.cookies.get(SESSION_COOKIE, ""))
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response)
    return response
