"""Initial schema: people, accounts, escalations and their records, the audit trail, the outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_subject", ["subject", "subject_id", "id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "roles",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("arr", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("deal_size", sa.BigInteger(), nullable=True),
        sa.Column("csm_id", sa.Integer(), nullable=True),
        sa.Column("services_project", sa.String(length=200), nullable=True),
        sa.Column("services_pm_id", sa.Integer(), nullable=True),
        sa.Column("sentiment", sa.String(length=20), nullable=False),
        sa.Column("created_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["csm_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["services_pm_id"],
            ["people.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("initial_ask", sa.Text(), nullable=False),
        sa.Column(
            "required_skills",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("product_related", sa.Boolean(), nullable=False),
        sa.Column("dri_id", sa.Integer(), nullable=False),
        sa.Column("product_dri_id", sa.Integer(), nullable=True),
        sa.Column("product_leader_id", sa.Integer(), nullable=True),
        sa.Column("eta", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("agreed_by", sa.String(length=200), nullable=True),
        sa.Column("agreed_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("agreed_via", sa.String(length=20), nullable=True),
        sa.Column("rca_reference", sa.String(length=500), nullable=True),
        sa.Column("opened_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cadence_start", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "next_internal_update_due",
            escdesk.store.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "next_customer_update_due",
            escdesk.store.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["dri_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_dri_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_leader_id"],
            ["people.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index("ix_escalations_account", ["account_id"], unique=False)
        batch_op.create_index("ix_escalations_dri", ["dri_id"], unique=False)
        batch_op.create_index(
            "ix_escalations_status_severity", ["status", "severity"], unique=False
        )

    op.create_table(
        "escalation_updates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("posted_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("escalation_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalation_updates_escalation_id"), ["escalation_id"], unique=False
        )

    op.create_table(
        "eta_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("old_eta", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("new_eta", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("eta_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_eta_changes_escalation_id"), ["escalation_id"], unique=False
        )

    op.create_table(
        "exit_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exit_criteria", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exit_criteria_escalation_id"), ["escalation_id"], unique=False
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("destination", sa.String(length=320), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_escalation_id"), ["escalation_id"], unique=False
        )

    op.create_table(
        "owner_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("old_id", sa.Integer(), nullable=True),
        sa.Column("new_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["new_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["old_id"],
            ["people.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("owner_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_owner_changes_escalation_id"), ["escalation_id"], unique=False
        )
    _forbid_changes_to_events()


_APPEND_ONLY = "the audit trail is append-only"


def _forbid_changes_to_events() -> None:
    """R-ESC-11: the database itself refuses UPDATE and DELETE on the audit trail."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION escdesk_events_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{_APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
            "FOR EACH ROW EXECUTE FUNCTION escdesk_events_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER events_append_only ON events")
        op.execute("DROP FUNCTION escdesk_events_append_only()")
    with op.batch_alter_table("owner_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_owner_changes_escalation_id"))

    op.drop_table("owner_changes")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_escalation_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("exit_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exit_criteria_escalation_id"))

    op.drop_table("exit_criteria")
    with op.batch_alter_table("eta_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eta_changes_escalation_id"))

    op.drop_table("eta_changes")
    with op.batch_alter_table("escalation_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_updates_escalation_id"))

    op.drop_table("escalation_updates")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index("ix_escalations_status_severity")
        batch_op.drop_index("ix_escalations_dri")
        batch_op.drop_index("ix_escalations_account")

    op.drop_table("escalations")
    op.drop_table("accounts")
    op.drop_table("people")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_subject")

    op.drop_table("events")
