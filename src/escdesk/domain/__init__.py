"""The escalation domain: pure Python rules from the seeds, no web, database or CLI imports."""
