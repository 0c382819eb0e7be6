"""The mapping file (`mapping.yaml`): written from a proposal, read back and validated with line numbers.

The file is YAML. Reading it parses the YAML once into data and once into
nodes, which keep the line and column of every value. A pydantic model then
validates the data, and each error is reported at the line and column of the
value it names, with what to do about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from allegory2odoo.export.kinds import KINDS
from allegory2odoo.plan.pipelines import DEFAULT_SHARED_TEAM, PER_TEAM
from allegory2odoo.plan.proposal import EXTERNAL_ID, NOT_MIGRATED, Proposal

FORMAT_VERSION = 1
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# A limit of this tool, to keep the name readable in Odoo's team selector; Odoo sets none.
MAX_TEAM_NAME = 100

HEADER = """\
# allegory2odoo mapping: where each column of the export lands in Odoo.
#
# Written by `allegory2odoo plan`. Review it, edit it if needed, then approve it:
#     allegory2odoo plan approve --mapping {mapping} {export}
# `allegory2odoo migrate` refuses to write until this file is approved, and again
# whenever the file or the export changes after the approval.
#
# What migrate applies from this file:
#   options.pipelines        per_team: one crm.team per pipeline, with its stages.
#                            shared: one crm.team, named by options.shared_team,
#                            contains every pipeline's stages and deals; a stage
#                            name that two pipelines share gets the pipeline's
#                            name as a prefix ("Litigation / Intake"), and the
#                            deal's pipeline is kept in the selection field
#                            x_allegory_pipeline (created with --create-custom-fields)
#   options.shared_team      the name of that one crm.team (shared only)
#   options.fallback_owner   the Odoo login or email that gets the records of
#                            owners without an Odoo user (--fallback-owner wins)
#   options.multiselect_as   text or tags: how multi-select custom fields are stored
#   options.existing_companies, options.existing_contacts
#                            link, update or create: what happens to a company or
#                            contact that Odoo already has (same email, VAT or name)
#   column                   the column a header is read as; fix it when the
#                            tool took a header for the wrong column
#   field                    of a custom field column: `not migrated` (no field,
#                            no values) or an existing field of the same type,
#                            written instead of a new x_allegory_ field.
#                            Of a standard column the tool lets you change
#                            (addresses, email, website, VAT, tags, industry,
#                            job title; a deal's amount, closing date,
#                            description, lost reason, tags): `not migrated`,
#                            or another field of the same type.
#                            Of any other column of companies, contacts or
#                            deals: an existing field of a simple type (text,
#                            number, yes/no, date, selection) gets its cells
#   values                   of a deal status (open, won, lost, or null to
#                            reject its deals), an activity type (an external
#                            ID of mail.activity.type listed here) or a custom
#                            pick-list (one of its keys, or null to leave empty)
# Approval rejects an edit that migrate cannot follow, and names its line.
# Migrate checks each chosen field against the connected Odoo before it writes.
# `model`, `confidence` and `reason` are for your review only.
#
# Each column entry:
#   header      the column's header in the file, as written
#   column      the column the tool reads it as (canonical name, or the header in snake_case)
#   model       the Odoo model it lands on
#   field       an Odoo field name, `not migrated`, `external ID` (the record's identity),
#               or null (used by the tool but not a field of its own; the reason explains how)
#   confidence  0 to 1: how sure the proposal is
#   reason      why it was proposed so
#   values      for pick-lists: each distinct source value -> Odoo key or record
#               (null: no Odoo value, and unknown_values gives the proposal's reason;
#               unknown_values is a note for review, which nothing reads)
"""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnEntry(_Strict):
    header: str
    column: str
    model: Optional[str] = None
    field: Optional[str] = None
    confidence: float = Field(ge=0, le=1)
    reason: str
    values: Optional[dict[str, Optional[str]]] = None
    unknown_values: Optional[dict[str, str]] = None

    @field_validator("field")
    @classmethod
    def _check_field(cls, value):
        if value is None or value in (NOT_MIGRATED, EXTERNAL_ID) or _FIELD_NAME.fullmatch(value):
            return value
        raise ValueError(f"{value!r} is not an Odoo field name; write a field name such as email, "
                         f"{NOT_MIGRATED!r} or {EXTERNAL_ID!r}")


class FileEntry(_Strict):
    file: str
    kind: Literal[tuple(KINDS)]  # type: ignore[valid-type]
    rows: Optional[int] = None
    columns: list[ColumnEntry]


class OwnerEntry(_Strict):
    allegory: str
    records: int = 0
    odoo_user: str
    assigned: str


class Options(_Strict):
    pipelines: Literal["per_team", "shared"] = PER_TEAM
    shared_team: str = DEFAULT_SHARED_TEAM
    multiselect_as: Literal["text", "tags"] = "text"
    fallback_owner: Optional[str] = None
    existing_companies: Literal["link", "update", "create"] = "link"
    existing_contacts: Literal["link", "update", "create"] = "link"

    @field_validator("shared_team")
    @classmethod
    def _check_shared_team(cls, value):
        name = value.strip()
        if not name:
            raise ValueError(f"the shared team needs a name; write one such as {DEFAULT_SHARED_TEAM!r}")
        if "\n" in name or "\r" in name:
            raise ValueError("the shared team's name must be on one line")
        if len(name) > MAX_TEAM_NAME:
            raise ValueError(f"the shared team's name has {len(name)} characters; write at most {MAX_TEAM_NAME}")
        return name


class MappingFile(_Strict):
    version: Literal[1]
    export: str
    odoo: str
    options: Options
    owners: list[OwnerEntry] = []
    files: list[FileEntry]

    def skipped_custom_columns(self) -> frozenset[tuple[str, str]]:
        """Return (kind, column) of the custom field columns set to `not migrated`."""
        return frozenset(
            (entry.kind, column.column) for entry in self.files for column in entry.columns
            if column.field == NOT_MIGRATED and entry.kind in ("companies", "contacts", "deals")
            and column.column not in KINDS[entry.kind].columns
        )


class MappingFileError(ValueError):
    """The mapping file cannot be read or is invalid; the message names the file, line and column."""


@dataclass(frozen=True)
class _Place:
    line: int
    column: int


# writing

def mapping_data(proposal: Proposal) -> dict:
    """Return the mapping file's content, as plain data, for a proposal."""
    files = []
    for file in proposal.files:
        columns = []
        for column in file.columns:
            entry = {"header": column.header, "column": column.column, "model": column.model, "field": column.field,
                     "confidence": round(column.confidence, 2), "reason": column.reason}
            if column.values is not None:
                entry["values"] = column.values
            if column.unknown_values:
                entry["unknown_values"] = column.unknown_values
            columns.append(entry)
        files.append({"file": file.file, "kind": file.kind, "rows": file.rows, "columns": columns})
    return {
        "version": FORMAT_VERSION,
        "export": proposal.export,
        "odoo": proposal.target,
        "options": {"pipelines": proposal.pipelines, "shared_team": proposal.shared_team,
                    "multiselect_as": proposal.multiselect_as,
                    "fallback_owner": proposal.fallback_owner, "existing_companies": "link",
                    "existing_contacts": "link"},
        "owners": [{"allegory": owner.allegory, "records": owner.records, "odoo_user": owner.odoo_user,
                    "assigned": owner.assigned} for owner in proposal.owners],
        "files": files,
    }


def write_mapping(proposal: Proposal, path: Path) -> None:
    """Write the proposal as a commented mapping file at `path`."""
    body = yaml.safe_dump(mapping_data(proposal), sort_keys=False, allow_unicode=True, width=4096)
    header = HEADER.format(mapping=path, export=proposal.export)
    path.write_text(header + "\n" + body, encoding="utf-8")


# reading

def load_mapping(path: Path) -> MappingFile:
    """Read and validate the mapping file at `path`; raise MappingFileError naming the line of each error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MappingFileError(f"{path}: the mapping file does not exist; write it with `allegory2odoo plan EXPORT "
                               f"--out {path}`") from None
    except (OSError, UnicodeDecodeError) as error:
        raise MappingFileError(f"{path}: cannot be read ({error})") from None
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise MappingFileError(f"{where}: invalid YAML: {problem}; fix the syntax at that place (indentation, "
                               "quotes, a missing ':'), or run `allegory2odoo plan` again") from None
    if not isinstance(data, dict):
        raise MappingFileError(f"{path}:1:1: the mapping file must be a YAML mapping with version, export, odoo, "
                               "options and files; run `allegory2odoo plan` again to write one")
    try:
        return MappingFile.model_validate(data)
    except ValidationError as error:
        raise MappingFileError(_describe(error, root, path)) from None


def _describe(error: ValidationError, root, path: Path) -> str:
    lines = [f"{path}: {error.error_count()} invalid value(s); fix them and run the command again:"]
    for item in error.errors():
        place = _place_of(root, item["loc"])
        where = f"{path}:{place.line}:{place.column}" if place else str(path)
        name = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key; remove it or check its spelling"
        elif item["type"] == "missing":
            message = "missing; add it"
        lines.append(f"  {where}: {name}: {message}")
    return "\n".join(lines)


def _place_of(root, loc) -> _Place | None:
    """Return the line and column (1-based) of the YAML node at a pydantic error location."""
    node = root
    best = node
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if key.value == str(part):
                    found = value
                    break
            if found is None:
                break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        best = node
    if best is None:
        return None
    return _Place(best.start_mark.line + 1, best.start_mark.column + 1)


def line_of(path: Path, loc: tuple) -> str:
    """Return `path:line:column` of the value at `loc` in a mapping file that parses, or just the path."""
    return line_finder(path)(loc)


def line_finder(path: Path):
    """Return a function of a location that gives its `path:line:column`; the file is parsed once."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return lambda loc: str(path)

    def find(loc: tuple) -> str:
        place = _place_of(root, loc)
        return f"{path}:{place.line}:{place.column}" if place else str(path)

    return find
