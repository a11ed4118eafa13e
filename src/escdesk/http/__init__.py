"""What the JSON API and the HTML pages share: dependencies (the desk, the actor, the clock),
sessions and CSRF, and the one rendering of errors as problems. `api/` and `web/` both build
on this package and never import each other; `escdesk.asgi` mounts them side by side."""
