"""Signing in and API tokens (R-OPS-2): every person signs in; machines use tokens.

Secrets never rest in the store: passwords are argon2 hashes, session and API tokens are stored
as SHA-256 digests, so a copy of the database lets nobody sign in. A wrong e-mail and a wrong
password give the same answer, so the sign-in form does not tell who has an account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from escdesk.domain.access import SESSION_LIFETIME, Principal, TokenInfo, Via
from escdesk.domain.errors import InvalidInput, TooManyAttempts
from escdesk.domain.events import Event
from escdesk.domain.people import Person, Role, check_email, check_text
from escdesk.domain.throttle import Pause, SignInThrottle, wait_words
from escdesk.services.ports import UnitOfWork

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOKEN_PREFIX = "esc_"
TOKEN_TOUCH_EVERY = timedelta(minutes=1)
"""`last_used_at` is kept to the minute: writing on every API call would serialise readers."""

_WRONG = InvalidInput(
    "password", "the e-mail or password is wrong", "Check both and try again", also=("email",)
)
PASSWORD_HASHER = PasswordHasher()
"""argon2id with the library's RFC 9106 defaults (~0.2 s a check, on purpose); tests swap in
cheaper parameters, and hashes made with other parameters are upgraded at the next sign-in."""


class AccessStore(Protocol):
    """What signing in, tokens and status pages need from the store."""

    def password_hash(self, person_id: int) -> str | None: ...
    def set_password_hash(self, person_id: int, password_hash: str, now: datetime) -> None: ...
    def add_session(
        self, token_hash: str, person_id: int, created_at: datetime, expires_at: datetime
    ) -> None: ...
    def session_person(self, token_hash: str, now: datetime) -> int | None: ...
    def delete_session(self, token_hash: str) -> bool: ...
    def delete_sessions_of(self, person_id: int) -> int: ...
    def add_token(
        self, name: str, role: Role, token_hash: str, hint: str, now: datetime
    ) -> TokenInfo: ...
    def tokens(self) -> list[TokenInfo]: ...
    def token_by_hash(self, token_hash: str) -> TokenInfo | None: ...
    def touch_token(self, token_id: int, now: datetime) -> None: ...
    def revoke_token(self, token_id: int, now: datetime) -> TokenInfo: ...
    def status_page_token(self, escalation_id: int) -> str | None: ...
    def publish_status_page(self, escalation_id: int, token: str, now: datetime) -> None: ...
    def unpublish_status_page(self, escalation_id: int) -> bool: ...
    def status_page_escalation(self, token: str) -> int | None: ...
    def record(self, subject: str, subject_id: int, event: Event) -> None: ...


class AccessUnitOfWork(UnitOfWork, Protocol):
    @property
    def access(self) -> AccessStore: ...


@dataclass(frozen=True)
class SignedIn:
    session_token: str
    csrf_token: str
    principal: Principal
    wrong_before: int = 0
    """Wrong passwords that had paused this account before this sign-in (0: none)."""


def digest(secret: str) -> str:
    """What the store keeps of a session or API token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_for_session(session_token: str) -> str:
    """The CSRF token of a session: derived from its secret, so nothing more is stored, and
    not derivable from the stored digest."""
    return hashlib.sha256(b"escdesk-csrf\x00" + session_token.encode()).hexdigest()[:40]


# ---------------------------------------------------------------------- passwords and sessions
def set_password(uow: AccessUnitOfWork, person_key: str, password: str, now: datetime) -> None:
    """Set (or reset) a person's password; their open sessions end, as after any reset."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "password", f"is shorter than {MIN_PASSWORD} characters", "Choose a longer one"
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("password", f"is longer than {MAX_PASSWORD} characters", "Shorten it")
    password_hash = PASSWORD_HASHER.hash(password)
    with uow:
        person = uow.people.find(person_key, "person")
        assert person.id is not None
        uow.access.set_password_hash(person.id, password_hash, now)
        uow.access.delete_sessions_of(person.id)
        uow.people.record(person, Event("password_set", now, person.id, {}))
        uow.commit()


def sign_in(
    uow: AccessUnitOfWork,
    email: str,
    password: str,
    now: datetime,
    *,
    throttle: SignInThrottle | None = None,
    client: str | None = None,
) -> SignedIn:
    """R-OPS-2. With a `throttle`, an attempt during a pause of the account (or of the
    `client` address) is refused before any hash is computed; the start of an account's pause
    is recorded in that person's trail."""
    keys = {"account": email.strip().lower()[:320]}
    if client:
        keys["address"] = client
    if throttle is not None:
        pause = throttle.pause(keys, now)
        if pause is not None:
            raise _paused(pause)
    try:
        address = check_email(email)
    except InvalidInput:
        _count_failure(uow, throttle, keys, None, now)
        raise _WRONG from None
    with uow:
        try:
            person = uow.people.find(address, "email")
        except InvalidInput:
            PASSWORD_HASHER.hash(password)  # the work of a real check: no timing tell
            person = None
        stored = uow.access.password_hash(person.id) if person and person.id else None
        if person is None or stored is None or not _verify(stored, password):
            _count_failure(uow, throttle, keys, person, now)
            raise _WRONG
        assert person.id is not None
        if PASSWORD_HASHER.check_needs_rehash(stored):
            uow.access.set_password_hash(person.id, PASSWORD_HASHER.hash(password), now)
        token = secrets.token_urlsafe(32)
        uow.access.add_session(digest(token), person.id, now, now + SESSION_LIFETIME)
        uow.commit()
    wrong_before = throttle.succeeded(keys["account"]) if throttle is not None else 0
    csrf = csrf_for_session(token)
    principal = Principal(
        person.id, person.name, person.roles, Via.SESSION, csrf_token=csrf, timezone=person.timezone
    )
    return SignedIn(token, csrf, principal, wrong_before)


def _paused(pause: Pause) -> TooManyAttempts:
    whose = "this account" if pause.kind == "account" else "your network address"
    return TooManyAttempts(
        f"Too many wrong passwords for {whose}: sign-in is paused for "
        f"{wait_words(pause.seconds)}. Wait, then try again; if these attempts were not "
        "yours, tell your administrator",
        pause.seconds,
    )


def _count_failure(
    uow: AccessUnitOfWork,
    throttle: SignInThrottle | None,
    keys: dict[str, str],
    person: Person | None,
    now: datetime,
) -> None:
    """Count the wrong password; when it starts a pause of a real account, the trail says so
    (inside the open unit of work, committed at once: the refusal itself writes nothing)."""
    if throttle is None:
        return
    started = throttle.failed(keys, now)
    if person is None or person.id is None or not started:
        return
    data = {"wrong_passwords": max(started.values()), "paused": sorted(started)}
    if "address" in keys:
        data["client"] = keys["address"]
    uow.people.record(person, Event("sign_in_throttled", now, None, data))
    uow.commit()


def _verify(stored: str, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_out(uow: AccessUnitOfWork, session_token: str) -> None:
    with uow:
        uow.access.delete_session(digest(session_token))
        uow.commit()


def principal_for_session(uow: AccessUnitOfWork, token: str, now: datetime) -> Principal | None:
    """The signed-in person of a session cookie, or None if unknown or expired."""
    if not token:
        return None
    with uow:
        person_id = uow.access.session_person(digest(token), now)
        if person_id is None:
            return None
        person = uow.people.get(person_id)
    return Principal(
        person_id,
        person.name,
        person.roles,
        Via.SESSION,
        csrf_token=csrf_for_session(token),
        timezone=person.timezone or "UTC",
    )


# ---------------------------------------------------------------------- API tokens
def create_token(
    uow: AccessUnitOfWork, name: str, role: str, now: datetime
) -> tuple[str, TokenInfo]:
    """A new token acting with one role; the plaintext is returned here and never again."""
    name = check_text(name, "name", max_length=100)
    try:
        role_value = Role(role.strip().lower().replace("-", "_"))
    except ValueError:
        raise InvalidInput(
            "role", f"{role!r} is not a role", f"Use one of: {', '.join(Role)}"
        ) from None
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with uow:
        info = uow.access.add_token(name, role_value, digest(plaintext), plaintext[:8], now)
        uow.access.record(
            "token", info.id, Event("token_created", now, None, {"name": name, "role": role})
        )
        uow.commit()
    return plaintext, info


def list_tokens(uow: AccessUnitOfWork) -> list[TokenInfo]:
    with uow:
        return uow.access.tokens()


def revoke_token(uow: AccessUnitOfWork, token_id: int, now: datetime) -> TokenInfo:
    """Revoking twice is harmless: the first moment of revocation is kept."""
    with uow:
        info = uow.access.revoke_token(token_id, now)
        uow.access.record("token", token_id, Event("token_revoked", now, None, {}))
        uow.commit()
    return info


def principal_for_token(uow: AccessUnitOfWork, plaintext: str, now: datetime) -> Principal | None:
    """The machine behind an `Authorization: Bearer` token, or None if unknown or revoked."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    with uow:
        info = uow.access.token_by_hash(digest(plaintext))
        if info is None or not info.active:
            return None
        if info.last_used_at is None or now - info.last_used_at >= TOKEN_TOUCH_EVERY:
            uow.access.touch_token(info.id, now)
            uow.commit()
    return Principal(None, f"token {info.name}", frozenset({info.role}), Via.TOKEN)
