"""escdesk: run customer escalations like outages, and fix their recurring causes once."""

__version__ = "0.1.0"
