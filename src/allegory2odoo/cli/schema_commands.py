"""The `schema plan` and `schema apply` commands: what Odoo needs before records move, and creating it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from allegory2odoo.cli.options import (
    AskSecretOption,
    DbOption,
    EncodingOption,
    InsecureOption,
    ProtocolOption,
    TimeoutOption,
    UserOption,
)
from allegory2odoo.cli.main import EXIT_ODOO, EXIT_USAGE, _fail, app, connect, console
from allegory2odoo.cli.render import ProgressReporter, render_result
from allegory2odoo.export import ExportError, open_export
from allegory2odoo.ledger.store import LedgerError
from allegory2odoo.load.context import RunOptions
from allegory2odoo.load.runner import migrate
from allegory2odoo.load.steps.custom_fields import CustomFieldsStep
from allegory2odoo.load.steps.pipelines import PipelinesStep
from allegory2odoo.load.steps.stages import StagesStep
from allegory2odoo.load.steps.tags import DealTagsStep, PartnerTagsStep
from allegory2odoo.mapping.records import MappingOptions
from allegory2odoo.odoo import errors
from allegory2odoo.plan.approval import GateResult, apply_mapping
from allegory2odoo.plan.mapping_file import MappingFileError
from allegory2odoo.plan.schema import build_schema_plan, render_schema_checklist

MappingOption = Annotated[Optional[Path], typer.Option(
    "--mapping", help="A mapping file (see `allegory2odoo plan`) to follow: its pipeline layout (options.pipelines, "
                      "options.shared_team), multiselect_as, and the custom field columns it leaves out or sends "
                      "to existing fields. It needs no approval here. Without it: a team per pipeline, every "
                      "custom field.")]

schema_app = typer.Typer(help="Plan and create what Odoo needs before records move: pipelines, stages, tags, custom fields.",
                         no_args_is_help=True)
app.add_typer(schema_app, name="schema")


def schema_steps() -> list:
    return [CustomFieldsStep(), DealTagsStep(), PartnerTagsStep(), PipelinesStep(), StagesStep()]


def _connection_wanted(url: str | None) -> bool:
    return bool(url or os.environ.get("ODOO_URL"))


def _followed(mapping: Path | None, export: Path, encoding: str | None) -> GateResult:
    """Return what the schema commands take from a mapping file; without one, the defaults."""
    export_options = {"encoding": encoding} if encoding else None
    if mapping is None:
        return GateResult(None, None, "text", frozenset())
    try:
        return apply_mapping(mapping, export, dry_run=True, client=None, fallback_owner=None, multiselect_as=None,
                             export_options=export_options)
    except (MappingFileError, ExportError) as error:
        raise _fail(str(error), EXIT_USAGE) from None


def _plan(export: Path, client, encoding: str | None, followed: GateResult):
    try:
        with open_export(export, encoding=encoding, columns=followed.choices.headers) as opened:
            return build_schema_plan(opened, MappingOptions(), client, pipelines_layout=followed.pipelines,
                                     shared_team=followed.shared_team, multiselect_as=followed.multiselect_as,
                                     skipped_columns=followed.skipped_custom_columns, choices=followed.choices)
    except ExportError as error:
        raise _fail(str(error), EXIT_USAGE) from None


def _print_plan(plan) -> None:
    table = Table(title="Schema plan", title_justify="left")
    for column in ("kind", "name", "Odoo model", "details", "status"):
        table.add_column(column, overflow="fold")
    for item in plan.items:
        table.add_row(item.kind, item.name, item.model, item.details, item.status)
    console.print(table)
    for problem in plan.problems:
        console.print(f"  - {problem}", highlight=False)


@schema_app.command("plan")
def schema_plan_command(
    export: Path = typer.Argument(..., help="The Allegory export: a folder or a .zip of CSV/XLSX files."),
    out: Path = typer.Option(Path("schema-checklist.md"), "--out", help="Markdown checklist to write."),
    url: Optional[str] = typer.Option(None, "--url", help="Odoo URL, to check what Odoo has already (environment: ODOO_URL)."),
    db: DbOption = None,
    user: UserOption = None,
    ask_secret: AskSecretOption = False,
    protocol: ProtocolOption = "auto",
    insecure: InsecureOption = False,
    timeout: TimeoutOption = 120.0,
    encoding: EncodingOption = None,
    mapping: MappingOption = None,
) -> None:
    """List the pipelines, stages, tags and custom fields Odoo needs, and write them as a checklist.

    With a connection each item shows whether Odoo has it already. Nothing is
    written to Odoo. With a mapping whose options.pipelines is shared, it lists
    the one shared team and the pipeline field x_allegory_pipeline.
    """
    followed = _followed(mapping, export, encoding)
    client = connect(url, db, user, protocol, insecure, ask_secret, timeout) if _connection_wanted(url) else None
    try:
        plan = _plan(export, client, encoding, followed)
        target = f"Odoo {client.version.serie} at {client.settings.url}" if client else "no Odoo (not checked)"
    finally:
        if client is not None:
            client.close()
    _print_plan(plan)
    out.write_text(render_schema_checklist(plan, target), encoding="utf-8")
    console.print(f"Checklist: {out}")


@schema_app.command("apply")
def schema_apply_command(
    export: Path = typer.Argument(..., help="The Allegory export: a folder or a .zip of CSV/XLSX files."),
    yes: bool = typer.Option(False, "--yes", help="Create without asking for confirmation."),
    url: Optional[str] = typer.Option(None, "--url", help="Odoo URL (environment: ODOO_URL)."),
    db: DbOption = None,
    user: UserOption = None,
    ask_secret: AskSecretOption = False,
    protocol: ProtocolOption = "auto",
    insecure: InsecureOption = False,
    timeout: TimeoutOption = 120.0,
    ledger: Path = typer.Option(Path("allegory2odoo-ledger.sqlite"), "--ledger", help="SQLite ledger of runs, identities and operations."),
    encoding: EncodingOption = None,
    mapping: MappingOption = None,
) -> None:
    """Create the pipelines, stages, tags and custom fields Odoo lacks, after a confirmation.

    They get the same external IDs as `migrate` gives them, so the migration
    that follows uses them instead of creating them again. Custom fields need
    administrator rights.
    """
    if not _connection_wanted(url):
        raise _fail("schema apply needs an Odoo connection: set ODOO_URL (or pass --url)", EXIT_USAGE)
    followed = _followed(mapping, export, encoding)
    client = connect(url, db, user, protocol, insecure, ask_secret, timeout)
    try:
        plan = _plan(export, client, encoding, followed)
        _print_plan(plan)
        missing = plan.to_create()
        if not missing:
            console.print("Odoo has everything the plan lists; nothing to create.")
            return
        if not yes and not typer.confirm(f"Create {len(missing)} items in {client.settings.db} at {client.settings.url}?"):
            raise typer.Exit(1)
        options = RunOptions(create_custom_fields=True, mapping=MappingOptions(), pipelines=followed.pipelines,
                             shared_team=followed.shared_team, multiselect_as=followed.multiselect_as,
                             skipped_custom_columns=followed.skipped_custom_columns, choices=followed.choices)
        with ProgressReporter(console) as reporter:
            result = migrate(export, options, client=client, ledger_path=ledger, reporter=reporter,
                             steps=schema_steps(), export_options={"encoding": encoding} if encoding else None)
    except (LedgerError, ExportError) as error:
        raise _fail(str(error), EXIT_USAGE) from None
    except errors.OdooError as error:
        raise _fail(str(error), EXIT_ODOO) from None
    finally:
        client.close()
    render_result(console, result)
    if result.rejected:
        raise typer.Exit(1)
