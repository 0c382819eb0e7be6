"""The custom field plan: which `x_` fields the run writes, whether Odoo has them, and their values.

The plan is made before companies are loaded. It lists one field per valid
custom field definition, one datetime field per stage named in the stage
history, the text field of a contact's secondary companies and, when pipelines
are shared, the selection field of a deal's pipeline. Each field is
then marked as already in Odoo, created by this run, or missing, and only
fields that Odoo has (or would have, in a dry run that creates them) get
values. Every value left out is named in a note on its record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from allegory2odoo.export.kinds import KINDS, header_key
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.plan.pipelines import PIPELINE_FIELD, PIPELINE_FIELD_LABEL, pipeline_keys, pipeline_selection

# Allegory object -> export kind of its records.
OBJECT_KINDS = {"company": "companies", "contact": "contacts", "deal": "deals"}
TAG_MODELS = {"res.partner": "res.partner.category", "crm.lead": "crm.tag"}
TAG_NAMESPACES = {"res.partner": "partner_tag", "crm.lead": "deal_tag"}

# The form each model's fields are added to: model -> (our view's external ID name, inherited view).
FORM_VIEWS = {
    "res.partner": ("view_partner_form_allegory", "base.view_partner_form"),
    "crm.lead": ("view_crm_lead_form_allegory", "crm.crm_lead_view_form"),
}
PAGE_TITLE = "Migrated from Allegory"

# Field status values.
EXISTS = "already in Odoo"
CREATED = "created by this run"
PLANNED = "would be created (dry run)"
MISSING = "not in Odoo"
CONFLICT = "in Odoo with another type"


@dataclass
class PlannedField:
    """One `x_` field of the plan, with what the run found out about it in Odoo."""

    model: str
    name: str
    ttype: str
    label: str
    help: str
    origin_kind: str  # custom, formula, stage, secondary or pipeline
    definition: cf.CustomFieldDef | None = None
    selection: list[tuple[str, str]] | None = None  # (key, label) pairs of a selection field
    relation: str | None = None
    readonly: bool = False
    status: str = MISSING
    status_reason: str = ""
    odoo_id: int | None = None
    redirected: bool = False  # the approved mapping sends the values to this existing field, not a new one

    @property
    def xmlid_name(self) -> str:
        return f"field_{self.model.replace('.', '_')}_{self.name}"

    @property
    def writable(self) -> bool:
        return self.status in (EXISTS, CREATED, PLANNED)

    @property
    def relation_table(self) -> str | None:
        """A many2many's own table, so two tag fields of one model do not share Odoo's default table."""
        if self.ttype != "many2many":
            return None
        table = f"x_{self.model.replace('.', '_')}_{self.name[2:]}_rel"
        if len(table) > cf.MAX_FIELD_NAME:
            # A digest of the full name keeps two long names that share their first characters apart.
            digest = hashlib.sha1(table.encode()).hexdigest()[:8]
            table = table[: cf.MAX_FIELD_NAME - 13].rstrip("_") + f"_{digest}_rel"
        return table

    def selection_text(self) -> str:
        """Return the `selection` value of ir.model.fields: a Python list literal of (key, label) pairs, which Odoo parses."""
        return "[" + ", ".join(f"({key!r}, {label!r})" for key, label in self.selection or []) + "]"

    def ir_values(self, model_id: int) -> dict:
        """Return the ir.model.fields values that create this field."""
        values = {
            "name": self.name, "field_description": self.label, "model_id": model_id, "ttype": self.ttype,
            "readonly": self.readonly, "required": False, "store": True, "help": self.help,
        }
        if self.ttype == "selection":
            values["selection"] = self.selection_text()
        if self.ttype == "many2many":
            values.update({
                "relation": self.relation, "relation_table": self.relation_table,
                "column1": f"{self.model.replace('.', '_')}_id", "column2": f"{self.relation.replace('.', '_')}_id",
            })
        return values


@dataclass
class RejectedDefinition:
    source_id: str | None
    file: str | None
    row: int | None
    reason: str


@dataclass
class CustomFieldPlan:
    """The planned fields of a run, and the values it wrote or left out."""

    fields: list[PlannedField] = field(default_factory=list)
    rejected: list[RejectedDefinition] = field(default_factory=list)
    multiselect_as: str = "text"
    pipeline_keys: dict[str, str] = field(default_factory=dict)  # pipeline source ID -> key of the pipeline field

    def by_object(self, object_kind: str) -> list[PlannedField]:
        model = cf.OBJECT_MODELS[object_kind]
        return [planned for planned in self.fields
                if planned.definition is not None and planned.definition.object == object_kind and planned.model == model]

    def find(self, model: str, name: str) -> PlannedField | None:
        return next((planned for planned in self.fields if planned.model == model and planned.name == name), None)

    def stage_field(self, stage_id: str) -> PlannedField | None:
        return self.find("crm.lead", stage_field_name(stage_id))

    def pipeline_field(self) -> PlannedField | None:
        return self.find("crm.lead", PIPELINE_FIELD)


def stage_field_name(stage_id: str) -> str:
    return cf.field_name(stage_id, prefix=cf.STAGE_FIELD_PREFIX)


def plan_fields(definitions: list[cf.CustomFieldDef], stages: dict[str, str], *, secondary: bool,
                multiselect_as: str = "text", pipelines: list[tuple[str, str]] | None = None) -> CustomFieldPlan:
    """Plan one field per definition, per stage (source ID -> name) and for secondary companies.

    With `pipelines`, the (source ID, name) pairs of shared pipelines in file
    order, it also plans the selection field x_allegory_pipeline of crm.lead.

    A definition whose field name another field of the same model already
    takes, or whose key the export reads as a standard column, is rejected
    with the reason.
    """
    if multiselect_as not in cf.MULTISELECT_MODES:
        raise ValueError(f"multiselect_as must be one of {', '.join(cf.MULTISELECT_MODES)}, not {multiselect_as!r}")
    plan = CustomFieldPlan(multiselect_as=multiselect_as)
    taken: dict[tuple[str, str], str] = {}  # (model, name) -> what took it

    def take(planned: PlannedField, owner: str) -> bool:
        slot = (planned.model, planned.name)
        if slot in taken:
            return False
        taken[slot] = owner
        plan.fields.append(planned)
        return True

    if pipelines:
        plan.pipeline_keys = pipeline_keys(pipelines)
        take(PlannedField("crm.lead", PIPELINE_FIELD, "selection", PIPELINE_FIELD_LABEL,
                          "Migrated from Allegory: the deal's pipeline, because every pipeline shares one sales team.",
                          "pipeline", selection=pipeline_selection(pipelines)), "the pipeline field")
    if secondary:
        take(PlannedField("res.partner", cf.SECONDARY_COMPANIES_FIELD, "text", "Secondary companies (Allegory)",
                          "Migrated from Allegory: the contact's other companies, one per line, with their Allegory ID.",
                          "secondary"), "the secondary companies field")
    for stage_id, stage_name in stages.items():
        take(PlannedField("crm.lead", stage_field_name(stage_id), "datetime", f"Entered {stage_name}",
                          f"Migrated from Allegory: when the deal entered the stage {stage_name} ({stage_id}), in UTC.",
                          "stage", readonly=True), f"the stage field of {stage_id!r}")
    for definition in definitions:
        try:
            planned = _plan_definition(definition, multiselect_as)
        except cf.DefinitionError as error:
            plan.rejected.append(RejectedDefinition(definition.source_id, definition.origin.file,
                                                    definition.origin.row, str(error)))
            continue
        slot = (planned.model, planned.name)
        if slot in taken:
            plan.rejected.append(RejectedDefinition(
                definition.source_id, definition.origin.file, definition.origin.row,
                f"its field name {planned.name} on {planned.model} is already taken by {taken[slot]}; "
                "give the custom field another key"))
            continue
        take(planned, f"custom field {definition.source_id!r} ({definition.key!r})")
    return plan


def _plan_definition(definition: cf.CustomFieldDef, multiselect_as: str) -> PlannedField:
    kind = OBJECT_KINDS[definition.object]
    standard = KINDS[kind].header_map().get(header_key(definition.key))
    if standard is not None:
        raise cf.DefinitionError(f"the key {definition.key!r} is read as the standard column {standard!r} of "
                                 f"{kind}, so its values never reach the custom field; rename the column")
    model = cf.OBJECT_MODELS[definition.object]
    ttype = cf.odoo_ttype(definition.type, multiselect_as, definition.result_type)
    is_formula = definition.type == "formula"
    help_text = f"Migrated from Allegory: custom field {definition.key!r} of {kind} ({definition.source_id})."
    if is_formula:
        help_text += (" A read-only copy of the value Allegory computed"
                      + (f" with the formula {definition.formula}" if definition.formula else "")
                      + "; Odoo does not recompute it.")
    planned = PlannedField(model, cf.field_name(definition.key), ttype, definition.label, help_text,
                           "formula" if is_formula else "custom", definition=definition, readonly=is_formula)
    if ttype == "selection":
        if not definition.options:
            # A pick-list without options cannot become a selection field, so its values are kept as text.
            planned.ttype = "char"
            planned.help += " Allegory gave no options for this pick-list, so it is kept as text."
        else:
            planned.selection = cf.selection_pairs(definition.options)
    if ttype == "many2many":
        planned.relation = TAG_MODELS[model]
    return planned


def view_arch(fields: list[PlannedField]) -> str:
    """Return the arch of the inherited form view that shows `fields` on a page of the form's notebook."""
    lines = [
        "<data>",
        '  <xpath expr="//notebook" position="inside">',
        f'    <page string="{PAGE_TITLE}" name="allegory_migration">',
        '      <group name="allegory_fields">',
    ]
    for planned in fields:
        widget = ' widget="many2many_tags"' if planned.ttype == "many2many" else ""
        lines.append(f'        <field name="{planned.name}"{widget}/>')
    lines += ["      </group>", "    </page>", "  </xpath>", "</data>"]
    return "\n".join(lines)
