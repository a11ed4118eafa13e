"""Delivery: the worker that empties the outbox, and one module per transport, all one shape."""
