"""The `audit` and `check` commands: a discovery report of an export, and a pre-flight check of Odoo."""

from __future__ import annotations

import json
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
from allegory2odoo.audit import ScanOptions, audit_export
from allegory2odoo.audit.preflight import run_check
from allegory2odoo.audit.report import audit_report
from allegory2odoo.cli.main import EXIT_ODOO, EXIT_USAGE, _fail, app, connect, console
from allegory2odoo.export import ExportError
from allegory2odoo.mapping.transforms import DATE_ORDERS
from allegory2odoo.odoo import errors
from allegory2odoo.reports import FORMATS, write_report
from allegory2odoo.reports.render import format_duration

EXIT_CHECK_FAILED = 1


@app.command("audit")
def audit_command(
    export: Path = typer.Argument(..., help="The Allegory export: a folder or a .zip of CSV/XLSX files."),
    out: Path = typer.Option(Path("audit-report"), "--out", help="Folder to write the report files into (created if missing)."),
    formats: str = typer.Option("html,json,csv", "--format", help="Comma-separated report formats: html, json, csv."),
    url: Optional[str] = typer.Option(None, "--url", help="Odoo URL, to match owners to Odoo users (env: ODOO_URL). Without it, owners are not matched."),
    db: DbOption = None,
    user: UserOption = None,
    ask_secret: AskSecretOption = False,
    protocol: ProtocolOption = "auto",
    insecure: InsecureOption = False,
    timeout: TimeoutOption = 120.0,
    source_timezone: SourceTimezoneOption = "UTC",
    date_order: DateOrderOption = "mdy",
    encoding: EncodingOption = None,
) -> None:
    """Report what an export contains and what will need attention, before migrating it.

    Writes audit.html, audit.json and audit-*.csv into --out: record counts, fill
    rates and sample values of every column, custom field columns, data-quality
    findings with the records involved, a complexity grade and an estimate of the
    migration's duration. With ODOO_URL set (or --url), owners are also matched
    to Odoo users. Nothing is written to Odoo.
    """
    chosen = [name.strip().lower() for name in formats.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise _fail(f"--format takes html, json or csv, separated by commas, not {formats!r}", EXIT_USAGE)
    try:
        source_tz = ZoneInfo(source_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"{source_timezone!r} is not a time zone name; use an IANA name such as UTC or Europe/Paris", EXIT_USAGE) from None
    if date_order not in DATE_ORDERS:
        raise _fail(f"--date-order must be one of {', '.join(DATE_ORDERS)}, not {date_order!r}", EXIT_USAGE)

    live = bool(url or os.environ.get("ODOO_URL"))
    client = connect(url, db, user, protocol, insecure, ask_secret, timeout) if live else None
    try:
        with console.status("Reading the export…"):
            result = audit_export(export, options=ScanOptions(source_tz=source_tz, date_order=date_order),
                                  client=client, encoding=encoding)
    except ExportError as error:
        raise _fail(str(error), EXIT_USAGE) from None
    except errors.OdooError as error:
        raise _fail(str(error), EXIT_ODOO) from None
    finally:
        if client is not None:
            client.close()

    written = write_report(audit_report(result), out, chosen)
    _print_audit(Console(), result, written)


def _print_audit(output: Console, result, written: list[Path]) -> None:
    output.print(f"Audit of {result.export_name}: {result.total_records} records, grade {result.grade.letter} "
                 f"({result.grade.points} points).", highlight=False)
    estimate = result.estimate
    output.print(f"Estimated duration: {format_duration(estimate.seconds)} of Odoo server time "
                 f"({format_duration(estimate.low_seconds)} to {format_duration(estimate.high_seconds)}; "
                 "an estimate from Odoo 19 throughput on 2 cores, see the report).", highlight=False)
    if result.findings:
        table = Table(title="Findings", title_justify="left")
        table.add_column("finding")
        table.add_column("severity")
        table.add_column("records", justify="right")
        for finding in result.findings:
            table.add_row(finding.title, finding.severity, str(finding.count))
        output.print(table)
    else:
        output.print("No data-quality findings.")
    unmatched = [owner for owner in result.owners if owner.odoo_user == "UNMATCHED"]
    if result.owners_checked_against:
        output.print(f"Owners without an Odoo user: {len(unmatched)} of {len(result.owners)} "
                     f"({result.owners_checked_against}).", highlight=False)
    output.print("Report files:")
    for path in written:
        output.print(f"  {path}", highlight=False)


@app.command("check")
def check_command(
    url: Optional[str] = typer.Option(None, "--url", help="Odoo URL, e.g. https://erp.example.com (env: ODOO_URL)."),
    db: DbOption = None,
    user: UserOption = None,
    ask_secret: AskSecretOption = False,
    protocol: ProtocolOption = "auto",
    insecure: InsecureOption = False,
    timeout: TimeoutOption = 120.0,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON instead of a table."),
) -> None:
    """Check that an Odoo server is ready for the migration, writing nothing.

    Reports the server version and edition, the API in use (XML-RPC or JSON-2),
    whether the modules crm and mail are installed (base_automation only for
    workflow drafts), and whether the user may create every kind of record the
    migration creates. Exits with 1 when something needed is missing, and with 3
    when the connection fails.
    """
    client = connect(url, db, user, protocol, insecure, ask_secret, timeout)
    try:
        result = run_check(client)
    except errors.OdooError as error:
        raise _fail(str(error), EXIT_ODOO) from None
    finally:
        client.close()

    if as_json:
        # Plain echo, because Rich would wrap long lines at the terminal's width and break the JSON.
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_check(Console(), result)
    if not result.ok:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _print_check(output: Console, result) -> None:
    edition = "edition unknown" if result.edition == "unknown" else result.edition
    output.print(f"Odoo {result.version} ({edition}) at {result.url}, database {result.db}, "
                 f"user {result.user}, over {result.protocol}", highlight=False)
    table = Table(show_header=True)
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail", overflow="fold")
    marks = {"ok": "[green]ok[/]", "missing": "[bold red]MISSING[/]", "optional": "[yellow]optional[/]",
             "unknown": "[yellow]unknown[/]", "note": "[yellow]note[/]"}
    for item in result.items:
        table.add_row(f"{item.area}: {item.name}", marks[item.status], item.detail)
    output.print(table)
    notes = [item for item in result.items if item.status != "ok" and item.advice]
    for item in notes:
        prefix = "[bold red]To do:[/]" if item.status == "missing" else "Note:"
        output.print(f"{prefix} {item.detail.rstrip('.')}. {item.advice}", highlight=False)
    if result.ok:
        output.print("[green]Ready:[/] everything the migration needs is in place.")
    else:
        output.print(f"[bold red]Not ready:[/] {len(result.problems)} needed right(s) or module(s) missing.")
