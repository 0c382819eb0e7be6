"""The `plan` command: propose the mapping file of an export, and approve it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.table import Table

from allegory2odoo.cli.options import (
    AskSecretOption,
    DateOrderOption,
    DbOption,
    EncodingOption,
    InsecureOption,
    ProtocolOption,
    SourceTimezoneOption,
    TimeoutOption,
    UserOption,
)
from allegory2odoo.cli.main import EXIT_ODOO, EXIT_USAGE, _fail, app, connect
from allegory2odoo.export import ExportError
from allegory2odoo.mapping.records import MappingOptions
from allegory2odoo.mapping.transforms import DATE_ORDERS
from allegory2odoo.odoo import errors
from allegory2odoo.plan.approval import approve, approve_command_text
from allegory2odoo.plan.mapping_file import MappingFileError, write_mapping
from allegory2odoo.plan.pipelines import DEFAULT_SHARED_TEAM, PER_TEAM, PIPELINE_MODES
from allegory2odoo.plan.proposal import NOT_MIGRATED, propose

# The parameters `plan approve` reads; the others shape a proposal.
APPROVE_PARAMETERS = ("target", "approved_export", "mapping", "encoding")


@app.command("plan")
def plan_command(
    context: typer.Context,
    target: str = typer.Argument(..., metavar="EXPORT | approve",
                                 help="The export to propose a mapping for, or `approve` followed by the export."),
    approved_export: Optional[Path] = typer.Argument(None, metavar="[EXPORT]", help="With `approve`: the export."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the proposed mapping (default: mapping.yaml)."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="With `approve`: the mapping file to approve (default: mapping.yaml)."),
    profile: str = typer.Option("odoo19", "--profile", help="Bundled Odoo schema to propose against without a connection: odoo17 or odoo19."),
    url: Optional[str] = typer.Option(None, "--url", help="Odoo URL, to propose against its live schema and match owners (environment: ODOO_URL)."),
    db: DbOption = None,
    user: UserOption = None,
    ask_secret: AskSecretOption = False,
    protocol: ProtocolOption = "auto",
    insecure: InsecureOption = False,
    timeout: TimeoutOption = 120.0,
    fallback_owner: Optional[str] = typer.Option(None, "--fallback-owner", help="Login or email of the Odoo user who gets the records of owners without an Odoo user; written to the mapping."),
    multiselect_as: str = typer.Option("text", "--multiselect-as", help="How multi-select custom fields are stored, written to the mapping: text or tags."),
    pipelines: str = typer.Option(PER_TEAM, "--pipelines", help="Written to the mapping: per_team (one crm.team per pipeline) or shared (one crm.team for every pipeline, and the deal's pipeline in the field x_allegory_pipeline)."),
    shared_team: str = typer.Option(DEFAULT_SHARED_TEAM, "--shared-team", help="Written to the mapping: the name of the one crm.team of --pipelines shared."),
    source_timezone: SourceTimezoneOption = "UTC",
    date_order: DateOrderOption = "mdy",
    encoding: EncodingOption = None,
) -> None:
    """Propose how each column of an export lands in Odoo (mapping.yaml), or approve that mapping.

    `allegory2odoo plan EXPORT` writes mapping.yaml: every column of every
    file with its Odoo model and field (a standard field, a new x_allegory_
    custom field, or not migrated), a confidence and a reason, pick-list value
    maps, and the owner report. With ODOO_URL set (or --url) it uses the live
    schema and matches owners to Odoo users; without it, the bundled profile.

    `allegory2odoo plan approve [--mapping mapping.yaml] EXPORT` validates the
    mapping and records its approval for this export in mapping.approved.json.
    A migration that writes needs an approved, unchanged mapping and export.
    """
    if target == "approve":
        ignored = [f"--{name.replace('_', '-')}" for name in context.params
                   if name not in APPROVE_PARAMETERS
                   and getattr(context.get_parameter_source(name), "name", None) == "COMMANDLINE"]
        if ignored:
            raise _fail(f"plan approve takes only --mapping and --encoding, not {', '.join(ignored)}: those options "
                        "shape a proposal. Drop them, or run `allegory2odoo plan EXPORT` with them to propose again",
                        EXIT_USAGE)
        _approve(mapping or Path("mapping.yaml"), approved_export, encoding)
        return
    if approved_export is not None:
        raise _fail(f"plan takes one export, not {target!r} and {str(approved_export)!r}; to approve, run "
                    "`allegory2odoo plan approve EXPORT`", EXIT_USAGE)
    _propose(Path(target), out or Path("mapping.yaml"), profile, url, db, user, ask_secret, protocol, insecure,
             timeout, fallback_owner, multiselect_as, source_timezone, date_order, encoding, pipelines, shared_team)


def _propose(export, out, profile, url, db, user, ask_secret, protocol, insecure, timeout, fallback_owner,
             multiselect_as, source_timezone, date_order, encoding, pipelines, shared_team) -> None:
    if profile not in ("odoo17", "odoo19"):
        raise _fail(f"--profile must be odoo17 or odoo19, not {profile!r}", EXIT_USAGE)
    if multiselect_as not in ("text", "tags"):
        raise _fail(f"--multiselect-as must be text or tags, not {multiselect_as!r}", EXIT_USAGE)
    if pipelines not in PIPELINE_MODES:
        raise _fail(f"--pipelines must be one of {', '.join(PIPELINE_MODES)}, not {pipelines!r}", EXIT_USAGE)
    if not shared_team.strip():
        raise _fail("--shared-team needs a name, such as 'Allegory pipelines'", EXIT_USAGE)
    if date_order not in DATE_ORDERS:
        raise _fail(f"--date-order must be one of {', '.join(DATE_ORDERS)}, not {date_order!r}", EXIT_USAGE)
    try:
        source_tz = ZoneInfo(source_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"{source_timezone!r} is not a time zone name; use an IANA name such as UTC or Europe/Paris",
                    EXIT_USAGE) from None

    live = bool(url or os.environ.get("ODOO_URL"))
    client = connect(url, db, user, protocol, insecure, ask_secret, timeout) if live else None
    try:
        proposal = propose(export, client=client, profile=profile, fallback_owner=fallback_owner,
                           multiselect_as=multiselect_as, pipelines=pipelines, shared_team=shared_team.strip(),
                           mapping=MappingOptions(source_tz=source_tz, date_order=date_order),
                           export_options={"encoding": encoding} if encoding else None)
    except ExportError as error:
        raise _fail(str(error), EXIT_USAGE) from None
    except errors.OdooError as error:
        raise _fail(str(error), EXIT_ODOO) from None
    finally:
        if client is not None:
            client.close()

    write_mapping(proposal, out)
    _print_proposal(Console(), proposal, out)


def _print_proposal(output: Console, proposal, out: Path) -> None:
    output.print(f"Proposed mapping of {proposal.export} against {proposal.target}.", highlight=False)
    columns = [column for file in proposal.files for column in file.columns]
    unsure = [(file.file, column) for file in proposal.files for column in file.columns if column.confidence < 0.8]
    skipped = sum(1 for column in columns if column.field == NOT_MIGRATED)
    output.print(f"{len(proposal.files)} files, {len(columns)} columns: {skipped} not migrated, "
                 f"{len(unsure)} with a confidence under 0.8.", highlight=False)
    for file_name, column in unsure:
        output.print(f"  check {file_name} column {column.header!r}: {column.reason}", highlight=False)

    table = Table(title="Owners", title_justify="left")
    table.add_column("Allegory owner")
    table.add_column("records", justify="right")
    table.add_column("Odoo user")
    table.add_column("records assigned to")
    for owner in proposal.owners:
        table.add_row(owner.allegory, str(owner.records), owner.odoo_user, owner.assigned)
    output.print(table)
    if proposal.owner_problem:
        output.print(f"[bold red]Fallback owner:[/] {proposal.owner_problem}", highlight=False)
    unmatched = [owner for owner in proposal.owners if owner.assigned == "UNMATCHED"]
    if unmatched:
        output.print(f"{len(unmatched)} owner(s) have no Odoo user and no fallback: migrate refuses to start until "
                     "they exist in Odoo or a fallback owner is set (options.fallback_owner or --fallback-owner).",
                     highlight=False)
    output.print(f"Wrote {out}. Review it, then approve it: {approve_command_text(out, Path(proposal.export))}",
                 highlight=False)


def _approve(mapping: Path, export: Optional[Path], encoding: Optional[str]) -> None:
    if export is None:
        raise _fail("plan approve needs the export: `allegory2odoo plan approve --mapping mapping.yaml EXPORT`",
                    EXIT_USAGE)
    if not export.exists():
        raise _fail(f"the export {export} does not exist; give the folder or .zip the mapping was proposed for",
                    EXIT_USAGE)
    try:
        approval = approve(mapping, export, {"encoding": encoding} if encoding else None)
    except (MappingFileError, ExportError) as error:
        raise _fail(str(error), EXIT_USAGE) from None
    Console().print(f"Approved {mapping} for the export {export} ({len(approval.export_files)} files) as "
                    f"{approval.approved_by} at {approval.approved_at}; recorded in {approval.path}.",
                    highlight=False)
