"""Recurring issues (R-REC): similar earlier tickets now, clusters of one cause next."""

from escdesk.recurring.index import Match, SimilarityIndex

__all__ = ["Match", "SimilarityIndex"]
