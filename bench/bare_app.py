"""The baseline of bench/api_latency.py: a bare FastAPI endpoint that runs the same SQL.

It replays, with a plain connection, the statements escdesk ran for the same request (captured
by the benchmark), and returns the raw rows: no session lookup logic, no ORM, no domain, no
Pydantic models. What escdesk costs on top of this is the price of its layers.

    ESCDESK_DATABASE_URL=… BENCH_SQL_PLAN=plan.pickle \\
        uvicorn bench.bare_app:create_bare_app --factory
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from escdesk.store.database import make_engine

Plan = dict[str, list[list[tuple[str, Any]]]]
"""scenario → one list of (statement, parameters) per request variant."""


def create_bare_app() -> FastAPI:
    engine = make_engine(os.environ["ESCDESK_DATABASE_URL"])
    plan: Plan = pickle.loads(Path(os.environ["BENCH_SQL_PLAN"]).read_bytes())
    app = FastAPI()

    @app.get("/replay/{scenario}/{index}")
    def replay(scenario: str, index: int) -> JSONResponse:
        with engine.connect() as connection:
            results = [
                [list(row) for row in connection.exec_driver_sql(statement, parameters)]
                for statement, parameters in plan[scenario][index]
            ]
        return JSONResponse(jsonable_encoder(results))

    return app
