"""Telling a file's object kind: by file name, sheet name, headers and kind_overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegory2odoo.export import KINDS, ExportError, open_export
from allegory2odoo.export.headers import kind_from_headers
from allegory2odoo.export.kinds import header_key, kind_from_name

CASES = Path(__file__).parent / "cases" / "export"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("companies", "companies"),
        ("Accounts", "companies"),
        ("organisations", "companies"),
        ("Organizations_2024-03-05", "companies"),
        ("Contacts Export", "contacts"),
        ("people", "contacts"),
        ("matters", "deals"),
        ("Opportunities", "deals"),
        ("deals", "deals"),
        ("contact_companies", "associations"),
        ("affiliations", "associations"),
        ("AccountContacts", "associations"),
        ("pipeline_stages", "stages"),
        ("Deal Stages", "stages"),
        ("practice_areas", "pipelines"),
        ("users", "users"),
        ("Fee Earners", "users"),
        ("tags", "tags"),
        ("allegory_export_labels", "tags"),
        ("activities", "activities"),
        ("Matter Activities", "activities"),
        ("tasks", "activities"),
        ("notes", "notes"),
        ("Deal Notes", "notes"),
        ("attachments", "attachments"),
        ("Document Index", "attachments"),
        ("custom_fields", "custom_fields"),
        ("Custom Field Definitions", "custom_fields"),
        ("stage_history", "stage_history"),
        ("Deal Stage History", "stage_history"),
        ("matter_stage_history", "stage_history"),
    ],
)
def test_kind_from_file_name(name: str, kind: str) -> None:
    assert kind_from_name(name) == kind


@pytest.mark.parametrize("name", ["data", "export_2024", "sheet1", "contacts and deals"])
def test_kind_from_file_name_unknown(name: str) -> None:
    assert kind_from_name(name) is None


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Matter ID", "Matter Name", "Stage", "Value", "Client"], "deals"),
        (["Contact ID", "Company ID", "Primary", "Role"], "associations"),
        (["id", "email", "first_name", "last_name", "full_name", "active"], "users"),
        (["Stage ID", "Pipeline ID", "Stage Name", "Order"], "stages"),
        (["Account ID", "Account Name", "Website", "City"], "companies"),
        (["Tag Name", "Colour", "Applies To"], "tags"),
        (["Contact ID", "Given Name", "Surname", "Mobile", "Job Title"], "contacts"),
        (["Contact ID", "Company ID"], "associations"),
        (["contact_id", "company_id"], "associations"),
        (["id", "company_id", "first_name"], "contacts"),
        (["Activity ID", "Type", "Subject", "Due Date", "Matter ID", "Assigned To"], "activities"),
        (["id", "type", "status", "due_at", "deal_id"], "activities"),
        (["Note ID", "Body", "Deal ID", "Created By"], "notes"),
        (["Attachment ID", "File Name", "Path", "Matter ID", "Content Type"], "attachments"),
        (["Object", "Field Key", "Field Label", "Field Type", "Options"], "custom_fields"),
        (["Matter ID", "Stage", "Entered", "Left"], "stage_history"),
        (["deal_id", "stage_id", "entered_at", "left_at"], "stage_history"),
    ],
)
def test_kind_from_headers(header: list[str], kind: str) -> None:
    found, reason = kind_from_headers(header)
    assert found == kind, reason


def test_kind_from_headers_tie_names_kinds() -> None:
    found, reason = kind_from_headers(["id", "name"])
    assert found is None
    assert "pipelines" in reason
    assert "tags" in reason


def test_registry_kinds_are_complete() -> None:
    assert list(KINDS) == [
        "users", "companies", "contacts", "associations", "pipelines", "stages", "deals", "tags",
        "custom_fields", "stage_history", "activities", "notes", "attachments",
    ]
    for spec in KINDS.values():
        assert set(spec.required) <= set(spec.columns), spec.name


def test_minimal_export_has_every_kind() -> None:
    with open_export(CASES / "minimal") as export:
        assert export.kinds() == list(KINDS)
        assert export.warnings == []
        kinds = {export_file.name: export_file.kind for export_file in export.files()}
    assert kinds["stages.csv"] == "stages"
    assert "files/D1/letter.pdf" not in kinds


def test_new_kinds_columns_in_minimal_export() -> None:
    with open_export(CASES / "minimal") as export:
        activity = next(export.rows("activities"))
        note = next(export.rows("notes"))
        attachment = next(export.rows("attachments"))
        field = next(export.rows("custom_fields"))
        history = next(export.rows("stage_history"))
    assert activity.values == {
        "id": "A1", "type": "call", "subject": "Intake call", "status": "done", "due_at": "2024-01-03",
        "deal_id": "D1", "owner": "U1",
    }
    assert note.get("body") == "Met the board."
    assert note.get("author") == "U1"
    assert attachment.get("path") == "files/D1/letter.pdf"
    assert attachment.get("note_id") is None
    assert field.get("key") == "Client Tier"
    assert field.get("options") == "Gold;Silver"
    assert history.values == {"deal_id": "D1", "stage_id": "ST1", "entered_at": "2024-01-02 09:00:00", "left_at": None}


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("activities", "Activity ID,Type,Subject,Notes,Status,Due Date,Completed At,Created,Matter ID,Contact ID,"
                       "Account ID,Assigned To,Duration (min)"),
        ("notes", "Note ID,Note,Matter ID,Contact ID,Account ID,Created By,Created On"),
        ("attachments", "Attachment ID,File Name,File Path,Matter ID,Contact ID,Account ID,Note ID,MIME Type,"
                        "Uploaded By,Uploaded At"),
        ("custom_fields", "Field ID,Object,Field Key,Field Label,Field Type,Pick-list Values,Formula,Result Type,"
                          "Required"),
        ("stage_history", "Matter ID,Stage,Entered,Left"),
    ],
)
def test_display_headers_map_every_column(tmp_path: Path, kind: str, header: str) -> None:
    (tmp_path / "export.csv").write_text(header + "\n", encoding="utf-8")
    with open_export(tmp_path, kind_overrides={"export.csv": kind}) as export:
        export_file = export.file(kind)
    assert export_file is not None
    assert export_file.columns == KINDS[kind].columns
    assert export_file.unknown_columns == ()


def test_unnamed_files_told_by_headers() -> None:
    with open_export(CASES / "unnamed") as export:
        kinds = {export_file.name: export_file.kind for export_file in export.files()}
        warnings = "\n".join(export.warnings)
    assert kinds == {"data1.csv": "deals", "data2.csv": "associations"}
    assert "data1.csv: kind 'deals' told from its headers" in warnings
    assert "data3.csv: skipped because its kind cannot be told" in warnings
    assert "kind_overrides" in warnings
    assert "notes.md: skipped because it is not a CSV or XLSX file" in warnings


def test_kind_overrides_decide_kind() -> None:
    with open_export(CASES / "unnamed", kind_overrides={"data3.csv": "pipelines", "data1.csv": None}) as export:
        kinds = {export_file.name: export_file.kind for export_file in export.files()}
        rows = list(export.rows("pipelines"))
    assert kinds == {"data2.csv": "associations", "data3.csv": "pipelines"}
    assert rows[0].values == {"id": "X1", "name": "Something"}


def test_kind_overrides_unknown_kind_rejected() -> None:
    with pytest.raises(ExportError) as caught:
        open_export(CASES / "unnamed", kind_overrides={"data3.csv": "matters"})
    assert caught.value.value == "matters"
    assert "users, companies" in str(caught.value)


def test_kind_overrides_missing_file_rejected(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name\nVIP\n")
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path, kind_overrides={"tag.csv": "tags"})
    assert caught.value.file == "tag.csv"
    assert "tags.csv" in str(caught.value)


def test_two_files_one_kind_rejected(tmp_path: Path) -> None:
    (tmp_path / "companies.csv").write_text("id,name\nC1,Acme\n")
    (tmp_path / "Accounts.csv").write_text("id,name\nC2,Beta\n")
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path)
    message = str(caught.value)
    assert "'Accounts.csv' and 'companies.csv' both contain kind 'companies'" in message
    assert "kind_overrides" in message


def test_two_files_one_kind_resolved_by_override(tmp_path: Path) -> None:
    (tmp_path / "companies.csv").write_text("id,name\nC1,Acme\n")
    (tmp_path / "Accounts.csv").write_text("id,name\nC2,Beta\n")
    with open_export(tmp_path, kind_overrides={"Accounts.csv": None}) as export:
        ids = [row.get("id") for row in export.rows("companies")]
    assert ids == ["C1"]


def test_hidden_and_lock_files_ignored(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name\nVIP\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "~$tags.xlsx").write_bytes(b"lock")
    (tmp_path / "README.txt").write_text("Exported from Allegory on 2024-03-06\n")
    with open_export(tmp_path) as export:
        assert export.kinds() == ["tags"]
        assert export.warnings == []


def test_xls_file_skipped_with_hint(tmp_path: Path) -> None:
    (tmp_path / "contacts.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with open_export(tmp_path) as export:
        assert export.kinds() == []
        assert "Save it as .xlsx or CSV" in export.warnings[0]


def test_rows_of_absent_kind_empty() -> None:
    with open_export(CASES / "unnamed") as export:
        assert list(export.rows("users")) == []
        with pytest.raises(ValueError, match="unknown kind 'matters'"):
            export.rows("matters")


def test_docs_list_every_column_and_spelling() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "export-format.md").read_text(encoding="utf-8")
    for spec in KINDS.values():
        section = docs.split(f"### `{spec.name}`", 1)[1].split("### ", 1)[0]
        for column in spec.columns:
            assert f"| `{column}` |" in section, (spec.name, column)
        for alias in spec.file_names:
            assert f"`{alias}`" in section, (spec.name, alias)
        for column, spellings in spec.synonyms.items():
            for spelling in spellings:
                if spec.header_map()[header_key(spelling)] == column and header_key(spelling) != header_key(column):
                    assert spelling in section, (spec.name, spelling)
