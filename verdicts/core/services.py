"""Site-wide writes: bringing the database up to date."""

from dataclasses import dataclass

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class MigrateReport:
    """What `database_migrate` did: how many migrations it applied, and to a new database?"""

    applied: int
    created: bool

    def __str__(self) -> str:
        applied = f"applied {self.applied} migration{'' if self.applied == 1 else 's'}"
        if self.created:
            return f"Database created: {applied}."
        if self.applied:
            return f"Database migrated: {applied}."
        return "Database already up to date."


def database_migrate(*, database: str = DEFAULT_DB_ALIAS) -> MigrateReport:
    """Apply every unapplied migration; the plan is read first, so the report says what ran."""
    executor = MigrationExecutor(connections[database])
    created = not executor.loader.applied_migrations
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", database=database, interactive=False, verbosity=0)
    return MigrateReport(applied=len(plan), created=created and bool(plan))
