"""The ledger: a SQLite file that records every run, identity and operation.

Odoo's external IDs are the source of truth for identities. The ledger mirrors
them for speed and audit, and keeps what Odoo cannot: per-record operations with
their reasons and the content hash used to skip unchanged records. Each batch is
written in one transaction, so a run killed at any point leaves a ledger that
matches what was confirmed by Odoo, minus at most the batch in flight.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA_VERSION = 2  # 2 added before_images and partner_matches

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    export_path TEXT NOT NULL,
    odoo_url TEXT,
    odoo_db TEXT,
    odoo_version TEXT,
    protocol TEXT,
    options TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identities (
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    model TEXT NOT NULL,
    odoo_id INTEGER NOT NULL,
    xmlid TEXT,
    content_hash TEXT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, source_id)
);
CREATE TABLE IF NOT EXISTS operations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_id TEXT,
    action TEXT NOT NULL,
    model TEXT,
    odoo_id INTEGER,
    file TEXT,
    row INTEGER,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS operations_run ON operations (run_id, kind, action);
CREATE INDEX IF NOT EXISTS operations_record ON operations (kind, source_id);
CREATE TABLE IF NOT EXISTS before_images (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    model TEXT NOT NULL,
    odoo_id INTEGER NOT NULL,
    fields TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS partner_matches (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    odoo_ids TEXT NOT NULL,
    rule TEXT,
    value TEXT
);
"""

ACTIONS = ("create", "update", "skip", "reject")


class LedgerError(Exception):
    """The ledger file cannot be used: unreadable, from a newer version, or for another Odoo database."""


@dataclass(frozen=True)
class Operation:
    """One thing that happened to one source record in a run."""

    kind: str
    source_id: str | None
    action: str  # create, update, skip or reject
    model: str | None = None
    odoo_id: int | None = None
    file: str | None = None
    row: int | None = None
    reason: str | None = None
    xmlid: str | None = None
    content_hash: str | None = None
    identity_kind: str | None = None  # the identity namespace, when it differs from `kind`


def _is_link(operation: Operation) -> bool:
    """Return whether the operation is a skip of a record linked to an Odoo record that is not ours (`<kind>_link`)."""
    return operation.action == "skip" and (operation.identity_kind or "").endswith("_link")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Ledger:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise LedgerError(f"{self.path} is not a usable ledger ({error}); move it away or pass another --ledger path") from None
        version = self._meta("schema_version")
        if version is not None and int(version) > SCHEMA_VERSION:
            raise LedgerError(f"{self.path} was written by a newer allegory2odoo (ledger schema {version}); upgrade the tool")
        if version is None or int(version) < SCHEMA_VERSION:
            # Version 1 lacks only the tables that _SCHEMA has just created, so upgrading is recording the version.
            self._set_meta("schema_version", str(SCHEMA_VERSION))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def bind_target(self, url: str, db: str) -> None:
        """Tie the ledger to one Odoo database; a ledger of another database is refused."""
        target = f"{url.rstrip('/')}|{db}"
        bound = self._meta("target")
        if bound is None:
            self._set_meta("target", target)
        elif bound != target:
            bound_url, _, bound_db = bound.partition("|")
            raise LedgerError(
                f"{self.path} records a migration into database {bound_db!r} at {bound_url}, not {db!r} at {url}; "
                "pass another --ledger path for this target"
            )

    def start_run(self, export_path: str, options: dict, *, url: str | None = None, db: str | None = None,
                  version: str | None = None, protocol: str | None = None) -> int:
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, status, export_path, odoo_url, odoo_db, odoo_version, protocol, options)"
            " VALUES (?, 'running', ?, ?, ?, ?, ?, ?)",
            (_now(), export_path, url, db, version, protocol, json.dumps(options, sort_keys=True, default=str)),
        )
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str) -> None:
        self._db.execute("UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (_now(), status, run_id))

    def record(self, run_id: int, operations: list[Operation]) -> None:
        """Write a batch of operations, and the identities they confirm, in one transaction."""
        now = _now()
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO operations (run_id, at, kind, source_id, action, model, odoo_id, file, row, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, now, op.kind, op.source_id, op.action, op.model, op.odoo_id, op.file, op.row, op.reason)
                 for op in operations],
            )
            self._db.executemany(
                "INSERT INTO identities (kind, source_id, model, odoo_id, xmlid, content_hash, run_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (kind, source_id) DO UPDATE SET model = excluded.model, odoo_id = excluded.odoo_id,"
                " xmlid = excluded.xmlid, content_hash = COALESCE(excluded.content_hash, identities.content_hash),"
                " run_id = excluded.run_id, updated_at = excluded.updated_at",
                [(op.identity_kind or op.kind, op.source_id, op.model, op.odoo_id, op.xmlid, op.content_hash, run_id, now)
                 for op in operations
                 if op.odoo_id is not None and (op.action in ("create", "update") and op.xmlid or _is_link(op))],
            )

    def record_before_images(self, run_id: int, images: list[tuple[str, str, str, int, dict]]) -> None:
        """Save (kind, source ID, model, Odoo id, field values) of records as they were before we first wrote them."""
        now = _now()
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO before_images (run_id, at, kind, source_id, model, odoo_id, fields)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(run_id, now, kind, source_id, model, odoo_id, json.dumps(fields, sort_keys=True, default=str))
                 for kind, source_id, model, odoo_id, fields in images],
            )

    def before_images(self, kind: str | None = None) -> list[dict]:
        """Return the saved before-images, oldest first, with `fields` decoded."""
        query = "SELECT run_id, at, kind, source_id, model, odoo_id, fields FROM before_images"
        params: tuple = ()
        if kind:
            query += " WHERE kind = ?"
            params = (kind,)
        cursor = self._db.execute(query + " ORDER BY id", params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor]
        for row in rows:
            row["fields"] = json.loads(row["fields"])
        return rows

    def record_matches(self, run_id: int, matches: list[tuple[str, str, str, list[int], str | None, str | None]]) -> None:
        """Save (kind, source ID, outcome, candidate ids, rule, value) of records matched to partners already in Odoo."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO partner_matches (run_id, kind, source_id, outcome, odoo_ids, rule, value)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(run_id, kind, source_id, outcome, ",".join(map(str, ids)), rule, value)
                 for kind, source_id, outcome, ids, rule, value in matches],
            )

    def partner_matches(self, run_id: int) -> list[dict]:
        cursor = self._db.execute(
            "SELECT kind, source_id, outcome, odoo_ids, rule, value FROM partner_matches WHERE run_id = ? ORDER BY id",
            (run_id,))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def content_hashes(self, identity_kind: str) -> dict[str, tuple[int, str | None]]:
        """Return source ID -> (Odoo id, content hash) for one identity namespace."""
        rows = self._db.execute(
            "SELECT source_id, odoo_id, content_hash FROM identities WHERE kind = ?", (identity_kind,)
        )
        return {source_id: (odoo_id, content_hash) for source_id, odoo_id, content_hash in rows}

    def forget_identity(self, identity_kind: str, source_ids: list[str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM identities WHERE kind = ? AND source_id = ?",
                                 [(identity_kind, source_id) for source_id in source_ids])

    def run_counts(self, run_id: int) -> dict[str, Counter]:
        """Return, per kind, how many operations of each action the run recorded."""
        counts: dict[str, Counter] = {}
        rows = self._db.execute(
            "SELECT kind, action, COUNT(*) FROM operations WHERE run_id = ? GROUP BY kind, action", (run_id,)
        )
        for kind, action, number in rows:
            counts.setdefault(kind, Counter())[action] = number
        return counts

    def operations(self, run_id: int, action: str | None = None) -> list[Operation]:
        query = "SELECT kind, source_id, action, model, odoo_id, file, row, reason FROM operations WHERE run_id = ?"
        params: tuple = (run_id,)
        if action:
            query += " AND action = ?"
            params += (action,)
        return [Operation(*row) for row in self._db.execute(query + " ORDER BY id", params)]

    def runs(self) -> list[dict]:
        cursor = self._db.execute("SELECT * FROM runs ORDER BY id")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]
