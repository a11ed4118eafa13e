"""Run the one Alembic chain that serves SQLite and PostgreSQL alike (R-OPS-1).

Every command checks the schema before it opens a unit of work, so the check is cheap: the head
is read from the migration scripts' own `revision`/`down_revision` lines (they stay the one
source of truth; a test holds this reading equal to Alembic's) and the current revision from the
`alembic_version` table. Alembic itself is imported only to upgrade.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(_config(engine), revision)


def _chain() -> dict[str, tuple[str, ...]]:
    """Each script's revision and the revisions it follows, as its own lines declare them."""
    chain: dict[str, tuple[str, ...]] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = script.read_text(encoding="utf-8")
        found = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(source)}
        if "revision" not in found:
            continue
        down = ast.literal_eval(found.get("down_revision", "None"))
        follows = () if down is None else (down,) if isinstance(down, str) else tuple(down)
        chain[ast.literal_eval(found["revision"])] = follows
    return chain


@cache
def head_revision() -> str | None:
    """The revision no script follows: what this escdesk needs (the scripts never change under
    a running process)."""
    chain = _chain()
    followed = {down for downs in chain.values() for down in downs}
    heads = sorted(set(chain) - followed)
    if len(heads) > 1:
        raise RuntimeError(f"the migrations have several heads ({', '.join(heads)}): merge them")
    return heads[0] if heads else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database was upgraded to; None for a database never upgraded."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        revisions = sorted(str(revision) for revision in found)
    return ", ".join(revisions) or None


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
