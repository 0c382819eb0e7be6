"""The command line: help, docs, exit codes, and secrets kept out of logs and the ledger."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegory2odoo.cli.main import app
from migration_helpers import SAMPLE, seed_owners
from odoo_server import OdooTestServer

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def command_names() -> list[str]:
    return [command.name for command in app.registered_commands]


@pytest.mark.parametrize("command", command_names())
def test_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) > 5


@pytest.mark.parametrize("command", command_names())
def test_command_documented(command):
    pages = [page.read_text() for page in (ROOT / "docs").glob("*.md")]
    documented = [page for page in pages if f"allegory2odoo {command}" in page]
    assert documented, f"no page in docs/ shows `allegory2odoo {command}`"
    assert any("## Worked example" in page for page in documented)


def test_dry_run_sample_reports_rejects():
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--dry-run"], env={"ODOO_URL": "", "COLUMNS": "300"})
    assert result.exit_code == 1, result.output
    assert "A-5006" in result.output
    assert "AT-7005" in result.output
    assert re.search(r"companies\s+│\s+60\s+│\s+60", result.output)
    assert "Dry run: nothing was written" in result.output


def test_rejected_row_exits_one(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(SAMPLE, export)
    (export / "practice_areas.csv").write_text("Pipeline ID,Pipeline Name\nP-1,Corporate & M&A\nP-2,\n",
                                               encoding="utf-8")
    result = runner.invoke(app, ["migrate", str(export), "--dry-run"], env={"ODOO_URL": "", "COLUMNS": "300"})
    assert result.exit_code == 1
    assert "practice_areas.csv" in result.output
    assert "'name' is empty" in result.output


def test_bad_timezone_is_usage_error():
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--dry-run", "--source-timezone", "Mars/Olympus"])
    assert result.exit_code == 2
    assert "not a time zone name" in result.output


@pytest.fixture(params=[17, 19], ids=["odoo17", "odoo19"])
def server_with_secret(request):
    server = OdooTestServer(version=request.param, admin_password="pw-Unique-7731").start()
    yield server
    server.stop()


def test_secret_not_in_log_or_ledger(server_with_secret, tmp_path):
    odoo_server = server_with_secret
    seed_owners(odoo_server)
    secret = odoo_server.api_key if odoo_server.version >= 19 else odoo_server.admin_password
    variable = "ODOO_API_KEY" if odoo_server.version >= 19 else "ODOO_PASSWORD"
    ledger = tmp_path / "ledger.sqlite"
    log = tmp_path / "run.log"
    env = {"ODOO_URL": odoo_server.url, "ODOO_DB": odoo_server.db, "ODOO_USER": odoo_server.admin_login, variable: secret}
    mapping = tmp_path / "mapping.yaml"
    planned = runner.invoke(app, ["plan", str(SAMPLE), "--out", str(mapping)], env=env)
    assert planned.exit_code == 0, planned.output
    approved = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping), str(SAMPLE)], env=env)
    assert approved.exit_code == 0, approved.output
    result = runner.invoke(app, ["--verbose", "--log-file", str(log), "migrate", str(SAMPLE), "--fallback-owner", "admin",
                                 "--ledger", str(ledger), "--mapping", str(mapping)], env=env)
    assert result.exit_code == 1, result.output  # the example's two records rejected on purpose
    assert "batch=" in log.read_text()
    for path in (ledger, log, mapping, tmp_path / "mapping.approved.json"):
        assert secret.encode() not in path.read_bytes()
    assert secret not in result.output


def test_closing_table_lists_each_kind_once():
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--dry-run"], env={"ODOO_URL": "", "COLUMNS": "300"})
    closing_table = result.output.split("Rejected records")[0]
    kinds = [line.split("│")[1].strip() for line in closing_table.splitlines() if line.startswith("│")]
    assert kinds.count("activities") == 1
    assert kinds.count("notes") == 1
    assert "Columns not migrated" in result.output
    assert "linked_in" in result.output
    assert "client_since" not in result.output


def test_missing_url_is_usage_error():
    result = runner.invoke(app, ["migrate", str(SAMPLE)], env={"ODOO_URL": "", "ODOO_DB": "", "ODOO_USER": ""})
    assert result.exit_code == 2
    assert "ODOO_URL" in result.output
