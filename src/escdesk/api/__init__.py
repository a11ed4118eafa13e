"""The JSON API (FastAPI): routes parse input, call one service, render the result."""
