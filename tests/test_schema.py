"""`schema plan` and `schema apply`: what Odoo needs before records move, checked and created."""

from __future__ import annotations

from typer.testing import CliRunner

from allegory2odoo.cli.main import app
from migration_helpers import SAMPLE, connect, run, seed_owners, xmlid_res_id

runner = CliRunner()


def env_for(server) -> dict:
    env = {"ODOO_URL": server.url, "ODOO_DB": server.db, "ODOO_USER": server.admin_login, "COLUMNS": "250"}
    if server.version >= 19:
        env["ODOO_API_KEY"] = server.api_key
    else:
        env["ODOO_PASSWORD"] = server.admin_password
    return env


def test_plan_offline_lists_items(tmp_path):
    out = tmp_path / "schema.md"
    result = runner.invoke(app, ["schema", "plan", str(SAMPLE), "--out", str(out)], env={"ODOO_URL": "", "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "| [ ] | Corporate & M&A | `crm.team` |" in text
    assert "Settled / Judgment" in text
    assert "x_allegory_client_tier" in text
    assert "x_allegory_entered_s_11" in text
    assert "'Declined' (S-25) is a lost stage" in text


def test_apply_then_plan_then_migrate(odoo_server, tmp_path):
    env = env_for(odoo_server)
    before = tmp_path / "before.md"
    result = runner.invoke(app, ["schema", "plan", str(SAMPLE), "--out", str(before)], env=env)
    assert result.exit_code == 0, result.output
    assert "| [ ] | Litigation | `crm.team` | a sales team with opportunities | to create |" in before.read_text()

    ledger = tmp_path / "ledger.sqlite"
    result = runner.invoke(app, ["schema", "apply", str(SAMPLE), "--yes", "--ledger", str(ledger)], env=env)
    assert result.exit_code == 0, result.output
    with connect(odoo_server) as client:
        team_id = xmlid_res_id(client, "pipeline_P_2")
        assert client.call("crm.team", "read", [team_id], ["name"])[0]["name"] == "Litigation"
        stage = client.call("crm.stage", "read", [xmlid_res_id(client, "stage_S_15")], ["is_won", "fold"])[0]
        assert stage["is_won"] is True
        assert stage["fold"] is True
        fields = client.search_read("ir.model.fields", [("model", "=", "res.partner"), ("name", "=", "x_allegory_client_tier")],
                                    ["ttype"])
        assert fields == [{"id": fields[0]["id"], "ttype": "selection"}]

    after = tmp_path / "after.md"
    result = runner.invoke(app, ["schema", "plan", str(SAMPLE), "--out", str(after)], env=env)
    assert "| to create |" not in after.read_text()

    seed_owners(odoo_server)
    migration = run(odoo_server, ledger)
    assert migration.stats["pipelines"]["created"] == 0
    assert migration.stats["stages"]["created"] == 0
    assert migration.stats["deals"]["created"] == 70


def test_apply_refuses_without_confirmation(odoo_server, tmp_path):
    result = runner.invoke(app, ["schema", "apply", str(SAMPLE), "--ledger", str(tmp_path / "l.sqlite")],
                           env=env_for(odoo_server), input="n\n")
    assert result.exit_code == 1
    with connect(odoo_server) as client:
        assert xmlid_res_id(client, "pipeline_P_1") is None


def test_apply_needs_connection(tmp_path):
    result = runner.invoke(app, ["schema", "apply", str(SAMPLE)], env={"ODOO_URL": ""})
    assert result.exit_code == 2
    assert "needs an Odoo connection" in result.output
