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
    assert list(KINDS) == ["users", "companies", "contacts", "associations", "pipelines", "stages", "deals", "tags"]
    for spec in KINDS.values():
        assert set(spec.required) <= set(spec.columns), spec.name


def test_minimal_export_has_every_kind() -> None:
    with open_export(CASES / "minimal") as export:
        assert export.kinds() == list(KINDS)
        assert export.warnings == []
        assert {export_file.name: export_file.kind for export_file in export.files()}["stages.csv"] == "stages"


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
