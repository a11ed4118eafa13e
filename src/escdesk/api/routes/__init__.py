"""One router per resource, mounted under /api by `escdesk.api.app.create_app`."""
