"""Bounds every face checks against, so that no input reaches a store that cannot hold it."""

MAX_ID = 2**31 - 1
"""Ids are 32-bit integers in both stores."""
