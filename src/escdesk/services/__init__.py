"""Use cases: each loads through the unit of work, lets the domain decide, and commits once."""
