"""Zip input, XLSX input and the SourceRow contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from allegory2odoo.export import ExportError, SourceRow, open_export


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


DEAL_ROWS = [
    ["Matter ID", "Matter Name", "Value", "Won", "Expected Close Date", "Created At", "Probability"],
    ["M1", "  Acquisition of Harbour Logistics ", 1250000.5, True, dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 14, 30), 80],
    ["M2", "Employment dispute – Meyer", "€ 12.500,00", None, "5 Mar 2024", "2024-03-05T14:30:00Z", None],
]


def test_zip_export_streams_members(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr("allegory_export/companies.csv", "id,name\nC1,Müller GmbH\n".encode("utf-8"))
        zip_file.writestr("allegory_export/Contacts.csv", "id,first_name\nP1,Zoë\n".encode("cp1252"))
        zip_file.writestr("__MACOSX/allegory_export/._companies.csv", b"\x00\x05\x16\x07")
        zip_file.writestr("allegory_export/", b"")
    with open_export(archive) as export:
        names = {export_file.name: export_file.encoding for export_file in export.files()}
        companies = list(export.rows("companies"))
        contacts = list(export.rows("contacts"))
    assert names == {"allegory_export/companies.csv": "utf-8", "allegory_export/Contacts.csv": "cp1252"}
    assert companies[0].values == {"id": "C1", "name": "Müller GmbH"}
    assert companies[0].file == "allegory_export/companies.csv"
    assert contacts[0].get("first_name") == "Zoë"


def test_zip_closed_after_block(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("tags.csv", "name\nVIP\n")
    with open_export(archive) as export:
        pass
    assert export._zip is None


def test_bad_zip_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"not a zip")
    with pytest.raises(ExportError) as caught:
        open_export(archive)
    assert caught.value.file == str(archive)


def test_missing_export_rejected(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="the export was not found"):
        open_export(tmp_path / "nowhere")


def test_single_csv_path_rejected(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name\nVIP\n")
    with pytest.raises(ExportError, match="must be a folder or a .zip"):
        open_export(tmp_path / "tags.csv")


def test_xlsx_native_values(tmp_path: Path) -> None:
    write_workbook(tmp_path / "Matters.xlsx", {"Sheet1": DEAL_ROWS})
    with open_export(tmp_path) as export:
        export_file = export.file("deals")
        rows = list(export.rows("deals"))
    assert export_file.format == "xlsx"
    assert export_file.encoding is None
    assert export_file.sheet == "Sheet1"
    assert export_file.unknown_columns == ("won",)
    assert rows[0].row == 2
    assert rows[0].values == {
        "id": "M1",
        "name": "Acquisition of Harbour Logistics",
        "amount": 1250000.5,
        "won": True,
        "close_date": dt.date(2024, 3, 5),
        "created_at": dt.datetime(2024, 3, 5, 14, 30),
        "probability": 80,
    }
    assert type(rows[0].get("close_date")) is dt.date
    assert rows[1].get("amount") == "€ 12.500,00"
    assert rows[1].get("close_date") == "5 Mar 2024"
    assert rows[1].get("probability") is None


def test_xlsx_midnight_timestamp_stays_datetime(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "created_at"])
    sheet.append(["D1", "Claim", dt.datetime(2024, 3, 5, 0, 0)])
    sheet["C2"].number_format = "yyyy-mm-dd hh:mm:ss"
    workbook.save(tmp_path / "deals.xlsx")
    with open_export(tmp_path) as export:
        value = next(export.rows("deals")).get("created_at")
    assert type(value) is dt.datetime


def test_xlsx_sheet_named_after_kind(tmp_path: Path) -> None:
    write_workbook(tmp_path / "Export.xlsx", {"Read me": [["Exported 2024-03-06"]], "Opportunities": DEAL_ROWS})
    with open_export(tmp_path) as export:
        export_file = export.file("deals")
        ids = [row.get("id") for row in export.rows("deals")]
    assert export_file.sheet == "Opportunities"
    assert ids == ["M1", "M2"]


def test_xlsx_blank_rows_and_header_gap(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A2"] = "name"
    sheet["B2"] = "color"
    sheet["A3"] = "VIP"
    sheet["A6"] = "Key"
    sheet["B6"] = "#FF0000"
    workbook.save(tmp_path / "tags.xlsx")
    with open_export(tmp_path) as export:
        rows = list(export.rows("tags"))
    assert [(row.row, row.values) for row in rows] == [
        (3, {"name": "VIP", "color": None}),
        (6, {"name": "Key", "color": "#FF0000"}),
    ]


def test_xlsx_inside_zip(tmp_path: Path) -> None:
    write_workbook(tmp_path / "deals.xlsx", {"Deals": DEAL_ROWS})
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.write(tmp_path / "deals.xlsx", "deals.xlsx")
    with open_export(archive) as export:
        rows = list(export.rows("deals"))
    assert [row.get("id") for row in rows] == ["M1", "M2"]
    assert rows[0].get("close_date") == dt.date(2024, 3, 5)


def test_damaged_xlsx_rejected(tmp_path: Path) -> None:
    (tmp_path / "deals.xlsx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path)
    assert caught.value.file == "deals.xlsx"
    assert "save it again as .xlsx" in str(caught.value)


def test_source_row_contract() -> None:
    row = SourceRow(kind="tags", file="tags.csv", row=2, values={"name": "VIP"})
    assert row.get("name") == "VIP"
    assert row.get("color") is None
    assert row.get("color", "none") == "none"
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.row = 3  # type: ignore[misc]
