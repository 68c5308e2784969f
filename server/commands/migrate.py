"""`cospai migrate`: apply the pending SQL migrations, or show which are applied."""

from __future__ import annotations

import argparse

from server import db, migrate
from server.commands.database import database, database_errors
from server.settings import Settings


def run(args: argparse.Namespace) -> int:
    """`cospai migrate`: apply pending migrations, or list them (--status)."""
    settings = Settings.from_env(data_dir=args.data_dir)
    with database(settings) as (url, description), database_errors():
        db.check(url)
        if args.status:
            rows = migrate.status(url)
            print(f"migrations on {description}:")
            for row in rows:
                at = row.applied_at
                when = at.isoformat(timespec="seconds") if at else "pending"
                print(f"  {row.version:04d}_{row.name:<32} {when}")
            return 0
        applied = migrate.apply(url)
    if applied:
        for migration in applied:
            print(f"applied {migration.version:04d}_{migration.name}")
    else:
        print("nothing to apply: the schema is up to date")
    return 0
