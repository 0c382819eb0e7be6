"""Stopped runs, lost responses and lost ledgers end in the same Odoo state as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from migration_helpers import EXPECTED_REJECTS, SAMPLE, connect, rejected_records, run, seed_owners, snapshot
from allegory2odoo.load.context import Reporter, RunOptions
from allegory2odoo.load.runner import migrate
from allegory2odoo.plan.approval import approve
from allegory2odoo.plan.mapping_file import write_mapping
from allegory2odoo.plan.proposal import propose

sys.path.insert(0, os.path.dirname(__file__))
from odoo_server import OdooTestServer  # noqa: E402


@pytest.fixture(scope="module", params=[17, 19], ids=["odoo17", "odoo19"])
def reference_state(request, tmp_path_factory):
    """The state an uninterrupted run leaves, to compare every resumed run with."""
    server = OdooTestServer(version=request.param).start()
    try:
        seed_owners(server)
        result = run(server, tmp_path_factory.mktemp("reference") / "ledger.sqlite")
        assert rejected_records(result) == EXPECTED_REJECTS
        with connect(server) as client:
            yield request.param, snapshot(client)
    finally:
        server.stop()


@pytest.fixture
def server(reference_state):
    version, _state = reference_state
    server = OdooTestServer(version=version).start()
    seed_owners(server)
    yield server
    server.stop()


class StopAfter(Reporter):
    """Raise KeyboardInterrupt, as Ctrl-C does, once `kind` has advanced `count` records."""

    def __init__(self, kind: str, count: int):
        self.kind = kind
        self.count = count
        self.seen = 0

    def advance(self, kind: str, count: int) -> None:
        if kind == self.kind:
            self.seen += count
            if self.seen >= self.count:
                raise KeyboardInterrupt


def assert_same_state(server, reference_state):
    _version, expected = reference_state
    with connect(server) as client:
        actual = snapshot(client)
    assert actual.keys() == expected.keys()
    for xmlid in expected:
        assert actual[xmlid] == expected[xmlid], xmlid


def partner_count(server) -> int:
    with connect(server) as client:
        return client.call("res.partner", "search_count", [], context={"active_test": False})


def test_lost_answers_make_no_duplicate(server, reference_state, tmp_path):
    server.inject_fault("res.partner", "load", "drop_after_commit", times=2)
    server.inject_fault("crm.lead", "load", "drop_after_commit")
    result = run(server, tmp_path / "ledger.sqlite", batch_size=50)
    assert rejected_records(result) == EXPECTED_REJECTS
    dropped = [call for call in server.calls if call.method == "load"]
    assert len(dropped) > 3
    assert_same_state(server, reference_state)


def test_unavailable_server_retried(server, reference_state, tmp_path):
    server.inject_fault("crm.lead", "load", "unavailable", times=2)
    server.inject_fault("res.partner", "load", "serialization_failure")
    result = run(server, tmp_path / "ledger.sqlite")
    assert rejected_records(result) == EXPECTED_REJECTS
    assert_same_state(server, reference_state)


def test_ctrl_c_then_resume_without_ledger(server, reference_state, tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    with connect(server) as client, pytest.raises(KeyboardInterrupt):
        migrate(SAMPLE, RunOptions(batch_size=25, fallback_owner="admin"), client=client, ledger_path=ledger,
                reporter=StopAfter("contacts", 50))
    status = sqlite3.connect(ledger).execute("SELECT status FROM runs").fetchone()[0]
    assert status == "interrupted"
    partners_after_stop = partner_count(server)
    ledger.unlink()

    resumed = run(server, tmp_path / "new-ledger.sqlite", batch_size=25)
    assert rejected_records(resumed) == EXPECTED_REJECTS
    assert resumed.stats["companies"]["updated"] == 60
    assert resumed.stats["companies"]["created"] == 0
    assert partner_count(server) > partners_after_stop
    assert_same_state(server, reference_state)


def test_ctrl_c_then_resume_with_ledger(server, reference_state, tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    with connect(server) as client, pytest.raises(KeyboardInterrupt):
        migrate(SAMPLE, RunOptions(batch_size=20, fallback_owner="admin"), client=client, ledger_path=ledger,
                reporter=StopAfter("deals", 40))
    resumed = run(server, ledger, batch_size=20)
    assert rejected_records(resumed) == EXPECTED_REJECTS
    assert resumed.stats["deals"]["skipped"] == 40
    assert resumed.stats["deals"]["created"] == 30
    assert resumed.stats["companies"]["skipped"] == 60
    assert_same_state(server, reference_state)


def test_kill_9_then_resume(server, reference_state, tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    env = dict(os.environ, ODOO_URL=server.url, ODOO_DB=server.db, ODOO_USER=server.admin_login)
    if server.version >= 19:
        env["ODOO_API_KEY"] = server.api_key
    else:
        env["ODOO_PASSWORD"] = server.admin_password
    mapping = tmp_path / "mapping.yaml"  # a writing run needs an approved mapping
    write_mapping(propose(SAMPLE), mapping)
    approve(mapping, SAMPLE)
    command = [sys.executable, "-m", "allegory2odoo", "migrate", str(SAMPLE), "--fallback-owner", "admin",
               "--batch-size", "10", "--ledger", str(ledger), "--mapping", str(mapping)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    operations = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            operations = sqlite3.connect(ledger).execute("SELECT count(*) FROM operations").fetchone()[0]
        except sqlite3.Error:
            operations = 0
        if operations >= 120:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed; make the kill point earlier"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert operations >= 120

    resumed = run(server, ledger, batch_size=10)
    assert rejected_records(resumed) == EXPECTED_REJECTS
    assert_same_state(server, reference_state)
