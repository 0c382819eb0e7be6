"""Edits to mapping.yaml (headers, fields, value maps) change what the migration writes. Invalid edits name their line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from allegory2odoo.cli.main import app
from allegory2odoo.odoo import Schema
from allegory2odoo.plan.applied import check_fields
from allegory2odoo.plan.approval import apply_mapping, approve
from allegory2odoo.plan.mapping_file import MappingFileError, write_mapping
from allegory2odoo.plan.proposal import propose
from migration_helpers import SAMPLE, connect, run, seed_owners

runner = CliRunner()


@pytest.fixture(scope="module")
def proposal():
    return propose(SAMPLE, profile="odoo19")


@pytest.fixture
def mapping_path(proposal, tmp_path) -> Path:
    path = tmp_path / "mapping.yaml"
    write_mapping(proposal, path)
    return path


def edit(path: Path, file_name: str, header: str, **changes) -> None:
    """Change the entry of one header of one file in a mapping file, as a reviewer would."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(item for item in data["files"] if item["file"] == file_name)
    column = next(item for item in entry["columns"] if item["header"] == header)
    for key, value in changes.items():
        if key == "values":
            column["values"].update(value)
        else:
            column[key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096), encoding="utf-8")


def choices_of(path: Path, export: Path = SAMPLE):
    return apply_mapping(path, export, dry_run=True, client=None, fallback_owner="admin", multiselect_as=None).choices


def xmlid_res_id(client, name: str) -> int:
    rows = client.search_read("ir.model.data", [("module", "=", "__allegory__"), ("name", "=", name)], ["res_id"])
    assert rows, f"no record has the external ID __allegory__.{name}"
    return rows[0]["res_id"]


def read_one(client, model: str, xmlid: str, fields: list[str]) -> dict:
    return client.call(model, "read", [xmlid_res_id(client, xmlid)], fields, context={"active_test": False})[0]


# the migration follows the edits

@pytest.fixture
def edited(mapping_path):
    edit(mapping_path, "Accounts.csv", "VAT Number", field="not migrated")
    edit(mapping_path, "Accounts.csv", "Tags", field="not migrated")
    edit(mapping_path, "Accounts.csv", "Client Tier", values={"Diamond": "platinum"})
    edit(mapping_path, "Contacts Export.csv", "LinkedIn", model="res.partner", field="website")
    edit(mapping_path, "Contacts Export.csv", "Assistant Name", field="ref")
    edit(mapping_path, "Matters.xlsx", "Expected Close Date", field="not migrated")
    edit(mapping_path, "Matters.xlsx", "Status", values={"open": "won"})
    edit(mapping_path, "activities.csv", "Type", values={"call": "mail.mail_activity_data_meeting"})
    return mapping_path


def test_migration_follows_edited_mapping(odoo_server, edited, tmp_path):
    seed_owners(odoo_server)
    result = run(odoo_server, tmp_path / "ledger.sqlite", choices=choices_of(edited), create_custom_fields=True)
    with connect(odoo_server) as client:
        company = read_one(client, "res.partner", "company_CO_1001", ["vat", "category_id", "website"])
        diamond = read_one(client, "res.partner", "company_CO_1002", ["x_allegory_client_tier"])
        contact = read_one(client, "res.partner", "contact_CT_2001", ["website", "ref", "email"])
        deal = read_one(client, "crm.lead", "deal_M_3003", ["active", "date_deadline", "probability", "stage_id"])
        won_stage = xmlid_res_id(client, "stage_S_15")
        call = read_one(client, "mail.message", "activity_A_5001", ["mail_activity_type_id"])
        meeting_type = client.search_read("ir.model.data", [("module", "=", "mail"),
                                                           ("name", "=", "mail_activity_data_meeting")], ["res_id"])
        custom = client.search_read("ir.model.fields", [("model", "=", "res.partner"),
                                                        ("name", "=like", "x_allegory_%")], ["name"])

    # Companies: the VAT and tags are left out; the website, not edited, is written.
    assert company["vat"] is False
    assert company["category_id"] == []
    assert company["website"] == "https://harbourlogistics.example"
    # The value map of a custom pick-list: Diamond, not an option, mapped to platinum by the reviewer.
    assert diamond["x_allegory_client_tier"] == "platinum"
    # Contacts: an unknown column sent to an existing field, and a custom column to a standard one.
    assert contact["website"] == "https://www.linkedin.com/in/zoe-mueller"
    assert contact["ref"] == "Ute Brandt"
    assert contact["email"] == "zoe.mueller@mueller-soehne.example"
    assert "x_allegory_assistant_name" not in {row["name"] for row in custom}
    # Deals: open mapped to won, so an open deal goes to its pipeline's won stage; no closing date is written.
    assert deal["stage_id"][0] == won_stage
    assert deal["probability"] == 100
    assert deal["active"] is True
    assert deal["date_deadline"] is False
    # Activities: call mapped to meeting.
    assert call["mail_activity_type_id"][0] == meeting_type[0]["res_id"]
    assert result.rejected == 2  # the example's deliberate rejects only


def test_header_read_as_another_column(odoo19_server, tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "contacts.csv").write_text(
        "Contact ID,First Name,Last Name,Direct Line,Owner Email\n"
        "C-1,Ada,Lovelace,+44 20 7946 0000,admin\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    write_mapping(propose(export, profile="odoo19"), mapping)
    edit(mapping, "contacts.csv", "Direct Line", column="phone", model="res.partner", field="phone")
    choices = choices_of(mapping, export)
    assert choices.headers["contacts.csv"]["Direct Line"] == "phone"

    run(odoo19_server, tmp_path / "ledger.sqlite", export=export, choices=choices)
    with connect(odoo19_server) as client:
        contact = read_one(client, "res.partner", "contact_C_1", ["name", "phone"])
    assert contact == {"id": contact["id"], "name": "Ada Lovelace", "phone": "+44 20 7946 0000"}


def test_redirected_value_is_in_the_before_image(odoo19_server, mapping_path, tmp_path):
    """An update of an existing partner keeps the previous value of a field the mapping chose."""
    import sqlite3

    seed_owners(odoo19_server)
    with connect(odoo19_server) as client:
        client.create("res.partner", [{"name": "Zoë Müller", "email": "zoe.mueller@mueller-soehne.example",
                                       "ref": "before"}])
    edit(mapping_path, "Contacts Export.csv", "Assistant Name", field="ref")
    ledger = tmp_path / "ledger.sqlite"
    run(odoo19_server, ledger, choices=choices_of(mapping_path), existing_contacts="update")
    with connect(odoo19_server) as client:
        contact = read_one(client, "res.partner", "contact_CT_2001", ["ref"])
    assert contact["ref"] == "Ute Brandt"
    with sqlite3.connect(ledger) as db:
        images = [row[0] for row in db.execute("SELECT fields FROM before_images WHERE source_id = 'CT-2001'")]
    assert images and '"ref": "before"' in images[0]


def test_cli_migrates_edited_mapping(odoo19_server, mapping_path, tmp_path):
    seed_owners(odoo19_server)
    edit(mapping_path, "Accounts.csv", "Website", field="not migrated")
    approved = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping_path), str(SAMPLE)],
                             env={"ODOO_URL": "", "COLUMNS": "200"})
    assert approved.exit_code == 0, approved.output
    env = {"ODOO_URL": odoo19_server.url, "ODOO_DB": odoo19_server.db, "ODOO_USER": odoo19_server.admin_login,
           "ODOO_API_KEY": odoo19_server.api_key, "COLUMNS": "200"}
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping_path), "--fallback-owner", "admin",
                                 "--ledger", str(tmp_path / "ledger.sqlite")], env=env)
    assert result.exit_code == 1, result.output  # the example's two deliberate rejects
    with connect(odoo19_server) as client:
        company = read_one(client, "res.partner", "company_CO_1001", ["website", "phone"])
    assert company["website"] is False
    assert company["phone"] == "+44 20 7946 0101"


# invalid edits are refused with their line

def choice_error(path: Path) -> str:
    with pytest.raises(MappingFileError) as caught:
        choices_of(path)
    return str(caught.value)


def line_of_header(path: Path, header: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip() == f"- header: {header}")


def test_fixed_column_choice_error(mapping_path):
    edit(mapping_path, "Contacts Export.csv", "Given Name", field="x_first")
    message = choice_error(mapping_path)
    field_line = line_of_header(mapping_path, "Given Name") + 3
    assert f"{mapping_path}:{field_line}:" in message
    assert "the field of the contacts column 'first_name' cannot be changed" in message
    assert "write 'name' back" in message


def test_unknown_deal_status_value_choice_error(mapping_path):
    edit(mapping_path, "Matters.xlsx", "Status", values={"lost": "closed"})
    message = choice_error(mapping_path)
    assert "the deal status 'lost' maps to 'closed'; write open, won or lost" in message
    line = int(re.search(rf"{re.escape(str(mapping_path))}:(\d+):\d+: the deal status", message).group(1))
    assert line_of_header(mapping_path, "Status") < line < line_of_header(mapping_path, "Value")


def test_unknown_activity_type_choice_error(mapping_path):
    edit(mapping_path, "activities.csv", "Type", values={"call": "mail.no_such_type"})
    assert "the activity type 'call' maps to 'mail.no_such_type'" in choice_error(mapping_path)


def test_option_outside_the_pick_list_choice_error(mapping_path):
    edit(mapping_path, "Accounts.csv", "Client Tier", values={"Diamond": "diamond"})
    message = choice_error(mapping_path)
    assert "'Diamond' maps to 'diamond', which is not an option of 'Client tier'" in message
    assert "platinum, gold, silver, bronze" in message


def test_two_headers_as_one_column_choice_error(mapping_path):
    edit(mapping_path, "Accounts.csv", "Phone", column="email")
    assert "'E-mail' is read as 'email', like 'Phone'; give each header its own column" in choice_error(mapping_path)


def test_required_column_left_without_header_choice_error(mapping_path):
    edit(mapping_path, "Accounts.csv", "Account Name", column="account_name", field="not migrated")
    assert "no header of 'Accounts.csv' is read as the required column 'name'" in choice_error(mapping_path)


def test_approve_refuses_an_edit_it_cannot_follow(mapping_path):
    edit(mapping_path, "Matters.xlsx", "Stage", field="x_stage")
    with pytest.raises(MappingFileError) as caught:
        approve(mapping_path, SAMPLE)
    assert "the field of the deals column 'stage_id' cannot be changed" in str(caught.value)
    assert not (mapping_path.parent / "mapping.approved.json").exists()


def test_chosen_field_checked_against_the_schema(mapping_path):
    edit(mapping_path, "Accounts.csv", "Website", field="x_no_such_field")
    edit(mapping_path, "Accounts.csv", "City", field="color")  # an integer field
    edit(mapping_path, "Contacts Export.csv", "LinkedIn", field="parent_id")  # a many2one
    edit(mapping_path, "Contacts Export.csv", "Assistant Name", field="is_company")  # boolean, not char
    choices = choices_of(mapping_path)
    with pytest.raises(MappingFileError) as caught:
        check_fields(choices, Schema.from_profile("odoo19"), "text")
    message = str(caught.value)
    assert "res.partner has no field 'x_no_such_field' in this Odoo" in message
    assert "res.partner.color is an integer field, but the companies column 'city' contains char values" in message
    assert "res.partner.parent_id is a many2one field, which a column of cells cannot fill" in message
    assert "res.partner.is_company is a boolean field, but the contacts column 'assistant_name' contains char" in message
    # A bundled profile lacks the fields of a real server: unknown fields pass, wrong types do not.
    with pytest.raises(MappingFileError) as offline:
        check_fields(choices, Schema.from_profile("odoo19"), "text", known_only=True)
    assert "x_no_such_field" not in str(offline.value)


def test_migrate_stops_before_writing_on_a_missing_field(odoo19_server, mapping_path, tmp_path):
    edit(mapping_path, "Accounts.csv", "Website", field="x_studio_site")
    with pytest.raises(MappingFileError) as caught:
        run(odoo19_server, tmp_path / "ledger.sqlite", choices=choices_of(mapping_path))
    assert "res.partner has no field 'x_studio_site'" in str(caught.value)
    with connect(odoo19_server) as client:
        assert client.search_read("ir.model.data", [("module", "=", "__allegory__")], ["id"]) == []


def test_sample_mapping_unchanged_has_no_choices(mapping_path):
    choices = choices_of(mapping_path)
    assert choices.fields == ()
    assert choices.deal_statuses == {"lost": "lost", "open": "open", "won": "won"}
    assert choices.headers["Accounts.csv"]["Account Name"] == "name"


def test_copied_export_keeps_choices(mapping_path, tmp_path):
    export = tmp_path / "copy"
    shutil.copytree(SAMPLE, export)
    edit(mapping_path, "Accounts.csv", "VAT Number", field="not migrated")
    assert [choice.column for choice in choices_of(mapping_path, export).fields] == ["vat"]


def test_schema_plan_follows_the_mapping(mapping_path, tmp_path):
    edit(mapping_path, "Accounts.csv", "Conflict Notes", field="not migrated")
    edit(mapping_path, "Contacts Export.csv", "Assistant Name", field="ref")
    out = tmp_path / "schema.md"
    result = runner.invoke(app, ["schema", "plan", str(SAMPLE), "--mapping", str(mapping_path), "--out", str(out)],
                           env={"ODOO_URL": "", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    checklist = out.read_text(encoding="utf-8")
    assert "x_allegory_conflict_notes" not in checklist
    assert "x_allegory_assistant_name" not in checklist
    assert "the mapping sends the column 'assistant_name' here" in checklist
    assert "x_allegory_client_tier" in checklist


def test_approve_checks_types_against_the_proposed_version(mapping_path):
    edit(mapping_path, "Accounts.csv", "City", field="color")
    edit(mapping_path, "Accounts.csv", "Website", field="x_studio_site")  # may exist on the server: let through
    with pytest.raises(MappingFileError) as caught:
        approve(mapping_path, SAMPLE)
    assert "res.partner.color is an integer field" in str(caught.value)
    assert "x_studio_site" not in str(caught.value)


def test_value_error_names_the_edited_line(mapping_path):
    edit(mapping_path, "Matters.xlsx", "Status", values={"won": "closed"})
    message = choice_error(mapping_path)
    line = int(re.search(rf"{re.escape(str(mapping_path))}:(\d+):\d+: the deal status", message).group(1))
    assert mapping_path.read_text(encoding="utf-8").splitlines()[line - 1].strip() == "won: closed"


def test_typo_of_a_field_refused_at_approval(mapping_path):
    edit(mapping_path, "Contacts Export.csv", "LinkedIn", model="res.partner", field="wesbite")
    with pytest.raises(MappingFileError) as caught:
        approve(mapping_path, SAMPLE)
    assert "res.partner has no field 'wesbite' in the bundled schema; did you mean 'website'?" in str(caught.value)


def test_other_x_allegory_name_refused(mapping_path):
    edit(mapping_path, "Accounts.csv", "Client Tier", field="x_allegory_client_teir")
    message = choice_error(mapping_path)
    assert "'x_allegory_client_teir' is not the field of this custom column; write x_allegory_client_tier" in message


def test_deal_status_field_is_fixed(mapping_path):
    edit(mapping_path, "Matters.xlsx", "Status", field="probability")
    assert "the field of the deals column 'status' cannot be changed" in choice_error(mapping_path)


def test_migrate_names_a_missing_field_and_exits_2(odoo19_server, mapping_path, tmp_path):
    edit(mapping_path, "Accounts.csv", "Website", field="x_studio_site")
    approve(mapping_path, SAMPLE)
    env = {"ODOO_URL": odoo19_server.url, "ODOO_DB": odoo19_server.db, "ODOO_USER": odoo19_server.admin_login,
           "ODOO_API_KEY": odoo19_server.api_key, "COLUMNS": "200"}
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping_path), "--fallback-owner", "admin",
                                 "--ledger", str(tmp_path / "ledger.sqlite")], env=env)
    assert result.exit_code == 2, result.output
    assert "res.partner has no field 'x_studio_site' in this Odoo" in result.output
    assert "Traceback" not in result.output


def test_approve_rejects_proposal_options(mapping_path):
    result = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping_path), "--out", "x.yaml",
                                 "--pipelines", "shared", str(SAMPLE)], env={"ODOO_URL": "", "COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    assert "plan approve takes only --mapping and --encoding, not --out, --pipelines" in result.output
    assert not (mapping_path.parent / "mapping.approved.json").exists()


def test_approve_ignores_connection_environment(mapping_path):
    env = {"ODOO_URL": "http://127.0.0.1:9", "ODOO_DB": "crm", "ODOO_USER": "admin", "COLUMNS": "200"}
    result = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping_path), str(SAMPLE)], env=env)
    assert result.exit_code == 0, result.output
    assert (mapping_path.parent / "mapping.approved.json").exists()
