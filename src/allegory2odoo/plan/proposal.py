"""Propose the field-level mapping of an export: where each source column lands in Odoo, and why.

The proposal reads each file's header and streams its rows once, keeping a
bounded sample of each column. It decides per column from three things. The
header is a canonical column of its kind or one of its spellings (see
export/kinds.py). The sample values parse as the column's type or not. The
target field exists in the Odoo schema at hand or not. A column
that a custom field definition names becomes that `x_allegory_` field. Any
other column is proposed as not migrated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from allegory2odoo.export import open_export
from allegory2odoo.export.headers import trim_header
from allegory2odoo.export.kinds import KINDS, header_key
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping import transforms as t
from allegory2odoo.mapping.records import MappingOptions, RowError, build_user
from allegory2odoo.mapping.targets import (
    ACTIVITY_TYPE,
    ACTIVITY_TYPE_VALUES,
    DEAL_STATUS,
    DEAL_STATUS_VALUES,
    Target,
    target_of,
)
from allegory2odoo.odoo import Schema
from allegory2odoo.plan.custom_fields import OBJECT_KINDS
from allegory2odoo.plan.pipelines import DEFAULT_SHARED_TEAM, PER_TEAM
from allegory2odoo.plan.owners import OwnerResolver, OwnerSetupError, fetch_internal_users

NOT_MIGRATED = "not migrated"
EXTERNAL_ID = "external ID"
UNMATCHED = "UNMATCHED"
NOT_CHECKED = "not checked"
# The owner report's row for records that name no owner, which the load rejects unless a fallback is set.
NO_OWNER = "(no owner)"

# Bounds of what one column keeps while the rows stream past.
SAMPLE_SIZE = 200  # non-empty values checked against the column's type
MAX_DISTINCT = 200  # distinct values kept for a values map; beyond it the map is marked incomplete
MAX_OWNERS = 10_000

MODELS = (
    "res.partner", "res.partner.category", "res.partner.industry", "res.users", "crm.team", "crm.stage",
    "crm.tag", "crm.lead", "crm.lost.reason", "mail.message", "mail.activity", "ir.attachment",
)
OWNER_COLUMNS = {"companies": "owner", "contacts": "owner", "deals": "owner", "activities": "owner",
                 "notes": "author"}

# Transforms whose values the sample is checked against, with the words the reason uses.
_DATE_TRANSFORMS = {"parse_date", "parse_datetime"}
_NUMBER_TRANSFORMS = {"parse_amount", "parse_percent", "parse_int"}


@dataclass
class ColumnSample:
    """The part of one column kept from the stream: fill count, a bounded sample and the distinct values."""

    filled: int = 0
    sample: list = field(default_factory=list)
    distinct: Counter = field(default_factory=Counter)
    distinct_complete: bool = True

    def add(self, value) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        self.filled += 1
        if len(self.sample) < SAMPLE_SIZE:
            self.sample.append(value)
        text = str(value).strip()
        if text in self.distinct or len(self.distinct) < MAX_DISTINCT:
            self.distinct[text] += 1
        else:
            self.distinct_complete = False


@dataclass
class ColumnProposal:
    header: str
    column: str  # the canonical column, or the normalised header of a column of no known kind
    model: str | None
    field: str | None  # an Odoo field name, NOT_MIGRATED, EXTERNAL_ID, or None (used, not a field of its own)
    confidence: float
    reason: str
    values: dict[str, str | None] | None = None  # source value -> Odoo key, record or option; None when unknown
    unknown_values: dict[str, str] | None = None  # source value -> why it has no Odoo value


@dataclass
class FileProposal:
    file: str
    kind: str
    rows: int
    columns: list[ColumnProposal]


@dataclass
class OwnerProposal:
    allegory: str
    records: int
    odoo_user: str  # login of the matched user, UNMATCHED, or NOT_CHECKED offline
    assigned: str  # login the records get, UNMATCHED when none, or NOT_CHECKED offline


@dataclass
class Proposal:
    export: str
    target: str
    files: list[FileProposal]
    owners: list[OwnerProposal]
    pipelines: str = PER_TEAM  # per_team or shared, see plan.pipelines
    shared_team: str = DEFAULT_SHARED_TEAM
    multiselect_as: str = "text"
    fallback_owner: str | None = None
    owner_problem: str | None = None  # why the fallback owner could not be checked, when it could not


def propose(export_path: str | Path, *, client=None, profile: str = "odoo19", fallback_owner: str | None = None,
            multiselect_as: str = "text", mapping: MappingOptions | None = None,
            export_options: dict | None = None, pipelines: str = PER_TEAM,
            shared_team: str = DEFAULT_SHARED_TEAM) -> Proposal:
    """Propose the mapping of every column of every file of the export at `export_path`.

    With a connected `client`, target fields are checked against its live
    schema (`fields_get`) and owners against its users. Without one, fields
    are checked against the bundled schema `profile`, and owners are not checked.
    """
    mapping = mapping or MappingOptions()
    if client is not None:
        schema = client.schema(list(MODELS))
        target = f"Odoo {client.version.serie} at {client.settings.url}"
    else:
        schema = Schema.from_profile(profile)
        target = f"the bundled {profile} schema profile (no connection)"

    with open_export(export_path, **(export_options or {})) as export:
        definitions = custom_definitions(export)
        owner_counts: Counter = Counter()
        files = []
        for export_file in export.files():
            headers = original_headers(export_file)
            samples, rows = _sample_file(export, export_file, owner_counts)
            columns = [
                _propose_column(export_file.kind, header, name, samples[name], schema, definitions,
                                multiselect_as, mapping)
                for header, name in zip(headers, export_file._names)
            ]
            files.append(FileProposal(export_file.name, export_file.kind, rows, columns))
        owners, problem = owner_report(export, owner_counts, client, fallback_owner, mapping)

    return Proposal(str(export_path), target, files, owners, pipelines=pipelines, shared_team=shared_team,
                    multiselect_as=multiselect_as, fallback_owner=fallback_owner, owner_problem=problem)


# reading the export

def original_headers(export_file) -> list[str]:
    """Return the header cells of a file as written, one per column the reader named."""
    # NOTE: ExportFile keeps only the mapped names, so the header row is read again here.
    header: list = []
    records = export_file._records()
    try:
        for row_number, cells in records:
            if row_number == export_file._header_row:
                header = trim_header(cells)
                break
    finally:
        records.close()
    names = export_file._names
    header = header + [None] * (len(names) - len(header))
    return [text if text is not None else name for text, name in zip(header, names)]


def _sample_file(export, export_file, owner_counts: Counter) -> tuple[dict[str, ColumnSample], int]:
    samples = {name: ColumnSample() for name in export_file._names}
    owner_column = OWNER_COLUMNS.get(export_file.kind)
    rows = 0
    for row in export.rows(export_file.kind):  # an export has one file per kind
        rows += 1
        for name, value in row.values.items():
            samples[name].add(value)
        if owner_column:
            _count_owner(owner_counts, row.values.get(owner_column))
    return samples, rows


def custom_definitions(export) -> dict[tuple[str, str], cf.CustomFieldDef]:
    """Return the valid custom field definitions by (kind of their object, value column)."""
    found = {}
    for row in export.rows("custom_fields") if "custom_fields" in export.kinds() else ():
        try:
            definition = cf.build_definition(row)
        except cf.DefinitionError:
            continue  # the load rejects it with its reason; its column is proposed as not migrated
        found.setdefault((OBJECT_KINDS[definition.object], definition.column), definition)
    return found


# deciding one column

def _propose_column(kind: str, header: str, name: str, sample: ColumnSample, schema: Schema,
                    definitions: dict, multiselect_as: str, mapping: MappingOptions) -> ColumnProposal:
    target = target_of(kind, name) if name in KINDS[kind].columns else None
    if target is not None:
        return _standard_column(kind, header, name, target, sample, schema, mapping)
    definition = definitions.get((kind, name))
    if definition is not None:
        return _custom_column(header, name, definition, sample, schema, multiselect_as, mapping)
    return _unknown_column(header, name, sample, mapping)


def _standard_column(kind, header, name, target: Target, sample, schema, mapping) -> ColumnProposal:
    if header_key(header) == header_key(name):
        reasons = [f"header {header!r} is the {kind} column {name}"]
        confidence = 1.0
    else:
        reasons = [f"header {header!r} is a spelling of {name}"]
        confidence = 0.9

    reasons.append(target.how)
    if not target.migrated:
        field_name = NOT_MIGRATED
    elif not target.fields:
        field_name = EXTERNAL_ID if target.how.startswith("the record's identity") else None
    else:
        existing = [candidate for candidate in target.fields if schema.has(target.model, candidate)]
        field_name = existing[0] if existing else None
        if not existing and target.otherwise:
            field_name = "phone" if name == "mobile" else None
            reasons.append(target.otherwise)

    check, fits = _check_values(target.transform, sample, mapping)
    if check:
        reasons.append(check)
    if not fits:
        confidence = min(confidence, 0.5)
    proposal = ColumnProposal(header, name, target.model, field_name, confidence, "; ".join(reasons))
    if target.value_kind:
        _add_value_map(proposal, target.value_kind, sample)
    return proposal


def _custom_column(header, name, definition: cf.CustomFieldDef, sample, schema, multiselect_as,
                   mapping) -> ColumnProposal:
    model = cf.OBJECT_MODELS[definition.object]
    ttype = cf.odoo_ttype(definition.type, multiselect_as, definition.result_type)
    field_name = cf.field_name(definition.key)
    state = "already in Odoo" if schema.has(model, field_name) else "a new custom field"
    reasons = [f"custom field {definition.source_id} ({definition.label!r}, Allegory type {definition.type}) "
               f"defines the column {header!r}: {state} {field_name} of type {ttype}"]
    transform = {"date": "parse_date", "datetime": "parse_datetime", "float": "parse_amount",
                 "integer": "parse_int"}.get(ttype, "")
    check, fits = _check_values(transform, sample, mapping)
    if check:
        reasons.append(check)
    proposal = ColumnProposal(header, name, model, field_name, 0.95 if fits else 0.5, "; ".join(reasons))
    if definition.type in ("picklist", "multiselect") and definition.options:
        _add_option_map(proposal, definition, sample)
    return proposal


def _unknown_column(header, name, sample, mapping) -> ColumnProposal:
    reasons = ["no Odoo field fits and no custom field definition names this column: not migrated"]
    guess = _guess_type(sample, mapping)
    if guess:
        reasons.append(guess)
    if sample.filled:
        reasons.append("to keep it, add it to the custom fields file and run plan again")
    else:
        reasons.append("the column is empty")
    return ColumnProposal(header, name, None, NOT_MIGRATED, 0.8 if not sample.filled else 0.6, "; ".join(reasons))


# sample values

def _check_values(transform: str, sample: ColumnSample, mapping: MappingOptions) -> tuple[str | None, bool]:
    """Return a clause on how many sample values parse as the transform's type, and whether enough do."""
    values = sample.sample
    if not values:
        return ("the column is empty" if transform else None), True
    if transform in _DATE_TRANSFORMS:
        parsed, words = _count(values, lambda v: t.parse_datetime(v, mapping.source_tz, mapping.date_order)), "dates"
    elif transform in _NUMBER_TRANSFORMS:
        parsed, words = _count(values, _parse_number), "numbers"
    elif transform == "parse_bool":
        parsed, words = _count(values, _parse_bool), "yes/no values"
    elif transform == "normalise_email":
        parsed, words = sum(1 for value in values if "@" in str(value)), "email addresses"
    else:
        return None, True
    fits = parsed >= 0.9 * len(values)
    verb = "look like" if fits else "do not all look like"
    return f"values {verb} {words} ({parsed} of {len(values)} parse)", fits


def _count(values, parse) -> int:
    count = 0
    for value in values:
        try:
            if parse(value) is not None:
                count += 1
        except (t.TransformError, ValueError, TypeError, OverflowError):
            continue
    return count


def _parse_number(value):
    return t.parse_amount(value)


def _parse_bool(value):
    return t.parse_bool(value)


def _guess_type(sample: ColumnSample, mapping: MappingOptions) -> str | None:
    values = sample.sample
    if not values:
        return None
    for words, parse in (("numbers", _parse_number), ("yes/no values", _parse_bool),
                         ("dates", lambda v: t.parse_datetime(v, mapping.source_tz, mapping.date_order))):
        parsed = _count(values, parse)
        if parsed >= 0.9 * len(values):
            return f"values look like {words} ({parsed} of {len(values)} parse)"
    return f"text values, {len(sample.distinct)}{'' if sample.distinct_complete else '+'} distinct"


# values maps

def _add_value_map(proposal: ColumnProposal, value_kind: str, sample: ColumnSample) -> None:
    known = DEAL_STATUS_VALUES if value_kind == DEAL_STATUS else ACTIVITY_TYPE_VALUES
    allowed = "open, won or lost" if value_kind == DEAL_STATUS else "call, email, meeting or task"
    values: dict[str, str | None] = {}
    unknown: dict[str, str] = {}
    for text in sorted(sample.distinct):
        mapped = known.get(text.lower())
        values[text] = mapped
        if mapped is None:
            unknown[text] = f"not a {value_kind} the tool knows ({allowed}): its records are rejected"
    _finish_value_map(proposal, values, unknown, sample)


def _add_option_map(proposal: ColumnProposal, definition: cf.CustomFieldDef, sample: ColumnSample) -> None:
    multiselect = definition.type == "multiselect"
    keys = {label: key for key, label in cf.selection_pairs(definition.options)}
    seen: list[str] = []
    for text in sorted(sample.distinct):
        for value in (cf.split_options(text) if multiselect else (text,)):
            if value not in seen:
                seen.append(value)
    values: dict[str, str | None] = {}
    unknown: dict[str, str] = {}
    for value in seen:
        option = cf.match_option(value, definition.options)
        if option is None:
            values[value] = None
            unknown[value] = f"not among the options ({', '.join(definition.options)}): left empty"
        elif multiselect:
            values[value] = option  # a multi-select stores the option itself, as text or as a tag's name
        else:
            values[value] = keys[option]
    _finish_value_map(proposal, values, unknown, sample)


def _finish_value_map(proposal, values, unknown, sample: ColumnSample) -> None:
    proposal.values = values
    proposal.unknown_values = unknown or None
    if unknown:
        proposal.confidence = min(proposal.confidence, 0.7)
        proposal.reason += f"; {len(unknown)} of {len(values)} distinct values have no Odoo value"
    if not sample.distinct_complete:
        proposal.reason += f"; only the first {MAX_DISTINCT} distinct values are listed"


# owners

def owner_report(export, owner_counts: Counter, client, fallback_owner: str | None,
                 mapping: MappingOptions) -> tuple[list[OwnerProposal], str | None]:
    """Return every owner with its Odoo user and the user its records get, and a problem with the fallback.

    Offline, owners are listed as not checked.
    """
    export_users = {}
    for row in export.rows("users") if "users" in export.kinds() else ():
        try:
            user = build_user(row, mapping)
        except RowError:
            continue
        export_users.setdefault(user.source_id, user)
    ordered = sorted(_by_email(owner_counts, export_users).items(), key=lambda item: (-item[1], item[0]))
    if client is None:
        return [OwnerProposal(owner, count, NOT_CHECKED, NOT_CHECKED) for owner, count in ordered], None

    odoo_users = fetch_internal_users(client)
    logins = {user.id: user.login for user in odoo_users}
    problem = None
    try:
        resolver = OwnerResolver(odoo_users, export_users, fallback_owner)
    except OwnerSetupError as error:
        problem = str(error)
        resolver = OwnerResolver(odoo_users, export_users)

    owners = []
    for owner, count in ordered:
        match = resolver.resolve(None if owner == NO_OWNER else owner)
        assigned = logins.get(match.user_id, UNMATCHED) if match.user_id is not None else UNMATCHED
        own = assigned if match.reason is None else UNMATCHED
        owners.append(OwnerProposal(owner, count, own, assigned))
    return owners, problem


def _by_email(owner_counts: Counter, export_users: dict) -> Counter:
    """Return the counts with owners named by user ID counted under their email, so each owner has one row."""
    merged: Counter = Counter()
    for owner, count in owner_counts.items():
        user = export_users.get(owner) if "@" not in owner else None
        email = user.email if user is not None and user.email else owner
        merged[t.normalise_email(email) if "@" in email else email] += count
    return merged


def owner_counts_of(export) -> Counter:
    """Count the records of each owner named in the export's owner and author columns."""
    counts: Counter = Counter()
    for kind, column in OWNER_COLUMNS.items():
        for row in export.rows(kind) if kind in export.kinds() else ():
            _count_owner(counts, row.values.get(column))
    return counts


def _count_owner(counts: Counter, value) -> None:
    owner = t.clean_text(value) or NO_OWNER
    if owner in counts or len(counts) < MAX_OWNERS:
        counts[owner] += 1
