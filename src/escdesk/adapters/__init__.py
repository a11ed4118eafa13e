"""Adapters to libraries the domain must not import, behind the services' ports."""
