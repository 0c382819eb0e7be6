"""In-memory tables with per-call transactions.

Records are plain dicts that are never changed in place, because an update stores a
new dict. A transaction therefore only remembers the replaced dicts to roll back, and
a fresh database can share the record dicts of the seed.
"""

from __future__ import annotations

import copy
from typing import Any

Record = dict[str, Any]

_ABSENT = object()


class Database:
    """Tables of one Odoo database: `tables[model][id]` is a record dict."""

    def __init__(self, name: str, version: int, fields: dict[str, dict[str, dict]]):
        self.name = name
        self.version = version
        self.fields = fields
        self.tables: dict[str, dict[int, Record]] = {model: {} for model in fields}
        self.sequences: dict[str, int] = {model: 0 for model in fields}
        self.xmlid_index: dict[tuple[str, str], int] = {}
        self._undo: list[tuple[str, int, Any]] | None = None
        self._saved_sequences: dict[str, int] | None = None
        self._saved_fields: dict[str, dict[str, dict]] | None = None

    def clone(self) -> "Database":
        """Return an independent copy that shares the immutable record dicts."""
        other = Database.__new__(Database)
        other.name = self.name
        other.version = self.version
        other.fields = {model: dict(fields) for model, fields in self.fields.items()}
        other.tables = {model: dict(table) for model, table in self.tables.items()}
        other.sequences = dict(self.sequences)
        other.xmlid_index = dict(self.xmlid_index)
        other._undo = None
        other._saved_sequences = None
        other._saved_fields = None
        return other

    # transactions

    def begin(self) -> None:
        self._undo = []
        self._saved_sequences = dict(self.sequences)
        self._saved_fields = None

    def commit(self) -> None:
        self._undo = None
        self._saved_sequences = None
        self._saved_fields = None

    def rollback(self) -> None:
        if self._undo is None:
            return
        for model, record_id, old in reversed(self._undo):
            table = self.tables[model]
            if old is _ABSENT:
                table.pop(record_id, None)
            else:
                table[record_id] = old
        if self._saved_fields is not None:
            self.fields = self._saved_fields
            for model in self.fields:
                self.tables.setdefault(model, {})
        self.sequences = self._saved_sequences or self.sequences
        touched = {model for model, _, _ in self._undo}
        self.commit()
        if "ir.model.data" in touched:
            self.rebuild_xmlid_index()

    def save_fields(self) -> None:
        """Remember the field definitions so that a rollback undoes custom fields."""
        if self._undo is not None and self._saved_fields is None:
            self._saved_fields = copy.deepcopy(self.fields)

    # records

    def next_id(self, model: str) -> int:
        self.sequences[model] += 1
        return self.sequences[model]

    def get(self, model: str, record_id: int) -> Record | None:
        return self.tables[model].get(record_id)

    def put(self, model: str, record: Record) -> None:
        """Insert or replace `record` (keyed by its `id`), journaling the old version."""
        table = self.tables[model]
        record_id = record["id"]
        if self._undo is not None:
            self._undo.append((model, record_id, table.get(record_id, _ABSENT)))
        if model == "ir.model.data":
            old = table.get(record_id)
            if old is not None:
                self.xmlid_index.pop((old["module"], old["name"]), None)
            self.xmlid_index[(record["module"], record["name"])] = record_id
        table[record_id] = record

    def update(self, model: str, record_id: int, values: dict[str, Any]) -> Record:
        record = dict(self.tables[model][record_id])
        record.update(values)
        self.put(model, record)
        return record

    def delete(self, model: str, record_id: int) -> None:
        table = self.tables[model]
        old = table.pop(record_id)
        if self._undo is not None:
            self._undo.append((model, record_id, old))
        if model == "ir.model.data":
            self.xmlid_index.pop((old["module"], old["name"]), None)

    def rebuild_xmlid_index(self) -> None:
        self.xmlid_index = {
            (row["module"], row["name"]): row_id
            for row_id, row in self.tables["ir.model.data"].items()
        }

    # external ids

    def xmlid_lookup(self, module: str, name: str) -> Record | None:
        data_id = self.xmlid_index.get((module, name))
        return None if data_id is None else self.tables["ir.model.data"][data_id]

    def xmlid_to_res_id(self, xmlid: str) -> int:
        module, name = xmlid.split(".", 1)
        return self.xmlid_lookup(module, name)["res_id"]
