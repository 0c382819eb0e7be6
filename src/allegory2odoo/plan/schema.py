"""The schema plan: what Odoo must have before records move, as a checklist an administrator can follow.

It lists the pipelines (one `crm.team` each), their stages, the tags of the
tags file and the custom fields the export defines. When the mapping shares
the pipelines, it lists the one shared team in place of a team per pipeline,
the stages with the names and sequences they get in it, and the pipeline
field x_allegory_pipeline. With a connection it also
shows whether Odoo has each of them already. An item an earlier run created is
found by the tool's external ID; other teams and tags are found by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from allegory2odoo.load.identity import MODULE, xmlid_name
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping.records import BUILDERS, MappingOptions, RowError
from allegory2odoo.plan.applied import NO_CHOICES, MappingChoices
from allegory2odoo.plan.custom_fields import OBJECT_KINDS, plan_fields
from allegory2odoo.plan.pipelines import (
    DEFAULT_SHARED_TEAM,
    PER_TEAM,
    SHARED,
    SHARED_TEAM_IDENTITY,
    SHARED_TEAM_SOURCE_ID,
    shared_stages,
)

NOT_CHECKED = "not checked (no connection)"
TO_CREATE = "to create"


@dataclass
class SchemaItem:
    kind: str  # team (shared by the pipelines), pipeline, stage, deal tag, contact tag, custom field
    name: str
    model: str
    details: str
    status: str = NOT_CHECKED
    source_id: str | None = None


@dataclass
class SchemaPlan:
    items: list[SchemaItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows that could not be read, with their place

    def to_create(self) -> list[SchemaItem]:
        return [item for item in self.items if item.status == TO_CREATE]


def build_schema_plan(export, options: MappingOptions, client=None, *, pipelines_layout: str = PER_TEAM,
                      shared_team: str | None = None, multiselect_as: str = "text",
                      skipped_columns: frozenset[tuple[str, str]] = frozenset(),
                      choices: MappingChoices = NO_CHOICES) -> SchemaPlan:
    """Plan what Odoo needs for the export.

    The keyword arguments are the mapping's: its pipeline layout, how
    multi-selects are kept, the custom field columns it leaves out and the
    columns it sends to existing fields.
    """
    plan = SchemaPlan()
    pipelines = _records(export, "pipelines", options, plan)
    stages = _records(export, "stages", options, plan)
    tags = _records(export, "tags", options, plan)
    pipeline_names = {pipeline.source_id: pipeline.name for pipeline in pipelines}
    pairs = list(pipeline_names.items())
    shared = shared_stages(pairs, stages) if pipelines_layout == SHARED else None

    if shared is not None:
        plan.items.append(SchemaItem("team", shared_team or DEFAULT_SHARED_TEAM, "crm.team",
                                     f"one sales team with opportunities for the {len(pairs)} pipelines",
                                     source_id=SHARED_TEAM_SOURCE_ID))
    else:
        for pipeline in pipelines:
            plan.items.append(SchemaItem("pipeline", pipeline.name, "crm.team", "a sales team with opportunities",
                                         source_id=pipeline.source_id))
    for stage in sorted(stages, key=lambda s: (s.pipeline_id, s.sequence, s.source_id)):
        if stage.is_lost:
            plan.problems.append(f"stage {stage.name!r} ({stage.source_id}) is a lost stage: Odoo archives lost "
                                 "deals with a lost reason instead, so it is not created")
            continue
        name, sequence = stage.name, stage.sequence
        if shared is not None and stage.source_id in shared:
            name, sequence = shared[stage.source_id].name, shared[stage.source_id].sequence
        flags = ", ".join(flag for flag, on in (("won", stage.is_won), ("folded", stage.is_folded)) if on)
        details = f"pipeline {pipeline_names.get(stage.pipeline_id, stage.pipeline_id)}, sequence {sequence}"
        plan.items.append(SchemaItem("stage", name, "crm.stage", details + (f", {flags}" if flags else ""),
                                     source_id=stage.source_id))
    for tag in tags:
        if tag.scope in ("deal", "all"):
            plan.items.append(SchemaItem("deal tag", tag.name, "crm.tag", f"colour {tag.color}", source_id=tag.source_id))
        if tag.scope in ("contact", "company", "all"):
            plan.items.append(SchemaItem("contact tag", tag.name, "res.partner.category", f"colour {tag.color}",
                                         source_id=tag.source_id))

    definitions = [definition for definition in _custom_field_definitions(export, plan)
                   if (OBJECT_KINDS[definition.object], definition.column) not in skipped_columns]
    field_plan = plan_fields(definitions, _history_stages(export), secondary="associations" in export.kinds(),
                             multiselect_as=multiselect_as, pipelines=pairs if shared is not None else None)
    for planned in field_plan.fields:
        details = f"{planned.ttype}, label {planned.label!r}" + (", read-only" if planned.readonly else "")
        definition = planned.definition
        chosen = definition and choices.custom_target(OBJECT_KINDS[definition.object], definition.column)
        if chosen:
            details = f"an existing field: the mapping sends the column {definition.column!r} here"
            planned.name = chosen
        if planned.origin_kind == "pipeline":
            details += ", options " + "; ".join(f"{key}: {label}" for key, label in planned.selection)
        plan.items.append(SchemaItem("custom field", planned.name, planned.model, details))
    for rejected in field_plan.rejected:
        plan.problems.append(f"custom field {rejected.source_id}: {rejected.reason}")

    if client is not None:
        _check_in_odoo(plan, client)
    return plan


def _records(export, kind: str, options: MappingOptions, plan: SchemaPlan) -> list:
    if kind not in export.kinds():
        return []
    records = []
    for row in export.rows(kind):
        try:
            records.append(BUILDERS[kind](row, options))
        except RowError as error:
            plan.problems.append(str(error))
    return records


def _custom_field_definitions(export, plan: SchemaPlan) -> list:
    if "custom_fields" not in export.kinds():
        return []
    definitions = []
    for row in export.rows("custom_fields"):
        try:
            definitions.append(cf.build_definition(row))
        except (RowError, ValueError) as error:
            plan.problems.append(str(error))
    return definitions


def _history_stages(export) -> dict[str, str]:
    """Return source ID -> name of the stages the stage history names, as the custom fields step plans them."""
    from allegory2odoo.load.steps.custom_fields import CustomFieldsStep

    return CustomFieldsStep._history_stages(SimpleNamespace(export=export, options=SimpleNamespace(mapping=MappingOptions())))


_NAMESPACES = {"pipeline": "pipeline", "team": SHARED_TEAM_IDENTITY, "stage": "stage", "deal tag": "deal_tag",
               "contact tag": "partner_tag"}


def _check_in_odoo(plan: SchemaPlan, client) -> None:
    ours = {row["name"] for row in client.search_read("ir.model.data", [("module", "=", MODULE)], ["name"])}
    names: dict[str, set[str]] = {}
    for model in ("crm.team", "crm.tag", "res.partner.category"):
        rows = client.search_read(model, [], ["name"], context={"active_test": False})
        names[model] = {str(row["name"]).lower() for row in rows if row.get("name")}
    fields: dict[str, set[str]] = {}
    for model in ("res.partner", "crm.lead"):
        fields[model] = {row["name"] for row in client.search_read("ir.model.fields", [("model", "=", model)], ["name"])}
    for item in plan.items:
        namespace = _NAMESPACES.get(item.kind)
        if namespace and item.source_id and xmlid_name(namespace, item.source_id) in ours:
            item.status = "in Odoo (created by an earlier run)"
        elif item.kind == "custom field":
            item.status = "in Odoo" if item.name in fields.get(item.model, set()) else TO_CREATE
        elif item.model in names and item.name.lower() in names[item.model]:
            item.status = "in Odoo (same name: it will be used)" if item.model != "crm.team" else (
                "a team of the same name exists; the migration creates a team of its own")
        else:
            item.status = TO_CREATE


def render_schema_checklist(plan: SchemaPlan, target: str) -> str:
    lines = [
        "# Schema checklist",
        "",
        f"What Odoo needs before the migration moves records, checked against {target}.",
        "`allegory2odoo schema apply` creates the items marked \"to create\"; an administrator",
        "can also create them by hand, in Odoo's CRM configuration (teams, stages, tags) and",
        "in Settings > Technical > Fields (custom fields, with developer mode on).",
        "",
    ]
    for kind in ("team", "pipeline", "stage", "deal tag", "contact tag", "custom field"):
        items = [item for item in plan.items if item.kind == kind]
        if not items:
            continue
        lines += [f"## {kind.capitalize()}s", "", "| | name | Odoo model | details | status |", "| --- | --- | --- | --- | --- |"]
        for item in items:
            box = "[ ]" if item.status in (TO_CREATE, NOT_CHECKED) else "[x]"
            lines.append(f"| {box} | {_cell(item.name)} | `{item.model}` | {_cell(item.details)} | {item.status} |")
        lines.append("")
    if plan.problems:
        lines += ["## Not in the plan", ""] + [f"- {_cell(problem)}" for problem in plan.problems] + [""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
