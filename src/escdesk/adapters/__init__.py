"""Adapters to outside systems that are neither the store nor a delivery transport: issue
trackers (Jira, GitHub, GitLab) and public-holiday calendars."""
