"""Alembic's entry point: migrate the connection the store passes in (``config.attributes["connection"]``)."""

from alembic import context

context.configure(
    connection=context.config.attributes["connection"],
    render_as_batch=True,  # SQLite alters a table by rebuilding it; batch mode does that, and plain ALTER elsewhere
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
