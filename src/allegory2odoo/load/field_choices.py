"""The mapping file's field choices, applied to the values of companies, contacts and deals.

A step builds its values under the fields that mapping/targets.py names.
Before they are checked and sent, the value of each column that the approved
mapping sends elsewhere moves to the chosen field, or is dropped when the
mapping sets `not migrated`. Each extra column sent to an existing field adds
its cell, read as that field's type. See plan/applied.py for the choices.
"""

from __future__ import annotations

from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping.transforms import TransformError

# Types read with another type's reader.
_READ_AS = {"monetary": "float"}


def apply_choices(kind: str, model: str, record, values: dict, notes: list[str], ctx) -> dict:
    """Return the values with the mapping's field choices for `kind` applied; add a note per value left out."""
    choices = ctx.options.choices
    if not choices.fields:
        return values
    for choice in choices.standard(kind):
        default = next((name for name in choice.proposed if name in values), None)
        if default is None:
            continue
        value = values.pop(default)
        if choice.chosen is None:
            continue
        if ctx.schema.field(model, choice.chosen) is None:
            notes.append(f"{choice.column} not written: {model}.{choice.chosen} is not in the bundled schema")
            continue
        values[choice.chosen] = value
    for choice in choices.extra(kind):
        value, note = _extra_value(choice, model, record.extra.get(choice.column), ctx)
        if note:
            notes.append(note)
        else:
            values[choice.chosen] = value
    return values


def _extra_value(choice, model: str, raw, ctx) -> tuple[object, str | None]:
    """Return an extra column's cell as the value of its chosen field, or a note on why it is left out."""
    spec = ctx.schema.field(model, choice.chosen)
    if spec is None:
        return None, f"{choice.column} not written: {model}.{choice.chosen} is not in the bundled schema"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return (False if spec.type == "boolean" else None), None
    if spec.type == "selection":
        text = str(raw).strip()
        keys = {key.lower(): key for key in spec.selection or ()}
        if text.lower() in keys:
            return keys[text.lower()], None
        return None, (f"{choice.column} {text!r} not written: it is not a key of {model}.{choice.chosen} "
                      f"({', '.join(spec.selection or ())})")
    mapping = ctx.options.mapping
    try:
        return cf.convert_value(_READ_AS.get(spec.type, spec.type), raw, mapping.source_tz, mapping.date_order), None
    except TransformError as error:
        return None, f"{choice.column} {raw!r} not written to {model}.{choice.chosen}: {error}"
