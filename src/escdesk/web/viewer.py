"""Who is looking at a page, and what they may do there (R-OPS-2).

Pages need a signed-in person; someone who is not is sent to the sign-in page and brought back
afterwards (the page route turns `SignInRequired` into that redirect). Permissions decide which
forms a page offers and are checked again when a form is posted, because a hidden form is not
a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import REQUIRED_PERMISSION, PrincipalDep, check_access
from escdesk.http.security import csrf_token_for


def allowed_to(permission: Permission) -> Callable[[Request, Principal], Principal]:
    """A dependency: the signed-in person, if they hold `permission`; else a clear refusal.

    The person is kept on the request first, so even the refusal page shows who is signed in.
    """

    def dependency(request: Request, principal: PrincipalDep) -> Principal:
        request.state.principal = principal
        check_access(request, principal, permission)
        return principal

    dependency.__name__ = f"page_requires_{permission.value}"
    setattr(dependency, REQUIRED_PERMISSION, permission)
    return dependency


P = Permission
Reader = Annotated[Principal, Depends(allowed_to(P.READ))]


def permissions_of(principal: Principal | None) -> frozenset[str]:
    """The permission names a template checks before it offers a form."""
    if principal is None:
        return frozenset()
    return frozenset(p.value for p in principal.permissions)


def csrf_token(request: Request) -> str:
    """The token forms post back; tied to the session, so it is empty before sign-in."""
    principal = getattr(request.state, "principal", None)
    if isinstance(principal, Principal) and principal.csrf_token:
        return principal.csrf_token
    return csrf_token_for(request)
