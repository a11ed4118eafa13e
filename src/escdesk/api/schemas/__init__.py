"""Pydantic shapes of the API, one module per resource; never beside the tables."""
