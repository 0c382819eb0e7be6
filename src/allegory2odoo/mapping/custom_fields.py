"""Allegory custom field definitions in Odoo's terms: field types, `x_` names, selection keys, values.

Pure functions and small records, with no Odoo connection: the plan layer
decides against the server which of these fields exist and which to create.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allegory2odoo.export.kinds import normalise_header
from allegory2odoo.mapping import transforms as t
from allegory2odoo.model.records import Origin

# Odoo uses a field's name as a PostgreSQL column name, which is at most 63 bytes long.
MAX_FIELD_NAME = 63
FIELD_PREFIX = "x_allegory_"
STAGE_FIELD_PREFIX = "x_allegory_entered_"
SECONDARY_COMPANIES_FIELD = "x_migration_secondary_companies"
MULTISELECT_MODES = ("text", "tags")
MULTISELECT_SEPARATOR = "; "

# Allegory object -> Odoo model of its records.
OBJECT_MODELS = {"company": "res.partner", "contact": "res.partner", "deal": "crm.lead"}
_OBJECT_SPELLINGS = {
    "company": "company", "companies": "company", "account": "company", "accounts": "company",
    "organisation": "company", "organization": "company",
    "contact": "contact", "contacts": "contact", "person": "contact", "people": "contact",
    "deal": "deal", "deals": "deal", "matter": "deal", "matters": "deal", "opportunity": "deal",
}

# Allegory type, spelled as `type_key` reduces it -> canonical Allegory type.
_TYPE_SPELLINGS = {
    "text": "text", "singlelinetext": "text", "string": "text", "shorttext": "text", "url": "text",
    "email": "text", "phone": "text",
    "longtext": "long_text", "textarea": "long_text", "multilinetext": "long_text", "paragraph": "long_text",
    "number": "decimal", "decimal": "decimal", "float": "decimal", "currency": "decimal", "money": "decimal",
    "amount": "decimal", "percent": "decimal", "percentage": "decimal",
    "integer": "integer", "int": "integer", "wholenumber": "integer",
    "picklist": "picklist", "dropdown": "picklist", "select": "picklist", "singleselect": "picklist",
    "multiselect": "multiselect", "multiselectpicklist": "multiselect", "multipicklist": "multiselect",
    "checkboxes": "multiselect",
    "date": "date",
    "datetime": "datetime", "timestamp": "datetime",
    "checkbox": "checkbox", "boolean": "checkbox", "yesno": "checkbox", "bool": "checkbox",
    "richtext": "rich_text", "html": "rich_text",
    "formula": "formula", "calculated": "formula", "computed": "formula",
}

# Canonical Allegory type -> Odoo ttype; multi-select depends on the run's option.
_TTYPES = {
    "text": "char", "long_text": "text", "decimal": "float", "integer": "integer", "picklist": "selection",
    "date": "date", "datetime": "datetime", "checkbox": "boolean", "rich_text": "html",
}


class DefinitionError(ValueError):
    """A custom field definition that cannot become an Odoo field; the message is the reason."""


@dataclass(frozen=True)
class CustomFieldDef:
    """One custom field as the Allegory export defines it."""

    source_id: str
    origin: Origin
    object: str  # company, contact or deal
    key: str  # the header of the value column in the object's file
    label: str
    type: str  # canonical Allegory type, see _TYPE_SPELLINGS
    options: tuple[str, ...] = ()
    formula: str | None = None
    result_type: str | None = None  # canonical type of a formula's result
    required: bool = False

    @property
    def column(self) -> str:
        """The key under which the export reader keeps this column in `record.extra`."""
        return normalise_header(self.key)


@dataclass(frozen=True)
class StageEntry:
    """One row of the stage history: a deal entered a stage at a moment (naive UTC)."""

    source_id: str
    origin: Origin
    deal_id: str
    stage_id: str
    entered_at: object  # datetime, naive UTC
    left_at: object = None


def type_key(text: str) -> str:
    """Reduce a type spelling to letters: `Multi-select pick-list` -> `multiselectpicklist`."""
    return re.sub(r"[^a-z]", "", text.lower())


def canonical_type(text: str | None) -> str:
    """Return the canonical Allegory type of a spelling; raise DefinitionError for an unknown one."""
    found = _TYPE_SPELLINGS.get(type_key(text or ""))
    if found is None:
        known = "text, number, decimal, integer, picklist, multiselect, date, datetime, checkbox, rich_text, formula"
        raise DefinitionError(f"the type {text!r} is not an Allegory field type; use one of {known}")
    return found


def canonical_object(text: str | None) -> str:
    found = _OBJECT_SPELLINGS.get((text or "").strip().lower())
    if found is None:
        raise DefinitionError(f"the object {text!r} is not contact, company or deal")
    return found


def odoo_ttype(field_type: str, multiselect_as: str = "text", result_type: str | None = None) -> str:
    """Return the Odoo `ttype` of a canonical Allegory type.

    A multi-select becomes a `many2many` to tags when `multiselect_as` is
    "tags", else a `text` of its values joined by "; ". A formula takes the
    type of its result, and a formula whose result is a multi-select is kept
    as text, since a copied tag list would not be recomputed either.
    """
    if field_type == "formula":
        if result_type in (None, "formula"):
            return "char"
        if result_type == "multiselect":
            return "text"
        return odoo_ttype(result_type, multiselect_as)
    if field_type == "multiselect":
        return "many2many" if multiselect_as == "tags" else "text"
    return _TTYPES[field_type]


def ascii_slug(text: str) -> str:
    """Return `text` as lower-case `[a-z0-9_]`, accents folded: `Zoë's Area` -> `zoe_s_area`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", folded.lower())).strip("_")


def field_name(key: str, prefix: str = FIELD_PREFIX) -> str:
    """Return the `x_` field name of a custom field key, cut to PostgreSQL's 63 characters.

    Raise DefinitionError when nothing of the key is left after cleaning.
    """
    slug = ascii_slug(key)
    if not slug:
        raise DefinitionError(f"the key {key!r} has no letter or digit to build a field name from")
    return (prefix + slug)[:MAX_FIELD_NAME].rstrip("_")


def selection_pairs(options: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return (key, label) pairs for pick-list options: keys cleaned, unique and in option order.

    The same options always give the same keys, so a rerun matches the field
    it created. An option with nothing left after cleaning is keyed `value_<n>`,
    and a key already taken gets `_2`, `_3`... appended.
    """
    return list(zip(unique_keys(options, "value"), options))


def unique_keys(labels, fallback: str) -> list[str]:
    """Return one selection key per label: cleaned to lower-case ASCII, unique, in label order.

    A label with nothing left after cleaning is keyed `<fallback>_<position>`,
    and a key already taken gets `_2`, `_3`... appended, so the same labels
    always give the same keys.
    """
    keys: list[str] = []
    taken: set[str] = set()
    for position, label in enumerate(labels, start=1):
        base = ascii_slug(label)[:60] or f"{fallback}_{position}"
        key, suffix = base, 2
        while key in taken:
            key = f"{base}_{suffix}"
            suffix += 1
        taken.add(key)
        keys.append(key)
    return keys


def split_options(value: object) -> tuple[str, ...]:
    """Split pick-list options or a multi-select cell on `;` (and line breaks), without blanks or repeats."""
    if value is None:
        return ()
    seen: dict[str, None] = {}
    for part in re.split(r"[;\n]", str(value)):
        text = part.strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def match_option(value: str, options: tuple[str, ...]) -> str | None:
    """Return the option a cell value names, compared without case and outer spaces, or None."""
    wanted = value.strip().casefold()
    return next((option for option in options if option.strip().casefold() == wanted), None)


def convert_value(ttype: str, value: object, source_tz: ZoneInfo, date_order: str) -> object:
    """Convert one cell to the Python value of an Odoo field of `ttype`; raise TransformError when it does not fit.

    Selection and many2many values are matched against the field's options by the caller.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if ttype in ("char", "text"):
        return t.clean_text(value)
    if ttype == "html":
        return t.text_to_html(value)
    if ttype == "integer":
        return t.parse_int(value)
    if ttype == "float":
        money = t.parse_amount(value)
        return float(money.amount) if money is not None else None
    if ttype == "boolean":
        return t.parse_bool(value)
    if ttype == "date":
        return t.parse_date(value, date_order)
    if ttype == "datetime":
        return t.parse_datetime(value, source_tz, date_order)
    raise ValueError(f"convert_value does not handle the ttype {ttype!r}")


def build_definition(row) -> CustomFieldDef:
    """Build a custom field definition from a `custom_fields` row; raise DefinitionError with the reason."""
    values = row.values
    origin = Origin(row.file, row.row)
    key = t.clean_text(values.get("key"))
    if key is None:
        raise DefinitionError("the required column 'key' is empty; give the header of the value column")
    label = t.clean_text(values.get("label")) or key
    field_type = canonical_type(t.clean_text(values.get("type")))
    result_type = None
    if field_type == "formula":
        raw_result = t.clean_text(values.get("result_type"))
        result_type = canonical_type(raw_result) if raw_result else "text"
    try:
        required = t.parse_bool(values.get("required")) or False
    except t.TransformError as error:
        raise DefinitionError(f"the column 'required': {error}") from None
    source_id = t.clean_text(values.get("id")) or f"{values.get('object')}:{key}"
    return CustomFieldDef(
        source_id=str(source_id),
        origin=origin,
        object=canonical_object(t.clean_text(values.get("object"))),
        key=key,
        label=label,
        type=field_type,
        options=split_options(values.get("options")),
        formula=t.clean_text(values.get("formula")),
        result_type=result_type,
        required=required,
    )


def build_stage_entry(row, source_tz: ZoneInfo, date_order: str) -> StageEntry:
    """Build one stage history entry; raise DefinitionError naming the column that is missing or invalid."""
    values = row.values
    origin = Origin(row.file, row.row)
    deal_id = _identifier(values.get("deal_id"))
    stage_id = _identifier(values.get("stage_id"))
    for column, found in (("deal_id", deal_id), ("stage_id", stage_id)):
        if found is None:
            raise DefinitionError(f"the required column {column!r} is empty")
    moments = {}
    for column in ("entered_at", "left_at"):
        try:
            moments[column] = t.parse_datetime(_blank_to_none(values.get(column)), source_tz, date_order)
        except t.TransformError as error:
            raise DefinitionError(f"the column {column!r}: {error}") from None
    if moments["entered_at"] is None:
        raise DefinitionError("the required column 'entered_at' is empty")
    source_id = _identifier(values.get("id")) or f"{deal_id}@{stage_id}@{moments['entered_at']:%Y%m%d%H%M%S}"
    return StageEntry(source_id, origin, deal_id, stage_id, moments["entered_at"], moments["left_at"])


def _identifier(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return t.clean_text(value)


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value
