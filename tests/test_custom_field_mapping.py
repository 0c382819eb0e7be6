"""Allegory custom field types, names and selection keys in Odoo's terms, and the plan's collision checks."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.mapping.transforms import TransformError
from allegory2odoo.model.records import Origin
from allegory2odoo.plan.custom_fields import plan_fields, view_arch

ORIGIN = Origin("custom_fields.csv", 2)


def definition(key="Client Tier", type="picklist", object="company", options=(), source_id="CF-1", **extra):
    return cf.CustomFieldDef(source_id, ORIGIN, object, key, key, type, tuple(options), **extra)


@pytest.mark.parametrize("spelling, canonical", [
    ("Text", "text"), ("Number", "decimal"), ("Decimal", "decimal"), ("Integer", "integer"),
    ("Pick-list", "picklist"), ("Picklist", "picklist"), ("Multi-select pick-list", "multiselect"),
    ("Multi-select", "multiselect"), ("Date", "date"), ("Date/Time", "datetime"), ("Check box", "checkbox"),
    ("Rich text", "rich_text"), ("Formula", "formula"), ("Long text", "long_text"),
])
def test_type_spellings(spelling, canonical):
    assert cf.canonical_type(spelling) == canonical


def test_unknown_type_rejected():
    with pytest.raises(cf.DefinitionError, match="'Hologram' is not an Allegory field type"):
        cf.canonical_type("Hologram")


@pytest.mark.parametrize("allegory, ttype", [
    ("text", "char"), ("long_text", "text"), ("decimal", "float"), ("integer", "integer"),
    ("picklist", "selection"), ("date", "date"), ("datetime", "datetime"), ("checkbox", "boolean"),
    ("rich_text", "html"), ("multiselect", "text"),
])
def test_odoo_ttypes(allegory, ttype):
    assert cf.odoo_ttype(allegory) == ttype


def test_multiselect_as_tags():
    assert cf.odoo_ttype("multiselect", "tags") == "many2many"


def test_formula_takes_result_type():
    assert cf.odoo_ttype("formula", result_type="decimal") == "float"
    assert cf.odoo_ttype("formula", result_type="date") == "date"
    assert cf.odoo_ttype("formula", result_type=None) == "char"
    assert cf.odoo_ttype("formula", "tags", result_type="multiselect") == "text"


def test_field_name_cleaned():
    assert cf.field_name("Client Tier") == "x_allegory_client_tier"
    assert cf.field_name("Zoë's  Área (2024)") == "x_allegory_zoe_s_area_2024"
    assert cf.field_name("__Fee--Band__") == "x_allegory_fee_band"


def test_field_name_max_length():
    name = cf.field_name("a very long custom field key " * 5)
    assert len(name) <= 63
    assert not name.endswith("_")
    assert name.startswith("x_allegory_a_very_long")


def test_field_name_without_letters_rejected():
    with pytest.raises(cf.DefinitionError, match="no letter or digit"):
        cf.field_name("€ / %")


def test_selection_keys_unique_and_stable():
    options = ("Gold", "gold!", "Très bon", "€", "Gold ")
    pairs = cf.selection_pairs(options)
    assert pairs == [("gold", "Gold"), ("gold_2", "gold!"), ("tres_bon", "Très bon"), ("value_4", "€"),
                     ("gold_3", "Gold ")]
    assert cf.selection_pairs(options) == pairs


def test_split_options():
    assert cf.split_options("Gold; Silver ;;Bronze;Gold") == ("Gold", "Silver", "Bronze")
    assert cf.split_options(None) == ()


def test_match_option_ignores_case():
    assert cf.match_option(" silver ", ("Gold", "Silver")) == "Silver"
    assert cf.match_option("Platinum", ("Gold", "Silver")) is None


def test_convert_values():
    paris = ZoneInfo("Europe/Paris")
    assert cf.convert_value("float", "£125,000.50", paris, "mdy") == 125000.5
    assert cf.convert_value("integer", "12", paris, "mdy") == 12
    assert cf.convert_value("boolean", "Yes", paris, "mdy") is True
    assert cf.convert_value("date", "03/04/2023", paris, "dmy") == date(2023, 4, 3)
    assert cf.convert_value("datetime", "2024-07-01 09:00", paris, "mdy") == datetime(2024, 7, 1, 7, 0)
    assert cf.convert_value("html", "a < b", paris, "mdy") == "<p>a &lt; b</p>"
    assert cf.convert_value("char", "  ", paris, "mdy") is None


def test_convert_invalid_value():
    with pytest.raises(TransformError, match="not a whole number"):
        cf.convert_value("integer", "two", ZoneInfo("UTC"), "mdy")


def test_plan_rejects_name_collision():
    plan = plan_fields([definition("Client Tier", "text", source_id="CF-1"),
                        definition("client-tier", "text", source_id="CF-2")], {}, secondary=False)
    assert [planned.name for planned in plan.fields] == ["x_allegory_client_tier"]
    assert len(plan.rejected) == 1
    assert "already taken by custom field 'CF-1'" in plan.rejected[0].reason


def test_plan_same_name_on_two_models():
    plan = plan_fields([definition("Client Tier", "text", object="company"),
                        definition("Client Tier", "text", object="deal", source_id="CF-2")], {}, secondary=False)
    assert [(planned.model, planned.name) for planned in plan.fields] == [
        ("res.partner", "x_allegory_client_tier"), ("crm.lead", "x_allegory_client_tier")]
    assert plan.rejected == []


def test_plan_rejects_stage_field_collision():
    plan = plan_fields([definition("Entered S-1", "datetime", object="deal")], {"S-1": "Enquiry"}, secondary=False)
    assert plan.rejected[0].reason.startswith("its field name x_allegory_entered_s_1 on crm.lead is already taken "
                                              "by the stage field of 'S-1'")


def test_plan_rejects_standard_column_key():
    plan = plan_fields([definition("Region", "text", object="contact")], {}, secondary=False)
    assert plan.fields == []
    assert "read as the standard column 'state' of contacts" in plan.rejected[0].reason


def test_plan_formula_read_only():
    plan = plan_fields([definition("Fee Band", "formula", result_type="decimal", formula="a*2")], {}, secondary=False)
    planned = plan.fields[0]
    assert planned.ttype == "float"
    assert planned.readonly is True
    assert "a*2" in planned.help


def test_picklist_without_options_kept_as_text():
    plan = plan_fields([definition("Tier", "picklist")], {}, secondary=False)
    assert plan.fields[0].ttype == "char"
    assert plan.fields[0].selection is None


def test_selection_values_for_ir_model_fields():
    plan = plan_fields([definition("Tier", "picklist", options=("Gold", "Silver"))], {}, secondary=False)
    values = plan.fields[0].ir_values(model_id=90)
    assert values["selection"] == "[('gold', 'Gold'), ('silver', 'Silver')]"
    assert values["ttype"] == "selection"
    assert values["required"] is False
    assert values["store"] is True


def test_tag_fields_get_own_tables():
    plan = plan_fields([definition("Languages", "multiselect", object="contact", options=("English",)),
                        definition("Regions", "multiselect", object="contact", source_id="CF-2")],
                       {}, secondary=False, multiselect_as="tags")
    tables = [planned.ir_values(90)["relation_table"] for planned in plan.fields]
    assert tables == ["x_res_partner_allegory_languages_rel", "x_res_partner_allegory_regions_rel"]
    assert all(len(table) <= 63 for table in tables)


def test_view_arch_lists_fields():
    plan = plan_fields([definition("Tier", "text")], {}, secondary=True)
    arch = view_arch(plan.fields)
    assert '<page string="Migrated from Allegory" name="allegory_migration">' in arch
    assert '<field name="x_migration_secondary_companies"/>' in arch
    assert '<field name="x_allegory_tier"/>' in arch


def test_long_tag_tables_stay_apart():
    keys = ("Practice interests of the contact in the firm " + suffix for suffix in ("first", "second"))
    plan = plan_fields([definition(key, "multiselect", object="contact", source_id=key) for key in keys],
                       {}, secondary=False, multiselect_as="tags")
    tables = [planned.relation_table for planned in plan.fields]
    assert len(tables) == 2
    assert tables[0] != tables[1]
    assert all(len(table) <= 63 for table in tables)
    assert all(table.startswith("x_res_partner_allegory_practice") and table.endswith("_rel") for table in tables)
