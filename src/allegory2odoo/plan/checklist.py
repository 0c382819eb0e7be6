"""The custom field checklist: a Markdown page an Odoo administrator can follow by hand.

It lists every planned field with its model, technical name, type, label,
selection values and read-only flag, states whether Odoo already has it, and
gives the inherited form views with their arch. Every run that writes and
plans a field writes it, whether or not the tool creates the fields itself.
A dry run writes it only to a path given with --checklist.
"""

from __future__ import annotations

from pathlib import Path

from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.plan.custom_fields import FORM_VIEWS, PAGE_TITLE, CustomFieldPlan, PlannedField, view_arch

MODEL_TITLES = {"res.partner": "Contacts and companies (`res.partner`)", "crm.lead": "Opportunities (`crm.lead`)"}
def render_checklist(plan: CustomFieldPlan, module: str) -> str:
    """Return the checklist of `plan` as Markdown; `module` is the external ID module of the views."""
    lines = [
        "# Custom fields for the Allegory migration",
        "",
        "Create each field below whose status is not \"already in Odoo\", then run the migration again.",
        "By hand (developer mode): Settings > Technical > Database Structure > Fields > New. Set the model,",
        "the technical name exactly as given (it starts with `x_`), the field type, the label and, for a",
        "selection, each value with its key. Tick Read-only where the list says so. Leave Required unticked:",
        "records already in Allegory may have no value. Then add the fields to the form views as the",
        "last section shows (Settings > Technical > User Interface > Views > New).",
        "",
    ]
    for model in ("res.partner", "crm.lead"):
        fields = [planned for planned in plan.fields if planned.model == model]
        if not fields:
            continue
        lines += [f"## {MODEL_TITLES[model]}", ""]
        lines += ["| # | label | technical name | type | selection values (key: label) | read-only | "
                  "from | status |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for number, planned in enumerate(fields, start=1):
            lines.append("| " + " | ".join((
                str(number), _cell(planned.label), f"`{planned.name}`", _type_text(planned),
                _cell(_selection_text(planned)), "yes" if planned.readonly else "no", _cell(_origin_text(planned)),
                _cell(_status_text(planned)),
            )) + " |")
        lines.append("")

    if plan.rejected:
        lines += ["## Definitions not migrated", ""]
        for rejected in plan.rejected:
            where = f"{rejected.file}, row {rejected.row}" if rejected.file else "the export"
            lines.append(f"- {rejected.source_id or '(no ID)'} ({where}): {rejected.reason}")
        lines.append("")

    lines += ["## Form views", ""]
    for model, (name, parent) in FORM_VIEWS.items():
        fields = [planned for planned in plan.fields if planned.model == model]
        if not fields:
            continue
        lines += [
            f"- `{module}.{name}`: a view of type form on `{model}` that inherits `{parent}`, mode extension,",
            f"  adding the page \"{PAGE_TITLE}\" with the fields above. Its arch:",
            "",
            "```xml",
            view_arch(fields),
            "```",
            "",
        ]
    return "\n".join(lines)


def write_checklist(path: Path, plan: CustomFieldPlan, module: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_checklist(plan, module), encoding="utf-8")


def _type_text(planned: PlannedField) -> str:
    if planned.ttype == "many2many":
        return f"many2many to `{planned.relation}`"
    return planned.ttype


def _selection_text(planned: PlannedField) -> str:
    if planned.selection:
        return "; ".join(f"`{key}`: {label}" for key, label in planned.selection)
    definition = planned.definition
    if definition is not None and definition.type == "multiselect" and definition.options:
        kind = "tags" if planned.ttype == "many2many" else f"values joined by {cf.MULTISELECT_SEPARATOR.strip()!r}"
        return f"{kind}: " + "; ".join(definition.options)
    return ""


def _origin_text(planned: PlannedField) -> str:
    definition = planned.definition
    if planned.origin_kind == "stage":
        return "Allegory stage history, in UTC"
    if planned.origin_kind == "pipeline":
        return "Allegory pipelines, which share one sales team: the deal's pipeline"
    if planned.origin_kind == "secondary":
        return "Allegory associations: the contact's other companies, one per line"
    text = f"{definition.source_id}, key {definition.key!r}, Allegory type {definition.type}"
    if planned.origin_kind == "formula":
        text += f" returning {definition.result_type}"
        if definition.formula:
            text += f" ({definition.formula})"
        text += "; a read-only copy of the value Allegory computed, which Odoo does not recompute"
    if definition.required:
        text += "; required in Allegory"
    return text


def _status_text(planned: PlannedField) -> str:
    return f"{planned.status}: {planned.status_reason}" if planned.status_reason else planned.status


def _cell(text: str) -> str:
    """Keep a table cell on one line and its pipes out of the table's structure."""
    return " ".join(str(text).split()).replace("|", "\\|")
