"""Persistence: SQLModel tables, engine, Alembic migrations. Imports neither workflow nor streamlit."""
