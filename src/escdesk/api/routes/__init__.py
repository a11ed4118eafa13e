"""One router per resource, mounted under /api by `escdesk.asgi.create_app`."""
