"""The `allegory2odoo` command line: parses arguments, calls one service, renders the result."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console

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
from allegory2odoo import __version__
from allegory2odoo.cli.render import ProgressReporter, render_result
from allegory2odoo.export import ExportError
from allegory2odoo.ledger.store import LedgerError
from allegory2odoo.load.context import RunOptions
from allegory2odoo.load.existing import POLICIES as EXISTING_POLICIES
from allegory2odoo.load.runner import migrate
from allegory2odoo.mapping.records import MappingOptions
from allegory2odoo.mapping.transforms import DATE_ORDERS
from allegory2odoo.odoo import ConnectionSettings, OdooClient, errors
from allegory2odoo.plan.approval import DEFAULT_CHECKLIST, GateError, apply_mapping, ledger_files
from allegory2odoo.plan.mapping_file import MappingFileError
from allegory2odoo.plan.owners import OwnerSetupError

app = typer.Typer(
    help="Migrate an Allegory CRM export into Odoo CRM through Odoo's external API.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)

EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_ODOO = 3


def _version(value: bool) -> None:
    if value:
        typer.echo(f"allegory2odoo {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log each batch and each retry to standard error."),
    log_file: Optional[Path] = typer.Option(None, "--log-file", help="Also write the log, at INFO level, to this file."),
) -> None:
    """Migrate an Allegory CRM export into Odoo CRM through Odoo's external API."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    handlers[0].setLevel(logging.INFO if verbose else logging.WARNING)
    if log_file:
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setLevel(logging.INFO)
        handlers.append(file_handler)
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _fail(message: str, code: int) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def connect(url, db, user, protocol, insecure, ask_secret, timeout) -> OdooClient:
    """Connect with settings from flags and the environment; secrets come from the environment or a prompt."""
    password = api_key = None
    if ask_secret:
        secret = typer.prompt("Odoo API key or password", hide_input=True).strip()
        # Odoo's API keys are 40 hexadecimal characters; anything else is taken as a password.
        if re.fullmatch(r"[0-9a-f]{40}", secret):
            api_key = secret
        else:
            password = secret
    try:
        settings = ConnectionSettings.from_env(
            url=url, db=db, user=user, password=password, api_key=api_key, protocol=protocol,
            verify_tls=False if insecure else None, timeout=timeout,
        )
        return OdooClient.connect(settings)
    except errors.ConnectionSettingsError as error:
        raise _fail(str(error), EXIT_USAGE) from None
    except errors.OdooError as error:
        raise _fail(str(error), EXIT_ODOO) from None


@app.command("migrate")
def migrate_command(
    export: Path = typer.Argument(..., help="The Allegory export: a folder or a .zip of CSV/XLSX files."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate every record against the Odoo schema and write nothing."),
    profile: str = typer.Option("odoo19", "--profile", help="Bundled schema for a dry run without a connection: odoo17 or odoo19."),
    url: Optional[str] = typer.Option(None, "--url", help="Odoo URL, e.g. https://erp.example.com (environment: ODOO_URL)."),
    db: DbOption = None,
    user: UserOption = None,
    ask_secret: AskSecretOption = False,
    protocol: ProtocolOption = "auto",
    insecure: InsecureOption = False,
    timeout: TimeoutOption = 120.0,
    batch_size: int = typer.Option(500, "--batch-size", min=1, max=5000, help="Records per Odoo call."),
    fallback_owner: Optional[str] = typer.Option(None, "--fallback-owner", help="Login or email of the Odoo user who gets records whose owner has no Odoo user."),
    source_timezone: SourceTimezoneOption = "UTC",
    date_order: DateOrderOption = "mdy",
    ledger: Path = typer.Option(Path("allegory2odoo-ledger.sqlite"), "--ledger", help="SQLite ledger of runs, identities and operations."),
    encoding: EncodingOption = None,
    max_attachment_mb: float = typer.Option(25.0, "--max-attachment-mb", min=0.001, help="Largest file to upload, in MB (10^6 bytes); larger files are skipped and reported."),
    create_custom_fields: bool = typer.Option(False, "--create-custom-fields", help="Create the missing x_ fields of the export's custom fields, and add them to the contact and opportunity forms. Needs Odoo administrator rights."),
    multiselect_as: Optional[str] = typer.Option(None, "--multiselect-as", help="How a multi-select custom field is stored: text (values joined by '; ') or tags (a many2many to contact or CRM tags). Default: the mapping's multiselect_as, else text."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="The approved mapping file a writing run needs (see `allegory2odoo plan`; default: mapping.yaml). A dry run needs none, and applies this one when given."),
    checklist: Optional[Path] = typer.Option(None, "--checklist", help="Where to write the checklist of custom fields for an administrator. Default: custom-fields-checklist.md beside the ledger. A dry run writes one only with this option."),
    existing_companies: Optional[str] = typer.Option(None, "--existing-companies", help="What to do with a company already in Odoo (same email, VAT or name) that has no external ID of ours: link (use the existing partner and write nothing to it), update (write the export's values onto it) or create (a new partner). Default: the mapping's existing_companies, else link."),
    existing_contacts: Optional[str] = typer.Option(None, "--existing-contacts", help="The same for a contact already in Odoo (same email, or same name within the email domain or company): link, update or create. Default: the mapping's existing_contacts, else link."),
) -> None:
    """Load companies, contacts, owners, pipelines, stages, deals and tags into Odoo.

    Without --url or ODOO_URL, --dry-run checks the export against a bundled
    Odoo schema profile. Exits with 1 when a record was rejected, and with 2
    when the input is invalid or the plan's gate stops the run (mapping not
    approved, changed, or naming fields this Odoo lacks).
    """
    try:
        source_tz = ZoneInfo(source_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"{source_timezone!r} is not a time zone name; use an IANA name such as UTC or Europe/Paris", EXIT_USAGE) from None
    date_order = date_order.lower()
    if date_order not in DATE_ORDERS:
        raise _fail(f"--date-order must be one of {', '.join(DATE_ORDERS)}, not {date_order!r}", EXIT_USAGE)
    if profile not in ("odoo17", "odoo19"):
        raise _fail(f"--profile must be odoo17 or odoo19, not {profile!r}", EXIT_USAGE)
    for option, policy in (("--existing-companies", existing_companies), ("--existing-contacts", existing_contacts)):
        if policy is not None and policy not in EXISTING_POLICIES:
            raise _fail(f"{option} must be one of {', '.join(EXISTING_POLICIES)}, not {policy!r}", EXIT_USAGE)
    if multiselect_as not in (None, "text", "tags"):
        raise _fail(f"--multiselect-as must be text or tags, not {multiselect_as!r}", EXIT_USAGE)

    offline = dry_run and not (url or os.environ.get("ODOO_URL"))
    client = None if offline else connect(url, db, user, protocol, insecure, ask_secret, timeout)
    export_options = {"encoding": encoding} if encoding else None
    try:
        run_files = (*ledger_files(ledger), checklist or ledger.parent / DEFAULT_CHECKLIST)
        applied = apply_mapping(mapping, export, dry_run=dry_run, client=client, fallback_owner=fallback_owner,
                                multiselect_as=multiselect_as, export_options=export_options, run_files=run_files,
                                existing_companies=existing_companies, existing_contacts=existing_contacts)
    except (GateError, MappingFileError, ExportError) as error:
        if client is not None:
            client.close()
        raise _fail(str(error), EXIT_USAGE) from None
    except errors.OdooError as error:
        client.close()
        raise _fail(str(error), EXIT_ODOO) from None
    options = RunOptions(
        batch_size=batch_size,
        fallback_owner=applied.fallback_owner,
        skipped_custom_columns=applied.skipped_custom_columns,
        mapping=MappingOptions(source_tz=source_tz, date_order=date_order),
        dry_run=dry_run,
        max_attachment_bytes=int(max_attachment_mb * 1_000_000),
        create_custom_fields=create_custom_fields,
        multiselect_as=applied.multiselect_as,
        checklist_path=checklist,
        existing_companies=applied.existing_companies,
        existing_contacts=applied.existing_contacts,
        choices=applied.choices,
        pipelines=applied.pipelines,
        shared_team=applied.shared_team,
    )
    try:
        with ProgressReporter(console) as reporter:
            result = migrate(export, options, client=client, profile=profile, ledger_path=ledger,
                             reporter=reporter, export_options=export_options)
    except (ExportError, MappingFileError) as error:
        raise _fail(str(error), EXIT_USAGE) from None
    except (LedgerError, OwnerSetupError) as error:
        raise _fail(str(error), EXIT_USAGE) from None
    except (errors.AuthenticationError, errors.AccessRightsError) as error:
        raise _fail(f"{error}. Records confirmed so far are in the ledger {ledger}; once the right is granted, "
                    "run the same command again to resume.", EXIT_ODOO) from None
    except errors.OdooError as error:
        raise _fail(f"{error}. Records confirmed so far are in the ledger {ledger}; run the same command again "
                    "to resume.", EXIT_ODOO) from None
    except KeyboardInterrupt:
        raise _fail(f"interrupted. Run the same command again to resume; the ledger is {ledger}.", 130) from None
    finally:
        if client is not None:
            client.close()

    render_result(Console(), result)
    if result.rejected:
        raise typer.Exit(EXIT_REJECTED)


@app.command("sample-export")
def sample_export_command(
    output: Path = typer.Argument(..., help="Folder to write the export into (created if missing)."),
    records: int = typer.Option(250_000, "--records", min=20, help="How many records to write, all kinds together."),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed writes the same files."),
) -> None:
    """Write a synthetic Allegory export of any size, for benchmarks and trials.

    OUTPUT is a folder, or a .zip file when its name ends in .zip.
    """
    from allegory2odoo.sample.generator import write_export

    counts = write_export(output, records=records, seed=seed)
    for kind, number in vars(counts).items():
        typer.echo(f"{kind}: {number}")
    typer.echo(f"wrote {counts.total} records to {output}")


from allegory2odoo.cli import audit_commands  # noqa: E402,F401  (registers the audit and check commands)
from allegory2odoo.cli import plan_commands  # noqa: E402,F401  (registers the plan command)
