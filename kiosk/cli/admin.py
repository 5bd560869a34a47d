"""`kiosk init` and `kiosk status`: create a database and say what it holds."""

from __future__ import annotations

import click

from kiosk.cli.base import emit, format_option, store_option
from kiosk.store import Store
from kiosk.store.schema import latest_version


@click.command()
@click.option("--school-name", help="School name printed on passes and reports.")
@store_option(create=True)
def init(store: Store, school_name: str | None) -> None:
    """Create (or bring up to date) the kiosk database."""
    if school_name:
        store.settings.set("school_name", school_name.strip())
    click.echo(f"Database ready at {store.path} (schema {latest_version()}).")


@click.command()
@format_option
@store_option
def status(store: Store, fmt: str) -> None:
    """Say what the database holds: schema, school, counts of pupils, families, events."""
    counts = store.settings.summary_counts()
    applied = store.settings.schema_applied()
    info = {
        "database": str(store.path),
        "schema": applied[-1] if applied else None,
        "schema_up_to_date": bool(applied) and applied[-1] == latest_version(),
        "school_name": store.settings.get("school_name"),
        **counts,
    }
    rows = [{"what": key, "value": value} for key, value in info.items()]
    emit(rows, ("what", "value"), fmt, title="Kiosk status", json_value=info)
