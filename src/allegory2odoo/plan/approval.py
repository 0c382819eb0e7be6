"""The approval of a mapping file, and the gate a writing migration passes before it starts.

`approve` validates the mapping and records, in a JSON file beside it
(`mapping.yaml` -> `mapping.approved.json`), the SHA-256 of the mapping file,
a content hash of the export with one hash per file, the time and the
approver. `check_gate` refuses a migration whose mapping is missing,
unapproved or changed since approval, whose export changed since approval,
or whose owners include one without an Odoo user while no fallback is set.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from allegory2odoo.export import open_export
from allegory2odoo.mapping.records import MappingOptions
from allegory2odoo.odoo import Schema
from allegory2odoo.plan.applied import (
    NO_CHOICES,
    MappingChoices,
    check_fields,
    check_headers,
    header_columns,
    mapping_choices,
)
from allegory2odoo.plan.mapping_file import MappingFile, MappingFileError, line_finder, load_mapping
from allegory2odoo.plan.pipelines import SHARED
from allegory2odoo.plan.proposal import (
    UNMATCHED,
    custom_definitions,
    original_headers,
    owner_counts_of,
    owner_report,
)

CHUNK_SIZE = 1 << 20
# The names `migrate` gives its ledger and checklist by default.
DEFAULT_LEDGER = "allegory2odoo-ledger.sqlite"
DEFAULT_CHECKLIST = "custom-fields-checklist.md"


class GateError(ValueError):
    """A migration may not start. The message gives the reason and what to do."""


def approval_path(mapping_path: Path) -> Path:
    """Return the approval file of a mapping file: `mapping.yaml` -> `mapping.approved.json`."""
    return mapping_path.with_name(mapping_path.stem + ".approved.json")


def approve_command_text(mapping_path: Path, export_path: Path) -> str:
    return f"allegory2odoo plan approve --mapping {mapping_path} {export_path}"


# hashing

def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_hashes(export_path: Path, exclude: tuple[Path, ...] = ()) -> dict[str, str]:
    """Return the SHA-256 of every file of a folder or .zip export, by its path inside the export, streamed.

    Files listed in `exclude` are left out: the mapping, its approval and the
    files a run writes (ledger, checklist), when they sit in the export folder.
    """
    hashes: dict[str, str] = {}
    if export_path.is_dir():
        skipped = {path.resolve() for path in exclude}
        for path in sorted(export_path.rglob("*")):
            if path.is_file() and path.resolve() not in skipped:
                hashes[path.relative_to(export_path).as_posix()] = file_sha256(path)
        return hashes
    with zipfile.ZipFile(export_path) as archive:
        for info in sorted(archive.infolist(), key=lambda item: item.filename):
            if info.is_dir():
                continue
            digest = hashlib.sha256()
            with archive.open(info) as stream:
                for chunk in iter(lambda: stream.read(CHUNK_SIZE), b""):
                    digest.update(chunk)
            hashes[info.filename] = digest.hexdigest()
    return hashes


def combined_hash(hashes: dict[str, str]) -> str:
    """Return one hash of an export from its per-file hashes: names and contents, in a stable order."""
    digest = hashlib.sha256()
    for name in sorted(hashes):
        digest.update(name.encode("utf-8") + b"\0" + hashes[name].encode("ascii") + b"\n")
    return digest.hexdigest()


# approving

@dataclass(frozen=True)
class Approval:
    path: Path
    mapping_sha256: str
    export_sha256: str
    export_files: dict[str, str]
    approved_at: str
    approved_by: str


def approve(mapping_path: Path, export_path: Path, export_options: dict | None = None) -> Approval:
    """Validate the mapping and record its approval for this export; raise MappingFileError when invalid.

    The mapping must describe this export: the same files, with the same kinds and headers.
    """
    mapping = load_mapping(mapping_path)
    check_describes_export(mapping, mapping_path, export_path, export_options)
    choices = choices_of(mapping, mapping_path, export_path, export_options)
    # The types of the Odoo the mapping was proposed for; migrate checks the live schema again.
    check_fields(choices, Schema.for_version(_proposed_for(mapping)), mapping.options.multiselect_as,
                 known_only=True)
    files = export_hashes(export_path, exclude=_own_files(mapping_path))
    approval = Approval(
        path=approval_path(mapping_path),
        mapping_sha256=file_sha256(mapping_path),
        export_sha256=combined_hash(files),
        export_files=files,
        approved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        approved_by=os.environ.get("USER") or getpass.getuser(),
    )
    content = {
        "mapping": mapping_path.name, "mapping_sha256": approval.mapping_sha256,
        "export": str(export_path), "export_sha256": approval.export_sha256, "export_files": files,
        "approved_at": approval.approved_at, "approved_by": approval.approved_by,
    }
    approval.path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return approval


def check_describes_export(mapping: MappingFile, mapping_path: Path, export_path: Path,
                           export_options: dict | None = None) -> None:
    """Raise MappingFileError, naming the line, when the mapping's files, kinds or headers are not the export's."""
    redo = f"run `allegory2odoo plan {export_path}` to propose a mapping of this export"
    with open_export(export_path, **_reading(mapping, mapping_path, export_options)) as export:
        actual = {export_file.name: export_file for export_file in export.files()}
        listed = {entry.file for entry in mapping.files}
        line_of = line_finder(mapping_path)
        for index, entry in enumerate(mapping.files):
            where = line_of(("files", index, "file"))
            export_file = actual.get(entry.file)
            if export_file is None:
                raise MappingFileError(f"{where}: the mapping lists the file {entry.file!r}, which the export "
                                       f"{export_path} does not contain; {redo}")
            if export_file.kind != entry.kind:
                raise MappingFileError(f"{line_of(('files', index, 'kind'))}: the file {entry.file!r} "
                                       f"contains {export_file.kind}, not {entry.kind}; {redo}")
            headers = original_headers(export_file)
            if [column.header for column in entry.columns] != headers:
                raise MappingFileError(f"{where}: the columns listed for {entry.file!r} are not its headers "
                                       f"({', '.join(headers)}); list every header once, in file order, or {redo}")
        missing = sorted(set(actual) - listed)
        if missing:
            raise MappingFileError(f"{mapping_path}: the export's file(s) {', '.join(missing)} are not in the "
                                   f"mapping; {redo}")


def _proposed_for(mapping: MappingFile) -> int:
    """Return the major version of the Odoo a mapping was proposed for, from its `odoo` line; 19 when the line names none."""
    found = re.search(r"odoo ?(\d+)", mapping.odoo, re.IGNORECASE)
    return int(found.group(1)) if found else 19


def _reading(mapping: MappingFile, mapping_path: Path, export_options: dict | None) -> dict:
    """Return the options that open the export with its headers read as the mapping sets, once they are checked."""
    check_headers(mapping, mapping_path)
    return {**(export_options or {}), "columns": header_columns(mapping)}


def choices_of(mapping: MappingFile, mapping_path: Path, export_path: Path,
               export_options: dict | None = None) -> MappingChoices:
    """Return the mapping's choices for this export; raise MappingFileError naming the line of each it cannot follow."""
    with open_export(export_path, **_reading(mapping, mapping_path, export_options)) as export:
        definitions = custom_definitions(export)
    return mapping_choices(mapping, mapping_path, definitions)


def read_approval(mapping_path: Path) -> Approval | None:
    path = approval_path(mapping_path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        return Approval(path, content["mapping_sha256"], content["export_sha256"], dict(content["export_files"]),
                        content["approved_at"], content["approved_by"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GateError(f"the approval file {path} cannot be read ({error}); approve the mapping again with "
                        "`allegory2odoo plan approve`") from None


# the gate

@dataclass(frozen=True)
class GateResult:
    """The settings a migration takes from its mapping: its options, and the choices of its column entries."""

    mapping: MappingFile | None  # None for a dry run without a mapping file
    fallback_owner: str | None
    multiselect_as: str
    skipped_custom_columns: frozenset[tuple[str, str]]
    existing_companies: str = "link"
    existing_contacts: str = "link"
    choices: MappingChoices = NO_CHOICES
    pipelines: str = "per_team"  # per_team or shared, see plan.pipelines
    shared_team: str | None = None  # the one crm.team's name when pipelines is shared


def existing_policies(mapping: MappingFile | None, existing_companies: str | None,
                      existing_contacts: str | None, *, approved: bool) -> tuple[str, str]:
    """Return the policies for records already in Odoo: the command's, else the mapping's, else link.

    On an approved mapping a command option that differs from it is refused,
    because it changes what the migration writes.
    """
    chosen = []
    for option, given, kind in (("--existing-companies", existing_companies, "companies"),
                                ("--existing-contacts", existing_contacts, "contacts")):
        planned = getattr(mapping.options, f"existing_{kind}") if mapping is not None else None
        if approved and given is not None and given != planned:
            raise GateError(f"{option} {given} differs from the approved mapping's existing_{kind}: {planned}. "
                            "Drop the option, or change the mapping file and approve it again")
        chosen.append(given or planned or "link")
    return chosen[0], chosen[1]


def check_approval(mapping_path: Path, export_path: Path, run_files: tuple[Path, ...] = ()) -> MappingFile:
    """Return the approved mapping; raise GateError naming what is missing or changed, and what to do.

    `run_files` are the files the migration itself writes (its ledger and
    checklist). They are left out of the export's comparison, so a run
    started from inside the export folder can be resumed.
    """
    approve_text = approve_command_text(mapping_path, export_path)
    if not mapping_path.is_file():
        raise GateError(f"the mapping file {mapping_path} does not exist. Write it with `allegory2odoo plan "
                        f"{export_path} --out {mapping_path}`, review it, then run `{approve_text}`")
    approval = read_approval(mapping_path)
    if approval is None:
        raise GateError(f"the mapping file {mapping_path} is not approved ({approval_path(mapping_path)} does not "
                        f"exist). Review it, then run `{approve_text}`")

    problems = []
    if file_sha256(mapping_path) != approval.mapping_sha256:
        problems.append(f"the mapping file {mapping_path} changed since it was approved on {approval.approved_at} "
                        f"by {approval.approved_by}")
    excluded = _own_files(mapping_path) + tuple(run_files)
    files = export_hashes(export_path, exclude=excluded)
    skipped_names = set(export_hashes_names(export_path, excluded))
    approved_files = {name: digest for name, digest in approval.export_files.items() if name not in skipped_names}
    if files != approved_files:
        problems.append(f"the export {export_path} changed since the mapping was approved: "
                        + describe_changes(approved_files, files))
    if problems:
        raise GateError("; ".join(problems) + f". Review the mapping (run `allegory2odoo plan {export_path}` "
                        f"for a fresh proposal of a changed export), then run `{approve_text}`")
    return load_mapping(mapping_path)


def _own_files(mapping_path: Path) -> tuple[Path, ...]:
    """Return the files the plan writes, and those a migration writes by default in the current folder."""
    ledger = Path(DEFAULT_LEDGER)
    return (mapping_path, approval_path(mapping_path), *ledger_files(ledger), Path(DEFAULT_CHECKLIST))


def ledger_files(ledger: Path) -> tuple[Path, ...]:
    """Return a SQLite ledger and the files SQLite keeps beside it (write-ahead log, shared memory, journal)."""
    return (ledger, *(ledger.with_name(ledger.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


def export_hashes_names(export_path: Path, paths: tuple[Path, ...]) -> list[str]:
    """Return the names inside a folder export of those `paths` that lie in it."""
    if not export_path.is_dir():
        return []
    root = export_path.resolve()
    names = []
    for path in paths:
        try:
            names.append(path.resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    return names


def describe_changes(before: dict[str, str], after: dict[str, str]) -> str:
    """Return which files were added, removed or changed between two sets of per-file hashes."""
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(name for name in set(before) & set(after) if before[name] != after[name])
    parts = []
    for label, names in (("added", added), ("removed", removed), ("changed", changed)):
        if names:
            listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
            parts.append(f"{label} {listed}")
    return "; ".join(parts) or "the files are the same but their order or names differ"


def check_gate(mapping_path: Path, export_path: Path, *, client, fallback_owner: str | None,
               multiselect_as: str | None, export_options: dict | None = None,
               run_files: tuple[Path, ...] = ()) -> GateResult:
    """Check that a writing migration may start, and return what it takes from the approved mapping.

    `fallback_owner` and `multiselect_as` are the command's options (None when
    not given). The fallback owner of the command wins over the mapping's. A
    `multiselect_as` that differs from the approved mapping's is refused,
    because it changes the fields the migration creates.
    """
    mapping = check_approval(mapping_path, export_path, run_files)
    approve_text = approve_command_text(mapping_path, export_path)
    if multiselect_as is not None and multiselect_as != mapping.options.multiselect_as:
        raise GateError(f"--multiselect-as {multiselect_as} differs from the approved mapping's multiselect_as: "
                        f"{mapping.options.multiselect_as}. Drop the option, or change the mapping file and run "
                        f"`{approve_text}`")
    fallback = fallback_owner or mapping.options.fallback_owner
    if fallback is None:
        unresolved = unresolved_owners(export_path, client, _reading(mapping, mapping_path, export_options))
        if unresolved:
            names = ", ".join(unresolved[:20]) + (f" and {len(unresolved) - 20} more" if len(unresolved) > 20 else "")
            raise GateError(f"{len(unresolved)} owner(s) have no Odoo user and no fallback owner is set: {names}. "
                            "Create those users in Odoo, or set options.fallback_owner in the mapping file (then "
                            f"run `{approve_text}`), or pass --fallback-owner")
    choices = choices_of(mapping, mapping_path, export_path, export_options)
    return GateResult(mapping, fallback, mapping.options.multiselect_as, mapping.skipped_custom_columns(),
                      choices=choices, **pipeline_options(mapping))


def pipeline_options(mapping: MappingFile) -> dict:
    """Return the pipeline layout of a mapping as GateResult fields: `pipelines` and `shared_team`."""
    shared = mapping.options.pipelines == SHARED
    return {"pipelines": mapping.options.pipelines, "shared_team": mapping.options.shared_team if shared else None}


def unresolved_owners(export_path: Path, client, export_options: dict | None = None) -> list[str]:
    """Return the owners of the export that match no Odoo user of the connected client."""
    with open_export(export_path, **(export_options or {})) as export:
        owners, _problem = owner_report(export, owner_counts_of(export), client, None, MappingOptions())
    return [owner.allegory for owner in owners if owner.assigned == UNMATCHED]



def apply_mapping(mapping_path: Path | None, export_path: Path, *, dry_run: bool, client,
                  fallback_owner: str | None, multiselect_as: str | None,
                  export_options: dict | None = None, run_files: tuple[Path, ...] = (),
                  existing_companies: str | None = None, existing_contacts: str | None = None) -> GateResult:
    """Return what a migration takes from its mapping; a writing run must pass the gate first.

    A writing run checks the mapping at `mapping_path` (default `mapping.yaml`)
    with `check_gate`. A dry run needs no approval: it applies the mapping only
    when `mapping_path` is given, validated but not checked against an approval.
    """
    if not dry_run:
        result = check_gate(mapping_path or Path("mapping.yaml"), export_path, client=client,
                            fallback_owner=fallback_owner, multiselect_as=multiselect_as,
                            export_options=export_options, run_files=run_files)
        companies, contacts = existing_policies(result.mapping, existing_companies, existing_contacts, approved=True)
        return replace(result, existing_companies=companies, existing_contacts=contacts)
    if mapping_path is None:
        return GateResult(None, fallback_owner, multiselect_as or "text", frozenset(),
                          existing_companies or "link", existing_contacts or "link")
    mapping = load_mapping(mapping_path)
    companies, contacts = existing_policies(mapping, existing_companies, existing_contacts, approved=False)
    return GateResult(mapping, fallback_owner or mapping.options.fallback_owner,
                      multiselect_as or mapping.options.multiselect_as, mapping.skipped_custom_columns(),
                      companies, contacts, choices_of(mapping, mapping_path, export_path, export_options),
                      **pipeline_options(mapping))
