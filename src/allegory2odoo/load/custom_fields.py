"""Custom field values of companies, contacts and deals.

The export carries a custom field's values as an extra column of the record's
file. The custom field plan, when the run has one, turns them into `x_` field
values. Without a plan no custom value is written. A value that does not fit
its field (a pick-list value not among the options, a number that does not
parse) leaves the field empty and adds a note to the record. A field that Odoo
does not have is not written at all. The closing report counts both.
"""

from __future__ import annotations

from collections import Counter

from allegory2odoo.load.named import ensure_named
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping.transforms import TransformError
from allegory2odoo.plan.custom_fields import (
    CREATED,
    OBJECT_KINDS,
    TAG_MODELS,
    TAG_NAMESPACES,
    CustomFieldPlan,
    PlannedField,
)


def record_custom_values(object_kind: str, record, ctx) -> tuple[dict, list[str]]:
    """Return the `x_` field values of one record and notes for the ledger."""
    plan = getattr(ctx, "custom_field_plan", None)
    if plan is None:
        return {}, []
    return plan.values_for(object_kind, record, ctx)


def deal_pipeline_value(pipeline_id: str | None, ctx) -> tuple[dict, list[str]]:
    """Return the x_allegory_pipeline value of a deal in a shared-pipeline run, and notes for the ledger."""
    plan = getattr(ctx, "custom_field_plan", None)
    if plan is None:
        return {}, []
    return plan.pipeline_value(pipeline_id, ctx)


class CustomFieldValues:
    """The run's custom field plan, turning export cells into `x_` values and counting what it left out."""

    def __init__(self, plan: CustomFieldPlan):
        self.plan = plan
        self.written = 0
        self.unwritten: Counter = Counter()  # "missing field", "not an option" or "invalid value" -> values

    def values_for(self, object_kind: str, record, ctx) -> tuple[dict, list[str]]:
        """Return the `x_` values of one record and a note for every value left out."""
        values: dict = {}
        notes: list[str] = []
        for planned in self.plan.by_object(object_kind):
            raw = record.extra.get(planned.definition.column)
            blank = raw is None or (isinstance(raw, str) and not raw.strip())
            if not planned.writable:
                if not blank:
                    self.unwritten["missing field"] += 1
                    notes.append(f"custom field {planned.label!r} value {raw!r} not written: "
                                 f"{planned.model}.{planned.name} is {planned.status} ({planned.status_reason})")
                continue
            value, note = self._convert(planned, raw, ctx)
            if note:
                notes.append(note)
            elif not blank:
                self.written += 1
            values[planned.name] = value
        return values, notes

    def pipeline_value(self, pipeline_id: str | None, ctx) -> tuple[dict, list[str]]:
        """Return {x_allegory_pipeline: key} for a deal's pipeline, or no value and a note when it cannot be written."""
        planned = self.plan.pipeline_field()
        if planned is None:
            return {}, []
        if not planned.writable:
            if pipeline_id is None:
                return {}, []
            self.unwritten["missing field"] += 1
            return {}, [f"pipeline {pipeline_id!r} not written to {planned.name}: crm.lead.{planned.name} is "
                        f"{planned.status} ({planned.status_reason})"]
        if pipeline_id is None:
            return {planned.name: None}, []
        key = self.plan.pipeline_keys.get(pipeline_id)
        # NOTE: a field that is already in Odoo is not changed, so a pipeline added in a later export
        # gets no option there, and its deals are left empty with the note below.
        spec = ctx.schema.field(planned.model, planned.name)
        if key is None or (spec is not None and spec.selection is not None and key not in spec.selection):
            self.unwritten["not an option"] += 1
            return {planned.name: None}, [
                f"{planned.name} left empty: the Odoo field has no option for the pipeline {pipeline_id!r} (key "
                f"{key!r}); add that key to the field's selection values and run again"]
        self.written += 1
        return {planned.name: key}, []

    def _convert(self, planned: PlannedField, raw, ctx) -> tuple[object, str | None]:
        """Return a field's value, or None and a note when the cell does not fit the field."""
        described = f"custom field {planned.label!r} ({planned.name})"
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return ([] if planned.ttype == "many2many" else None), None
        if planned.ttype == "selection":
            return self._selection(planned, raw, ctx, described)
        if planned.definition is not None and planned.definition.type == "multiselect":
            return self._multiselect(planned, raw, ctx, described)
        mapping = ctx.options.mapping
        try:
            return cf.convert_value(planned.ttype, raw, mapping.source_tz, mapping.date_order), None
        except TransformError as error:
            self.unwritten["invalid value"] += 1
            return None, f"{described} left empty: {error}"

    def _selection(self, planned: PlannedField, raw, ctx, described: str) -> tuple[object, str | None]:
        chosen = _chosen_values(planned, ctx)
        if str(raw).strip() in chosen:
            key = chosen[str(raw).strip()]
            if key is None:
                self.unwritten["not an option"] += 1
                return None, f"{described} left empty: the mapping file maps {raw!r} to no value"
        else:
            labels = tuple(label for _key, label in planned.selection)
            key = {label: key for key, label in planned.selection}.get(cf.match_option(str(raw), labels))
        spec = ctx.schema.field(planned.model, planned.name)
        if key is not None and spec is not None and spec.selection is not None and key not in spec.selection:
            self.unwritten["not an option"] += 1
            return None, (f"{described} left empty: {raw!r} is an Allegory option, but the Odoo field has no key "
                          f"{key!r}; add it to the field's selection values")
        if key is None:
            self.unwritten["not an option"] += 1
            labels = ", ".join(label for _key, label in planned.selection)
            return None, f"{described} left empty: {raw!r} is not one of its options ({labels})"
        return key, None

    def _multiselect(self, planned: PlannedField, raw, ctx, described: str) -> tuple[object, str | None]:
        options = planned.definition.options
        chosen = _chosen_values(planned, ctx)
        known, unknown = [], []
        for value in cf.split_options(raw):
            if value in chosen:
                option = chosen[value]
            else:
                option = cf.match_option(value, options) if options else value
            if option is None:
                unknown.append(value)
            else:
                known.append(option)
        note = None
        if unknown:
            self.unwritten["not an option"] += len(unknown)
            note = (f"{described}: {', '.join(repr(value) for value in unknown)} "
                    f"{'is' if len(unknown) == 1 else 'are'} not among its options and left out")
        if planned.ttype != "many2many":
            return cf.MULTISELECT_SEPARATOR.join(known) or None, note

        tag_model = TAG_MODELS[planned.model]
        # Options are created as tags before the first record; a field without options creates its tags here.
        ensure_named(ctx, TAG_NAMESPACES[planned.model], {name for name in known
                                                          if ctx.reference.find_named(tag_model, name) is None})
        ids = [ctx.reference.find_named(tag_model, name) for name in known]
        return [tag_id for tag_id in ids if tag_id is not None], note

    def closing_notes(self, checklist_path) -> list[str]:
        """Return the lines the closing report shows about custom fields."""
        plan = self.plan
        lines = []
        created = [planned for planned in plan.fields if planned.status == CREATED]
        missing = [planned for planned in plan.fields if not planned.writable]
        if created:
            lines.append(f"{len(created)} custom fields were created in Odoo.")
        if plan.rejected:
            lines.append(f"{len(plan.rejected)} custom field definitions were rejected; the reasons are in the ledger.")
        if missing:
            names = ", ".join(f"{planned.model}.{planned.name}" for planned in missing[:5])
            lines.append(f"{len(missing)} custom fields are not in Odoo, so nothing was written to them: {names}"
                         + (" ..." if len(missing) > 5 else "") + ".")
        if self.unwritten["missing field"]:
            lines.append(f"{self.unwritten['missing field']} custom field values were not written because their field "
                         "does not exist in Odoo: run again with --create-custom-fields, or create the fields by hand "
                         "as the checklist says and run again.")
        if self.unwritten["not an option"]:
            count = self.unwritten["not an option"]
            lines.append(f"{_values(count, 'pick-list value')} not among their field's options and "
                         f"{'was' if count == 1 else 'were'} left empty; the note on each record in the ledger names "
                         "the value and the field.")
        if self.unwritten["invalid value"]:
            count = self.unwritten["invalid value"]
            lines.append(f"{_values(count, 'custom field value')} not be converted and {'was' if count == 1 else 'were'} "
                         "left empty; the note on each record in the ledger gives the reason.")
        if checklist_path is not None:
            lines.append(f"Checklist of the custom fields, for an administrator: {checklist_path}")
        return lines


def _chosen_values(planned: PlannedField, ctx) -> dict:
    """Return the approved mapping's value map of a custom pick-list: source value -> key or option, or None."""
    definition = planned.definition
    if definition is None:
        return {}
    return ctx.options.choices.option_values.get((OBJECT_KINDS[definition.object], definition.column), {})


def _values(count: int, noun: str) -> str:
    """Return `1 pick-list value is` or `3 pick-list values are`, and `... could` for conversions."""
    if noun == "custom field value":
        verb = "could"
    elif count == 1:
        verb = "is"
    else:
        verb = "are"
    plural = "" if count == 1 else "s"
    return f"{count} {noun}{plural} {verb}"
