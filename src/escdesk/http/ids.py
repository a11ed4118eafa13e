"""Ids in paths, for the API and the pages alike: one no store can hold is a page or resource
that does not exist (404 on a page, 422 naming it on the API), never a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from escdesk.domain.limits import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
