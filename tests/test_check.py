"""The `check` command: server version, edition, API, modules and the user's rights, on Odoo 17 and 19."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from allegory2odoo.audit.preflight import run_check
from allegory2odoo.cli.main import app
from allegory2odoo.odoo import ConnectionSettings, OdooClient
from migration_helpers import connect
from odoo_server.modules import add_module, set_module_state

runner = CliRunner()


def plain_user_client(server) -> OdooClient:
    """Connect as a new user with only the Internal User group (JSON-2 on 19, XML-RPC on 17)."""
    uid = server.add_user("plain@example.com", "plain@example.com", "Plain User", groups="internal")
    api_key = server.add_api_key(uid) if server.version >= 19 else None
    settings = ConnectionSettings(url=server.url, db=server.db, user="plain@example.com",
                                  password=None if api_key else "plain@example.com", api_key=api_key)
    return OdooClient.connect(settings)


def items_by_name(result) -> dict:
    return {item.name: item for item in result.items}


def test_admin_passes(odoo_server):
    with connect(odoo_server) as client:
        result = run_check(client)
    assert result.ok, [(item.name, item.detail) for item in result.problems]
    assert result.version == f"{odoo_server.version}.0"
    assert result.edition == "Community"
    assert result.protocol == ("JSON-2" if odoo_server.version == 19 else "XML-RPC")
    items = items_by_name(result)
    for module in ("crm", "mail"):
        assert items[module].status == "ok"
    assert items["base_automation"].status == "optional"
    for model in ("res.partner", "crm.lead", "crm.team", "crm.stage", "crm.tag", "res.partner.category",
                  "ir.model.fields"):
        assert items[f"create {model}"].status == "ok"


def test_rights_method_per_version(odoo_server):
    with connect(odoo_server) as client:
        run_check(client)
    methods = {call.method for call in odoo_server.calls}
    if odoo_server.version == 19:
        assert "has_access" in methods
        assert "check_access_rights" not in methods
    else:
        assert "check_access_rights" in methods
        assert "has_access" not in methods


def test_plain_user_on_19_told_rights(odoo19_server):
    with plain_user_client(odoo19_server) as client:
        result = run_check(client)
    assert not result.ok
    items = items_by_name(result)
    for model, words in (("res.partner", "contacts and companies"), ("crm.lead", "leads"),
                         ("ir.model.fields", "custom fields")):
        item = items[f"create {model}"]
        assert item.status == "missing"
        assert f"may not create {words}" in item.detail
        assert item.advice.startswith("Give plain@example.com ")
    assert items["crm"].status == "ok"
    assert items["edition"].status == "unknown"


def test_plain_user_cli_exit_one(odoo19_server):
    uid = odoo19_server.add_user("plain@example.com", "plain@example.com", "Plain", groups="internal")
    env = {"ODOO_URL": odoo19_server.url, "ODOO_DB": odoo19_server.db, "ODOO_USER": "plain@example.com",
           "ODOO_API_KEY": odoo19_server.add_api_key(uid), "COLUMNS": "200"}
    result = runner.invoke(app, ["check"], env=env)
    assert result.exit_code == 1, result.output
    assert "may not create contacts and companies (res.partner)" in result.output
    assert "may not create leads (deals) (crm.lead)" in result.output
    assert "may not create custom fields (ir.model.fields)" in result.output
    assert "Not ready" in result.output
    assert env["ODOO_API_KEY"] not in result.output


def test_missing_module_reported(odoo_server):
    set_module_state(odoo_server, "crm", "uninstalled")
    with connect(odoo_server) as client:
        result = run_check(client)
    assert not result.ok
    crm = items_by_name(result)["crm"]
    assert crm.status == "missing"
    assert "Install the crm module" in crm.advice


def test_admin_cli_json(odoo19_server):
    env = {"ODOO_URL": odoo19_server.url, "ODOO_DB": odoo19_server.db, "ODOO_USER": "admin",
           "ODOO_API_KEY": odoo19_server.api_key, "COLUMNS": "40"}
    result = runner.invoke(app, ["check", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True
    assert data["version"] == "19.0"
    assert data["protocol"] == "JSON-2"
    assert odoo19_server.api_key not in result.output


def test_xmlrpc_on_19_noted(odoo19_server):
    settings = ConnectionSettings(url=odoo19_server.url, db=odoo19_server.db, user="admin",
                                  password=odoo19_server.admin_password)
    with OdooClient.connect(settings) as client:
        result = run_check(client)
    api = items_by_name(result)["API"]
    assert api.status == "note"
    assert "deprecates" in api.detail
    assert "ODOO_API_KEY" in api.advice
    assert result.ok


@pytest.mark.parametrize("state", ["to install", "uninstallable"])
def test_module_not_installed_states(odoo17_server, state):
    set_module_state(odoo17_server, "mail", state)
    with connect(odoo17_server) as client:
        result = run_check(client)
    assert items_by_name(result)["mail"].status == "missing"


def test_enterprise_told_by_web_enterprise(odoo19_server):
    add_module(odoo19_server, "web_enterprise")
    with connect(odoo19_server) as client:
        result = run_check(client)
    assert result.edition == "Enterprise"
    assert items_by_name(result)["edition"].detail == "Enterprise (web_enterprise installed)"
