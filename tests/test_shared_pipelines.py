"""`options.pipelines: shared`: every pipeline in one crm.team, the deal's pipeline in x_allegory_pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from allegory2odoo.cli.main import app
from allegory2odoo.model.records import Origin, Stage
from allegory2odoo.plan.approval import apply_mapping, approve, check_gate
from allegory2odoo.plan.mapping_file import load_mapping, write_mapping
from allegory2odoo.plan.pipelines import pipeline_keys, shared_stages
from allegory2odoo.plan.proposal import propose
from migration_helpers import EXPECTED_REJECTS, SAMPLE, connect, rejected_records, run, seed_owners, xmlid_res_id

runner = CliRunner()
OFFLINE = {"ODOO_URL": "", "COLUMNS": "250"}
TEAM = "Matters"

# The example's stages in the shared team: (external ID, name, sequence, won).
EXPECTED_STAGES = [
    ("stage_S_11", "Enquiry", 1, False),
    ("stage_S_12", "Conflict Check", 2, False),
    ("stage_S_13", "Engagement Letter Sent", 3, False),
    ("stage_S_14", "Instructed", 4, False),
    ("stage_S_15", "Completed", 5, True),
    ("stage_S_21", "Initial Assessment", 6, False),
    ("stage_S_22", "Pre-action", 7, False),
    ("stage_S_23", "Proceedings Issued", 8, False),
    ("stage_S_24", "Settled / Judgment", 9, True),
]
PIPELINE_KEYS = {"P-1": "p_1", "P-2": "p_2"}
WON_STAGES = {"P-1": "stage_S_15", "P-2": "stage_S_24"}
FIRST_STAGES = {"P-1": "stage_S_11", "P-2": "stage_S_21"}


def sample_deals() -> dict[str, tuple[str, str, str]]:
    """Return matter ID -> (pipeline ID, stage ID, status), read from the example's Matters.xlsx."""
    sheet = openpyxl.load_workbook(SAMPLE / "Matters.xlsx", read_only=True)["Matters"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    columns = {name: header.index(name) for name in ("Matter ID", "Practice Area", "Stage", "Status")}
    return {row[columns["Matter ID"]]: (row[columns["Practice Area"]], row[columns["Stage"]], row[columns["Status"]])
            for row in rows if row[columns["Matter ID"]]}


def run_shared(server, ledger, export=SAMPLE, **options):
    options.setdefault("create_custom_fields", True)
    return run(server, ledger, export, pipelines="shared", shared_team=TEAM, **options)


def team_ids(client) -> set[int]:
    return {team["id"] for team in client.search_read("crm.team", [], ["id"], context={"active_test": False})}


@pytest.fixture
def shared_run(odoo_server, tmp_path):
    seed_owners(odoo_server)
    client = connect(odoo_server)
    client.teams_before = team_ids(client)  # the server's own teams
    result = run_shared(odoo_server, tmp_path / "ledger.sqlite")
    yield odoo_server, client, result
    client.close()


def stage_ids_by_xmlid(client) -> dict[int, str]:
    rows = client.search_read("ir.model.data", [("module", "=", "__allegory__"), ("model", "=", "crm.stage")],
                              ["name", "res_id"])
    return {row["res_id"]: row["name"] for row in rows}


# the layout rules

def stage(source_id, pipeline_id, name, position, lost=False):
    return Stage(source_id, Origin("stages.csv", 2), pipeline_id, name, position, is_lost=lost)


def test_colliding_stage_names_prefixed():
    pipelines = [("P-2", "Litigation"), ("P-1", "Corporate")]
    stages = [stage("A", "P-1", "Intake", 1), stage("B", "P-2", " intake ", 2), stage("C", "P-2", "Review", 1),
              stage("D", "P-1", "Review", 2, lost=True), stage("E", "P-1", "Done", 2)]
    shared = shared_stages(pipelines, stages)
    assert shared["A"].name == "Corporate / Intake"
    assert shared["B"].name == "Litigation /  intake "
    assert shared["C"].name == "Review"  # the other "Review" is a lost stage, which is not created
    assert "D" not in shared
    assert [(source_id, shared[source_id].sequence) for source_id in "CBAE"] == [("C", 1), ("B", 2), ("A", 3), ("E", 4)]


def test_pipeline_keys_unique():
    keys = pipeline_keys([("P-1", "One"), ("p_1", "Two"), ("!!", "Three"), ("P-1", "Again")])
    assert keys == {"P-1": "p_1", "p_1": "p_1_2", "!!": "pipeline_3"}


# the run

def test_one_team_only(shared_run):
    _server, client, result = shared_run
    team_id = xmlid_res_id(client, "team_shared")
    assert team_id is not None
    assert client.call("crm.team", "read", [team_id], ["name"])[0]["name"] == TEAM
    assert team_ids(client) - client.teams_before == {team_id}
    assert xmlid_res_id(client, "pipeline_P_1") is None
    assert xmlid_res_id(client, "pipeline_P_2") is None
    assert result.stats["shared team"]["created"] == 1


def test_pipelines_skipped_with_reason(shared_run):
    _server, _client, result = shared_run
    assert rejected_records(result) == EXPECTED_REJECTS
    assert result.stats["pipelines"]["read"] == 2
    assert result.stats["pipelines"]["skipped"] == 2
    for kind, counts in result.stats.items():
        handled = counts["created"] + counts["updated"] + counts["skipped"] + counts["rejected"]
        assert handled == counts["read"], kind


def test_stages_in_shared_team(shared_run):
    server, client, _result = shared_run
    team_id = xmlid_res_id(client, "team_shared")
    field = "team_ids" if server.version >= 19 else "team_id"
    for name, label, sequence, is_won in EXPECTED_STAGES:
        stage_id = xmlid_res_id(client, name)
        assert stage_id is not None, name
        record = client.call("crm.stage", "read", [stage_id], ["name", "sequence", "is_won", field])[0]
        assert record["name"] == label
        assert record["sequence"] == sequence
        assert record["is_won"] is is_won
        assert record[field] == ([team_id] if server.version >= 19 else [team_id, TEAM])
    assert xmlid_res_id(client, "stage_S_16") is None  # lost stages are not created
    assert len(stage_ids_by_xmlid(client)) == len(EXPECTED_STAGES)


def test_deals_in_team_with_pipeline(shared_run):
    _server, client, result = shared_run
    team_id = xmlid_res_id(client, "team_shared")
    stages = stage_ids_by_xmlid(client)
    deals = sample_deals()
    assert result.stats["deals"]["created"] == len(deals) == 70
    for matter_id, (pipeline_id, stage_id, status) in deals.items():
        deal_id = xmlid_res_id(client, "deal_" + matter_id.replace("-", "_"))
        record = client.call("crm.lead", "read", [deal_id], ["team_id", "x_allegory_pipeline", "stage_id"],
                             context={"active_test": False})[0]
        assert record["team_id"][0] == team_id, matter_id
        assert record["x_allegory_pipeline"] == PIPELINE_KEYS[pipeline_id], matter_id
        if status == "won":
            assert stages[record["stage_id"][0]] == WON_STAGES[pipeline_id], matter_id
        elif status == "lost":
            assert stages[record["stage_id"][0]] == FIRST_STAGES[pipeline_id], matter_id
        else:
            assert stages[record["stage_id"][0]] == "stage_" + stage_id.replace("-", "_"), matter_id


def test_pipeline_field_options(shared_run):
    _server, client, _result = shared_run
    fields = client.search_read("ir.model.fields", [("model", "=", "crm.lead"), ("name", "=", "x_allegory_pipeline")],
                                ["ttype", "field_description"])
    assert len(fields) == 1
    assert fields[0]["ttype"] == "selection"
    assert fields[0]["field_description"] == "Allegory pipeline"
    assert xmlid_res_id(client, "field_crm_lead_x_allegory_pipeline") == fields[0]["id"]
    described = client.call("crm.lead", "fields_get", ["x_allegory_pipeline"], ["selection"])
    assert described["x_allegory_pipeline"]["selection"] == [["p_1", "Corporate & M&A"], ["p_2", "Litigation"]]


def test_second_run_creates_nothing(shared_run, tmp_path):
    server, client, _result = shared_run
    again = run_shared(server, tmp_path / "ledger.sqlite")
    for kind, counts in again.stats.items():
        assert counts["created"] == 0, kind
    for kind in ("shared team", "pipelines", "stages", "deals"):
        assert again.stats[kind]["updated"] == 0, kind
    assert again.stats["shared team"]["skipped"] == 1
    assert team_ids(client) - client.teams_before == {xmlid_res_id(client, "team_shared")}


def test_resume_without_ledger_reuses_team(odoo17_server, tmp_path):
    seed_owners(odoo17_server)
    with connect(odoo17_server) as client:
        before = team_ids(client)
    run_shared(odoo17_server, tmp_path / "first.sqlite")
    again = run_shared(odoo17_server, tmp_path / "lost-ledger.sqlite")
    assert again.stats["shared team"]["created"] == 0
    assert again.stats["stages"]["created"] == 0
    assert again.stats["deals"]["created"] == 0
    with connect(odoo17_server) as client:
        assert len(team_ids(client) - before) == 1


def test_missing_field_leaves_value_out(odoo19_server, tmp_path):
    seed_owners(odoo19_server)
    result = run_shared(odoo19_server, tmp_path / "ledger.sqlite", create_custom_fields=False)
    assert result.stats["deals"]["created"] == 70
    assert any("x_allegory_pipeline" in note for note in result.notes)
    checklist = (tmp_path / "custom-fields-checklist.md").read_text()
    assert "x_allegory_pipeline" in checklist
    assert "`p_2`: Litigation" in checklist
    with connect(odoo19_server) as client:
        assert client.search_read("ir.model.fields", [("name", "=", "x_allegory_pipeline")], ["id"]) == []
        deal = client.call("crm.lead", "read", [xmlid_res_id(client, "deal_M_3001")], ["team_id"])[0]
        assert deal["team_id"][0] == xmlid_res_id(client, "team_shared")


def test_colliding_names_in_odoo(odoo17_server, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(SAMPLE, export)
    stages_file = export / "pipeline_stages.csv"
    stages_file.write_text(stages_file.read_text(encoding="utf-8").replace("S-21;P-2;Initial Assessment",
                                                                           "S-21;P-2;Enquiry"), encoding="utf-8")
    seed_owners(odoo17_server)
    result = run_shared(odoo17_server, tmp_path / "ledger.sqlite", export=export)
    assert rejected_records(result) == EXPECTED_REJECTS
    with connect(odoo17_server) as client:
        names = {xmlid: client.call("crm.stage", "read", [xmlid_res_id(client, xmlid)], ["name", "sequence"])[0]
                 for xmlid in ("stage_S_11", "stage_S_21", "stage_S_22")}
    assert names["stage_S_11"]["name"] == "Corporate & M&A / Enquiry"
    assert names["stage_S_21"]["name"] == "Litigation / Enquiry"
    assert names["stage_S_22"]["name"] == "Pre-action"
    assert names["stage_S_21"]["sequence"] == 6


# the mapping reaches the run

@pytest.fixture(scope="module")
def shared_proposal():
    return propose(SAMPLE, profile="odoo19", pipelines="shared", shared_team=TEAM)


def test_gate_passes_layout(shared_proposal, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    write_mapping(shared_proposal, mapping)
    approve(mapping, SAMPLE)
    gate = check_gate(mapping, SAMPLE, client=None, fallback_owner="admin", multiselect_as=None)
    assert gate.pipelines == "shared"
    assert gate.shared_team == TEAM
    dry = apply_mapping(mapping, SAMPLE, dry_run=True, client=None, fallback_owner=None, multiselect_as=None)
    assert dry.pipelines == "shared"
    assert dry.shared_team == TEAM
    default = apply_mapping(None, SAMPLE, dry_run=True, client=None, fallback_owner=None, multiselect_as=None)
    assert default.pipelines == "per_team"
    assert default.shared_team is None


def test_approved_mapping_migrates_shared(odoo19_server, tmp_path):
    seed_owners(odoo19_server)
    env = {"ODOO_URL": odoo19_server.url, "ODOO_DB": odoo19_server.db, "ODOO_USER": odoo19_server.admin_login,
           "ODOO_API_KEY": odoo19_server.api_key, "COLUMNS": "250"}
    mapping = tmp_path / "mapping.yaml"
    planned = runner.invoke(app, ["plan", str(SAMPLE), "--out", str(mapping), "--fallback-owner", "admin",
                                  "--pipelines", "shared", "--shared-team", TEAM], env=env)
    assert planned.exit_code == 0, planned.output
    assert load_mapping(mapping).options.pipelines == "shared"
    approved = runner.invoke(app, ["plan", "approve", "--mapping", str(mapping), str(SAMPLE)], env=env)
    assert approved.exit_code == 0, approved.output

    result = runner.invoke(app, ["migrate", str(SAMPLE), "--mapping", str(mapping), "--create-custom-fields",
                                 "--ledger", str(tmp_path / "ledger.sqlite")], env=env)
    assert result.exit_code == 1, result.output  # the example's two records rejected on purpose
    assert "shared team" in result.output
    with connect(odoo19_server) as client:
        team_id = xmlid_res_id(client, "team_shared")
        deal = client.call("crm.lead", "read", [xmlid_res_id(client, "deal_M_3002")],
                           ["team_id", "x_allegory_pipeline"], context={"active_test": False})[0]
    assert deal["team_id"][0] == team_id
    assert deal["x_allegory_pipeline"] == "p_2"


# the schema plan

def test_schema_plan_lists_shared(shared_proposal, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    write_mapping(shared_proposal, mapping)
    out = tmp_path / "schema.md"
    result = runner.invoke(app, ["schema", "plan", str(SAMPLE), "--out", str(out), "--mapping", str(mapping)],
                           env=OFFLINE)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "## Teams" in text
    assert f"| [ ] | {TEAM} | `crm.team` | one sales team with opportunities for the 2 pipelines |" in text
    assert "## Pipelines" not in text
    assert "| Initial Assessment | `crm.stage` | pipeline Litigation, sequence 6 |" in text
    assert "x_allegory_pipeline" in text
    assert "options p_1: Corporate & M&A; p_2: Litigation" in text


def test_schema_apply_shared(odoo17_server, tmp_path, shared_proposal):
    mapping = tmp_path / "mapping.yaml"
    write_mapping(shared_proposal, mapping)
    env = {"ODOO_URL": odoo17_server.url, "ODOO_DB": odoo17_server.db, "ODOO_USER": odoo17_server.admin_login,
           "ODOO_PASSWORD": odoo17_server.admin_password, "COLUMNS": "250"}
    ledger = tmp_path / "ledger.sqlite"
    result = runner.invoke(app, ["schema", "apply", str(SAMPLE), "--yes", "--ledger", str(ledger),
                                 "--mapping", str(mapping)], env=env)
    assert result.exit_code == 0, result.output
    with connect(odoo17_server) as client:
        team_id = xmlid_res_id(client, "team_shared")
        stage = client.call("crm.stage", "read", [xmlid_res_id(client, "stage_S_24")], ["team_id", "sequence"])[0]
        fields = client.search_read("ir.model.fields", [("name", "=", "x_allegory_pipeline")], ["ttype"])
    assert stage["team_id"][0] == team_id
    assert stage["sequence"] == 9
    assert [field["ttype"] for field in fields] == ["selection"]

    after = tmp_path / "after.md"
    planned = runner.invoke(app, ["schema", "plan", str(SAMPLE), "--out", str(after), "--mapping", str(mapping)],
                            env=env)
    assert planned.exit_code == 0, planned.output
    assert "| to create |" not in after.read_text()
