"""R-OPS-2: every person signs in; API tokens for machines. Secrets never rest in the store."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from escdesk.domain.access import SESSION_LIFETIME, Via
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.people import Role
from escdesk.services import auth
from escdesk.store.tables import ApiTokenRow, PasswordRow, SessionRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with parameters that cost milliseconds instead of 0.2 s a check."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", CHEAP)


@pytest.fixture
def ada(uow: SqlUnitOfWork, now: datetime) -> str:
    """A support engineer with a password; returns her e-mail address."""
    person = factories.add_person(uow, "support", now=now, name="Ada")
    auth.set_password(uow, person.email, PASSWORD, now)
    return person.email


def test_signing_in_gives_a_session_that_names_the_person(
    uow: SqlUnitOfWork, ada: str, now: datetime
) -> None:
    signed = auth.sign_in(uow, ada.upper(), PASSWORD, now)
    principal = auth.principal_for_session(uow, signed.session_token, now)
    assert principal is not None
    assert (principal.name, principal.roles, principal.via) == ("Ada", {Role.SUPPORT}, Via.SESSION)
    assert principal.csrf_token == signed.csrf_token != ""


@pytest.mark.parametrize(("email", "password"), [("ada", "wrong password"), ("nobody", PASSWORD)])
def test_a_wrong_email_or_password_gets_the_same_answer(
    uow: SqlUnitOfWork, ada: str, now: datetime, email: str, password: str
) -> None:
    address = ada if email == "ada" else "nobody@example.com"
    with pytest.raises(InvalidInput) as refused:
        auth.sign_in(uow, address, password, now)
    assert (refused.value.field, refused.value.problem) == (
        "password",
        "the e-mail or password is wrong",
    )


def test_a_person_without_a_password_cannot_sign_in(uow: SqlUnitOfWork, now: datetime) -> None:
    person = factories.add_person(uow, "sales", now=now)
    with pytest.raises(InvalidInput, match="the e-mail or password is wrong"):
        auth.sign_in(uow, person.email, "", now)


def test_the_store_keeps_only_hashes_of_passwords_and_sessions(
    uow: SqlUnitOfWork, ada: str, now: datetime
) -> None:
    signed = auth.sign_in(uow, ada, PASSWORD, now)
    with uow:
        password_hash = uow.session.scalar(select(PasswordRow.password_hash))
        session_hash = uow.session.scalar(select(SessionRow.token_hash))
    assert password_hash is not None and password_hash.startswith("$argon2")
    assert PASSWORD not in password_hash
    assert session_hash == auth.digest(signed.session_token) != signed.session_token


def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(
    uow: SqlUnitOfWork, ada: str, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=2, memory_cost=2048))
    auth.sign_in(uow, ada, PASSWORD, now)
    with uow:
        stored = uow.session.scalar(select(PasswordRow.password_hash))
    assert stored is not None and "m=2048,t=2" in stored


def test_sessions_expire(uow: SqlUnitOfWork, ada: str, now: datetime) -> None:
    token = auth.sign_in(uow, ada, PASSWORD, now).session_token
    almost = now + SESSION_LIFETIME - timedelta(seconds=1)
    assert auth.principal_for_session(uow, token, almost) is not None
    assert auth.principal_for_session(uow, token, now + SESSION_LIFETIME) is None


def test_signing_out_ends_the_session(uow: SqlUnitOfWork, ada: str, now: datetime) -> None:
    token = auth.sign_in(uow, ada, PASSWORD, now).session_token
    auth.sign_out(uow, token)
    assert auth.principal_for_session(uow, token, now) is None


def test_setting_a_new_password_ends_open_sessions(
    uow: SqlUnitOfWork, ada: str, now: datetime
) -> None:
    token = auth.sign_in(uow, ada, PASSWORD, now).session_token
    auth.set_password(uow, ada, "another long password", now)
    assert auth.principal_for_session(uow, token, now) is None
    with pytest.raises(InvalidInput):
        auth.sign_in(uow, ada, PASSWORD, now)


def test_a_short_password_is_refused_naming_the_field(uow: SqlUnitOfWork, now: datetime) -> None:
    person = factories.add_person(uow, "support", now=now)
    with pytest.raises(InvalidInput) as refused:
        auth.set_password(uow, person.email, "short", now)
    assert refused.value.field == "password"
    with uow:
        assert uow.access.password_hash(person.id or 0) is None


def test_a_token_is_shown_once_and_stored_as_a_digest(uow: SqlUnitOfWork, now: datetime) -> None:
    plaintext, info = auth.create_token(uow, "helpdesk sync", "support", now)
    assert plaintext.startswith("esc_") and len(plaintext) > 40
    with uow:
        row = uow.session.scalars(select(ApiTokenRow)).one()
        stored = (row.token_hash, row.hint, row.name)
    assert stored[0] == auth.digest(plaintext)
    assert plaintext not in stored
    assert [t.hint for t in auth.list_tokens(uow)] == [plaintext[:8]]
    assert (info.role, info.active, info.last_used_at) == (Role.SUPPORT, True, None)


def test_a_token_acts_with_its_role_and_records_when_it_was_used(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    plaintext, _ = auth.create_token(uow, "sync", "csm", now)
    principal = auth.principal_for_token(uow, plaintext, now)
    assert principal is not None
    assert (principal.person_id, principal.roles, principal.via) == (None, {Role.CSM}, Via.TOKEN)
    auth.principal_for_token(uow, plaintext, now + timedelta(seconds=30))
    assert auth.list_tokens(uow)[0].last_used_at == now  # kept to the minute
    auth.principal_for_token(uow, plaintext, now + timedelta(minutes=5))
    assert auth.list_tokens(uow)[0].last_used_at == now + timedelta(minutes=5)


def test_a_revoked_token_is_refused_and_keeps_its_last_use(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    plaintext, info = auth.create_token(uow, "sync", "support", now)
    auth.principal_for_token(uow, plaintext, now)
    revoked = auth.revoke_token(uow, info.id, now + timedelta(hours=1))
    assert auth.principal_for_token(uow, plaintext, now + timedelta(hours=2)) is None
    again = auth.revoke_token(uow, info.id, now + timedelta(hours=3))
    assert again.revoked_at == revoked.revoked_at == now + timedelta(hours=1)
    assert again.last_used_at == now


def test_unknown_tokens_are_nobody(uow: SqlUnitOfWork, now: datetime) -> None:
    plaintext, _ = auth.create_token(uow, "sync", "support", now)
    assert auth.principal_for_token(uow, plaintext + "x", now) is None
    assert auth.principal_for_token(uow, "not-a-token", now) is None
    with pytest.raises(NotFound):
        auth.revoke_token(uow, 999, now)


def test_a_token_needs_a_known_role(uow: SqlUnitOfWork, now: datetime) -> None:
    with pytest.raises(InvalidInput) as refused:
        auth.create_token(uow, "sync", "janitor", now)
    assert refused.value.field == "role"
    assert auth.list_tokens(uow) == []
