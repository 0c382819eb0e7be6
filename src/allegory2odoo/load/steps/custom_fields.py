"""Custom fields: plan the `x_` fields, create them when asked, and write the checklist.

This step runs before companies. It reads the custom field definitions and
the stages named in the stage history, and plans the fields (see
`plan.custom_fields`). It then looks each field up in `ir.model.fields`. With
`--create-custom-fields` it creates the missing ones through `load` on
`ir.model.fields`, with the external ID
`__allegory__.field_<model>_<name>`, so a rerun or a resumed run finds them
instead of creating them twice. It then adds the fields to the contact and
opportunity forms through inherited views. Creating fields needs Odoo's
administration rights. A dry run creates nothing, and validates values
against the planned fields as if they existed. When pipelines are shared,
the pipeline field x_allegory_pipeline is planned and created the same way.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.custom_fields import CustomFieldValues
from allegory2odoo.load.identity import MODULE
from allegory2odoo.load.named import ensure_named
from allegory2odoo.load.step import LoadStep
from allegory2odoo.load.writer import OdooWriter
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping.records import BUILDERS, RowError
from allegory2odoo.odoo import Schema, errors
from allegory2odoo.odoo.schema import FieldSpec
from allegory2odoo.plan import custom_fields as plan_module
from allegory2odoo.plan.checklist import write_checklist
from allegory2odoo.plan.pipelines import SHARED, read_pipelines
from allegory2odoo.plan.custom_fields import (
    CONFLICT,
    CREATED,
    EXISTS,
    FORM_VIEWS,
    MISSING,
    PLANNED,
    RejectedDefinition,
    plan_fields,
)

log = logging.getLogger(__name__)

CHECKLIST_NAME = "custom-fields-checklist.md"
ADMIN_RIGHT = "Administration: Settings (base.group_system)"


class CustomFieldsStep(LoadStep):
    kind = "custom_fields"
    label = "custom fields"
    model = "ir.model.fields"
    depends = ()

    def run(self, ctx) -> None:
        stats = ctx.stats_for(self.name)
        ctx.reporter.start(self.name, None)
        definitions, unreadable = self._read_definitions(ctx)
        plan = plan_fields(definitions, self._history_stages(ctx),
                           secondary="associations" in ctx.export.kinds(), multiselect_as=ctx.options.multiselect_as,
                           pipelines=self._shared_pipelines(ctx))
        plan.rejected[:0] = unreadable
        self._follow_mapping(plan, ctx)
        for rejected in plan.rejected:
            stats["read"] += 1
            stats["rejected"] += 1
            ctx.record(Operation(self.name, rejected.source_id, "reject", self.model, file=rejected.file,
                                 row=rejected.row, reason=rejected.reason))
        values = CustomFieldValues(plan)
        ctx.custom_field_plan = values
        self.checklist_path = None
        if not plan.fields:
            self._finish(ctx)
            return

        self._mark_existing(plan, ctx)
        self.checklist_path = self._checklist_path(ctx)
        if self.checklist_path is not None:
            # Written before anything is created, so an administrator can follow it if creation fails.
            write_checklist(self.checklist_path, plan, MODULE)
        if ctx.options.create_custom_fields and ctx.options.dry_run:
            self._plan_in_dry_run(plan, ctx)
        elif ctx.options.create_custom_fields:
            with self._admin_rights_needed(ctx):
                self._create_fields(plan, ctx)
                self._ensure_views(plan, ctx)
        self._ensure_option_tags(plan, ctx)
        if self.checklist_path is not None:
            write_checklist(self.checklist_path, plan, MODULE)

        for planned in plan.fields:
            stats["read"] += 1
            action = "create" if planned.status in (CREATED, PLANNED) else "skip"
            stats["created" if action == "create" else "skipped"] += 1
            reason = planned.status + (f": {planned.status_reason}" if planned.status_reason else "")
            ctx.record(Operation(self.name, f"{planned.model}.{planned.name}", action, self.model, planned.odoo_id,
                                 reason=reason, xmlid=planned.xmlid_name if planned.status == CREATED else None,
                                 identity_kind="field"))
        self._finish(ctx)

    def closing_notes(self, ctx) -> list[str]:
        values = getattr(ctx, "custom_field_plan", None)
        if values is None or not values.plan.fields and not values.plan.rejected:
            return []
        return values.closing_notes(self.checklist_path)

    @contextmanager
    def _admin_rights_needed(self, ctx):
        """Turn Odoo's access error on creating fields or views into one that names the right to grant."""
        try:
            yield
        except errors.AccessRightsError as error:
            raise errors.AccessRightsError(
                f"Creating custom fields needs the Odoo right {ADMIN_RIGHT}, which the user "
                f"{ctx.writer.client.settings.user!r} lacks", model=error.model, method=error.method,
                odoo_message=error.odoo_message,
                advice=("Connect as an administrator, or run without --create-custom-fields and have an "
                        f"administrator create the fields as the checklist says ({self.checklist_path})."),
            ) from None

    def _finish(self, ctx) -> None:
        ctx.flush_ledger()
        ctx.reporter.finish(self.name)

    @staticmethod
    def _follow_mapping(plan, ctx) -> None:
        """Send the columns the approved mapping sends to an existing field there, instead of to a new x_ field."""
        for planned in plan.fields:
            definition = planned.definition
            if definition is None:
                continue
            chosen = ctx.options.choices.custom_target(plan_module.OBJECT_KINDS[definition.object], definition.column)
            if chosen is not None:
                planned.name = chosen
                planned.redirected = True

    # reading the export

    def _read_definitions(self, ctx) -> tuple[list[cf.CustomFieldDef], list[RejectedDefinition]]:
        definitions, unreadable = [], []
        if self.kind not in ctx.export.kinds():
            return definitions, unreadable
        skipped = ctx.options.skipped_custom_columns
        for row in ctx.export.rows(self.kind):
            try:
                definition = cf.build_definition(row)
            except cf.DefinitionError as error:
                unreadable.append(RejectedDefinition(_cell_text(row.values.get("id")), row.file, row.row, str(error)))
                continue
            # A column the approved mapping sets to "not migrated" gets no field and no values.
            if (plan_module.OBJECT_KINDS[definition.object], definition.column) not in skipped:
                definitions.append(definition)
        return definitions, unreadable

    @staticmethod
    def _history_stages(ctx) -> dict[str, str]:
        """Return source ID -> name of the stages that the stage history names, in stages-file order."""
        kinds = ctx.export.kinds()
        if "stage_history" not in kinds or "stages" not in kinds:
            return {}
        named = {_cell_text(row.values.get("stage_id")) for row in ctx.export.rows("stage_history")}
        stages = {}
        for row in ctx.export.rows("stages"):
            try:
                stage = BUILDERS["stages"](row, ctx.options.mapping)
            except RowError:
                continue  # the stages step rejects it with the reason
            if stage.source_id in named:
                stages.setdefault(stage.source_id, stage.name)
        return stages

    @staticmethod
    def _shared_pipelines(ctx) -> list[tuple[str, str]] | None:
        """Return (source ID, name) of the pipelines in file order when they share one team, else None."""
        if ctx.options.pipelines != SHARED:
            return None
        return read_pipelines(ctx.export, ctx.options.mapping)

    # Odoo's side

    def _checklist_path(self, ctx) -> Path | None:
        """Return the --checklist path, else a path beside the ledger. A dry run has no ledger, so it writes one only when asked."""
        if ctx.options.checklist_path is not None:
            return Path(ctx.options.checklist_path)
        if ctx.ledger is not None:
            return Path(ctx.ledger.path).parent / CHECKLIST_NAME
        return None

    @staticmethod
    def _mark_existing(plan, ctx) -> None:
        models = sorted({planned.model for planned in plan.fields})
        names = sorted({planned.name for planned in plan.fields})
        rows = ctx.writer.search_read("ir.model.fields", [("model", "in", models), ("name", "in", names)],
                                      ["model", "name", "ttype", "relation"])
        found = {(row["model"], row["name"]): row for row in rows}
        hint = ("run with --create-custom-fields, or create it by hand as the checklist says"
                if not ctx.options.create_custom_fields else "")
        for planned in plan.fields:
            row = found.get((planned.model, planned.name))
            if row is None:
                planned.status, planned.status_reason = MISSING, hint
                continue
            planned.odoo_id = row["id"]
            if row["ttype"] != planned.ttype or (planned.relation and row.get("relation") != planned.relation):
                planned.status = CONFLICT
                planned.status_reason = (f"a {row['ttype']} field there, not {planned.ttype}; rename or remove "
                                         "the Odoo field, or change the Allegory key")
                continue
            planned.status = EXISTS

    @staticmethod
    def _plan_in_dry_run(plan, ctx) -> None:
        """Add the fields the run would create to the schema, so values are checked against them."""
        for planned in plan.fields:
            if planned.status == MISSING:
                planned.status, planned.status_reason = PLANNED, ""
        _add_to_schema(ctx, [planned for planned in plan.fields if planned.status == PLANNED])

    def _create_fields(self, plan, ctx) -> None:
        missing = [planned for planned in plan.fields if planned.status == MISSING]
        if not missing:
            return
        client = ctx.writer.client
        model_ids = {row["model"]: row["id"] for row in client.search_read(
            "ir.model", [("model", "in", sorted({planned.model for planned in missing}))], ["model"])}
        for planned in missing:
            if planned.model not in model_ids:
                planned.status_reason = f"Odoo has no model {planned.model}; install the module that provides it"
        missing = [planned for planned in missing if planned.model in model_ids]
        writer = OdooWriter(client, client.schema(["ir.model.fields"]))
        result = writer.load("ir.model.fields", [planned.xmlid_name for planned in missing],
                             [planned.ir_values(model_ids[planned.model]) for planned in missing])
        for index, planned in enumerate(missing):
            if index in result.ids:
                planned.status, planned.status_reason, planned.odoo_id = CREATED, "", result.ids[index]
            else:
                planned.status_reason = f"Odoo rejected it: {result.rejects.get(index, 'no reason given')}"
                log.warning("Odoo rejected the custom field %s.%s: %s", planned.model, planned.name,
                            planned.status_reason)
        log.info("created %d of %d missing custom fields", len(result.ids), len(missing))
        client.clear_cache()
        fresh = client.schema(sorted({planned.model for planned in plan.fields}))
        ctx.schema = ctx.schema.merged(fresh)
        ctx.writer.schema = ctx.schema

    @staticmethod
    def _ensure_option_tags(plan, ctx) -> None:
        """Create the tags of multi-select options, so records can link them."""
        for planned in plan.fields:
            if planned.ttype == "many2many" and planned.writable and planned.definition.options:
                ensure_named(ctx, plan_module.TAG_NAMESPACES[planned.model], set(planned.definition.options))

    def _ensure_views(self, plan, ctx) -> None:
        """Add the fields Odoo has to its contact and opportunity forms, through one inherited view each."""
        client = ctx.writer.client
        stats = ctx.stats_for("form views")
        writer = None
        for model, (name, parent) in FORM_VIEWS.items():
            fields = [planned for planned in plan.fields if planned.model == model and not planned.redirected
                      and planned.status in (EXISTS, CREATED)]
            if not fields:
                continue
            stats["read"] += 1
            parent_id = _xmlid_res_id(client, parent)
            if parent_id is None:
                stats["skipped"] += 1
                ctx.record(Operation("form views", name, "skip", "ir.ui.view",
                                     reason=f"Odoo has no view {parent}, so the fields were not added to a form"))
                continue
            arch = plan_module.view_arch(fields)
            # NOTE: the arch's `//notebook` path matches the standard forms of Odoo 17 and 19 as far as
            # known; the test server does not apply it, so a real server's check was not run here.
            existing_id = _xmlid_res_id(client, f"{MODULE}.{name}")
            if existing_id is not None:
                current = client.call("ir.ui.view", "read", [existing_id], ["arch"])
                # NOTE: if Odoo stores the arch reformatted, this never matches and each run updates the view.
                if current and current[0].get("arch") == arch:
                    stats["skipped"] += 1
                    ctx.record(Operation("form views", name, "skip", "ir.ui.view", existing_id,
                                         reason="unchanged since the last run"))
                    continue
            writer = writer or OdooWriter(client, client.schema(["ir.ui.view"]))
            values = {"name": f"{model}.form.allegory", "model": model, "inherit_id": parent_id, "type": "form",
                      "mode": "extension", "priority": 99, "arch": arch}
            result = writer.load("ir.ui.view", [name], [values])
            if 0 in result.ids:
                action = "update" if existing_id is not None else "create"
                stats[action + "d"] += 1
                ctx.record(Operation("form views", name, action, "ir.ui.view", result.ids[0],
                                     reason=f"inherits {parent}: page {plan_module.PAGE_TITLE!r}",
                                     xmlid=name, identity_kind="view"))
            else:
                stats["rejected"] += 1
                ctx.record(Operation("form views", name, "reject", "ir.ui.view",
                                     reason=f"Odoo rejected it: {result.rejects.get(0, 'no reason given')}"))


def _add_to_schema(ctx, fields) -> None:
    by_model: dict[str, dict[str, FieldSpec]] = {}
    for planned in fields:
        specs = by_model.setdefault(planned.model, ctx.schema.fields(planned.model))
        specs[planned.name] = FieldSpec(
            name=planned.name, type=planned.ttype, readonly=planned.readonly, relation=planned.relation,
            selection=tuple(key for key, _label in planned.selection) if planned.selection else None,
            string=planned.label,
        )
    if by_model:
        ctx.schema = ctx.schema.merged(Schema(by_model, source=ctx.schema.source))
        ctx.writer.schema = ctx.schema


def _xmlid_res_id(client, xmlid: str) -> int | None:
    module, name = xmlid.split(".", 1)
    rows = client.search_read("ir.model.data", [("module", "=", module), ("name", "=", name)], ["res_id"])
    return rows[0]["res_id"] if rows else None


def _cell_text(value) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if value is None else str(value).strip() or None
