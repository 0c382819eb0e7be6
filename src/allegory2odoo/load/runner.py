"""Run a migration: every step in dependency order, recorded in the ledger."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from allegory2odoo.export import open_export
from allegory2odoo.ledger.store import Ledger, Operation
from allegory2odoo.load.context import Reporter, RunContext, RunOptions
from allegory2odoo.load.identity import IdentityMap
from allegory2odoo.load.step import run_load_step
from allegory2odoo.load.steps import default_steps
from allegory2odoo.load.steps.owners import read_export_users
from allegory2odoo.load.writer import DryRunWriter, OdooWriter
from allegory2odoo.odoo import Schema
from allegory2odoo.plan.applied import check_fields
from allegory2odoo.plan.owners import OwnerResolver, fetch_internal_users
from allegory2odoo.plan.reference import ReferenceData

log = logging.getLogger(__name__)

MODELS = (
    "res.partner", "res.partner.category", "res.partner.industry", "res.users",
    "crm.team", "crm.stage", "crm.tag", "crm.lead", "crm.lost.reason",
    "mail.message", "mail.activity", "ir.attachment",
)


@dataclass
class RunResult:
    run_id: int | None
    stats: dict[str, Counter]
    rejects: list[Operation]
    unmatched_owners: Counter
    secondary_companies: dict[str, list[str]]
    target: str
    dry_run: bool
    ledger_path: Path | None
    status: str = "finished"
    order: list[str] = field(default_factory=list)
    export_warnings: list[str] = field(default_factory=list)  # encodings guessed, files not read
    unmapped_columns: dict[str, list[str]] = field(default_factory=dict)  # file -> columns no step migrates
    notes: list[str] = field(default_factory=list)  # what steps add to the closing report, e.g. values not written

    @property
    def rejected(self) -> int:
        return sum(counts["rejected"] for counts in self.stats.values())


def unmapped_columns(export, ctx) -> dict[str, list[str]]:
    """Return, per file, the columns of no known kind that are not the values of a defined custom field."""
    values = getattr(ctx, "custom_field_plan", None)
    fields = values.plan.fields if values is not None else []
    custom_columns = {planned.definition.column for planned in fields if planned.definition is not None}
    result = {}
    for export_file in export.files():
        columns = [column for column in export_file.unknown_columns if column not in custom_columns]
        if columns:
            result[export_file.name] = columns
    return result


def order_steps(steps: list) -> list:
    """Order steps so each runs after the steps it depends on; keep the given order otherwise."""
    by_name = {step.name: step for step in steps}
    ordered, done = [], set()

    def visit(step, trail=()):
        if step.name in done:
            return
        if step.name in trail:
            raise ValueError(f"load steps depend on each other in a cycle: {' -> '.join(trail + (step.name,))}")
        for dependency in step.depends:
            if dependency in by_name:
                visit(by_name[dependency], trail + (step.name,))
        done.add(step.name)
        ordered.append(step)

    for step in steps:
        visit(step)
    return ordered


def migrate(export_path: str | Path, options: RunOptions, *, client=None, profile: str | None = None,
            ledger_path: str | Path | None = None, reporter: Reporter | None = None, steps: list | None = None,
            export_options: dict | None = None) -> RunResult:
    """Migrate an export into the connected Odoo, or validate it only when `options.dry_run` is set.

    Without a client, the run must be a dry run and checks values against the
    bundled schema `profile` (for example "odoo19").
    """
    if client is None and not options.dry_run:
        raise ValueError("a migration that writes needs an Odoo connection")
    choices = options.choices
    export_options = dict(export_options or {})
    if choices.headers:
        export_options["columns"] = choices.headers
    with open_export(export_path, **export_options) as export:
        if client is not None:
            schema = client.schema(list(MODELS))
            target = f"Odoo {client.version.serie} at {client.settings.url} ({client.protocol})"
        else:
            schema = Schema.from_profile(profile or "odoo19")
            target = f"the bundled {profile or 'odoo19'} schema profile (no connection)"
        # Checked before anything is written; a bundled profile lacks the fields added on a real server.
        check_fields(choices, schema, options.multiselect_as, known_only=client is None)
        if choices.deal_statuses is not None or choices.activity_types is not None:
            options = replace(options, mapping=replace(options.mapping, deal_statuses=choices.deal_statuses,
                                                       activity_types=choices.activity_types))
        writer = DryRunWriter(schema, client) if options.dry_run else OdooWriter(client, schema)
        export_users, user_errors = read_export_users(export, options.mapping)
        owners = OwnerResolver(fetch_internal_users(client) if client else None, export_users, options.fallback_owner)

        ledger = None
        run_id = None
        if not options.dry_run:
            ledger = Ledger(ledger_path)
            ledger.bind_target(client.settings.url, client.settings.db)
            run_id = ledger.start_run(
                str(export_path),
                {"batch_size": options.batch_size, "fallback_owner": options.fallback_owner,
                 "source_timezone": str(options.mapping.source_tz), "date_order": options.mapping.date_order,
                 "create_custom_fields": options.create_custom_fields, "multiselect_as": options.multiselect_as,
                 "pipelines": options.pipelines, "shared_team": options.shared_team},
                url=client.settings.url, db=client.settings.db, version=client.version.serie, protocol=client.protocol,
            )

        ctx = RunContext(export, writer, schema, IdentityMap(), ReferenceData(client), owners, options,
                         ledger=ledger, run_id=run_id, reporter=reporter)
        ctx.export_users = export_users
        ctx.export_user_errors = user_errors
        ordered = order_steps(steps or default_steps())
        status = "finished"
        try:
            for step in ordered:
                if hasattr(step, "run"):
                    step.run(ctx)
                else:
                    run_load_step(step, ctx)
        except BaseException:
            status = "interrupted"
            raise
        finally:
            ctx.flush_ledger()
            if ledger is not None:
                ledger.finish_run(run_id, status)
                ledger.close()
        return RunResult(
            run_id=run_id,
            stats=ctx.stats,
            rejects=ctx.rejects,
            unmatched_owners=owners.unmatched,
            secondary_companies=ctx.secondary_links,
            target=target,
            dry_run=options.dry_run,
            ledger_path=Path(ledger_path) if ledger_path and not options.dry_run else None,
            status=status,
            order=list(dict.fromkeys(label for step in ordered for label in step.labels())),
            export_warnings=[warning for warning in export.warnings if "not known for kind" not in warning],
            unmapped_columns=unmapped_columns(export, ctx),
            notes=[line for step in ordered if hasattr(step, "closing_notes") for line in step.closing_notes(ctx)],
        )
