"""The similar-tickets index of the database a command uses. NumPy and SciPy come with it, so a
command imports this only when it reads or extends the index."""

from __future__ import annotations

from escdesk.cli.runtime import Runtime
from escdesk.services.ticket_index import TicketIndex
from escdesk.similarity import open_index


def ticket_index(state: Runtime) -> TicketIndex:
    """The similarity index of the database this invocation uses."""
    assert state.settings is not None
    return open_index(
        state.settings.index_dir, state.database_url, state.settings.recurring_grouping
    )
