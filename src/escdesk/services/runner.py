"""The one way a use case runs: open the unit of work, give the handler its context, commit once.

Every face (route, page, CLI command, chat command, worker job) parses its input into a typed
command and hands it here with the actor. Handlers run *inside* the unit of work they are given
and never commit, so one use case can call another in the same transaction (a triage decision
opens an escalation and tells the requester atomically): state, audit events and outbox rows
are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from escdesk.domain.access import Actor
from escdesk.domain.severity import SeverityPolicy
from escdesk.services.ports import UnitOfWork

C = TypeVar("C", contravariant=True)
R = TypeVar("R", covariant=True)
R_ = TypeVar("R_")
C_ = TypeVar("C_")


@dataclass(frozen=True)
class Context:
    """What a handler may know besides its command: one clock reading and the policy in force.

    The domain never reads the clock; `now` is read once per use case, here.
    """

    now: datetime
    policy: SeverityPolicy


class Handler(Protocol[C, R]):
    def __call__(self, uow: UnitOfWork, cmd: C, actor: Actor, ctx: Context, /) -> R: ...


class Runner:
    """Runs handlers; built once by the composition root (`escdesk.bootstrap`)."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        policy: SeverityPolicy,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.policy = policy

    def at(self, now: datetime) -> Runner:
        """The same runner with its clock stopped at `now`: for replaying a story (the demo,
        imports of history) and for tests."""
        return Runner(self.uow_factory, lambda: now, self.policy)

    def context(self) -> Context:
        return Context(now=self.clock(), policy=self.policy)

    def run(self, handler: Handler[C_, R_], cmd: C_, actor: Actor) -> R_:
        """A change: the handler's work is committed once, or nothing of it is."""
        ctx = self.context()
        with self.uow_factory() as uow:
            result = handler(uow, cmd, actor, ctx)
            uow.commit()
        return result

    def read(self, handler: Handler[C_, R_], query: C_, actor: Actor) -> R_:
        """A question: same context and permissions, nothing written."""
        ctx = self.context()
        with self.uow_factory() as uow:
            return handler(uow, query, actor, ctx)
