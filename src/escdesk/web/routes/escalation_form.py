"""What every form of an escalation's page arrives with, gathered once (R-OPS-2).

A form posted from the escalation's page needs the same things each time: who posts (checked
for the form's permission), the posted fields (CSRF-checked), the runner that calls the typed
command, and, should the service refuse, the page shown again with the refusal beside that
form. `escalation_form(permission, form)` is that dependency, so a route says only what it does.

No `from __future__ import annotations` here: FastAPI reads the dependency's annotations at run
time, and they name the permission the factory was given.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response

from escdesk.config import Settings
from escdesk.domain.access import Actor, Permission, Principal
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep, UowDep
from escdesk.http.ids import IdPath
from escdesk.services.runner import Runner
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, on_error_show
from escdesk.web.forms import FormDep, FormFields
from escdesk.web.pages import redirect
from escdesk.web.routes.escalations import escalation_page
from escdesk.web.viewer import allowed_to


@dataclass(frozen=True)
class EscalationForm:
    """A form posted from escalation `escalation_id`'s page, by someone allowed to post it."""

    request: Request
    escalation_id: int
    principal: Principal
    form: FormFields
    run: Runner
    uow: SqlUnitOfWork
    now: datetime
    settings: Settings

    @property
    def actor(self) -> Actor:
        return self.principal.actor

    def version(self) -> int | None:
        """The version the page showed, so a change made meanwhile is refused as a conflict."""
        return self.form.version()

    def back(self, message: str) -> Response:
        """To the escalation's page, telling what was done."""
        return back_to_escalation(self.escalation_id, message)


def back_to_escalation(escalation_id: int, message: str) -> Response:
    return redirect(f"/escalations/{escalation_id}", flash=message)


def escalation_form(permission: Permission, form: str) -> Callable[..., EscalationForm]:
    """A dependency: the posted `form` of an escalation's page, from someone holding
    `permission`; a refusal by the service shows the page again with the refusal at `form`."""

    def dependency(
        request: Request,
        escalation_id: IdPath,
        principal: Annotated[Principal, Depends(allowed_to(permission))],
        form_fields: FormDep,
        uow: UowDep,
        run: RunnerDep,
        now: NowDep,
        settings: SettingsDep,
    ) -> EscalationForm:
        policy = settings.severity_policy()

        def show_again(request: Request, failed: FormError) -> Response:
            return escalation_page(
                request,
                uow,
                escalation_id,
                principal=principal,
                now=now,
                policy=policy,
                failed=failed,
            )

        on_error_show(request, form, show_again)
        return EscalationForm(
            request, escalation_id, principal, form_fields, run, uow, now, settings
        )

    dependency.__name__ = f"escalation_{form}_form"
    return dependency
