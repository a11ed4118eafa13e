"""Delivery of outbox messages: one transport per peer (Slack, e-mail, calendar, webhooks)."""
