"""Encodings, CSV dialects and cell values of CSV files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from allegory2odoo.export import ExportError, open_export

TEXT = "id,first_name,last_name,city\r\nC1,Zoë,Müller,München\r\nC2,Søren,Ørsted,São Paulo\r\n"
NAMES = [("Zoë", "Müller", "München"), ("Søren", "Ørsted", "São Paulo")]


def read_contacts(folder: Path, **options: object) -> tuple[str | None, list[tuple]]:
    with open_export(folder, **options) as export:
        encoding = export.file("contacts").encoding
        rows = [(row.get("first_name"), row.get("last_name"), row.get("city")) for row in export.rows("contacts")]
    return encoding, rows


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_encoding_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    (tmp_path / "contacts.csv").write_bytes(data)
    found, rows = read_contacts(tmp_path)
    assert found == encoding
    assert rows == NAMES


def test_bom_not_in_first_column(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    with open_export(tmp_path) as export:
        assert export.file("contacts").columns[0] == "id"
        assert next(export.rows("contacts")).get("id") == "C1"


def test_cp1252_byte_far_from_start(tmp_path: Path) -> None:
    # The only non-ASCII byte sits past the first 64 KiB that detection samples first.
    filler = "".join(f"C{index},Ann,Lee,Leeds\r\n" for index in range(5000))
    text = "id,first_name,last_name,city\r\n" + filler + "C9999,René,Hoël,Besançon – Doubs\r\n"
    (tmp_path / "contacts.csv").write_bytes(text.encode("cp1252"))
    encoding, rows = read_contacts(tmp_path)
    assert encoding == "cp1252"
    assert rows[-1] == ("René", "Hoël", "Besançon – Doubs")
    assert len(rows) == 5001


def test_cp1252_warning_names_encoding(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_bytes(TEXT.encode("cp1252"))
    with open_export(tmp_path) as export:
        assert export.warnings == [
            "contacts.csv: no byte order mark and not UTF-8, so it is decoded as cp1252 (detected). "
            "If characters look wrong, pass the encoding explicitly."
        ]


def test_encoding_override(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_bytes(TEXT.encode("latin-1").replace("Zoë".encode("latin-1"), b"Zo\xeb"))
    found, rows = read_contacts(tmp_path, encoding="ISO-8859-1")
    assert found == "iso8859-1"
    assert rows[0] == ("Zoë", "Müller", "München")


def test_encoding_override_wrong_names_row(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_bytes(TEXT.encode("cp1252"))
    with open_export(tmp_path, encoding="utf-8") as export:
        with pytest.raises(ExportError) as caught:
            list(export.rows("contacts"))
    assert caught.value.file == "contacts.csv"
    assert caught.value.row == 2
    assert caught.value.column == "B"
    assert caught.value.value == "Zo\\xeb"
    assert "not valid utf-8" in str(caught.value)
    assert "encoding='cp1252'" in str(caught.value)


def test_unknown_encoding_rejected(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_bytes(TEXT.encode("utf-8"))
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path, encoding="klingon")
    assert caught.value.value == "klingon"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = TEXT.replace(",", delimiter).replace("São Paulo", '"São Paulo, SP"')
    (tmp_path / "contacts.csv").write_text(text, encoding="utf-8", newline="")
    _, rows = read_contacts(tmp_path)
    assert rows[1] == ("Søren", "Ørsted", "São Paulo, SP")


def test_semicolon_file_with_commas_in_amounts(tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text('id;name;amount\nD1;"Claim, Meyer";€ 12.500,00\n', encoding="utf-8")
    with open_export(tmp_path) as export:
        row = next(export.rows("deals"))
    assert row.values == {"id": "D1", "name": "Claim, Meyer", "amount": "€ 12.500,00"}


def test_tsv_file(tmp_path: Path) -> None:
    (tmp_path / "tags.tsv").write_text("name\tcolor\nVIP\tred\n", encoding="utf-8")
    with open_export(tmp_path) as export:
        assert next(export.rows("tags")).values == {"name": "VIP", "color": "red"}


def test_embedded_newlines_keep_row_numbers(tmp_path: Path) -> None:
    text = 'id,name,street\r\nC1,Acme,"1 Main St\r\nSuite 4"\r\nC2,"Beta\nHoldings",x\r\nC3,Gamma,y\r\n'
    (tmp_path / "companies.csv").write_text(text, encoding="utf-8", newline="")
    with open_export(tmp_path) as export:
        rows = list(export.rows("companies"))
    assert [row.row for row in rows] == [2, 3, 4]
    assert rows[0].get("street") == "1 Main St\r\nSuite 4"
    assert rows[1].get("name") == "Beta\nHoldings"


def test_csv_values_stripped_and_empty_none(tmp_path: Path) -> None:
    (tmp_path / "companies.csv").write_text('id,name,phone,city\n C1 ,"  Acme Ltd ",,   \n', encoding="utf-8")
    with open_export(tmp_path) as export:
        row = next(export.rows("companies"))
    assert row.values == {"id": "C1", "name": "Acme Ltd", "phone": None, "city": None}


def test_blank_rows_skipped_but_counted(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name,color\n\nVIP,red\n,\nKey,blue\n", encoding="utf-8")
    with open_export(tmp_path) as export:
        rows = list(export.rows("tags"))
    assert [(row.row, row.get("name")) for row in rows] == [(3, "VIP"), (5, "Key")]


def test_short_row_padded_with_none(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("id,name,color,scope\nT1,VIP\n", encoding="utf-8")
    with open_export(tmp_path) as export:
        row = next(export.rows("tags"))
    assert row.values == {"id": "T1", "name": "VIP", "color": None, "scope": None}
