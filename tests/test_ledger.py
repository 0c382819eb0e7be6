"""Ledger: runs, operations and identities in SQLite."""

import sqlite3

import pytest

from allegory2odoo.ledger.store import Ledger, LedgerError, Operation


def test_record_batch_and_identities(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.bind_target("http://127.0.0.1:8069", "crm")
        run_id = ledger.start_run("export", {"batch_size": 10})
        ledger.record(run_id, [
            Operation("companies", "C-1", "create", "res.partner", 7, "Accounts.csv", 2, None, "company_C_1", "h1", "company"),
            Operation("companies", "C-2", "reject", "res.partner", None, "Accounts.csv", 3, "bad country"),
        ])
        ledger.finish_run(run_id, "finished")
        assert ledger.content_hashes("company") == {"C-1": (7, "h1")}
        assert ledger.run_counts(run_id)["companies"] == {"create": 1, "reject": 1}
        rejects = ledger.operations(run_id, "reject")
        assert rejects[0].reason == "bad country"
        assert rejects[0].row == 3
        assert ledger.runs()[0]["status"] == "finished"


def test_other_target_rejected(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.bind_target("http://127.0.0.1:8069", "crm")
    with Ledger(path) as ledger, pytest.raises(LedgerError, match="pass another --ledger path"):
        ledger.bind_target("http://127.0.0.1:8069", "other")


def test_not_a_database(tmp_path):
    path = tmp_path / "ledger.sqlite"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="is not a usable ledger"):
        Ledger(path)


def test_update_keeps_hash_when_none(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        run_id = ledger.start_run("export", {})
        ledger.record(run_id, [Operation("deals", "D1", "create", "crm.lead", 3, xmlid="deal_D1", content_hash="a",
                                         identity_kind="deal")])
        ledger.record(run_id, [Operation("deals", "D1", "update", "crm.lead", 3, xmlid="deal_D1", identity_kind="deal")])
        assert ledger.content_hashes("deal") == {"D1": (3, "a")}


def test_wal_mode(tmp_path):
    path = tmp_path / "l.sqlite"
    Ledger(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
