"""Tests of the Odoo test server, through real HTTP with xmlrpc.client and urllib.

Expected values are those returned by real Odoo 17.0 and 19.0 servers for the same calls.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
import xmlrpc.client
from typing import Any

import pytest

from odoo_server import Call, OdooTestServer


class Client:
    """A minimal XML-RPC and JSON-2 client for one server."""

    def __init__(self, server: OdooTestServer, uid: int = 2, password: str | None = None):
        self.server = server
        self.uid = uid
        self.password = password or server.admin_password
        self.common = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common")
        self.object = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object")

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.object.execute_kw(self.server.db, self.uid, self.password, model, method, list(args), kwargs)

    def fault(self, model: str, method: str, *args: Any, **kwargs: Any) -> xmlrpc.client.Fault:
        with pytest.raises(xmlrpc.client.Fault) as info:
            self.call(model, method, *args, **kwargs)
        return info.value

    def json2(self, model: str, method: str, body: Any, key: str | None = "default",
              database: str | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if key == "default":
            key = self.server.api_key
        if key is not None:
            headers["Authorization"] = f"bearer {key}"
        if database is not None:
            headers["X-Odoo-Database"] = database
        request = urllib.request.Request(
            f"{self.server.url}/json/2/{model}/{method}", data=json.dumps(body).encode(), headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload)
            except ValueError:
                return error.code, payload.decode()


def last_line(fault: xmlrpc.client.Fault) -> str:
    return fault.faultString.strip().splitlines()[-1]


@pytest.fixture
def client(odoo_server: OdooTestServer) -> Client:
    return Client(odoo_server)


@pytest.fixture
def client19(odoo19_server: OdooTestServer) -> Client:
    return Client(odoo19_server)


@pytest.fixture
def client17(odoo17_server: OdooTestServer) -> Client:
    return Client(odoo17_server)


# start-up and common service


def test_server_starts_fast():
    OdooTestServer(version=19)  # builds the seed once per process
    started = time.perf_counter()
    with OdooTestServer(version=19) as server:
        elapsed = time.perf_counter() - started
        assert server.url.startswith("http://127.0.0.1:")
    assert elapsed < 0.2


def test_version_matches_capture(client):
    version = client.common.version()
    expected = f"{client.server.version}.0"
    assert version["server_version"] == expected
    assert version["server_serie"] == expected
    assert version["server_version_info"] == [client.server.version, 0, 0, "final", 0, ""]
    assert version["protocol_version"] == 1


def test_authenticate_admin_and_wrong_password(client):
    assert client.common.authenticate(client.server.db, "admin", client.server.admin_password, {}) == 2
    assert client.common.authenticate(client.server.db, "admin", "wrong", {}) is False
    bad = Client(client.server, password="wrong")
    fault = bad.fault("res.partner", "search_count", [])
    assert fault.faultCode == 3
    assert fault.faultString == "Access Denied"


def test_unknown_database_is_python_fault(client):
    with pytest.raises(xmlrpc.client.Fault) as info:
        client.common.authenticate("no_such_db", "admin", "admin", {})
    assert info.value.faultCode == 1
    assert 'database "no_such_db" does not exist' in last_line(info.value)


def test_unknown_model_method_and_private(client):
    version = client.server.version
    unknown_model = client.fault("x.no.such.model", "search", [])
    assert unknown_model.faultCode == 2
    assert unknown_model.faultString == "Object x.no.such.model doesn't exist"

    unknown_method = client.fault("res.partner", "no_such_method", [])
    assert unknown_method.faultCode == 1
    if version == 19:
        assert last_line(unknown_method) == "AttributeError: The method 'res.partner.no_such_method' does not exist"
    else:
        assert last_line(unknown_method) == (
            "AttributeError: The method 'no_such_method' does not exist on the model 'res.partner'")

    private = client.fault("res.partner", "_compute_display_name", [1])
    assert private.faultCode == 4
    assert "cannot be called remotely" in private.faultString


def test_api_key_as_xmlrpc_password_only_in_19(odoo_server):
    if odoo_server.version == 19:
        key_client = Client(odoo_server, password=odoo_server.api_key)
        assert key_client.call("res.partner", "search_count", []) == 2
        assert len(odoo_server.api_key) == 40
    else:
        assert odoo_server.api_key is None


# res.partner


def test_partner_child_read_back(client):
    company = client.call("res.partner", "create", {"name": "ACME Corp", "is_company": True})
    child = client.call("res.partner", "create", {"name": "John Child", "parent_id": company,
                                                  "email": "john@acme.example"})
    [row] = client.call("res.partner", "read", [child], fields=[
        "name", "display_name", "parent_id", "commercial_partner_id", "type", "is_company", "company_type", "email"])
    assert row == {
        "id": child, "name": "John Child", "display_name": "ACME Corp, John Child",
        "parent_id": [company, "ACME Corp"], "commercial_partner_id": [company, "ACME Corp"],
        "type": "contact", "is_company": False, "company_type": "person", "email": "john@acme.example",
    }


def test_partner_ids_continue_after_seed(client):
    first = client.call("res.partner", "create", {"name": "Only Name"})
    assert first == (7 if client.server.version == 17 else 6)


def test_nameless_delivery_address_display_name(client):
    company = client.call("res.partner", "create", {"name": "ACME Corp", "is_company": True})
    address = client.call("res.partner", "create", {"type": "delivery", "parent_id": company, "street": "Dock 5"})
    [row] = client.call("res.partner", "read", [address], fields=["name", "display_name", "type"])
    label = "Delivery Address" if client.server.version == 17 else "Delivery"
    assert row == {"id": address, "name": False, "display_name": f"ACME Corp, {label}", "type": "delivery"}


@pytest.mark.parametrize("values", [{"email": "noname@example.com"}, {"name": False}])
def test_contact_without_name_rejected(client, values):
    fault = client.fault("res.partner", "create", values)
    assert fault.faultCode == 2
    assert fault.faultString == "The operation cannot be completed: Contacts require a name"


def test_partner_private_type_rejected(client):
    fault = client.fault("res.partner", "create", {"name": "P", "type": "private"})
    assert fault.faultCode == 1
    assert last_line(fault) == "ValueError: Wrong value for res.partner.type: 'private'"


def test_unknown_field_faults_per_version(client):
    partner = client.call("res.partner", "create", {"name": "P"})
    on_create = client.fault("res.partner", "create", {"name": "P", "x_does_not_exist": "abc"})
    on_write = client.fault("res.partner", "write", [partner], {"x_does_not_exist": "abc"})
    assert on_create.faultCode == 1
    assert on_write.faultCode == 1
    if client.server.version == 17:
        expected = "ValueError: Invalid field 'x_does_not_exist' on model 'res.partner'"
        assert last_line(on_create) == expected
        assert last_line(on_write) == expected
    else:
        assert last_line(on_create) == "ValueError: Invalid field 'x_does_not_exist' in 'res.partner'"
        assert last_line(on_write) == "KeyError: 'x_does_not_exist'"


def test_mobile_field_only_in_17(client):
    if client.server.version == 17:
        partner = client.call("res.partner", "create", {"name": "M", "mobile": "+1 555"})
        assert client.call("res.partner", "read", [partner], fields=["mobile"])[0]["mobile"] == "+1 555"
    else:
        fault = client.fault("res.partner", "create", {"name": "M", "mobile": "+1 555"})
        assert last_line(fault) == "ValueError: Invalid field 'mobile' in 'res.partner'"


def test_company_type_sets_is_company(client):
    partner = client.call("res.partner", "create", {"name": "Co", "company_type": "company"})
    [row] = client.call("res.partner", "read", [partner], fields=["is_company", "company_type"])
    assert row["is_company"] is True
    assert row["company_type"] == "company"


# batch create and transactions


def test_batch_create_returns_list(client):
    ids = client.call("res.partner", "create", [{"name": "Batch 0"}, {"name": "Batch 1"}, {"name": "Batch 2"}])
    assert isinstance(ids, list)
    assert len(ids) == 3
    assert ids == sorted(ids)
    assert client.call("res.partner", "create", [{"name": "Single in list"}]) == [ids[-1] + 1]


def test_batch_create_is_atomic(client):
    fault = client.fault("res.partner", "create",
                         [{"name": "Atomic A"}, {"name": "Atomic B", "x_bad": 1}, {"name": "Atomic C"}])
    assert fault.faultCode == 1
    assert client.call("res.partner", "search_count", [["name", "like", "Atomic"]]) == 0
    # The failed call consumed no ids either.
    next_id = client.call("res.partner", "create", {"name": "After"})
    assert next_id == (7 if client.server.version == 17 else 6)


def test_calls_record_batch_sizes(client):
    client.call("res.partner", "create", [{"name": "A"}, {"name": "B"}])
    client.call("res.partner", "search", [])
    assert client.server.calls[-2] == Call("xmlrpc", "res.partner", "create", 2)
    assert client.server.calls[-1].method == "search"


# load


LOAD_FIELDS = ["id", "name", "is_company", "parent_id/id"]


def test_load_creates_and_upserts_by_external_id(client):
    rows = [
        ["__migration__.company_1", "Mig Company 1", "1", ""],
        ["__migration__.contact_1", "Mig Contact 1", "0", "__migration__.company_1"],
        ["__migration__.contact_2", "Mig Contact 2", "0", "__migration__.company_1"],
    ]
    first = client.call("res.partner", "load", LOAD_FIELDS, rows)
    assert first["messages"] == []
    assert first["nextrow"] == 0
    assert len(first["ids"]) == 3

    data = client.call("ir.model.data", "search_read", [["module", "=", "__migration__"]],
                       fields=["module", "name", "model", "res_id", "noupdate"])
    assert [(d["name"], d["model"], d["res_id"], d["noupdate"]) for d in data] == [
        ("company_1", "res.partner", first["ids"][0], False),
        ("contact_1", "res.partner", first["ids"][1], False),
        ("contact_2", "res.partner", first["ids"][2], False),
    ]

    updated = [[row[0], row[1] + " (updated)", row[2], row[3]] for row in rows]
    second = client.call("res.partner", "load", LOAD_FIELDS, updated)
    assert second["ids"] == first["ids"]
    read = client.call("res.partner", "search_read", [["name", "like", "Mig %"]],
                       fields=["name", "parent_id"], order="id")
    assert [r["name"] for r in read] == ["Mig Company 1 (updated)", "Mig Contact 1 (updated)",
                                        "Mig Contact 2 (updated)"]
    assert read[1]["parent_id"] == [first["ids"][0], "Mig Company 1 (updated)"]


def test_load_missing_external_id_rolls_back(client):
    rows = [
        ["__migration__.company_2", "Mig Company 2", "1", ""],
        ["__migration__.contact_3", "Mig Contact 3", "0", "__migration__.does_not_exist"],
        ["__migration__.contact_4", "Mig Contact 4", "0", "__migration__.company_2"],
    ]
    result = client.call("res.partner", "load", LOAD_FIELDS, rows)
    assert result["ids"] is False
    [message] = result["messages"]
    assert message["rows"] == {"from": 1, "to": 1}
    assert message["record"] == 1
    assert message["type"] == "error"
    assert message["field"] == "parent_id"
    assert message["field_name"] == "Related Company"
    assert message["message"] == (
        "No matching record found for external id '__migration__.does_not_exist' in field 'Related Company'")
    assert message["moreinfo"]["res_model"] == "ir.model.data"
    assert client.call("res.partner", "search_count", [["name", "like", "Mig %"]]) == 0
    assert client.call("ir.model.data", "search_count", [["module", "=", "__migration__"]]) == 0


def test_load_bad_boolean_and_empty_name(client):
    rows = [
        ["__migration__.company_3", "Mig Company 3", "1", ""],
        ["__migration__.contact_5", "Mig Contact 5", "maybe", ""],
        ["__migration__.contact_6", "", "0", ""],
    ]
    result = client.call("res.partner", "load", LOAD_FIELDS, rows)
    assert result == {
        "ids": False,
        "messages": [
            {"rows": {"from": 1, "to": 1}, "type": "error", "record": 1, "field": "is_company",
             "message": "Unknown value 'maybe' for boolean field 'Is a Company'",
             "moreinfo": "Use '1' for yes and '0' for no", "field_name": "Is a Company"},
            {"rows": {"from": 2, "to": 2}, "record": 2, "type": "error", "message": "Contacts require a name"},
        ],
        "nextrow": 0,
    }
    assert client.call("res.partner", "search_count", [["name", "=", "Mig Company 3"]]) == 0


def test_load_bare_external_id_goes_to_import_module(client):
    result = client.call("res.partner", "load", ["id", "name"], [["bare_name", "Bare Xmlid"]])
    [row] = client.call("ir.model.data", "search_read", [["name", "=", "bare_name"]],
                        fields=["module", "name", "model", "res_id"])
    assert row["module"] == "__import__"
    assert row["res_id"] == result["ids"][0]


def test_load_unknown_column_fault_per_version(client):
    fault = client.fault("res.partner", "load", ["id", "name", "no_such_field"], [["x.nsf", "NSF", "x"]])
    assert fault.faultCode == 1
    if client.server.version == 17:
        assert last_line(fault) == "KeyError: 'no_such_field'"
    else:
        assert last_line(fault) == "ValueError: Invalid field name 'no_such_field'"


def test_load_relations_by_name_database_id_and_tags(client):
    country_us = client.call("res.country", "search", [["code", "=", "US"]])[0]
    tags = client.call("res.partner.category", "create", [{"name": "Red"}, {"name": "Blue"}])
    result = client.call("res.partner", "load", ["name", "country_id", "category_id", "industry_id/.id"],
                         [["Loaded", "United States", "Red,Blue", "1"]])
    assert result["messages"] == []
    [row] = client.call("res.partner", "read", result["ids"], fields=["country_id", "category_id", "industry_id"])
    assert row["country_id"][0] == country_us
    assert sorted(row["category_id"]) == sorted(tags)
    assert row["industry_id"] == [1, "Agriculture"]


def test_load_datetime_uses_context_tz(client):
    lead_fields = ["id", "name", "date_closed", "date_deadline"]
    result = client.call("crm.lead", "load", lead_fields,
                         [["lead_tz", "Tz lead", "2024-01-15 10:00:00", "2024-02-01"]],
                         context={"tz": "Europe/Paris"})
    [row] = client.call("crm.lead", "read", result["ids"], fields=["date_closed", "date_deadline"])
    assert row["date_closed"] == "2024-01-15 09:00:00"
    assert row["date_deadline"] == "2024-02-01"


def test_load_update_by_database_id(client):
    partner = client.call("res.partner", "create", {"name": "Old"})
    result = client.call("res.partner", "load", [".id", "name"], [[str(partner), "New"]])
    assert result["ids"] == [partner]
    assert client.call("res.partner", "read", [partner], fields=["name"])[0]["name"] == "New"


# crm


def test_lead_full_create_and_sanitised_description(client):
    tags = client.call("crm.tag", "create", [{"name": "Tag A"}, {"name": "Tag B"}])
    company = client.call("res.partner", "create", {"name": "ACME Corp", "is_company": True})
    lead = client.call("crm.lead", "create", {
        "type": "opportunity", "name": "Big deal", "expected_revenue": 12345.67, "date_deadline": "2020-06-30",
        "probability": 42.5, "stage_id": 1, "partner_id": company, "user_id": 2, "team_id": 1,
        "tag_ids": [[6, 0, tags]],
        "description": '<p>Hello <b>world</b></p><script>alert(1)</script>'
                       '<p style="color:red" onclick="x()">styled</p>',
    })
    fields = ["name", "type", "expected_revenue", "date_deadline", "probability", "stage_id", "partner_id",
              "user_id", "team_id", "tag_ids", "description", "partner_name", "active", "date_closed"]
    [row] = client.call("crm.lead", "read", [lead], fields=fields)
    assert row["description"] == '<p>Hello <b>world</b></p><p style="color:red">styled</p>'
    assert row["stage_id"] == [1, "New"]
    assert row["partner_id"] == [company, "ACME Corp"]
    assert row["user_id"] == [2, "Administrator"]
    assert row["team_id"] == [1, "Sales"]
    assert row["tag_ids"] == tags
    assert row["expected_revenue"] == 12345.67
    assert row["probability"] == 42.5
    assert row["date_deadline"] == "2020-06-30"
    assert row["partner_name"] == "ACME Corp"
    assert row["date_closed"] is False


def test_lead_won_status_only_in_19(client):
    lead = client.call("crm.lead", "create", {"name": "W"})
    if client.server.version == 19:
        assert client.call("crm.lead", "read", [lead], fields=["won_status"])[0]["won_status"] == "pending"
        client.call("crm.lead", "write", [lead], {"stage_id": 4})
        [row] = client.call("crm.lead", "read", [lead], fields=["won_status", "probability", "date_closed"])
        assert row["won_status"] == "won"
        assert row["probability"] == 100
        assert row["date_closed"]
        client.call("crm.lead", "write", [lead], {"stage_id": 1, "active": False, "probability": 0})
        [row] = client.call("crm.lead", "search_read", [["id", "=", lead]], fields=["won_status"],
                            context={"active_test": False})
        assert row["won_status"] == "lost"
    else:
        fault = client.fault("crm.lead", "read", [lead], fields=["won_status"])
        assert fault.faultCode == 1


def test_lead_default_stage_is_first_by_sequence(client):
    lead = client.call("crm.lead", "create", {"name": "Default stage"})
    assert client.call("crm.lead", "read", [lead], fields=["stage_id"])[0]["stage_id"] == [1, "New"]


def test_lead_invalid_type_and_missing_stage(client):
    bad_type = client.fault("crm.lead", "create", {"name": "Bogus", "type": "bogus"})
    assert last_line(bad_type) == "ValueError: Wrong value for crm.lead.type: 'bogus'"
    bad_stage = client.fault("crm.lead", "create", {"name": "Bad stage", "stage_id": 999999})
    assert bad_stage.faultCode == 2
    if client.server.version == 17:
        assert bad_stage.faultString.endswith("Constraint: crm_lead_stage_id_fkey")
    else:
        assert "Thanks to the following constraint: 'Stage' (stage_id)" in bad_stage.faultString


def test_missing_record_on_write_unlink_and_read(client):
    for method, args in (("write", ([999999], {"name": "x"})), ("unlink", ([999999],))):
        fault = client.fault("crm.lead", method, *args)
        assert fault.faultCode == 2
        assert fault.faultString == "Record does not exist or has been deleted.\n(Record: crm.lead(999999,), User: 2)"
    lead = client.call("crm.lead", "create", {"name": "To delete"})
    assert client.call("crm.lead", "unlink", [lead]) is True
    assert client.call("crm.lead", "read", [lead], fields=["name"]) == []
    assert client.call("crm.lead", "search_read", [["id", "=", lead]], fields=["name"]) == []


def test_stage_team_field_per_version(client):
    team = client.call("crm.team", "create", {"name": "Migration Team"})
    if client.server.version == 19:
        fault = client.fault("crm.stage", "create", {"name": "S", "sequence": 5, "team_id": team})
        assert last_line(fault) == "ValueError: Invalid field 'team_id' in 'crm.stage'"
        stage = client.call("crm.stage", "create", {"name": "S", "sequence": 6, "team_ids": [[6, 0, [team]]]})
        assert client.call("crm.stage", "read", [stage], fields=["team_ids"])[0]["team_ids"] == [team]
    else:
        fault = client.fault("crm.stage", "create", {"name": "S", "team_ids": [[6, 0, [team]]]})
        assert last_line(fault) == "ValueError: Invalid field 'team_ids' on model 'crm.stage'"
        stage = client.call("crm.stage", "create", {"name": "S", "sequence": 5, "team_id": team})
        assert client.call("crm.stage", "read", [stage], fields=["team_id"])[0]["team_id"] == [team, "Migration Team"]


def test_seeded_stages_and_teams(client):
    stages = client.call("crm.stage", "search_read", [], fields=["name", "sequence", "is_won"])
    assert [(s["id"], s["name"], s["sequence"], s["is_won"]) for s in stages] == [
        (1, "New", 1, False), (2, "Qualified", 2, False), (3, "Proposition", 3, False), (4, "Won", 70, True)]
    xmlids = client.call("ir.model.data", "search_read", [["model", "=", "crm.stage"]], fields=["name", "res_id"])
    assert {x["name"]: x["res_id"] for x in xmlids} == {f"stage_lead{i}": i for i in range(1, 5)}
    teams = client.call("crm.team", "search_read", [], fields=["name", "user_id"], context={"active_test": False})
    assert teams[0]["name"] == "Sales"
    assert teams[0]["user_id"] == ([2, "Administrator"] if client.server.version == 19 else False)


def test_tag_names_unique_categories_not(client):
    client.call("crm.tag", "create", {"name": "Colored", "color": 3})
    fault = client.fault("crm.tag", "create", {"name": "Colored", "color": 4})
    assert fault.faultCode == 2
    assert fault.faultString == "The operation cannot be completed: Tag name already exists!"
    first = client.call("res.partner.category", "create", {"name": "Imported", "color": 5})
    second = client.call("res.partner.category", "create", {"name": "Imported", "color": 6})
    assert second == first + 1
    assert client.call("res.partner.category", "read", [first], fields=["name", "color", "parent_id"]) == [
        {"id": first, "name": "Imported", "color": 5, "parent_id": False}]


# search


def test_domain_operators_and_dotted_paths(client):
    company = client.call("res.partner", "create", {"name": "Dom Co", "is_company": True, "email": "co@x.org"})
    people = client.call("res.partner", "create", [
        {"name": "Ann", "parent_id": company, "email": "ann@x.org"},
        {"name": "Bob", "parent_id": company},
        {"name": "Cid", "email": "CID@y.org", "active": False},
    ])
    search = lambda domain, **kw: client.call("res.partner", "search", domain, **kw)  # noqa: E731
    assert search([["email", "ilike", "X.ORG"]], order="id") == [company, people[0]]
    assert search([["email", "=like", "ann@%"]]) == [people[0]]
    assert search([["parent_id.email", "=", "co@x.org"]], order="id") == people[:2]
    assert search([["id", "child_of", company]], order="id") == [company] + people[:2]
    assert search(["|", ["name", "=", "Ann"], ["name", "=", "Bob"]], order="id") == people[:2]
    assert search(["!", ["name", "!=", "Ann"]]) == [people[0]]
    assert search([["name", "=", "Cid"]]) == []
    assert search([["name", "=", "Cid"], ["active", "=", False]]) == [people[2]]
    assert search([["name", "=", "Cid"]], context={"active_test": False}) == [people[2]]
    assert search([["id", "in", people]], order="name desc") == [people[1], people[0]]
    assert search([["id", "not in", people], ["name", "like", "Dom"]]) == [company]
    assert client.call("res.partner", "search_read", [["parent_id", "=", company]], fields=["name"],
                       order="name", limit=1, offset=1) == [{"id": people[1], "name": "Bob"}]


def test_states_share_codes_across_countries(client):
    states = client.call("res.country.state", "search_read", [["code", "=", "CA"]], fields=["country_id"])
    countries = {s["country_id"][1] for s in states}
    assert {"United States", "Spain"} <= countries
    us = client.call("res.country", "search_read", [["code", "=", "US"]], fields=["name"])
    assert us[0]["name"] == "United States"
    xmlid = client.call("ir.model.data", "search_read", [["module", "=", "base"], ["name", "=", "us"]],
                        fields=["model", "res_id"])
    assert xmlid == [{"id": xmlid[0]["id"], "model": "res.country", "res_id": us[0]["id"]}]


def test_industries_seeded(client):
    names = client.call("res.partner.industry", "search_read", [], fields=["name"], order="id")
    assert len(names) == 21
    assert names[0]["name"] == "Agriculture"


def test_name_search_and_fields_get(client):
    client.call("res.partner", "create", {"name": "Searchable Name"})
    found = client.call("res.partner", "name_search", "Searchable")
    assert [name for _, name in found] == ["Searchable Name"]
    description = client.call("crm.stage", "fields_get", attributes=["type", "relation"])
    team_field = "team_ids" if client.server.version == 19 else "team_id"
    assert description[team_field]["relation"] == "crm.team"
    assert set(description["name"]) == {"type"}


def test_x2many_commands(client):
    tags = client.call("res.partner.category", "create", [{"name": "T1"}, {"name": "T2"}, {"name": "T3"}])
    partner = client.call("res.partner", "create", {"name": "Tagged", "category_id": [[6, 0, tags[:2]]]})
    read = lambda: client.call("res.partner", "read", [partner], fields=["category_id"])[0]["category_id"]  # noqa: E731
    client.call("res.partner", "write", [partner], {"category_id": [[4, tags[2]], [3, tags[0]]]})
    assert sorted(read()) == tags[1:]
    client.call("res.partner", "write", [partner], {"category_id": [[0, 0, {"name": "T4"}]]})
    assert len(read()) == 3
    client.call("res.partner", "write", [partner], {"category_id": [[5, 0, 0]]})
    assert read() == []
    company = client.call("res.partner", "create", {"name": "Parent", "is_company": True,
                                                    "child_ids": [[0, 0, {"name": "Kid"}]]})
    kids = client.call("res.partner", "read", [company], fields=["child_ids"])[0]["child_ids"]
    assert client.call("res.partner", "read", kids, fields=["parent_id"])[0]["parent_id"] == [company, "Parent"]


# ir.model.data


def test_model_data_unique_and_removed_with_record(client):
    partner = client.call("res.partner", "create", {"name": "Xmlid target"})
    client.call("ir.model.data", "create", {"module": "__migration__", "name": "partner_x", "model": "res.partner",
                                            "res_id": partner})
    fault = client.fault("ir.model.data", "create", {"module": "__migration__", "name": "partner_x",
                                                     "model": "res.partner", "res_id": 6})
    assert fault.faultCode == 2
    assert fault.faultString == (
        'The operation cannot be completed: duplicate key value violates unique constraint '
        '"ir_model_data_module_name_uniq_index"\n'
        "DETAIL:  Key (module, name)=(__migration__, partner_x) already exists.")
    client.call("res.partner", "unlink", [partner])
    assert client.call("ir.model.data", "search_read", [["name", "=", "partner_x"]], fields=["name"]) == []


# access rights


def test_plain_internal_user_rights_per_version(odoo_server):
    client = Client(odoo_server)
    uid = client.call("res.users", "create", {"name": "Mig User", "login": "miguser", "password": "MigUser-pass-123"})
    groups_field = "groups_id" if odoo_server.version == 17 else "group_ids"
    [row] = client.call("res.users", "read", [uid], fields=[groups_field, "share", "login", "name"])
    assert row["share"] is False
    assert row["name"] == "Mig User"
    assert client.common.authenticate(odoo_server.db, "miguser", "MigUser-pass-123", {}) == uid
    user = Client(odoo_server, uid=uid, password="MigUser-pass-123")
    if odoo_server.version == 19:
        assert row[groups_field] == [1]
        fault = user.fault("res.partner", "create", {"name": "By user"})
        assert fault.faultCode == 4
        assert fault.faultString.startswith("You are not allowed to create 'Contact' (res.partner) records.")
        assert user.fault("crm.lead", "create", {"name": "By user"}).faultCode == 4
    else:
        assert 14 in row[groups_field]
        assert user.call("res.partner", "create", {"name": "By user"})
        assert user.call("crm.lead", "create", {"name": "By user"})
    for model, values in (
        ("ir.model.data", {"module": "__migration__", "name": "by_user", "model": "res.partner", "res_id": 1}),
        ("ir.model.fields", {"name": "x_by_user", "field_description": "x", "model_id": 90, "ttype": "char"}),
    ):
        assert user.fault(model, "create", values).faultCode == 4


def test_add_user_helper(odoo_server):
    uid = odoo_server.add_user("sales", "sales@example.com", "Sales Person", groups="internal")
    client = Client(odoo_server, uid=uid, password="sales")
    [row] = client.call("res.users", "read", [uid], fields=["login", "email", "name", "active", "partner_id"])
    assert row["email"] == "sales@example.com"
    assert row["partner_id"][1] == "Sales Person"
    assert client.fault("crm.lead", "create", {"name": "No"}).faultCode == 4


# JSON-2


def test_json2_create_read_write(client19):
    assert client19.json2("res.partner", "create", {"vals_list": [{"name": "J2 one"}]}) == (200, [6])
    assert client19.json2("res.partner", "create", {"vals_list": {"name": "J2 dict"}}) == (200, [7])
    assert client19.json2("res.partner", "write", {"ids": [6], "vals": {"phone": "+1 555 0100"}}) == (200, True)
    status, rows = client19.json2("res.partner", "read", {"ids": [6], "fields": ["name", "phone", "active"]})
    assert status == 200
    assert rows == [{"id": 6, "name": "J2 one", "phone": "+1 555 0100", "active": True}]
    assert client19.json2("res.partner", "search_count", {"domain": [], "context": {"active_test": False}}) == (200, 7)


@pytest.mark.parametrize("method, body, status, name, message", [
    ("create", {"args": [{"name": "x"}]}, 422, "werkzeug.exceptions.UnprocessableEntity",
     "missing a required argument: 'vals_list'"),
    ("create", {"vals_list": [{"name": "x", "x_bad": 1}]}, 500, "builtins.ValueError",
     "Invalid field 'x_bad' in 'res.partner'"),
    ("create", {"vals_list": [{"email": "n@example.com"}]}, 422, "odoo.exceptions.ValidationError",
     "The operation cannot be completed: Contacts require a name"),
    ("create", {"vals_list": [{"name": "p", "type": "private"}]}, 500, "builtins.ValueError",
     "Wrong value for res.partner.type: 'private'"),
    ("write", {"ids": [999999], "vals": {"phone": "1"}}, 404, "odoo.exceptions.MissingError",
     "Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)"),
    ("no_such_method", {}, 404, "werkzeug.exceptions.NotFound", "The method 'res.partner.no_such_method' does not exist"),
    ("_compute_display_name", {"ids": [1]}, 403, "odoo.exceptions.AccessError",
     "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely."),
    ("search", {"domain": [], "bogus_kw": 1}, 422, "werkzeug.exceptions.UnprocessableEntity",
     "got an unexpected keyword argument 'bogus_kw'"),
    ("search", {"ids": [1], "domain": []}, 422, "werkzeug.exceptions.UnprocessableEntity",
     "cannot call res.partner.search with ids"),
])
def test_json2_error_statuses(client19, method, body, status, name, message):
    actual_status, payload = client19.json2("res.partner", method, body)
    assert actual_status == status
    assert payload["name"] == name
    assert payload["message"] == message
    assert payload["arguments"][0] == message
    assert "Traceback" in payload["debug"]


def test_json2_authentication_and_database(client19):
    status, payload = client19.json2("res.partner", "search_count", {"domain": []}, key=None)
    assert status == 401
    assert payload["message"] == "User not authenticated, use an API Key with a Bearer Authorization header."
    status, payload = client19.json2("res.partner", "search_count", {"domain": []}, key="0" * 40)
    assert (status, payload["message"]) == (401, "Invalid apikey")
    status, payload = client19.json2("res.partner", "search_count", {"domain": []}, database="no_such_db")
    assert status == 404
    assert "No database is selected" in payload
    assert client19.json2("res.partner", "search_count", {"domain": []}, database="odoo19") == (200, 2)
    status, payload = client19.json2("x.no.such.model", "search", {"domain": []})
    assert (status, payload["message"]) == (404, "the model 'x.no.such.model' does not exist")


def test_json2_call_is_one_transaction(client19):
    status, _ = client19.json2("res.partner", "create", {"vals_list": [
        {"name": "J2 atomic A"}, {"name": "J2 atomic B", "type": "private"}, {"name": "J2 atomic C"}]})
    assert status == 500
    assert client19.json2("res.partner", "search_count", {"domain": [["name", "like", "J2 atomic"]]}) == (200, 0)


def test_json2_absent_in_17(client17):
    status, _ = client17.json2("res.partner", "search_count", {"domain": []}, key="0" * 40)
    assert status == 404


def test_json2_load_and_stage_fault(client19):
    assert client19.json2("res.partner", "load", {"fields": ["id", "name"], "data": [["j2_x", "J2 X"]]}) == (
        200, {"ids": [6], "messages": [], "nextrow": 0})
    status, payload = client19.json2("crm.lead", "create", {"vals_list": [{"name": "b", "stage_id": 999999}]})
    assert status == 422
    assert payload["name"] == "odoo.exceptions.ValidationError"


# fault injection


def test_fault_unavailable_does_not_run_call(client):
    client.server.inject_fault("res.partner", "create", "unavailable")
    with pytest.raises(xmlrpc.client.ProtocolError) as info:
        client.call("res.partner", "create", {"name": "Never"})
    assert info.value.errcode == 503
    assert client.call("res.partner", "search_count", [["name", "=", "Never"]]) == 0
    assert client.call("res.partner", "create", {"name": "Now"})


def test_fault_drop_after_commit_keeps_effects(client):
    # xmlrpc.client sends a request again once when the connection drops, so both
    # attempts are dropped here, and both committed their batch.
    client.server.inject_fault("res.partner", "create", "drop_after_commit", times=2)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.call("res.partner", "create", [{"name": "Dropped 1"}, {"name": "Dropped 2"}])
    assert client.call("res.partner", "search_count", [["name", "like", "Dropped"]]) == 4
    assert [c.batch_size for c in client.server.calls if c.method == "create"] == [2, 2]


def test_fault_serialization_failure_times(client):
    client.server.inject_fault("res.partner", "write", "serialization_failure", times=2)
    partner = client.call("res.partner", "create", {"name": "Before"})
    for _ in range(2):
        fault = client.fault("res.partner", "write", [partner], {"name": "After"})
        assert fault.faultCode == 1
        assert "SerializationFailure" in last_line(fault)
    assert client.call("res.partner", "read", [partner], fields=["name"])[0]["name"] == "Before"
    assert client.call("res.partner", "write", [partner], {"name": "After"}) is True


def test_fault_injection_on_json2(client19):
    client19.server.inject_fault("res.partner", "create", "unavailable")
    status, _ = client19.json2("res.partner", "create", {"vals_list": [{"name": "x"}]})
    assert status == 503
    client19.server.inject_fault("res.partner", "create", "drop_after_commit")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)):
        client19.json2("res.partner", "create", {"vals_list": [{"name": "Dropped J2"}]})
    assert client19.json2("res.partner", "search_count", {"domain": [["name", "=", "Dropped J2"]]}) == (200, 1)


# mail, attachments and custom fields


def test_message_post_return_type_and_escaping(client):
    lead = client.call("crm.lead", "create", {"name": "Chatter"})
    escaped = client.call("crm.lead", "message_post", [lead], body="<p>Posted <b>via</b> RPC</p>",
                          message_type="comment", subtype_xmlid="mail.mt_note")
    html_post = client.call("crm.lead", "message_post", [lead], body="<p>Posted <b>html</b></p>",
                            body_is_html=True)
    dated = client.call("crm.lead", "message_post", [lead], body="dated post", message_type="comment",
                        subtype_id=2, author_id=3, date="2018-01-02 03:04:05")
    if client.server.version == 17:
        assert all(isinstance(value, int) for value in (escaped, html_post, dated))
        ids = [escaped, html_post, dated]
    else:
        assert all(isinstance(value, list) and len(value) == 1 for value in (escaped, html_post, dated))
        ids = [escaped[0], html_post[0], dated[0]]
    rows = client.call("mail.message", "read", ids, fields=["body", "date", "subtype_id", "model", "res_id"])
    assert rows[0]["body"] == "<p>&lt;p&gt;Posted &lt;b&gt;via&lt;/b&gt; RPC&lt;/p&gt;</p>"
    assert rows[0]["subtype_id"] == [2, "Note"]
    assert rows[1]["body"] == "<p>Posted <b>html</b></p>"
    assert rows[2]["date"] == "2018-01-02 03:04:05"
    assert rows[2]["body"] == "<p>dated post</p>"
    assert (rows[2]["model"], rows[2]["res_id"]) == ("crm.lead", lead)
    unknown = client.fault("crm.lead", "message_post", [lead], body="x", foo=1)
    assert last_line(unknown) == "ValueError: Those values are not supported when posting or notifying: foo"


def test_mail_message_create_keeps_past_date(client):
    lead = client.call("crm.lead", "create", {"name": "History"})
    message = client.call("mail.message", "create", {"model": "crm.lead", "res_id": lead, "body": "<p>Old</p>",
                                                     "message_type": "comment", "subtype_id": 2,
                                                     "date": "2019-03-04 05:06:07"})
    [row] = client.call("mail.message", "read", [message], fields=["date", "body", "author_id"])
    assert row["date"] == "2019-03-04 05:06:07"
    assert row["author_id"] == [3, "Administrator"]


def test_activity_feedback_per_version(client):
    lead = client.call("crm.lead", "create", {"name": "Activity"})
    model_id = 393 if client.server.version == 17 else 421
    activity = client.call("mail.activity", "create", {
        "res_model_id": model_id, "res_id": lead, "activity_type_id": 4, "summary": "Call back",
        "date_deadline": "2020-01-15", "user_id": 2})
    [row] = client.call("mail.activity", "read", [activity], fields=["state", "res_model"])
    assert row == {"id": activity, "state": "overdue", "res_model": "crm.lead"}
    message = client.call("mail.activity", "action_feedback", [activity], feedback="Done via RPC")
    [note] = client.call("mail.message", "read", [message], fields=["message_type", "subtype_id", "model"])
    assert note["message_type"] == "notification"
    assert note["subtype_id"] == [3, "Activities"]
    after = client.call("mail.activity", "search_read", [["id", "=", activity]], fields=["active", "state"],
                        context={"active_test": False})
    if client.server.version == 17:
        assert after == []
    else:
        assert after == [{"id": activity, "active": False, "state": "done"}]


def test_activity_without_res_model_id(client):
    lead = client.call("crm.lead", "create", {"name": "No model"})
    fault = client.fault("mail.activity", "create", {"res_model": "crm.lead", "res_id": lead, "summary": "s"})
    assert fault.faultCode == 2
    if client.server.version == 19:
        assert fault.faultString.endswith("Activities have to be linked to records with a not null res_id.")
    else:
        assert fault.faultString.endswith("Field: Document Model (res_model_id)")


def test_attachment_checksum_and_size(client):
    data = "aGVsbG8gbWlncmF0aW9uCmhlbGxvIG1pZ3JhdGlvbgpoZWxsbyBtaWdyYXRpb24KaGVsbG8gbWlncmF0aW9uCg=="
    attachment = client.call("ir.attachment", "create", {"name": "hello.txt", "datas": data,
                                                         "mimetype": "text/plain", "res_model": "crm.lead",
                                                         "res_id": 1})
    [row] = client.call("ir.attachment", "read", [attachment],
                        fields=["datas", "file_size", "checksum", "store_fname", "mimetype"])
    assert row["datas"] == data
    assert row["file_size"] == 64
    assert row["checksum"] == "e08f0ba6e06351291c35d3c06114d6df51cf0a23"
    assert row["store_fname"] == "e0/e08f0ba6e06351291c35d3c06114d6df51cf0a23"


def test_custom_fields_become_real_fields(client):
    model_id = 85 if client.server.version == 17 else 90
    client.call("ir.model.fields", "create", [
        {"name": "x_mig_char", "field_description": "Mig char", "model_id": model_id, "ttype": "char"},
        {"name": "x_mig_selection", "field_description": "Mig selection", "model_id": model_id,
         "ttype": "selection", "selection": "[('a', 'Alpha'), ('b', 'Beta')]"},
        {"name": "x_mig_selection_ids", "field_description": "Mig selection", "model_id": model_id,
         "ttype": "selection", "selection_ids": [[0, 0, {"value": "a", "name": "Alpha", "sequence": 1}]]},
    ])
    description = client.call("res.partner", "fields_get", ["x_mig_char", "x_mig_selection", "x_mig_selection_ids"],
                              attributes=["string", "type", "selection", "manual"])
    assert description["x_mig_char"] == {"string": "Mig char", "type": "char", "manual": True}
    assert description["x_mig_selection"]["selection"] == [["a", "Alpha"], ["b", "Beta"]]
    assert description["x_mig_selection_ids"]["selection"] == [["a", "Alpha"]]
    partner = client.call("res.partner", "create", {"name": "Custom", "x_mig_char": "c", "x_mig_selection": "b"})
    assert client.call("res.partner", "read", [partner], fields=["x_mig_char", "x_mig_selection"]) == [
        {"id": partner, "x_mig_char": "c", "x_mig_selection": "b"}]
    loaded = client.call("res.partner", "load", ["name", "x_mig_selection"], [["Loaded custom", "a"]])
    assert loaded["messages"] == []
    prefix = client.fault("ir.model.fields", "create", {"name": "mig_noprefix", "field_description": "No prefix",
                                                        "model_id": model_id, "ttype": "char"})
    assert prefix.faultString == "The operation cannot be completed: Custom fields must have a name that starts with 'x_'!"


def test_custom_field_rolled_back_with_failed_batch(client):
    model_id = 85 if client.server.version == 17 else 90
    client.fault("ir.model.fields", "create", [
        {"name": "x_gone", "field_description": "Gone", "model_id": model_id, "ttype": "char"},
        {"name": "bad_name", "field_description": "Bad", "model_id": model_id, "ttype": "char"},
    ])
    assert "x_gone" not in client.call("res.partner", "fields_get", attributes=["type"])


def test_inherited_view_with_custom_field(client):
    model_id = 85 if client.server.version == 17 else 90
    client.call("ir.model.fields", "create", {"name": "x_mig_code", "field_description": "Code",
                                              "model_id": model_id, "ttype": "char"})
    [form] = client.call("ir.model.data", "search_read", [["module", "=", "base"], ["name", "=", "view_partner_form"]],
                         fields=["res_id"])
    arch = '<xpath expr="//field[@name=\'name\']" position="after"><field name="x_mig_code"/></xpath>'
    view = client.call("ir.ui.view", "create", {"name": "partner.mig", "model": "res.partner",
                                                "inherit_id": form["res_id"], "arch": arch})
    [row] = client.call("ir.ui.view", "read", [view], fields=["mode", "inherit_id", "arch", "type"])
    assert row["mode"] == "extension"
    assert row["inherit_id"][0] == form["res_id"]
    assert row["arch"] == arch
    assert row["type"] == "form"
    bad_arch = '<xpath expr="//form" position="inside"><field name="x_not_a_field"/></xpath>'
    fault = client.fault("ir.ui.view", "create", {"name": "bad", "inherit_id": form["res_id"], "arch": bad_arch})
    assert fault.faultCode == 2


def test_db_service_execute_and_login(client):
    db_service = xmlrpc.client.ServerProxy(f"{client.server.url}/xmlrpc/2/db")
    assert db_service.list() == [client.server.db]
    assert client.common.login(client.server.db, "admin", client.server.admin_password) == 2
    count = client.object.execute(client.server.db, 2, client.server.admin_password, "res.partner", "search_count", [])
    assert count == 2


def test_lead_lost_then_won(client):
    lead = client.call("crm.lead", "create", {"name": "Lost then won"})
    assert client.call("crm.lead", "action_set_lost", [lead], lost_reason_id=1) is True
    fields = ["active", "probability", "lost_reason_id", "date_closed"]
    [lost] = client.call("crm.lead", "search_read", [["id", "=", lead]], fields=fields, context={"active_test": False})
    assert lost["active"] is False
    assert lost["probability"] == 0
    assert lost["lost_reason_id"] == [1, "Too expensive"]
    assert lost["date_closed"]
    client.call("crm.lead", "action_set_won", [lead])
    [won] = client.call("crm.lead", "read", [lead], fields=["active", "probability", "stage_id"])
    assert won == {"id": lead, "active": True, "probability": 100, "stage_id": [4, "Won"]}


def test_read_all_fields_of_every_model(client):
    for model in ("res.partner", "res.users", "crm.stage", "crm.team", "res.company", "ir.model.fields"):
        ids = client.call(model, "search", [], limit=1, context={"active_test": False})
        [row] = client.call(model, "read", ids)
        assert row["id"] == ids[0]
        assert None not in row.values()


def test_get_external_id_cannot_be_marshalled(client):
    fault = client.fault("res.partner", "get_external_id", [1])
    assert fault.faultCode == 1
    assert last_line(fault) == "TypeError: dictionary key must be string"


def test_get_external_id_over_json2(client19):
    assert client19.json2("res.partner", "get_external_id", {"ids": [1]}) == (200, {"1": "base.main_partner"})


def test_unknown_field_in_read_and_order(client):
    fault = client.fault("res.partner", "read", [1], fields=["no_such_field"])
    assert last_line(fault) == "ValueError: Invalid field 'no_such_field' on model 'res.partner'"
    fault = client.fault("res.partner", "search", [], order="no_such_field")
    assert last_line(fault) == "ValueError: Invalid field 'no_such_field' on model 'res.partner'"


def test_partner_website_gets_scheme(client):
    partner = client.call("res.partner", "create", {"name": "Web", "website": "example.com"})
    assert client.call("res.partner", "read", [partner], fields=["website"])[0]["website"] == "http://example.com"
    client.call("res.partner", "write", [partner], {"website": "https://example.org/x"})
    assert client.call("res.partner", "read", [partner], fields=["website"])[0]["website"] == "https://example.org/x"


def test_contact_address_and_vat_follow_company(client):
    company = client.call("res.partner", "create", {"name": "Co", "is_company": True, "vat": "BE0477472701"})
    first = client.call("res.partner", "create", {"name": "First", "parent_id": company, "street": "Own street",
                                                  "city": "Gent"})
    [company_row] = client.call("res.partner", "read", [company], fields=["street", "city"])
    assert company_row["street"] == "Own street"
    assert company_row["city"] == "Gent"
    second = client.call("res.partner", "create", {"name": "Second", "parent_id": company, "street": "Mine"})
    client.call("res.partner", "write", [company], {"city": "Brussels", "vat": "BE0477472702"})
    rows = client.call("res.partner", "read", [first, second], fields=["street", "city", "vat"])
    assert [row["city"] for row in rows] == ["Brussels", "Brussels"]
    assert [row["vat"] for row in rows] == ["BE0477472702", "BE0477472702"]
    assert rows[1]["street"] == "Own street"


def test_load_unresolved_references_by_name_and_database_id(client):
    result = client.call("res.partner", "load", ["name", "country_id", "industry_id/.id"],
                         [["A", "Atlantis", ""], ["B", "", "999999"]])
    assert result["ids"] is False
    by_name, by_database_id = result["messages"]
    assert by_name["record"] == 0
    assert by_name["message"] == "No matching record found for name 'Atlantis' in field 'Country'"
    assert by_name["moreinfo"]["res_model"] == "res.country"
    assert by_database_id["record"] == 1
    assert by_database_id["message"] == "No matching record found for database id '999999' in field 'Industry'"
    assert by_database_id["moreinfo"]["domain"] == [["model", "=", "res.partner.industry"]]


def test_copy_metadata_and_followers(client):
    tag = client.call("res.partner.category", "create", {"name": "Copied tag"})
    partner = client.call("res.partner", "create", {"name": "Original", "category_id": [[6, 0, [tag]]]})
    duplicate = client.call("res.partner", "copy", [partner])
    [row] = client.call("res.partner", "read", [duplicate], fields=["name", "category_id"])
    assert row == {"id": duplicate, "name": "Original (copy)", "category_id": [tag]}
    [metadata] = client.call("res.partner", "get_metadata", [1])
    assert metadata["xmlid"] == "base.main_partner"
    lead = client.call("crm.lead", "create", {"name": "Followed"})
    assert client.call("crm.lead", "message_subscribe", [lead], partner_ids=[partner]) is True
    followers = client.call("mail.followers", "search_read", [["res_model", "=", "crm.lead"], ["res_id", "=", lead]],
                            fields=["partner_id"])
    assert [f["partner_id"][0] for f in followers] == [partner]
    assert client.call("crm.lead", "message_unsubscribe", [lead], partner_ids=[partner]) is True
    assert client.call("mail.followers", "search_count", [["res_id", "=", lead]]) == 0


# installed modules and the access-right methods


def plain_user(server: OdooTestServer) -> Client:
    uid = server.add_user("plain", "plain@example.com", "Plain User", groups="internal")
    return Client(server, uid=uid, password="plain")


def test_installed_modules_read_by_admin(client):
    rows = client.call("ir.module.module", "search_read", [["name", "in", ["crm", "mail", "base_automation"]]],
                       fields=["name", "state"])
    assert {row["name"]: row["state"] for row in rows} == {
        "crm": "installed", "mail": "installed", "base_automation": "uninstalled"}
    assert client.call("ir.module.module", "search_count", [["state", "=", "installed"]]) == (
        39 if client.server.version == 17 else 44)
    assert client.call("ir.module.module", "search_count", [["name", "=", "web_enterprise"]]) == 0


def test_installed_modules_refused_to_internal_user(odoo_server):
    fault = plain_user(odoo_server).fault("ir.module.module", "search_read", [], fields=["name"])
    assert fault.faultCode == 4
    assert fault.faultString.startswith("You are not allowed to access 'Module' (ir.module.module) records.")


def test_has_access_only_from_19(odoo_server):
    client = Client(odoo_server)
    user = plain_user(odoo_server)
    if odoo_server.version == 17:
        fault = client.fault("res.partner", "has_access", [], "create")
        assert fault.faultCode == 1
        assert last_line(fault) == "AttributeError: The method 'has_access' does not exist on the model 'res.partner'"
        return
    assert client.call("res.partner", "has_access", [], "create") is True
    assert user.call("res.partner", "has_access", [], "create") is False
    assert user.call("res.partner", "has_access", [], "read") is True
    assert user.call("crm.lead", "has_access", [], "create") is False
    assert user.call("ir.model.fields", "has_access", [], "create") is False
    assert user.call("res.partner.category", "has_access", [], "create") is False
    assert last_line(client.fault("res.partner", "has_access", [], "delete")) == "AssertionError: Invalid access mode"


def test_check_access_rights_both_versions(odoo_server):
    client = Client(odoo_server)
    user = plain_user(odoo_server)
    assert client.call("res.partner", "check_access_rights", "create", raise_exception=False) is True
    assert user.call("ir.model.fields", "check_access_rights", "create", raise_exception=False) is False
    # 19.0 returns check_access's None, which XML-RPC sends as False.
    expected = True if odoo_server.version == 17 else False
    assert client.call("res.partner", "check_access_rights", "create") is expected
    fault = user.fault("crm.team", "check_access_rights", "create")
    assert fault.faultCode == 4


def test_check_access_private_on_19(client19, client17):
    fault = client19.fault("res.partner", "check_access", "create")
    assert fault.faultCode == 4
    assert fault.faultString == "Private methods (such as 'res.partner.check_access') cannot be called remotely."
    status, payload = client19.json2("res.partner", "check_access", {"operation": "create"})
    assert status == 403
    assert fault.faultString == payload["message"]
    assert client17.fault("res.partner", "check_access", [], "create").faultCode == 1


def test_has_access_over_json2(odoo19_server):
    client = Client(odoo19_server)
    uid = odoo19_server.add_user("keyed", "keyed@example.com", groups="internal")
    key = odoo19_server.add_api_key(uid)
    assert client.json2("crm.lead", "has_access", {"ids": [], "operation": "create"}) == (200, True)
    assert client.json2("crm.lead", "has_access", {"ids": [], "operation": "create"}, key=key) == (200, False)


def test_partner_category_create_refused_to_internal_user(odoo_server):
    fault = plain_user(odoo_server).fault("res.partner.category", "create", {"name": "Nope"})
    assert fault.faultCode == 4
    assert fault.faultString.startswith("You are not allowed to create")
