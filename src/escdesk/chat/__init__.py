"""Slack as a face of escdesk: slash commands, buttons and modals parsed into the same typed
commands the API, the pages and the CLI use, run through the runner as the matching person."""
