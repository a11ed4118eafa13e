"""One ORDER BY for every sorted list: blanks last whichever way, then the asked column, then
the id, so pages never overlap or skip a row when values tie."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case


def ordered(column: Any, descending: bool, tie: Any) -> list[Any]:
    blanks_last = case((column.is_(None), 1), else_=0)
    if descending:
        return [blanks_last, column.desc(), tie.desc()]
    return [blanks_last, column.asc(), tie.asc()]
