"""A customer's e-mail reply resumes the paused customer-update clock (R-SLA-2).

Customer updates go out threaded; a reply names one of their Message-IDs in In-Reply-To or
References. The reply counts only when it answers a thread escdesk sent, comes from a customer
contact of that escalation's account, is written by a person (not an auto-reply, RFC 3834) and
the escalation is waiting on the customer. Then escdesk itself records "the customer answered",
naming the sender, and puts the reply on the internal timeline. Anything else is an outcome
with nothing written, so a mail server can hand every message over without harm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, cast

from escdesk.domain import escalation_clocks
from escdesk.domain.access import Actor, Permission
from escdesk.domain.errors import NotFound
from escdesk.domain.pauses import open_pause
from escdesk.domain.records import Status
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context


@dataclass(frozen=True)
class RepliedTo:
    """The customer update a reply answers: its escalation, the address it went to, its id."""

    escalation_id: int
    address: str
    header_id: str


class MailThreads(Protocol):
    def replied_to(self, header_ids: Sequence[str]) -> RepliedTo | None: ...


class _MailUnitOfWork(UnitOfWork, Protocol):
    mail_threads: MailThreads


@dataclass(frozen=True)
class CustomerReply:
    """One received e-mail, as the inbound side read it."""

    sender: str
    refers_to: tuple[str, ...]  # References then In-Reply-To: the last is the direct parent
    text: str
    message_id: str = ""
    automatic: bool = False  # Auto-Submitted other than "no" (RFC 3834), or a bulk precedence


class Outcome(StrEnum):
    RECORDED = "recorded"
    AUTO_REPLY = "auto_reply"
    UNKNOWN_THREAD = "unknown_thread"
    UNKNOWN_SENDER = "unknown_sender"
    NOT_WAITING = "not_waiting"


@dataclass(frozen=True)
class ReplyResult:
    outcome: Outcome
    escalation_id: int | None
    line: str

    @property
    def recorded(self) -> bool:
        return self.outcome is Outcome.RECORDED


def receive_customer_reply(
    uow: UnitOfWork, cmd: CustomerReply, actor: Actor, ctx: Context
) -> ReplyResult:
    actor.require(Permission.POST_UPDATE)
    sender = cmd.sender.strip().lower()
    if cmd.automatic:
        return ReplyResult(
            Outcome.AUTO_REPLY, None, f"ignored: an automatic reply from {sender} (RFC 3834)"
        )
    found = cast(_MailUnitOfWork, uow).mail_threads.replied_to(cmd.refers_to)
    if found is None:
        return ReplyResult(
            Outcome.UNKNOWN_THREAD,
            None,
            f"ignored: the message from {sender} answers no customer update escdesk sent",
        )
    ref = f"ESC-{found.escalation_id}"
    try:
        esc = uow.escalations.get(found.escalation_id)
    except NotFound:
        return ReplyResult(Outcome.UNKNOWN_THREAD, None, f"ignored: {ref} no longer exists")
    contacts = {c.email.lower() for c in uow.contacts.of_account(esc.account_id)}
    if sender not in contacts:
        return ReplyResult(
            Outcome.UNKNOWN_SENDER,
            found.escalation_id,
            f"ignored: {sender} is not a customer contact of {esc.customer} ({ref})",
        )
    if esc.status is Status.CLOSED or open_pause(esc.pauses) is None:
        return ReplyResult(
            Outcome.NOT_WAITING,
            found.escalation_id,
            f"ignored: {ref} is not waiting on the customer; nothing recorded",
        )
    escalation_clocks.customer_answered(
        esc, by_id=actor.person_id, now=ctx.now, policy=ctx.policy, via="email", sender=sender
    )
    escalation_clocks.customer_replied(
        esc, sender=sender, reply=cmd.text, message_id=cmd.message_id, now=ctx.now
    )
    return ReplyResult(
        Outcome.RECORDED,
        found.escalation_id,
        f"{ref}: {sender} answered; the customer-update clock runs again",
    )
