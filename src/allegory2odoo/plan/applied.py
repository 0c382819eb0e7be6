"""The reviewer's choices in a mapping file's column entries (headers, fields, value maps) that a migration follows.

The proposal writes, for every column, the column the reader takes it for,
the Odoo field it lands in and, for pick-lists, a value map. A reviewer may
change them, and the run follows the file:

- `column`: the header is read as that column (export/headers.py), for a
  header the reader took for the wrong column.
- `field` of a standard column marked editable in mapping/targets.py, or of
  a custom field column: `not migrated`, or another field of the same
  model and type, which gets the value instead of the proposed field.
- `field` of a column that is neither a column of its kind nor a custom
  field: an existing field of a simple type (text, number, yes/no, date),
  which gets the cell's value.
- `values` of a deal status, an activity type or a custom pick-list.

`mapping_choices` checks what it can without Odoo and `check_fields`
checks the chosen fields against the connected Odoo's schema. Each error
names the line of the mapping file and what to write instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from allegory2odoo.export.kinds import KINDS
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping.targets import ACTIVITY_TYPE, ACTIVITY_TYPE_XMLIDS, DEAL_STATUS, target_of
from allegory2odoo.plan.mapping_file import MappingFile, MappingFileError, line_finder
from allegory2odoo.plan.proposal import EXTERNAL_ID, NOT_MIGRATED

# The kinds whose columns may be sent to other fields, and the model of their records.
RECORD_MODELS = {"companies": "res.partner", "contacts": "res.partner", "deals": "crm.lead"}
DEAL_STATUS_KEYS = ("open", "won", "lost")
# Field types that an extra column (no kind's column, no custom field) can fill. Its cells are read as that type.
SIMPLE_TYPES = ("char", "text", "html", "integer", "float", "monetary", "boolean", "date", "datetime", "selection")
# The similarity (0 to 100, rapidfuzz's ratio) above which an unknown field name is taken for a typo.
TYPO_SCORE = 85
# Types that contain the same values, so a value may move from one to the other.
_ALIKE = ({"float", "monetary"}, {"char", "text"})


@dataclass(frozen=True)
class FieldChoice:
    """A column whose value the mapping sends to another field than the proposal, or nowhere."""

    kind: str
    column: str
    model: str
    proposed: tuple[str, ...]  # the field names that count as unchanged; empty for a column of no known kind
    chosen: str | None  # None: not migrated
    where: str  # file:line:column of the entry's field in the mapping file
    custom: cf.CustomFieldDef | None = None  # the definition, for a custom field column

    def describe(self) -> str:
        return f"the {self.kind} column {self.column!r}"


@dataclass(frozen=True)
class MappingChoices:
    """The reviewer's choices a run follows; empty for a run without a mapping file."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> {header: column}
    fields: tuple[FieldChoice, ...] = ()
    deal_statuses: dict[str, str | None] | None = None  # lower-case source value -> open, won, lost or None
    activity_types: dict[str, str] | None = None  # lower-case source value -> call, email, meeting or task
    option_values: dict[tuple[str, str], dict[str, str | None]] = field(default_factory=dict)  # (kind, column) ->

    def standard(self, kind: str) -> list[FieldChoice]:
        return [choice for choice in self.fields if choice.kind == kind and choice.custom is None and choice.proposed]

    def extra(self, kind: str) -> list[FieldChoice]:
        """Return the choices that send a column of no known kind to an existing field."""
        return [choice for choice in self.fields if choice.kind == kind and not choice.proposed
                and choice.chosen is not None]

    def custom_target(self, kind: str, column: str) -> str | None:
        """Return the existing field a custom field column goes to instead of its own `x_allegory_` field."""
        for choice in self.fields:
            if choice.custom is not None and choice.kind == kind and choice.column == column:
                return choice.chosen
        return None

    def drops(self, kind: str, column: str) -> bool:
        """Return whether the mapping sets a standard column of `kind` to not migrated."""
        return any(choice.kind == kind and choice.column == column and choice.chosen is None
                   for choice in self.standard(kind))

    def chosen_fields(self, model: str) -> list[str]:
        return sorted({choice.chosen for choice in self.fields if choice.model == model and choice.chosen})


NO_CHOICES = MappingChoices()


def header_columns(mapping: MappingFile) -> dict[str, dict[str, str]]:
    """Return, per file, the column each header is read as."""
    return {entry.file: {column.header: column.column for column in entry.columns} for entry in mapping.files}


def mapping_choices(mapping: MappingFile, path: Path,
                    definitions: dict[tuple[str, str], cf.CustomFieldDef]) -> MappingChoices:
    """Return the choices of a mapping file; raise MappingFileError naming the line of a choice the load cannot follow.

    `definitions` are the export's custom field definitions by (kind, column).
    """
    check_headers(mapping, path)
    line_of = line_finder(path)
    problems: list[str] = []
    fields: list[FieldChoice] = []
    statuses = types = None
    options: dict[tuple[str, str], dict[str, str | None]] = {}
    for file_index, entry in enumerate(mapping.files):
        for index, column in enumerate(entry.columns):
            loc = ("files", file_index, "columns", index)
            choice = _field_choice(entry.kind, column, line_of, loc, definitions, problems,
                                   mapping.options.multiselect_as)
            if choice is not None:
                fields.append(choice)
            if column.values is None:
                continue
            target = target_of(entry.kind, column.column) if column.column in KINDS[entry.kind].columns else None
            def where(source, loc=loc):
                return line_of(loc + ("values", source))

            if target is not None and target.value_kind == DEAL_STATUS:
                statuses = _deal_statuses(column.values, where, problems)
            elif target is not None and target.value_kind == ACTIVITY_TYPE:
                types = _activity_types(column.values, where, problems)
            elif (entry.kind, column.column) in definitions:
                # A column sent to an existing field maps to that field's keys, checked against Odoo later.
                options[(entry.kind, column.column)] = _option_values(
                    definitions[(entry.kind, column.column)], column.values, where,
                    problems if choice is None else [])
    _raise(path, problems)
    return MappingChoices(header_columns(mapping), tuple(fields), statuses, types, options)


def check_headers(mapping: MappingFile, path: Path) -> None:
    """Raise MappingFileError when two headers of a file are read as one column, or none as a required one.

    Checked before the export is opened with the mapping's columns, which fails on either.
    """
    line_of = line_finder(path)
    problems = []
    for file_index, entry in enumerate(mapping.files):
        seen: dict[str, int] = {}
        for index, column in enumerate(entry.columns):
            if column.column in seen:
                where = line_of(("files", file_index, "columns", index, "column"))
                problems.append(f"{where}: {column.header!r} is read as {column.column!r}, like "
                                f"{entry.columns[seen[column.column]].header!r}; give each header its own column")
            seen.setdefault(column.column, index)
        for column in KINDS[entry.kind].required:
            if column not in seen:
                problems.append(f"{line_of(('files', file_index, 'columns'))}: no header of {entry.file!r} is "
                                f"read as the required column {column!r}; set `column: {column}` on the header "
                                "that holds it")
    _raise(path, problems)


def _raise(path: Path, problems: list[str]) -> None:
    if problems:
        raise MappingFileError(f"{path}: {len(problems)} choice(s) the migration cannot follow; fix them and "
                               "approve the mapping again:\n" + "\n".join(f"  {line}" for line in problems))


def _field_choice(kind, column, line_of, loc, definitions, problems, multiselect_as: str) -> FieldChoice | None:
    where = line_of(loc + ("field",))
    name = column.column
    if name in KINDS[kind].columns:
        target = target_of(kind, name)
        if target is None:
            return None
        proposed = _proposed_fields(name, target)
        if column.field in proposed:
            return None
        if kind not in RECORD_MODELS or not target.editable:
            original = " or ".join(repr(value) for value in proposed if value is not None) or "null"
            problems.append(f"{where}: the field of the {kind} column {name!r} cannot be changed ({target.how}); "
                            f"write {original} back")
            return None
        if column.model not in (None, target.model):
            problems.append(f"{line_of(loc + ('model',))}: the {kind} column {name!r} lands on "
                            f"{target.model}, not {column.model}; write {target.model} back")
            return None
        chosen = None if column.field == NOT_MIGRATED else column.field
        return FieldChoice(kind, name, target.model, tuple(v for v in proposed if v), chosen, where)

    definition = definitions.get((kind, name))
    if definition is not None:
        proposed = cf.field_name(definition.key)
        if column.field in (proposed, NOT_MIGRATED):
            return None  # `not migrated` is applied through skipped_custom_columns
        model = cf.OBJECT_MODELS[definition.object]
        if column.field in (None, EXTERNAL_ID):
            problems.append(f"{where}: a custom field column goes to {proposed}, to an existing field of {model} "
                            f"or nowhere; write {proposed}, a field name or {NOT_MIGRATED!r}")
            return None
        if column.field.startswith(cf.FIELD_PREFIX):
            problems.append(f"{where}: {column.field!r} is not the field of this custom column; write {proposed} "
                            f"(the field the migration creates for it), an existing field, or {NOT_MIGRATED!r}")
            return None
        if cf.odoo_ttype(definition.type, multiselect_as, definition.result_type) == "many2many":
            problems.append(f"{where}: a multi-select kept as tags needs its own field {proposed}; write it back, "
                            f"or set options.multiselect_as: text to send the values to a text field")
            return None
        return FieldChoice(kind, name, model, (proposed,), column.field, where, custom=definition)

    if column.field in (None, NOT_MIGRATED):
        return None
    if kind not in RECORD_MODELS or column.field == EXTERNAL_ID:
        problems.append(f"{where}: the column {name!r} of {kind} has no place in Odoo; write {NOT_MIGRATED!r} "
                        "(only the extra columns of companies, contacts and deals can go to an existing field)")
        return None
    model = RECORD_MODELS[kind]
    if column.model not in (None, model):
        problems.append(f"{line_of(loc + ('model',))}: the records of {kind} are {model}, not "
                        f"{column.model}; write model: {model}")
        return None
    return FieldChoice(kind, name, model, (), column.field, where)


def _proposed_fields(name: str, target) -> tuple[str | None, ...]:
    """Return the `field` values that leave a standard column as the proposal has it.

    Null counts as unchanged: the proposal writes it where the schema at hand
    has none of the target's fields.
    """
    if not target.migrated:
        return (NOT_MIGRATED,)
    if not target.fields:
        return (EXTERNAL_ID, None)
    return target.fields + (("phone",) if name == "mobile" else ()) + (None,)


def _deal_statuses(values, where, problems) -> dict[str, str | None]:
    result = {}
    for source, status in values.items():
        if status is not None and status not in DEAL_STATUS_KEYS:
            problems.append(f"{where(source)}: the deal status {source!r} maps to {status!r}; write open, won or lost "
                            "(or null to reject its deals)")
        result[str(source).strip().lower()] = status
    return result


def _activity_types(values, where, problems) -> dict[str, str]:
    kinds = {xmlid: kind for kind, xmlid in ACTIVITY_TYPE_XMLIDS.items()}
    result = {}
    for source, xmlid in values.items():
        if xmlid not in kinds:
            problems.append(f"{where(source)}: the activity type {source!r} maps to {xmlid!r}; write one of "
                            f"{', '.join(sorted(kinds))}")
            continue
        result[str(source).strip().lower()] = kinds[xmlid]
    return result


def _option_values(definition: cf.CustomFieldDef, values, where, problems) -> dict[str, str | None]:
    """Check a custom pick-list's value map: each value maps to one of the field's keys (or options), or null."""
    if definition.type == "multiselect":
        allowed = list(definition.options)
    else:
        allowed = [key for key, _label in cf.selection_pairs(definition.options)]
    result = {}
    for source, target in values.items():
        if target is not None and target not in allowed:
            problems.append(f"{where(source)}: {source!r} maps to {target!r}, which is not an option of "
                            f"{definition.label!r}; write one of {', '.join(allowed)}, or null to leave it empty")
        result[str(source).strip()] = target
    return result


def check_fields(choices: MappingChoices, schema, multiselect_as: str, *, known_only: bool = False) -> None:
    """Raise MappingFileError when a chosen field is not in Odoo, is read-only or has another type.

    With `known_only` (a bundled profile instead of a live schema), a field
    the schema does not have is let through. The exception is a name close
    enough to a known field's to be a typo of it, unless it starts with x_.
    """
    problems = []
    for choice in choices.fields:
        if choice.chosen is None:
            continue
        spec = schema.field(choice.model, choice.chosen)
        if spec is None:
            guess = _nearest_field(schema, choice.model, choice.chosen)
            if known_only and (guess is None or choice.chosen.startswith("x_")):
                continue  # may be a field of the server, added by a module or by hand
            hint = f"did you mean {guess!r}? " if guess else ""
            scope = "the bundled schema" if known_only else "this Odoo"
            problems.append(f"{choice.where}: {choice.model} has no field {choice.chosen!r} in {scope}; {hint}write "
                            f"an existing field, or {NOT_MIGRATED!r}")
            continue
        if spec.readonly:
            problems.append(f"{choice.where}: {choice.model}.{choice.chosen} is read-only; choose a field the "
                            "migration can write")
            continue
        expected = _expected_type(choice, schema, multiselect_as)
        if expected is None:
            if spec.type not in SIMPLE_TYPES:
                problems.append(f"{choice.where}: {choice.model}.{choice.chosen} is {_a(spec.type)} field, which a "
                                f"column of cells cannot fill; choose a field of type {', '.join(SIMPLE_TYPES)}")
            continue
        ttype, relation = expected
        alike = ttype == spec.type if choice.custom is not None else _alike(ttype, spec.type)
        if not alike or (relation and spec.relation != relation):
            expected_type = ttype + (f" to {relation}" if relation else "")
            actual_type = spec.type + (f" to {spec.relation}" if spec.relation else "")
            problems.append(f"{choice.where}: {choice.model}.{choice.chosen} is {_a(actual_type)} field, but "
                            f"{choice.describe()} contains {expected_type} values; choose {_a(expected_type)} field")
        elif choice.custom is not None and spec.type == "selection":
            keys = _selection_keys(choice, choices)
            missing = sorted(keys - set(spec.selection or ()))
            if missing:
                problems.append(f"{choice.where}: {choice.model}.{choice.chosen} has no key {', '.join(missing)}; "
                                f"map the values to its keys ({', '.join(spec.selection or ())}) in the values "
                                "of this column")
    if problems:
        raise MappingFileError("the mapping sends values to fields that cannot take them:\n"
                               + "\n".join(f"  {line}" for line in problems))


def _selection_keys(choice: FieldChoice, choices: MappingChoices) -> set[str]:
    """Return the keys a custom pick-list column writes: its value map's, else its options' own keys."""
    chosen = choices.option_values.get((choice.kind, choice.column))
    if chosen:
        return {key for key in chosen.values() if key is not None}
    return {key for key, _label in cf.selection_pairs(choice.custom.options)}


def _expected_type(choice: FieldChoice, schema, multiselect_as: str) -> tuple[str, str | None] | None:
    if choice.custom is not None:
        definition = choice.custom
        return cf.odoo_ttype(definition.type, multiselect_as, definition.result_type), None
    if not choice.proposed:
        return None
    for name in choice.proposed:
        spec = schema.field(choice.model, name)
        if spec is not None:
            return spec.type, spec.relation
    return None


def _nearest_field(schema, model: str, name: str) -> str | None:
    """Return the field of `model` whose name is closest to `name`, when it is close enough to be a typo of it."""
    found = process.extractOne(name, list(schema.fields(model)), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
    return found[0] if found else None


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _alike(first: str, second: str) -> bool:
    return first == second or any(first in group and second in group for group in _ALIKE)
