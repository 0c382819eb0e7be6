"""The `audit` command: findings with their records, profiles, grade, estimate, owners and the JSON snapshot."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegory2odoo.audit import UNMATCHED, audit_export
from allegory2odoo.audit.duplicates import normalise_name
from allegory2odoo.audit.grade import LEADS_PER_SECOND, PARTNERS_PER_SECOND
from allegory2odoo.audit.report import audit_report
from allegory2odoo.cli.main import app
from allegory2odoo.reports import render_json

CASES = Path(__file__).resolve().parent / "cases" / "audit"
EXPORT = CASES / "export"
SNAPSHOT = CASES / "expected-audit.json"
FROZEN = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.timezone.utc)
SECRETS = ("hunter2-secret", "correct-horse")
runner = CliRunner()


@pytest.fixture(scope="module")
def result():
    return audit_export(EXPORT, now=FROZEN)


def records_of(result, code: str) -> set[tuple[str, str, int]]:
    finding = next((finding for finding in result.findings if finding.code == code), None)
    assert finding is not None, f"no finding {code!r}; found {[f.code for f in result.findings]}"
    return {(ref.source_id, ref.file, ref.row) for ref in finding.records}


@pytest.mark.parametrize("code, expected", [
    ("duplicate_contacts_email", {("CT-1", "contacts.csv", 2), ("CT-2", "contacts.csv", 3)}),
    ("duplicate_contacts_name", {("CT-3", "contacts.csv", 4), ("CT-4", "contacts.csv", 5)}),
    ("missing_deals_company_id", {("D-2", "deals.csv", 3)}),
    ("missing_deals_contact_id", {("D-3", "deals.csv", 4)}),
    ("missing_owner", {("CO-2", "companies.csv", 3)}),
    ("owner_not_in_users", {("CO-3", "companies.csv", 4)}),
    ("invalid_email", {("CT-5", "contacts.csv", 6)}),
    ("invalid_date", {("D-4", "deals.csv", 5)}),
    ("invalid_amount", {("D-5", "deals.csv", 6)}),
    ("company_cycle", {("CO-4", "companies.csv", 5), ("CO-5", "companies.csv", 6)}),
    ("missing_activities_deal_id", {("A-2", "activities.csv", 3)}),
])
def test_finding_lists_records(result, code, expected):
    assert records_of(result, code) == expected


def test_no_unexpected_findings(result):
    codes = {finding.code for finding in result.findings}
    assert codes == {
        "duplicate_contacts_email", "duplicate_contacts_name", "missing_deals_company_id", "missing_deals_contact_id",
        "missing_owner", "owner_not_in_users", "invalid_email", "invalid_date", "invalid_amount", "company_cycle",
        "missing_activities_deal_id",
    }


def test_findings_carry_values(result):
    by_code = {finding.code: finding for finding in result.findings}
    assert by_code["missing_deals_company_id"].records[0].value == "CO-999"
    assert by_code["owner_not_in_users"].records[0].value == "ghost@elsewhere.example"
    assert by_code["invalid_amount"].records[0].value == "amount: about ten grand"
    assert by_code["duplicate_contacts_email"].groups == [[0, 1]]
    assert by_code["company_cycle"].groups == [[0, 1]]


def test_profiles_count_and_sample(result):
    kinds = {kind.kind: kind for kind in result.kinds}
    assert {kind: profile.records for kind, profile in kinds.items()} == {
        "users": 2, "companies": 5, "contacts": 5, "pipelines": 1, "stages": 2, "deals": 5, "activities": 2,
    }
    email = next(column for column in kinds["contacts"].columns if column.name == "email")
    assert email.filled == 5
    assert email.fill_rate(5) == 1.0
    assert len(email.samples) == 3
    owner = next(column for column in kinds["companies"].columns if column.name == "owner")
    assert owner.filled == 4


def test_custom_columns_listed(result):
    custom = {(column["kind"], column["column"]): column["filled"] for column in result.custom_columns()}
    assert custom == {("users", "portal_password"): 2, ("contacts", "linked_in_url"): 1}


def test_secret_column_samples_hidden(result):
    text = json.dumps(result.to_dict())
    for secret in SECRETS:
        assert secret not in text
    users = next(kind for kind in result.kinds if kind.kind == "users")
    password = next(column for column in users.columns if column.name == "portal_password")
    assert password.hidden
    assert password.samples == []


def test_grade_reasons(result):
    assert result.grade.letter == "D"
    reasons = [reason.reason for reason in result.grade.reasons]
    assert "company hierarchies contain cycles" in reasons
    assert result.grade.points == sum(reason.points for reason in result.grade.reasons)


def test_estimate_formula(result):
    estimate = result.estimate
    # 5 companies + 5 contacts + 5 contacts with a company + 2 companies with a parent + 1 pipeline + 2 stages.
    assert estimate.partner_writes == 20
    assert estimate.lead_writes == 5
    assert estimate.seconds == round(20 / PARTNERS_PER_SECOND + 5 / LEADS_PER_SECOND, 1)
    assert "Estimate" in estimate.basis
    assert "690" in estimate.basis


def test_json_snapshot(result):
    rendered = render_json(audit_report(result))
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert json.loads(rendered) == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, company, expected", [
    ("Müller & Söhne GmbH", True, "muller sohne"),
    ("Harbour Logistics A/S", True, "harbour logistics"),
    ("Vireo Logistics B.V.", True, "vireo logistics"),
    ("ACME Ltd", False, "acme ltd"),
])
def test_normalise_name(name, company, expected):
    assert normalise_name(name, company=company) == expected


def test_names_in_other_blocks_not_duplicates(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "contacts.csv").write_text(
        "Contact ID,Full Name,Company ID\nC-1,Anna Berg,CO-1\nC-2,Anna Berg,CO-2\nC-3,Anna Berg,CO-1\n",
        encoding="utf-8")
    result = audit_export(export)
    assert records_of(result, "duplicate_contacts_name") == {("C-1", "contacts.csv", 2), ("C-3", "contacts.csv", 4)}


def test_cli_writes_every_format(tmp_path):
    out = tmp_path / "report"
    outcome = runner.invoke(app, ["audit", str(EXPORT), "--out", str(out)], env={"ODOO_URL": ""})
    assert outcome.exit_code == 0, outcome.output
    names = sorted(path.name for path in out.iterdir())
    assert names == ["audit-columns.csv", "audit-custom-columns.csv", "audit-findings.csv", "audit-kinds.csv",
                     "audit-owners.csv", "audit.html", "audit.json"]
    for path in out.iterdir():
        for secret in SECRETS:
            assert secret not in path.read_text(encoding="utf-8-sig")
    html = (out / "audit.html").read_text(encoding="utf-8")
    assert "<svg" in html
    assert "<script" not in html
    assert "Companies that are their own ancestor" in html


def test_cli_format_json_only(tmp_path):
    outcome = runner.invoke(app, ["audit", str(EXPORT), "--out", str(tmp_path), "--format", "json"],
                            env={"ODOO_URL": ""})
    assert outcome.exit_code == 0, outcome.output
    assert [path.name for path in tmp_path.iterdir()] == ["audit.json"]


def test_cli_bad_format_is_usage_error(tmp_path):
    outcome = runner.invoke(app, ["audit", str(EXPORT), "--out", str(tmp_path), "--format", "pdf"],
                            env={"ODOO_URL": ""})
    assert outcome.exit_code == 2
    assert "--format" in outcome.output


def test_cli_missing_export_is_usage_error(tmp_path):
    outcome = runner.invoke(app, ["audit", str(tmp_path / "nope"), "--out", str(tmp_path)], env={"ODOO_URL": ""})
    assert outcome.exit_code == 2
    assert "not found" in outcome.output


def test_owners_matched_live(odoo19_server, tmp_path):
    odoo19_server.add_user("ALICE@firm.example", email="alice@firm.example", name="Alice Archer")
    env = {"ODOO_URL": odoo19_server.url, "ODOO_DB": odoo19_server.db, "ODOO_USER": "admin",
           "ODOO_API_KEY": odoo19_server.api_key}
    outcome = runner.invoke(app, ["audit", str(EXPORT), "--out", str(tmp_path), "--format", "json"], env=env)
    assert outcome.exit_code == 0, outcome.output
    data = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    owners = {row["owner"]: row["odoo_user"] for row in data["owners"]["rows"]}
    assert owners["U-1"] == "ALICE@firm.example"
    assert owners["alice@firm.example"] == "ALICE@firm.example"
    assert owners["U-2"] == UNMATCHED
    assert owners["ghost@elsewhere.example"] == UNMATCHED
    assert data["owners"]["checked_against"].startswith("Odoo 19.0 at http://127.0.0.1")
    assert odoo19_server.api_key not in outcome.output
    assert odoo19_server.api_key not in json.dumps(data)


def test_owners_not_checked_offline(result):
    assert result.owners_checked_against is None
    assert all(owner.odoo_user is None for owner in result.owners)
    in_users = {owner.owner: owner.in_users_file for owner in result.owners}
    assert in_users == {"U-1": True, "U-2": True, "alice@firm.example": True, "bob@firm.example": True,
                        "ghost@elsewhere.example": False}


def test_token_like_values_hidden(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    token = "3f9a1c0d5e7b2a4c6d8e0f1a2b3c4d5e6f708192"
    (export / "contacts.csv").write_text(f"Contact ID,Full Name,Sync Ref\nC-1,Anna Berg,{token}\n", encoding="utf-8")
    result = audit_export(export)
    contacts = next(kind for kind in result.kinds if kind.kind == "contacts")
    sync = next(column for column in contacts.columns if column.name == "sync_ref")
    assert sync.samples == ["[hidden]"]
    assert token not in json.dumps(result.to_dict())
    name = next(column for column in contacts.columns if column.name == "full_name")
    assert name.samples == ["Anna Berg"]


def test_attachment_files_checked(tmp_path):
    export = tmp_path / "export"
    (export / "files").mkdir(parents=True)
    (export / "files" / "small.pdf").write_bytes(b"%PDF-1.4 small")
    (export / "files" / "big.bin").write_bytes(b"x" * 3000)
    (export / "attachments.csv").write_text(
        "Attachment ID,File Name,File Path,Matter ID\n"
        "AT-1,small.pdf,files/small.pdf,M-1\n"
        "AT-2,big.bin,files/big.bin,M-1\n"
        "AT-3,gone.pdf,files/gone.pdf,M-1\n"
        "AT-4,escape.txt,../outside.txt,M-1\n",
        encoding="utf-8")
    from allegory2odoo.audit.scan import ScanOptions, Scanner
    from allegory2odoo.export import open_export

    with open_export(export) as opened:
        scan = Scanner(opened, ScanOptions(max_attachment_bytes=2000)).run()
    by_code = {finding.code: {ref.source_id for ref in finding.records} for finding in scan.findings}
    assert by_code["attachment_file_unreadable"] == {"AT-3", "AT-4"}
    assert by_code["attachment_file_too_large"] == {"AT-2"}
