"""The plan command: the proposed mapping, the mapping file's validation, approval and migrate's gate."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from allegory2odoo.cli.main import app
from allegory2odoo.mapping.targets import TARGETS
from allegory2odoo.odoo import Schema
from allegory2odoo.plan.approval import GateError, approve, check_approval, check_gate, export_hashes
from allegory2odoo.plan.mapping_file import MappingFileError, load_mapping, write_mapping
from allegory2odoo.plan.proposal import propose
from migration_helpers import SAMPLE, UNMATCHED_OWNER, connect, seed_owners

OTHER = Path(__file__).resolve().parent / "cases" / "plan" / "other"
runner = CliRunner()
OFFLINE = {"ODOO_URL": "", "COLUMNS": "200"}


def columns_of(proposal, file_name):
    found = next(file for file in proposal.files if file.file == file_name)
    return {column.header: column for column in found.columns}


@pytest.fixture(scope="module")
def sample_proposal():
    return propose(SAMPLE, profile="odoo19")


@pytest.fixture(scope="module")
def other_proposal():
    return propose(OTHER, profile="odoo17")


def env_of(server) -> dict:
    variable = "ODOO_API_KEY" if server.version >= 19 else "ODOO_PASSWORD"
    secret = server.api_key if server.version >= 19 else server.admin_password
    return {"ODOO_URL": server.url, "ODOO_DB": server.db, "ODOO_USER": server.admin_login, variable: secret,
            "COLUMNS": "200"}


# the proposal

SAMPLE_COMPANIES = [
    ("Account ID", "id", "res.partner", "external ID"),
    ("Account Name", "name", "res.partner", "name"),
    ("Parent Account ID", "parent_id", "res.partner", "parent_id"),
    ("Website", "website", "res.partner", "website"),
    ("Phone", "phone", "res.partner", "phone"),
    ("E-mail", "email", "res.partner", "email"),
    ("Industry", "industry", "res.partner", "industry_id"),
    ("Street Address", "street", "res.partner", "street"),
    ("Address Line 2", "street2", "res.partner", "street2"),
    ("City", "city", "res.partner", "city"),
    ("State/Province", "state", "res.partner", "state_id"),
    ("Postal Code", "zip", "res.partner", "zip"),
    ("Country", "country", "res.partner", "country_id"),
    ("VAT Number", "vat", "res.partner", "vat"),
    ("Account Owner", "owner", "res.partner", "user_id"),
    ("Tags", "tags", "res.partner", "category_id"),
    ("Created On", "created_at", "res.partner", "not migrated"),
    ("Last Modified", "updated_at", "res.partner", "not migrated"),
]
SAMPLE_CONTACTS = [
    ("Contact ID", "id", "res.partner", "external ID"),
    ("Given Name", "first_name", "res.partner", "name"),
    ("Surname", "last_name", "res.partner", "name"),
    ("Email Address", "email", "res.partner", "email"),
    ("Phone", "phone", "res.partner", "phone"),
    ("Mobile", "mobile", "res.partner", "phone"),  # Odoo 19 has no mobile field
    ("Job Title", "job_title", "res.partner", "function"),
    ("Company ID", "company_id", "res.partner", "parent_id"),
    ("Street", "street", "res.partner", "street"),
    ("City", "city", "res.partner", "city"),
    ("State", "state", "res.partner", "state_id"),
    ("Zip", "zip", "res.partner", "zip"),
    ("Country", "country", "res.partner", "country_id"),
    ("Owner Email", "owner", "res.partner", "user_id"),
    ("Tags", "tags", "res.partner", "category_id"),
]
SAMPLE_DEALS = [
    ("Matter ID", "id", "crm.lead", "external ID"),
    ("Matter Name", "name", "crm.lead", "name"),
    ("Practice Area", "pipeline_id", "crm.lead", "team_id"),
    ("Stage", "stage_id", "crm.lead", "stage_id"),
    ("Status", "status", "crm.lead", "active"),
    ("Value", "amount", "crm.lead", "expected_revenue"),
    ("Expected Close Date", "close_date", "crm.lead", "date_deadline"),
    ("Probability", "probability", "crm.lead", "probability"),
    ("Client", "company_id", "crm.lead", "partner_id"),
    ("Primary Contact", "contact_id", "crm.lead", "partner_id"),
    ("Assigned To", "owner", "crm.lead", "user_id"),
    ("Description", "description", "crm.lead", "description"),
    ("Lost Reason", "lost_reason", "crm.lead", "lost_reason_id"),
    ("Tags", "tags", "crm.lead", "tag_ids"),
    ("Closed At", "closed_at", "crm.lead", "not migrated"),
]
SAMPLE_OTHERS = [
    ("activities.csv", "Type", "type", "mail.activity", "activity_type_id"),
    ("activities.csv", "Due Date", "due_at", "mail.activity", "date_deadline"),
    ("activities.csv", "Assigned To", "owner", "mail.activity", "user_id"),
    ("notes.csv", "Note", "body", "mail.message", "body"),
    ("notes.csv", "Created By", "author", "mail.message", "author_id"),
    ("pipeline_stages.csv", "Pipeline ID", "pipeline_id", "crm.stage", "team_ids"),  # team_id on Odoo 17
    ("pipeline_stages.csv", "Order", "position", "crm.stage", "sequence"),
    ("pipeline_stages.csv", "Folded", "is_folded", "crm.stage", "fold"),
    ("practice_areas.csv", "Pipeline Name", "name", "crm.team", "name"),
    ("attachments.csv", "MIME Type", "content_type", "ir.attachment", "mimetype"),
    ("tags.csv", "Colour", "color", "crm.tag", "color"),
]


@pytest.mark.parametrize("file_name, expected", [
    ("Accounts.csv", SAMPLE_COMPANIES), ("Contacts Export.csv", SAMPLE_CONTACTS), ("Matters.xlsx", SAMPLE_DEALS),
])
def test_sample_standard_columns(sample_proposal, file_name, expected):
    columns = columns_of(sample_proposal, file_name)
    for header, column, model, field in expected:
        proposed = columns[header]
        assert (header, proposed.column) == (header, column)
        assert (header, proposed.model) == (header, model)
        assert (header, proposed.field) == (header, field)
        assert proposed.confidence >= 0.9, (header, proposed.reason)


@pytest.mark.parametrize("file_name, header, column, model, field", SAMPLE_OTHERS)
def test_sample_other_kinds(sample_proposal, file_name, header, column, model, field):
    proposed = columns_of(sample_proposal, file_name)[header]
    assert proposed.column == column
    assert proposed.model == model
    assert proposed.field == field


def test_sample_every_column_proposed(sample_proposal):
    for file in sample_proposal.files:
        for column in file.columns:
            assert 0 <= column.confidence <= 1
            assert column.reason, (file.file, column.header)


def test_sample_custom_columns(sample_proposal):
    accounts = columns_of(sample_proposal, "Accounts.csv")
    assert accounts["Client Tier"].field == "x_allegory_client_tier"
    assert accounts["Client Tier"].model == "res.partner"
    assert "a new custom field" in accounts["Client Tier"].reason
    deals = columns_of(sample_proposal, "Matters.xlsx")
    assert deals["Court Date"].field == "x_allegory_court_date"
    assert "values look like dates" in deals["Court Date"].reason


def test_unknown_column_not_migrated(sample_proposal):
    linkedin = columns_of(sample_proposal, "Contacts Export.csv")["LinkedIn"]
    assert linkedin.field == "not migrated"
    assert linkedin.model is None
    assert "no Odoo field fits" in linkedin.reason


def test_picklist_values_map(sample_proposal):
    tier = columns_of(sample_proposal, "Accounts.csv")["Client Tier"]
    assert tier.values["Gold"] == "gold"
    assert tier.values["Diamond"] is None
    assert "not among the options" in tier.unknown_values["Diamond"]
    assert tier.confidence < 0.8


def test_multiselect_values_map(sample_proposal):
    interests = columns_of(sample_proposal, "Contacts Export.csv")["Practice Interests"]
    assert interests.values["M&A"] == "M&A"
    assert interests.values["Employment"] == "Employment"


def test_deal_status_and_activity_type_values(sample_proposal):
    status = columns_of(sample_proposal, "Matters.xlsx")["Status"]
    assert status.values == {"lost": "lost", "open": "open", "won": "won"}
    activity_type = columns_of(sample_proposal, "activities.csv")["Type"]
    assert activity_type.values["call"] == "mail.mail_activity_data_call"
    assert activity_type.values["CALL"] == "mail.mail_activity_data_call"
    assert activity_type.values["task"] == "mail.mail_activity_data_todo"


def test_mobile_reason_on_odoo19(sample_proposal):
    mobile = columns_of(sample_proposal, "Contacts Export.csv")["Mobile"]
    assert "this Odoo has no mobile field" in mobile.reason
    assert "to the notes" in mobile.reason


OTHER_COLUMNS = [
    ("Contacts Export.xlsx", "Person ID", "id", "res.partner", "external ID"),
    ("Contacts Export.xlsx", "First Name", "first_name", "res.partner", "name"),
    ("Contacts Export.xlsx", "Last Name", "last_name", "res.partner", "name"),
    ("Contacts Export.xlsx", "E-mail Address", "email", "res.partner", "email"),
    ("Contacts Export.xlsx", "Company", "company_id", "res.partner", "parent_id"),
    ("Contacts Export.xlsx", "Owner Email", "owner", "res.partner", "user_id"),
    ("Contacts Export.xlsx", "Cell Phone", "mobile", "res.partner", "mobile"),  # Odoo 17 has mobile
    ("Contacts Export.xlsx", "Favourite Colour", "favourite_colour", None, "not migrated"),
    ("Organisations.csv", "Organisation ID", "id", "res.partner", "external ID"),
    ("Organisations.csv", "Organisation Name", "name", "res.partner", "name"),
    ("Organisations.csv", "Web Site", "website", "res.partner", "website"),
    ("Organisations.csv", "Telephone", "phone", "res.partner", "phone"),
    ("Organisations.csv", "Town", "city", "res.partner", "city"),
    ("Organisations.csv", "Post Code", "zip", "res.partner", "zip"),
    ("Organisations.csv", "Nation", "country", "res.partner", "country_id"),
    ("Organisations.csv", "Tax ID", "vat", "res.partner", "vat"),
    ("Organisations.csv", "Record Owner", "owner", "res.partner", "user_id"),
    ("Organisations.csv", "Date Created", "created_at", "res.partner", "not migrated"),
    ("Opportunities.csv", "Opportunity ID", "id", "crm.lead", "external ID"),
    ("Opportunities.csv", "Opportunity Name", "name", "crm.lead", "name"),
    ("Opportunities.csv", "Outcome", "status", "crm.lead", "active"),
    ("Opportunities.csv", "Estimated Value", "amount", "crm.lead", "expected_revenue"),
    ("Opportunities.csv", "Currency Code", "currency", "crm.lead", None),
    ("Opportunities.csv", "Closing Date", "close_date", "crm.lead", "date_deadline"),
    ("Opportunities.csv", "Client ID", "company_id", "crm.lead", "partner_id"),
    ("Opportunities.csv", "Client Contact", "contact_id", "crm.lead", "partner_id"),
    ("Opportunities.csv", "Deal Owner", "owner", "crm.lead", "user_id"),
    ("Opportunities.csv", "Win Probability", "probability", "crm.lead", "probability"),
]


def test_other_export_every_column_listed(other_proposal):
    proposed = {(file.file, column.header) for file in other_proposal.files for column in file.columns}
    assert proposed == {(file_name, header) for file_name, header, *_ in OTHER_COLUMNS}


@pytest.mark.parametrize("file_name, header, column, model, field", OTHER_COLUMNS)
def test_other_export_column(other_proposal, file_name, header, column, model, field):
    proposed = columns_of(other_proposal, file_name)[header]
    assert proposed.column == column
    assert proposed.model == model
    assert proposed.field == field


def test_other_export_spelling_reason(other_proposal):
    email = columns_of(other_proposal, "Contacts Export.xlsx")["E-mail Address"]
    assert email.reason.startswith("header 'E-mail Address' is a spelling of email")
    assert "values look like email addresses (3 of 3 parse)" in email.reason


def test_other_export_unknown_status(other_proposal):
    outcome = columns_of(other_proposal, "Opportunities.csv")["Outcome"]
    assert outcome.values == {"Closed Won": "won", "On Hold": None, "Open": "open"}
    assert "its records are rejected" in outcome.unknown_values["On Hold"]


def test_offline_owners_not_checked(other_proposal):
    owners = {owner.allegory: owner for owner in other_proposal.owners}
    assert owners["nobody@elsewhere.example"].odoo_user == "not checked"
    assert owners["claire.dubois@hartwell-legal.example"].records == 3


@pytest.mark.parametrize("profile", ["odoo17", "odoo19"])
def test_targets_fields_exist(profile):
    schema = Schema.from_profile(profile)
    for kind, columns in TARGETS.items():
        for column, target in columns.items():
            if not target.fields or target.otherwise or not schema.has_model(target.model):
                continue
            assert any(schema.has(target.model, name) for name in target.fields), (kind, column, target.fields)


# the mapping file

@pytest.fixture
def mapping_path(tmp_path, sample_proposal):
    path = tmp_path / "mapping.yaml"
    write_mapping(sample_proposal, path)
    return path


def test_mapping_file_round_trip(mapping_path):
    text = mapping_path.read_text()
    assert text.startswith("# allegory2odoo mapping")
    mapping = load_mapping(mapping_path)
    assert mapping.options.pipelines == "per_team"
    assert len(mapping.files) == 13
    assert mapping.owners[0].odoo_user == "not checked"


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the first line that contains `old` and return its 1-based number."""
    lines = path.read_text().splitlines()
    number = next(index for index, line in enumerate(lines) if old in line)
    lines[number] = lines[number].replace(old, new)
    path.write_text("\n".join(lines) + "\n")
    return number + 1


def test_yaml_error_names_line(mapping_path):
    line = replace_line(mapping_path, "multiselect_as: text", "multiselect_as: [text")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line + 1}:" in str(caught.value) or f"mapping.yaml:{line}:" in str(caught.value)
    assert "invalid YAML" in str(caught.value)


def test_bad_option_names_line(mapping_path):
    line = replace_line(mapping_path, "multiselect_as: text", "multiselect_as: tag")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line}:" in str(caught.value)
    assert "options.multiselect_as" in str(caught.value)


def test_bad_confidence_names_line(mapping_path):
    line = replace_line(mapping_path, "confidence: 0.9", "confidence: 2")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line}:" in str(caught.value)
    assert "less than or equal to 1" in str(caught.value)


def test_bad_field_name_names_line(mapping_path):
    line = replace_line(mapping_path, "field: email", "field: E Mail!")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line}:" in str(caught.value)
    assert "is not an Odoo field name" in str(caught.value)


def test_shared_pipelines_accepted(mapping_path):
    replace_line(mapping_path, "  pipelines: per_team", "  pipelines: shared")
    replace_line(mapping_path, "  shared_team: Allegory pipelines", "  shared_team: '  Matters  '")
    mapping = load_mapping(mapping_path)
    assert mapping.options.pipelines == "shared"
    assert mapping.options.shared_team == "Matters"


def test_bad_pipelines_names_line(mapping_path):
    line = replace_line(mapping_path, "  pipelines: per_team", "  pipelines: one_team")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line}:" in str(caught.value)
    assert "options.pipelines" in str(caught.value)
    assert "'per_team' or 'shared'" in str(caught.value)


@pytest.mark.parametrize("name, message", [
    ("''", "needs a name"),
    ('"Matters\\nand more"', "on one line"),
    ("x" * 101, "write at most 100"),
])
def test_bad_shared_team_names_line(mapping_path, name, message):
    line = replace_line(mapping_path, "  shared_team: Allegory pipelines", f"  shared_team: {name}")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line}:" in str(caught.value)
    assert "options.shared_team" in str(caught.value)
    assert message in str(caught.value)


def test_header_explains_shared(mapping_path):
    header = mapping_path.read_text().split("\nversion:")[0]
    assert "options.shared_team" in header
    assert "x_allegory_pipeline" in header
    assert "not supported yet" not in header


def test_unknown_key_names_line(mapping_path):
    line = replace_line(mapping_path, "fallback_owner: null", "fallback_owner: null\n  colour: blue")
    with pytest.raises(MappingFileError) as caught:
        load_mapping(mapping_path)
    assert f"mapping.yaml:{line + 1}:" in str(caught.value)
    assert "unknown key" in str(caught.value)


def test_approve_refuses_invalid_mapping(mapping_path):
    replace_line(mapping_path, "multiselect_as: text", "multiselect_as: tag")
    result = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping_path), str(SAMPLE)], env=OFFLINE)
    assert result.exit_code == 2
    assert "options.multiselect_as" in result.output
    assert not (mapping_path.parent / "mapping.approved.json").exists()


# approval

def test_plan_command_writes_mapping(tmp_path):
    out = tmp_path / "mapping.yaml"
    result = runner.invoke(app, ["plan", str(OTHER), "--out", str(out), "--profile", "odoo17"], env=OFFLINE)
    assert result.exit_code == 0, result.output
    assert "Owners" in result.output
    data = yaml.safe_load(out.read_text())
    assert data["options"] == {"pipelines": "per_team", "shared_team": "Allegory pipelines", "multiselect_as": "text",
                               "fallback_owner": None, "existing_companies": "link", "existing_contacts": "link"}


def test_plan_command_writes_shared(tmp_path):
    out = tmp_path / "mapping.yaml"
    result = runner.invoke(app, ["plan", str(OTHER), "--out", str(out), "--profile", "odoo17", "--pipelines", "shared",
                                 "--shared-team", "Matters"], env=OFFLINE)
    assert result.exit_code == 0, result.output
    options = load_mapping(out).options
    assert options.pipelines == "shared"
    assert options.shared_team == "Matters"


def test_plan_command_rejects_bad_pipelines(tmp_path):
    out = tmp_path / "mapping.yaml"
    result = runner.invoke(app, ["plan", str(OTHER), "--out", str(out), "--pipelines", "teams"], env=OFFLINE)
    assert result.exit_code == 2
    assert "--pipelines must be one of per_team, shared" in result.output
    assert not out.exists()


def test_approval_records_hashes(mapping_path):
    approval = approve(mapping_path, SAMPLE)
    content = json.loads(approval.path.read_text())
    assert approval.path.name == "mapping.approved.json"
    assert len(content["mapping_sha256"]) == 64
    assert "Accounts.csv" in content["export_files"]
    assert content["approved_by"]
    assert check_approval(mapping_path, SAMPLE).version == 1


def test_changed_mapping_refused(mapping_path):
    approve(mapping_path, SAMPLE)
    replace_line(mapping_path, "fallback_owner: null", "fallback_owner: admin")
    with pytest.raises(GateError) as caught:
        check_approval(mapping_path, SAMPLE)
    assert "the mapping file" in str(caught.value)
    assert "changed since it was approved" in str(caught.value)
    assert "export" not in str(caught.value).split(".")[0]


def test_changed_export_names_files(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(OTHER, export)
    mapping = tmp_path / "mapping.yaml"
    write_mapping(propose(export, profile="odoo17"), mapping)
    approve(mapping, export)
    with (export / "Organisations.csv").open("a") as handle:
        handle.write("ORG-3,Late Addition Ltd,,,,,GB,,,\n")
    (export / "Opportunities.csv").unlink()
    (export / "Notes.csv").write_text("Note ID,Note\nN-1,hello\n")
    with pytest.raises(GateError) as caught:
        check_approval(mapping, export)
    message = str(caught.value)
    assert "the export" in message
    assert "added Notes.csv" in message
    assert "removed Opportunities.csv" in message
    assert "changed Organisations.csv" in message
    assert "mapping file" not in message.split(":")[0]


def test_zip_export_hashes_members(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(OTHER.iterdir()):
            handle.write(path, f"export/{path.name}")
    hashes = export_hashes(archive)
    assert set(hashes) == {"export/Contacts Export.xlsx", "export/Opportunities.csv", "export/Organisations.csv"}
    mapping = tmp_path / "mapping.yaml"
    write_mapping(propose(archive, profile="odoo17"), mapping)
    approve(mapping, archive)
    assert check_approval(mapping, archive).version == 1


def test_dry_run_needs_no_approval(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--dry-run"], env=OFFLINE)
    assert result.exit_code == 1, result.output  # the example's two rejects, not the gate
    assert "not approved" not in result.output


# the gate against a test server

def test_migrate_refuses_missing_and_unapproved(odoo19_server, tmp_path):
    env = env_of(odoo19_server)
    mapping = tmp_path / "mapping.yaml"
    missing = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping), "--fallback-owner", "admin",
                                  "--ledger", str(tmp_path / "ledger.sqlite")], env=env)
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    assert "allegory2odoo plan" in missing.output

    write_mapping(propose(SAMPLE, profile="odoo19"), mapping)
    unapproved = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping), "--fallback-owner", "admin",
                                     "--ledger", str(tmp_path / "ledger.sqlite")], env=env)
    assert unapproved.exit_code == 2
    assert "is not approved" in unapproved.output
    assert "plan approve" in unapproved.output
    assert not (tmp_path / "ledger.sqlite").exists()


def test_migrate_refuses_changed_export(odoo19_server, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(SAMPLE, export)
    mapping = tmp_path / "mapping.yaml"
    write_mapping(propose(export, profile="odoo19"), mapping)
    approve(mapping, export)
    (export / "tags.csv").write_text((export / "tags.csv").read_text() + "T-99,Late Tag,blue,deal\n")
    result = runner.invoke(app, ["migrate", str(export), "--mapping", str(mapping), "--fallback-owner", "admin",
                                 "--ledger", str(tmp_path / "ledger.sqlite")], env=env_of(odoo19_server))
    assert result.exit_code == 2
    assert "changed since the mapping was approved" in result.output
    assert "changed tags.csv" in result.output


def test_migrate_refuses_unresolved_owner(odoo19_server, tmp_path):
    seed_owners(odoo19_server)
    mapping = tmp_path / "mapping.yaml"
    write_mapping(propose(SAMPLE, profile="odoo19"), mapping)
    approve(mapping, SAMPLE)
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping),
                                 "--ledger", str(tmp_path / "ledger.sqlite")], env=env_of(odoo19_server))
    assert result.exit_code == 2
    assert "no fallback owner is set" in result.output
    assert UNMATCHED_OWNER in result.output


def test_live_owner_report(odoo19_server, tmp_path):
    seed_owners(odoo19_server)
    with connect(odoo19_server) as client:
        proposal = propose(SAMPLE, client=client, fallback_owner="admin")
    owners = {owner.allegory: owner for owner in proposal.owners}
    assert owners[UNMATCHED_OWNER].odoo_user == "UNMATCHED"
    assert owners[UNMATCHED_OWNER].assigned == "admin"
    assert owners["tom.ashby@hartwell-legal.example"].odoo_user == "TOM.ASHBY@HARTWELL-LEGAL.EXAMPLE"
    assert proposal.target.startswith("Odoo 19")


def test_approve_then_migrate(odoo_server, tmp_path):
    seed_owners(odoo_server)
    env = env_of(odoo_server)
    mapping = tmp_path / "mapping.yaml"
    planned = runner.invoke(app, ["plan", str(SAMPLE), "--out", str(mapping), "--fallback-owner", "admin"], env=env)
    assert planned.exit_code == 0, planned.output
    assert "UNMATCHED" in planned.output

    # The mapping's own settings: tags for multi-selects, and one custom column left out.
    replace_line(mapping, "multiselect_as: text", "multiselect_as: tags")
    replace_line(mapping, "field: x_allegory_client_tier", "field: not migrated")
    approved = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping), str(SAMPLE)], env=env)
    assert approved.exit_code == 0, approved.output
    assert (tmp_path / "mapping.approved.json").exists()

    result = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping), "--create-custom-fields",
                                 "--ledger", str(tmp_path / "ledger.sqlite")], env=env)
    assert result.exit_code == 1, result.output  # the example's two records rejected on purpose
    with connect(odoo_server) as client:
        fields = {row["name"]: row["ttype"] for row in client.search_read(
            "ir.model.fields", [("model", "=", "res.partner"), ("name", "=like", "x_%")], ["name", "ttype"])}
        companies = client.search_read("res.partner", [("is_company", "=", True)], ["user_id"])
    assert "x_allegory_client_tier" not in fields
    assert fields["x_allegory_practice_interests"] == "many2many"
    assert len(companies) >= 60


def test_multiselect_option_must_match(mapping_path):
    approve(mapping_path, SAMPLE)
    with pytest.raises(GateError) as caught:
        check_gate(mapping_path, SAMPLE, client=None, fallback_owner="admin", multiselect_as="tags")
    assert "--multiselect-as tags differs" in str(caught.value)
    gate = check_gate(mapping_path, SAMPLE, client=None, fallback_owner="admin", multiselect_as=None)
    assert gate.multiselect_as == "text"
    assert gate.fallback_owner == "admin"


def test_mapping_fallback_owner_applies(mapping_path):
    replace_line(mapping_path, "fallback_owner: null", "fallback_owner: admin")
    approve(mapping_path, SAMPLE)
    gate = check_gate(mapping_path, SAMPLE, client=None, fallback_owner=None, multiselect_as=None)
    assert gate.fallback_owner == "admin"
    overridden = check_gate(mapping_path, SAMPLE, client=None, fallback_owner="root", multiselect_as=None)
    assert overridden.fallback_owner == "root"


def test_dry_run_applies_given_mapping(mapping_path):
    replace_line(mapping_path, "field: x_allegory_client_tier", "field: not migrated")
    result = runner.invoke(app, ["migrate", str(SAMPLE), "--dry-run", "--mapping", str(mapping_path)],
                           env=OFFLINE)
    assert result.exit_code == 1, result.output  # the example's two rejects
    assert "client_tier" in result.output.split("Columns not migrated")[1]


def test_approve_needs_export(mapping_path):
    result = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping_path)], env=OFFLINE)
    assert result.exit_code == 2
    assert "plan approve needs the export" in result.output


def test_run_files_in_export_ignored(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(OTHER, export)
    mapping = export / "mapping.yaml"
    write_mapping(propose(export, profile="odoo17"), mapping)
    approve(mapping, export)
    ledger = export / "crm-ledger.sqlite"
    for name in ("crm-ledger.sqlite", "crm-ledger.sqlite-wal", "custom-fields-checklist.md"):
        (export / name).write_text("written by a run")
    run_files = (ledger, export / "crm-ledger.sqlite-wal", export / "custom-fields-checklist.md")
    assert check_approval(mapping, export, run_files).version == 1
    with pytest.raises(GateError) as caught:
        check_approval(mapping, export)
    assert "added crm-ledger.sqlite" in str(caught.value)


def test_records_without_owner_listed(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(OTHER, export)
    with (export / "Organisations.csv").open("a") as handle:
        handle.write("ORG-3,No Owner Ltd,,,,,GB,,,\n")
    owners = {owner.allegory: owner for owner in propose(export, profile="odoo17").owners}
    assert owners["(no owner)"].records == 1
    assert owners["(no owner)"].assigned == "not checked"


def test_approve_rejects_other_export(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    write_mapping(propose(OTHER, profile="odoo17"), mapping)
    result = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping), str(SAMPLE)], env=OFFLINE)
    assert result.exit_code == 2
    line = next(number for number, text in enumerate(mapping.read_text().splitlines(), start=1)
                if text.startswith("- file:"))
    output = " ".join(result.output.split())  # Rich wraps long lines at spaces
    assert f"mapping.yaml:{line}:" in output
    assert "does not contain" in output
    assert not (tmp_path / "mapping.approved.json").exists()


def test_approve_rejects_changed_headers(mapping_path):
    replace_line(mapping_path, "- header: Account Name", "- header: Company Name")
    with pytest.raises(MappingFileError) as caught:
        approve(mapping_path, SAMPLE)
    assert "are not its headers" in str(caught.value)


def test_existing_policy_from_mapping(tmp_path):
    from allegory2odoo.plan.approval import GateError, existing_policies
    from allegory2odoo.plan.mapping_file import Options

    class Mapping:
        options = Options(existing_companies="update", existing_contacts="create")

    assert existing_policies(Mapping(), None, None, approved=True) == ("update", "create")
    assert existing_policies(None, None, None, approved=False) == ("link", "link")
    assert existing_policies(Mapping(), "link", None, approved=False) == ("link", "create")
    with pytest.raises(GateError, match="differs from the approved mapping's existing_companies: update"):
        existing_policies(Mapping(), "link", None, approved=True)
