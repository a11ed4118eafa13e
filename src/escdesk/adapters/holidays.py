"""Public holidays from the `holidays` package, as the closed dates a calendar takes (R-SLA-1).

The region is a country code, optionally with a subdivision: `DE`, `DE-BY`, `US-CA`.
"""

from __future__ import annotations

from datetime import date

import holidays as holidays_package

from escdesk.domain.errors import InvalidInput


class PublicHolidays:
    """The `HolidaySource` of `escdesk.services.calendars`."""

    def closed_dates(self, region: str, years: range) -> frozenset[date]:
        country, _, subdivision = region.strip().upper().partition("-")
        try:
            found = holidays_package.country_holidays(
                country, subdiv=subdivision or None, years=list(years)
            )
        except (NotImplementedError, ValueError):  # unknown country, or subdivision of it
            raise InvalidInput(
                "holidays",
                f"'{region}' is not a region whose public holidays are known",
                "give an ISO country code, optionally with a subdivision, e.g. DE-BY",
            ) from None
        return frozenset(found)
