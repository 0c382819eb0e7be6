"""The state the steps of one run share: the export, the writer, the identity map, the ledger and the counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.identity import MODULE
from allegory2odoo.mapping.records import MappingOptions
from allegory2odoo.plan.applied import NO_CHOICES, MappingChoices

LEDGER_FLUSH_SIZE = 1000


@dataclass(frozen=True)
class RunOptions:
    batch_size: int = 500
    fallback_owner: str | None = None
    mapping: MappingOptions = field(default_factory=MappingOptions)
    dry_run: bool = False
    max_attachment_bytes: int = 25_000_000  # Odoo's usual upload limit
    create_custom_fields: bool = False  # create missing x_ fields and their form views (administrator rights)
    multiselect_as: str = "text"  # a multi-select becomes a text of values ("text") or a many2many to tags ("tags")
    checklist_path: Path | None = None  # custom field checklist; beside the ledger when None
    # (kind, column) of custom field value columns the approved mapping sets to "not migrated"
    skipped_custom_columns: frozenset[tuple[str, str]] = frozenset()
    existing_companies: str = "link"  # a company already in Odoo is linked to, updated or created anew
    existing_contacts: str = "link"  # the same for contacts: "link", "update" or "create"
    choices: MappingChoices = NO_CHOICES  # headers, fields and value maps of the approved mapping file
    pipelines: str = "per_team"  # one crm.team per pipeline ("per_team") or one for all of them ("shared")
    shared_team: str | None = None  # the name of the one team of "shared"; plan.pipelines.DEFAULT_SHARED_TEAM when None


class Reporter:
    """Progress callbacks; the CLI draws them, tests and libraries may ignore them."""

    def start(self, kind: str, total: int | None) -> None:
        pass

    def advance(self, kind: str, count: int) -> None:
        pass

    def finish(self, kind: str) -> None:
        pass


class RunContext:
    def __init__(self, export, writer, schema, identities, reference, owners, options: RunOptions,
                 ledger=None, run_id: int | None = None, reporter: Reporter | None = None):
        self.export = export
        self.writer = writer
        self.schema = schema
        self.identities = identities
        self.reference = reference
        self.owners = owners
        self.options = options
        self.ledger = ledger
        self.run_id = run_id
        self.reporter = reporter or Reporter()
        self.stats: dict[str, Counter] = {}
        self.operations_buffer: list[Operation] = []
        self.rejects: list[Operation] = []
        self._row_counts: dict[str, int] = {}
        self._seeded_models: dict[str, dict[str, int]] = {}
        # Facts gathered by one step for a later one.
        self.addresses: dict[tuple[str, str], tuple] = {}
        self.company_parents: dict[str, tuple[str, object]] = {}  # company -> (parent company, origin)
        self.contact_companies: dict[str, tuple[str, object]] = {}  # contact -> (company from contacts file, origin)
        self.primary_links: dict[str, tuple[str, object]] = {}  # contact -> (primary company from associations, origin)
        self.secondary_links: dict[str, list[str]] = {}  # contact -> other companies
        self.primary_associations: dict[str, object] = {}  # contact -> its primary Association
        self.stages: dict[str, object] = {}  # stage source ID -> Stage record
        self.won_stages: dict[str, str] = {}  # pipeline source ID -> its first won stage
        self.note_messages: dict[str, tuple[str, int, int]] = {}  # note -> (model, record id, message id)
        self.attachment_messages: dict[str, int | None] = {}  # attachment -> message of its note, if any
        self.message_attachments: dict[int, list[int]] = {}  # message id -> attachment ids to link

    def stats_for(self, label: str) -> Counter:
        return self.stats.setdefault(label, Counter())

    def count_rows(self, kind: str) -> int | None:
        if kind not in self.export.kinds():
            return 0
        if kind not in self._row_counts:
            self._row_counts[kind] = sum(1 for _ in self.export.rows(kind))
        return self._row_counts[kind]

    def seed_identities(self, identity_kind: str, model: str) -> None:
        """Seed the identity map of one namespace from the external IDs Odoo holds."""
        if not identity_kind:
            return
        if model not in self._seeded_models:
            self._seeded_models[model] = self.writer.external_ids(model)
        prefix = identity_kind + "_"
        self.identities.seed(identity_kind, {
            name: res_id for name, res_id in self._seeded_models[model].items() if name.startswith(prefix)
        })

    def record(self, operation: Operation) -> None:
        if operation.action == "reject":
            self.rejects.append(operation)
        self.operations_buffer.append(operation)
        if len(self.operations_buffer) >= LEDGER_FLUSH_SIZE:
            self.flush_ledger()

    def flush_ledger(self) -> None:
        if self.ledger is not None and self.operations_buffer:
            self.ledger.record(self.run_id, self.operations_buffer)
        self.operations_buffer = []

    def reject(self, step, record, reason: str) -> None:
        label = step.label_of(record)
        self.stats_for(label)["rejected"] += 1
        self.record(Operation(label, record.source_id, "reject", step.model, file=record.origin.file,
                              row=record.origin.row, reason=reason))

    def skip(self, step, record, reason: str, odoo_id: int | None = None, identity_kind: str | None = None) -> None:
        label = step.label_of(record)
        self.stats_for(label)["skipped"] += 1
        origin = getattr(record, "origin", None)
        self.record(Operation(label, record.source_id, "skip", step.model, odoo_id,
                              origin.file if origin else None, origin.row if origin else None, reason,
                              identity_kind=identity_kind))

    @property
    def xmlid_module(self) -> str:
        return MODULE
