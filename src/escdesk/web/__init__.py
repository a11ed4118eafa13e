"""The HTML pages of escdesk: server-rendered Jinja2 templates, enhanced by htmx.

No build step: `static/htmx.min.js` is htmx 2.0.11 as published on the npm registry
(package `htmx.org`, file `dist/htmx.min.js`, Zero-Clause BSD licence), and `static/escdesk.css`
is written by hand. Nothing is loaded from another site.
"""
