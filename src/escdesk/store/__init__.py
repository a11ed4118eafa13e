"""The store: SQLAlchemy 2 tables, repositories that map them to domain objects, a unit of work."""
