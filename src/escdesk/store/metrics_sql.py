"""SQL pieces the metrics need that SQLite and PostgreSQL spell differently.

`week_of(moment)` is the Monday (UTC) of the moment's week as `YYYY-MM-DD`; `seconds_between(a,
b)` is b − a in seconds; `medians` ranks values with window functions and averages the middle
one or two, so a median is computed by the database on both backends (SQLite has no
percentile function).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Float, Select, String, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

S = TypeVar("S", bound=Select[*tuple[Any, ...]])


class week_of(FunctionElement[str]):  # noqa: N801 - reads as the SQL function it stands for
    type = String()
    inherit_cache = True


class seconds_between(FunctionElement[float]):  # noqa: N801
    type = Float()
    inherit_cache = True


@compiles(week_of, "sqlite")
def _week_sqlite(element: week_of, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = element.clauses
    return f"date({compiler.process(moment, **kw)}, 'weekday 0', '-6 days')"


@compiles(week_of, "postgresql")
def _week_postgresql(element: week_of, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = element.clauses
    inner = compiler.process(moment, **kw)
    return f"to_char(date_trunc('week', {inner} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


def medians(values: S) -> Select[Any]:
    """`values` selects (group, value); the answer is (group, median value, count) per group."""
    inner = values.subquery()
    group, value = inner.c[0], inner.c[1]
    ranked = select(
        group.label("g"),
        value.label("v"),
        func.row_number().over(partition_by=group, order_by=value).label("rn"),
        func.count().over(partition_by=group).label("n"),
    ).subquery()
    middle: ColumnElement[bool] = or_(
        ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2
    )
    return (
        select(ranked.c.g, func.avg(ranked.c.v), func.max(ranked.c.n))
        .where(middle)
        .group_by(ranked.c.g)
        .order_by(ranked.c.g)
    )
