"""The command line face: Typer commands that parse input into typed commands."""
