"""The declarative base every table shares, and the id type that autoincrements on both stores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import DeclarativeBase

from escdesk.store.types import JsonColumn, UTCDateTime

# BIGINT on PostgreSQL, but INTEGER on SQLite so the column is the rowid alias and autoincrements.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JsonColumn}
