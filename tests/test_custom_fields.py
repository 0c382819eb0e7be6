"""Custom fields, secondary companies and stage history, migrated into Odoo 17 and 19 and read back."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from allegory2odoo.ledger.store import Ledger
from allegory2odoo.load.context import RunOptions
from allegory2odoo.load.runner import migrate
from allegory2odoo.mapping.records import MappingOptions
from allegory2odoo.odoo import ConnectionSettings, OdooClient, errors
from migration_helpers import connect, run, seed_owners, xmlid_res_id

EXPORT = Path(__file__).resolve().parent / "cases" / "custom_fields" / "export"
MAPPING = MappingOptions(source_tz=ZoneInfo("Europe/Paris"), date_order="dmy")

PARTNER_FIELDS = {
    "x_migration_secondary_companies": ("text", False),
    "x_allegory_client_tier": ("selection", False),
    "x_allegory_annual_fees": ("float", False),
    "x_allegory_onboarded": ("date", False),
    "x_allegory_conflict_cleared": ("boolean", False),
    "x_allegory_risk_memo": ("html", False),
    "x_allegory_fee_band": ("char", True),
    "x_allegory_languages": ("text", False),
    "x_allegory_last_call": ("datetime", False),
    "x_allegory_referral_count": ("integer", False),
}
LEAD_FIELDS = {
    "x_allegory_entered_s_1": ("datetime", True),
    "x_allegory_entered_s_2": ("datetime", True),
    "x_allegory_entered_s_3": ("datetime", True),
    "x_allegory_matter_type": ("selection", False),
    "x_allegory_estimated_hours": ("float", False),
    "x_allegory_fee_score": ("float", True),
    "x_allegory_client_tier": ("char", False),
}


def migrate_case(server, tmp_path, **options):
    options.setdefault("mapping", MAPPING)
    options.setdefault("checklist_path", tmp_path / "checklist.md")
    return run(server, tmp_path / "ledger.sqlite", export=EXPORT, **options)


@pytest.fixture
def created(odoo_server, tmp_path):
    result = migrate_case(odoo_server, tmp_path, create_custom_fields=True)
    client = connect(odoo_server)
    yield odoo_server, client, result
    client.close()


def read_record(client, model, xmlid_name, fields):
    res_id = xmlid_res_id(client, xmlid_name)
    assert res_id is not None, f"no record with external ID __allegory__.{xmlid_name}"
    return client.call(model, "read", [res_id], fields, context={"active_test": False})[0]


def custom_field_rows(client, model):
    return {row["name"]: row for row in client.search_read(
        "ir.model.fields", [("model", "=", model), ("name", "=like", "x_%")],
        ["name", "ttype", "readonly", "required", "relation", "field_description", "help"])}


def operation_reasons(ledger_path, run_id, kind, source_id):
    ledger = Ledger(ledger_path)
    try:
        return [op.reason or "" for op in ledger.operations(run_id) if op.kind == kind and op.source_id == source_id]
    finally:
        ledger.close()


def test_fields_created_with_types(created):
    _server, client, result = created
    for model, expected in (("res.partner", PARTNER_FIELDS), ("crm.lead", LEAD_FIELDS)):
        rows = custom_field_rows(client, model)
        assert set(rows) == set(expected), model
        for name, (ttype, readonly) in expected.items():
            assert rows[name]["ttype"] == ttype, f"{model}.{name}"
            assert rows[name]["readonly"] is readonly, f"{model}.{name}"
            assert rows[name]["required"] is False, f"{model}.{name}"
    assert result.stats["custom fields"]["created"] == 17
    assert result.stats["custom fields"]["rejected"] == 2


def test_field_labels_and_help(created):
    _server, client, _result = created
    partner = custom_field_rows(client, "res.partner")
    lead = custom_field_rows(client, "crm.lead")
    assert partner["x_allegory_client_tier"]["field_description"] == "Client tier"
    assert lead["x_allegory_entered_s_2"]["field_description"] == "Entered Conflict Check"
    assert "Allegory" in partner["x_allegory_fee_band"]["help"]
    assert "read-only copy" in partner["x_allegory_fee_band"]["help"]


def test_fields_have_external_ids(created):
    _server, client, _result = created
    for model, names in (("res.partner", PARTNER_FIELDS), ("crm.lead", LEAD_FIELDS)):
        for name in names:
            field_id = xmlid_res_id(client, f"field_{model.replace('.', '_')}_{name}")
            assert field_id is not None, f"{model}.{name} has no external ID"


def test_selection_keys_and_labels(created):
    _server, client, _result = created
    rows = client.search_read("ir.model.fields.selection",
                              [("field_id.name", "in", ["x_allegory_client_tier", "x_allegory_matter_type"])],
                              ["field_id", "value", "name", "sequence"])
    by_field: dict[str, list] = {}
    for row in sorted(rows, key=lambda row: row["sequence"]):
        by_field.setdefault(row["field_id"][1], []).append((row["value"], row["name"]))
    tiers = next(pairs for label, pairs in by_field.items() if label.startswith("Client tier"))
    matter_types = next(pairs for label, pairs in by_field.items() if label.startswith("Matter type"))
    assert tiers == [("gold", "Gold"), ("silver", "Silver"), ("bronze", "Bronze")]
    assert matter_types == [("advisory", "Advisory"), ("transactional", "Transactional"), ("contentious", "Contentious")]


def test_company_values(created):
    _server, client, _result = created
    names = ["x_allegory_client_tier", "x_allegory_annual_fees", "x_allegory_onboarded",
             "x_allegory_conflict_cleared", "x_allegory_risk_memo", "x_allegory_fee_band"]
    harbour = read_record(client, "res.partner", "company_CO_1", names)
    assert harbour["x_allegory_client_tier"] == "gold"
    assert harbour["x_allegory_annual_fees"] == 125000.5
    assert harbour["x_allegory_onboarded"] == "2023-04-03"
    assert harbour["x_allegory_conflict_cleared"] is True
    assert harbour["x_allegory_risk_memo"] == "<p>Watch the **sanctions** list</p>"
    assert harbour["x_allegory_fee_band"] == "High"
    muller = read_record(client, "res.partner", "company_CO_3", ["x_allegory_client_tier", "x_allegory_annual_fees"])
    assert muller["x_allegory_client_tier"] == "silver"
    assert muller["x_allegory_annual_fees"] == 0.0


def test_option_not_listed_left_empty(created, tmp_path):
    _server, client, result = created
    nordlys = read_record(client, "res.partner", "company_CO_2",
                          ["x_allegory_client_tier", "x_allegory_annual_fees", "x_allegory_conflict_cleared"])
    assert nordlys["x_allegory_client_tier"] is False
    assert nordlys["x_allegory_annual_fees"] == 9800.0
    assert nordlys["x_allegory_conflict_cleared"] is False
    reasons = " ".join(operation_reasons(tmp_path / "ledger.sqlite", result.run_id, "companies", "CO-2"))
    assert "'Platinum' is not one of its options" in reasons
    assert "x_allegory_client_tier" in reasons
    lead = read_record(client, "crm.lead", "deal_M_2", ["x_allegory_matter_type", "x_allegory_estimated_hours"])
    assert lead["x_allegory_matter_type"] is False
    assert lead["x_allegory_estimated_hours"] == 40.0
    assert any("3 pick-list values are not among their field's options" in note for note in result.notes)
    assert result.rejected == 4  # two definitions and two stage history rows, none of the records


def test_contact_values(created, tmp_path):
    _server, client, result = created
    names = ["x_allegory_languages", "x_allegory_last_call", "x_allegory_referral_count"]
    zoe = read_record(client, "res.partner", "contact_CT_1", names)
    assert zoe["x_allegory_languages"] == "English; German"
    assert zoe["x_allegory_last_call"] == "2024-03-10 13:30:00"  # 14:30 in Paris, in winter time
    assert zoe["x_allegory_referral_count"] == 3
    soren = read_record(client, "res.partner", "contact_CT_2", names)
    assert soren["x_allegory_languages"] == "French"
    assert soren["x_allegory_last_call"] == "2024-07-01 07:00:00"  # 09:00 in Paris, in summer time
    assert soren["x_allegory_referral_count"] == 0
    reasons = " ".join(operation_reasons(tmp_path / "ledger.sqlite", result.run_id, "contacts", "CT-2"))
    assert "'Klingon' is not among its options" in reasons
    assert "'two' is not a whole number" in reasons


def test_deal_values(created):
    _server, client, _result = created
    lead = read_record(client, "crm.lead", "deal_M_1", ["x_allegory_matter_type", "x_allegory_estimated_hours",
                                                        "x_allegory_fee_score", "x_allegory_client_tier"])
    assert lead["x_allegory_matter_type"] == "transactional"
    assert lead["x_allegory_estimated_hours"] == 120.5
    assert lead["x_allegory_fee_score"] == 241.0
    assert lead["x_allegory_client_tier"] == "Gold"


def test_inherited_views(created):
    _server, client, _result = created
    for model, name, parent, fields in (
        ("res.partner", "view_partner_form_allegory", ("base", "view_partner_form"), PARTNER_FIELDS),
        ("crm.lead", "view_crm_lead_form_allegory", ("crm", "crm_lead_view_form"), LEAD_FIELDS),
    ):
        view = read_record(client, "ir.ui.view", name, ["model", "inherit_id", "arch", "type", "mode"])
        parent_id = client.search_read("ir.model.data", [("module", "=", parent[0]), ("name", "=", parent[1])],
                                       ["res_id"])[0]["res_id"]
        assert view["model"] == model
        assert view["inherit_id"][0] == parent_id
        assert view["type"] == "form"
        assert view["mode"] == "extension"
        assert '<page string="Migrated from Allegory" name="allegory_migration">' in view["arch"]
        assert '<xpath expr="//notebook" position="inside">' in view["arch"]
        for field_name in fields:
            assert f'<field name="{field_name}"' in view["arch"], field_name


def test_secondary_companies_text(created):
    _server, client, result = created
    zoe = read_record(client, "res.partner", "contact_CT_1", ["x_migration_secondary_companies", "parent_id"])
    assert zoe["x_migration_secondary_companies"] == "Harbour Logistics Ltd (CO-1)\nNordlys Shipping A/S (CO-2)"
    assert zoe["parent_id"][0] == xmlid_res_id(client, "company_CO_3")
    ada = read_record(client, "res.partner", "contact_CT_3", ["x_migration_secondary_companies"])
    assert ada["x_migration_secondary_companies"] is False
    assert result.stats["secondary companies"]["updated"] == 1


def test_stage_timestamps_in_utc(created, tmp_path):
    _server, client, result = created
    stages = ["x_allegory_entered_s_1", "x_allegory_entered_s_2", "x_allegory_entered_s_3"]
    won = read_record(client, "crm.lead", "deal_M_1", stages)
    assert won["x_allegory_entered_s_1"] == "2024-01-02 08:00:00"
    assert won["x_allegory_entered_s_2"] == "2024-01-05 09:00:00"  # the first of two entries
    assert won["x_allegory_entered_s_3"] == "2024-02-01 07:00:00"
    open_deal = read_record(client, "crm.lead", "deal_M_2", stages)
    assert open_deal["x_allegory_entered_s_1"] == "2024-03-01 09:00:00"
    assert open_deal["x_allegory_entered_s_2"] is False
    reasons = " ".join(operation_reasons(tmp_path / "ledger.sqlite", result.run_id, "stage history", "M-1"))
    assert "entered stage S-2 again at 2024-01-20 11:00:00 UTC" in reasons


def test_stage_rows_rejected(created):
    _server, _client, result = created
    rejects = {(op.kind, op.source_id): op.reason for op in result.rejects}
    assert "not loaded" in rejects[("stage history", "M-9")]
    assert "'S-7' is not in the stages file" in rejects[("stage history", "M-2")]
    assert "'Hologram' is not an Allegory field type" in rejects[("custom fields", "CF-15")]
    assert "already taken by custom field 'CF-10'" in rejects[("custom fields", "CF-14")]


def test_checklist_lists_fields(created, tmp_path):
    _server, _client, _result = created
    text = (tmp_path / "checklist.md").read_text(encoding="utf-8")
    assert "| 2 | Client tier | `x_allegory_client_tier` | selection | `gold`: Gold; `silver`: Silver; `bronze`: Bronze |" in text
    assert "| 7 | Fee band | `x_allegory_fee_band` | char |  | yes |" in text
    assert "created by this run" in text
    assert "`__allegory__.view_crm_lead_form_allegory`" in text
    assert "CF-14 (custom_fields.csv, row 15)" in text


def test_second_run_creates_nothing(created, tmp_path):
    server, client, _result = created
    counts = {model: client.call(model, "search_count", [], context={"active_test": False})
              for model in ("ir.model.fields", "ir.ui.view", "res.partner", "crm.lead")}
    again = migrate_case(server, tmp_path, create_custom_fields=True)
    assert sum(stats["created"] for stats in again.stats.values()) == 0
    assert again.stats["custom fields"]["skipped"] == 17
    assert again.stats["form views"]["skipped"] == 2
    assert again.stats["secondary companies"]["skipped"] == 1
    assert again.stats["stage history"]["skipped"] == 2
    for model, before in counts.items():
        assert client.call(model, "search_count", [], context={"active_test": False}) == before, model


def test_without_option_nothing_created(odoo_server, tmp_path):
    result = migrate_case(odoo_server, tmp_path)
    with connect(odoo_server) as client:
        assert custom_field_rows(client, "res.partner") == {}
        assert custom_field_rows(client, "crm.lead") == {}
        assert xmlid_res_id(client, "view_partner_form_allegory") is None
        assert result.stats["companies"]["created"] == 3
        assert result.stats["custom fields"]["skipped"] == 17
        assert result.stats["secondary companies"]["skipped"] == 1
        assert result.stats["stage history"]["skipped"] == 2
    reasons = " ".join(operation_reasons(tmp_path / "ledger.sqlite", result.run_id, "companies", "CO-1"))
    assert "custom field 'Client tier' value 'Gold' not written" in reasons
    assert "run with --create-custom-fields" in reasons
    assert any(note.startswith("25 custom field values were not written because their field does not exist")
               for note in result.notes)
    text = (tmp_path / "checklist.md").read_text(encoding="utf-8")
    assert "not in Odoo: run with --create-custom-fields" in text


def test_then_created_on_rerun(odoo_server, tmp_path):
    migrate_case(odoo_server, tmp_path)
    second = migrate_case(odoo_server, tmp_path, create_custom_fields=True)
    assert second.stats["custom fields"]["created"] == 17
    assert second.stats["companies"]["updated"] == 3
    with connect(odoo_server) as client:
        harbour = read_record(client, "res.partner", "company_CO_1", ["x_allegory_client_tier"])
    assert harbour["x_allegory_client_tier"] == "gold"


def test_multiselect_as_tags(odoo_server, tmp_path):
    result = migrate_case(odoo_server, tmp_path, create_custom_fields=True, multiselect_as="tags")
    with connect(odoo_server) as client:
        field = custom_field_rows(client, "res.partner")["x_allegory_languages"]
        zoe = read_record(client, "res.partner", "contact_CT_1", ["x_allegory_languages"])
        tags = client.call("res.partner.category", "read", zoe["x_allegory_languages"], ["name"])
    assert field["ttype"] == "many2many"
    assert field["relation"] == "res.partner.category"
    assert sorted(tag["name"] for tag in tags) == ["English", "German"]
    assert result.stats["contacts"]["rejected"] == 0


def test_dry_run_creates_nothing(odoo_server, tmp_path):
    fields_before = connect(odoo_server).call("ir.model.fields", "search_count", [])
    with connect(odoo_server) as client:
        result = migrate(EXPORT, RunOptions(dry_run=True, create_custom_fields=True, mapping=MAPPING,
                                            fallback_owner="admin", checklist_path=tmp_path / "checklist.md"),
                         client=client)
        assert client.call("ir.model.fields", "search_count", []) == fields_before
    assert result.stats["custom fields"]["created"] == 17
    assert result.stats["companies"]["rejected"] == 0
    assert "would be created (dry run)" in (tmp_path / "checklist.md").read_text(encoding="utf-8")


def test_user_without_admin_rights(odoo_server, tmp_path):
    odoo_server.add_user("sales.lead", email="sales.lead@example.com", groups="sales_admin", password="sales-pass")
    settings = ConnectionSettings(url=odoo_server.url, db=odoo_server.db, user="sales.lead", password="sales-pass",
                                  protocol="xmlrpc")
    with OdooClient.connect(settings) as client:
        with pytest.raises(errors.AccessRightsError) as raised:
            migrate(EXPORT, RunOptions(create_custom_fields=True, mapping=MAPPING, fallback_owner="admin",
                                       checklist_path=tmp_path / "checklist.md"),
                    client=client, ledger_path=tmp_path / "ledger.sqlite")
    message = str(raised.value)
    assert "Creating custom fields needs the Odoo right Administration: Settings" in message
    assert "'sales.lead'" in message
    assert str(tmp_path / "checklist.md") in message
    assert (tmp_path / "checklist.md").exists()


def test_existing_field_other_type(odoo_server, tmp_path):
    with connect(odoo_server) as client:
        model_id = client.search_read("ir.model", [("model", "=", "res.partner")], ["id"])[0]["id"]
        client.create("ir.model.fields", [{"name": "x_allegory_client_tier", "field_description": "Tier by hand",
                                           "model_id": model_id, "ttype": "char"}])
    result = migrate_case(odoo_server, tmp_path, create_custom_fields=True)
    with connect(odoo_server) as client:
        harbour = read_record(client, "res.partner", "company_CO_1", ["x_allegory_client_tier", "x_allegory_annual_fees"])
        field = custom_field_rows(client, "res.partner")["x_allegory_client_tier"]
    assert field["ttype"] == "char"
    assert field["field_description"] == "Tier by hand"
    assert harbour["x_allegory_client_tier"] is False
    assert harbour["x_allegory_annual_fees"] == 125000.5
    assert result.stats["custom fields"]["created"] == 16
    reasons = " ".join(operation_reasons(tmp_path / "ledger.sqlite", result.run_id, "companies", "CO-1"))
    assert "x_allegory_client_tier is in Odoo with another type (a char field there, not selection" in reasons


def test_example_export_fields(odoo_server, tmp_path):
    seed_owners(odoo_server)
    result = run(odoo_server, tmp_path / "ledger.sqlite", create_custom_fields=True)
    custom_rejects = [op for op in result.rejects if op.kind in ("custom fields", "stage history", "secondary companies")]
    assert custom_rejects == []
    assert result.stats["custom fields"]["created"] == 32
    assert result.stats["secondary companies"]["updated"] == 22
    with connect(odoo_server) as client:
        fee_per_hour = custom_field_rows(client, "crm.lead")["x_allegory_fee_per_hour"]
        deal = read_record(client, "crm.lead", "deal_M_3001", ["x_allegory_fee_per_hour", "x_allegory_billing_arrangement",
                                                               "x_allegory_entered_s_11"])
        contact = read_record(client, "res.partner", "contact_CT_2001", ["x_migration_secondary_companies",
                                                                         "x_allegory_practice_interests"])
        company = read_record(client, "res.partner", "company_CO_1002", ["x_allegory_client_tier"])
    assert fee_per_hour["ttype"] == "float"
    assert fee_per_hour["readonly"] is True
    assert deal["x_allegory_fee_per_hour"] == 1250.0
    assert deal["x_allegory_billing_arrangement"] == "capped_fee"
    assert deal["x_allegory_entered_s_11"] == "2023-10-02 09:00:00"
    assert contact["x_migration_secondary_companies"] == "Harbour Logistics Holdings plc (CO-1001)"
    assert contact["x_allegory_practice_interests"] == "M&A; Employment"
    assert company["x_allegory_client_tier"] is False
    reasons = " ".join(operation_reasons(tmp_path / "ledger.sqlite", result.run_id, "companies", "CO-1002"))
    assert "'Diamond' is not one of its options" in reasons
