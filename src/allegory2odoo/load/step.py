"""The load step: one object kind's way from export rows to Odoo records.

A step declares which export kind it reads, which Odoo model and external ID
namespace it writes, and how a record becomes Odoo values. `run_load_step`
does the rest for every step alike: it claims identities, batches, skips
unchanged records, sends through the writer and accounts for every row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.field_choices import apply_choices
from allegory2odoo.load.identity import DuplicateSourceId, IdentityCollision, xmlid_name
from allegory2odoo.load.writer import ValueProblem, check_values
from allegory2odoo.mapping.records import BUILDERS, RowError

log = logging.getLogger("allegory2odoo.load")


class Rejected(Exception):
    """The record cannot be loaded; the message is the reason shown to the user."""


class Skipped(Exception):
    """The record is deliberately not loaded; the message is the reason.

    `odoo_id` and `identity_kind` name the Odoo record the source record
    stands for when it is not ours, such as a partner it was linked to.
    """

    def __init__(self, reason: str, odoo_id: int | None = None, identity_kind: str | None = None):
        super().__init__(reason)
        self.odoo_id = odoo_id
        self.identity_kind = identity_kind


@dataclass
class Prepared:
    record: object
    name: str
    values: dict
    content_hash: str
    existing_id: int | None
    notes: list[str] = field(default_factory=list)


def content_hash(values: dict) -> str:
    text = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class LoadStep:
    """Base class of a step; subclasses set the class attributes and `values`."""

    kind: str = ""  # export kind read
    label: str = ""  # line of the closing table; the kind when empty
    identity: str = ""  # external ID namespace, e.g. "company"
    model: str = ""
    depends: tuple[str, ...] = ()  # labels of steps that must run first
    namespace: str = ""  # ledger namespace of claims and content hashes; the identity when empty
    applies_choices: bool = False  # whether the mapping file's field choices for `kind` apply to `values`

    @property
    def name(self) -> str:
        return self.label or self.kind

    @property
    def ledger_namespace(self) -> str:
        return self.namespace or self.identity

    def label_of(self, record) -> str:
        """Return the closing-table line a record counts in. A step that loads two kinds overrides it."""
        return self.name

    def identity_of(self, record) -> str:
        return self.identity

    def namespace_of(self, record) -> str:
        return self.namespace or self.identity_of(record)

    def identities_used(self) -> tuple[str, ...]:
        """Return every external ID namespace the step writes, to seed from Odoo before it runs."""
        return (self.identity,)

    def labels(self) -> tuple[str, ...]:
        return (self.name,)

    def prepare(self, ctx) -> None:
        """Run once before the rows are read."""

    def build(self, row, ctx):
        return BUILDERS[self.kind](row, ctx.options.mapping)

    def accepts(self, record) -> bool:
        """Return whether this step handles the record at all. Records it does not handle are not counted."""
        return True

    def ensure_references(self, records: list, ctx) -> None:
        """Create, in a few calls, the named records (tags, industries...) that a batch refers to."""

    def values(self, record, ctx) -> tuple[dict, list[str]]:
        """Return the Odoo values of a record and notes for the ledger; raise Rejected or Skipped."""
        raise NotImplementedError

    def loaded(self, record, odoo_id: int, values: dict, ctx) -> None:
        """Run after the record is in Odoo (or would be, in a dry run)."""

    def content_hash(self, values: dict) -> str:
        return content_hash(values)

    def after_action(self, record, action: str, ctx) -> None:
        """Run once the record's outcome is known: create, update, skip or reject."""

    def rows(self, ctx):
        if self.kind not in ctx.export.kinds():
            return iter(())
        return ctx.export.rows(self.kind)

    def batch_size(self, ctx) -> int:
        return ctx.options.batch_size

    def total(self, ctx) -> int | None:
        return ctx.count_rows(self.kind)


def run_load_step(step: LoadStep, ctx) -> None:
    """Load every record of one step, in batches, and account for each of them."""
    step.prepare(ctx)
    ctx.reporter.start(step.name, step.total(ctx))
    hashes: dict[str, dict] = {}
    for identity in step.identities_used():
        ctx.seed_identities(identity, step.model)
    for label in step.labels():
        ctx.stats_for(label)

    batch: list = []
    for row in step.rows(ctx):
        try:
            record = step.build(row, ctx)
        except RowError as error:
            label = row.kind if row.kind in step.labels() else step.labels()[0]
            stats = ctx.stats_for(label)
            stats["read"] += 1
            stats["rejected"] += 1
            ctx.record(Operation(label, _row_id(row), "reject", step.model, file=error.origin.file,
                                 row=error.origin.row, reason=str(error)))
            ctx.reporter.advance(step.name, 1)
            continue
        if not step.accepts(record):
            ctx.reporter.advance(step.name, 1)
            continue
        ctx.stats_for(step.label_of(record))["read"] += 1
        namespace = step.namespace_of(record)
        if namespace not in hashes:
            hashes[namespace] = ctx.ledger.content_hashes(namespace) if ctx.ledger else {}
        try:
            ctx.identities.claim(namespace, record.source_id, str(record.origin))
        except (IdentityCollision, DuplicateSourceId) as error:
            ctx.reject(step, record, str(error))
            ctx.reporter.advance(step.name, 1)
            continue
        batch.append(record)
        if len(batch) >= step.batch_size(ctx):
            _flush(step, batch, hashes, ctx)
            batch = []
    if batch:
        _flush(step, batch, hashes, ctx)
    ctx.flush_ledger()
    ctx.reporter.finish(step.name)


def _row_id(row) -> str | None:
    value = row.values.get("id")
    return None if value is None else str(value)


def _flush(step: LoadStep, batch: list, hashes: dict, ctx) -> None:
    started = time.monotonic()
    before = {label: Counter(ctx.stats_for(label)) for label in step.labels()}
    step.ensure_references(batch, ctx)

    pending: list[Prepared] = []
    for record in batch:
        try:
            values, notes = step.values(record, ctx)
            if step.applies_choices:
                values = apply_choices(step.kind, step.model, record, values, notes, ctx)
            check_values(ctx.schema, step.model, values)
        except Skipped as reason:
            ctx.skip(step, record, str(reason), odoo_id=reason.odoo_id, identity_kind=reason.identity_kind)
            step.after_action(record, "skip", ctx)
            continue
        except (Rejected, ValueProblem) as reason:
            ctx.reject(step, record, str(reason))
            step.after_action(record, "reject", ctx)
            continue
        identity = step.identity_of(record)
        digest = step.content_hash(values)
        existing_id = ctx.identities.get(identity, record.source_id)
        namespace_hashes = hashes.get(step.namespace_of(record), {})
        if existing_id is not None and namespace_hashes.get(record.source_id) == (existing_id, digest):
            ctx.skip(step, record, "unchanged since the last run", odoo_id=existing_id)
            step.loaded(record, existing_id, values, ctx)
            step.after_action(record, "skip", ctx)
            continue
        name = xmlid_name(identity, record.source_id)
        pending.append(Prepared(record, name, values, digest, existing_id, notes))

    if pending:
        result = ctx.writer.load(step.model, [p.name for p in pending], [p.values for p in pending])
        for index, item in enumerate(pending):
            label = step.label_of(item.record)
            if index in result.ids:
                odoo_id = result.ids[index]
                action = "update" if item.existing_id is not None else "create"
                ctx.identities.set(step.identity_of(item.record), item.record.source_id, odoo_id)
                ctx.record(Operation(
                    label, item.record.source_id, action, step.model, odoo_id,
                    item.record.origin.file, item.record.origin.row, "; ".join(item.notes) or None,
                    xmlid=item.name, content_hash=item.content_hash, identity_kind=step.namespace_of(item.record),
                ))
                ctx.stats_for(label)[action + "d"] += 1
                step.loaded(item.record, odoo_id, item.values, ctx)
                step.after_action(item.record, action, ctx)
            else:
                ctx.reject(step, item.record, f"Odoo rejected it: {result.rejects.get(index, 'no reason given')}")
                step.after_action(item.record, "reject", ctx)

    ctx.flush_ledger()
    ctx.reporter.advance(step.name, len(batch))
    delta = Counter()
    for label in step.labels():
        delta.update(ctx.stats_for(label))
        delta.subtract(before[label])
    log.info(
        "kind=%s batch=%d created=%d updated=%d skipped=%d rejected=%d seconds=%.2f",
        step.name, len(batch), delta["created"], delta["updated"], delta["skipped"], delta["rejected"],
        time.monotonic() - started,
    )
