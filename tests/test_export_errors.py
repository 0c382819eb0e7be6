"""ExportError: its attributes, its message, and the row errors the reader raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegory2odoo.export import ExportError, open_export


def test_message_names_place_value_and_hint() -> None:
    error = ExportError(
        "the amount is not a number", file="deals.csv", row=7, column="amount", value="12,5,0", hint="Fix the cell."
    )
    assert str(error) == "deals.csv, row 7, column 'amount': the amount is not a number (value '12,5,0'). Fix the cell."
    assert (error.file, error.row, error.column, error.value) == ("deals.csv", 7, "amount", "12,5,0")


def test_message_without_place() -> None:
    assert str(ExportError("the export is empty")) == "the export is empty."


def test_long_value_shortened_in_message() -> None:
    error = ExportError("bad", value="x" * 500)
    assert error.value == "x" * 500
    assert len(str(error)) < 120


def test_extra_cells_rejected_with_row_and_column(tmp_path: Path) -> None:
    text = 'id,name,amount\nD1,Claim,100\nD2,"Multi\nline",200\nD3,Lease, Müller,300\n'
    (tmp_path / "deals.csv").write_text(text, encoding="utf-8")
    with open_export(tmp_path) as export:
        rows = export.rows("deals")
        assert next(rows).row == 2
        assert next(rows).row == 3
        with pytest.raises(ExportError) as caught:
            next(rows)
    error = caught.value
    assert error.file == "deals.csv"
    assert error.row == 4
    assert error.column == "D"
    assert error.value == "300"
    assert "the row has 4 cells but the header has 3 columns" in str(error)
    assert "Quote cells" in str(error)


def test_trailing_empty_cells_accepted(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name,color\nVIP,red,,\n", encoding="utf-8")
    with open_export(tmp_path) as export:
        assert next(export.rows("tags")).values == {"name": "VIP", "color": "red"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name,color\nVIP,red\n"Key,blue\nOther,green\n', "unexpected end of data"),
        ('name,color\nVIP,red\n"Key"s,blue\n', "expected after"),
    ],
    ids=["unclosed-quote", "text-after-quote"],
)
def test_bad_quoting_rejected_with_row(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "tags.csv").write_text(text, encoding="utf-8")
    with open_export(tmp_path) as export:
        with pytest.raises(ExportError) as caught:
            list(export.rows("tags"))
    assert caught.value.row == 3
    assert caught.value.file == "tags.csv"
    assert problem in str(caught.value)


def test_quote_inside_unquoted_cell_accepted(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text('name,color\n5" screen,red\n', encoding="utf-8")
    with open_export(tmp_path) as export:
        assert next(export.rows("tags")).get("name") == '5" screen'


def test_empty_file_skipped_with_warning(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_bytes(b"")
    with open_export(tmp_path) as export:
        assert export.kinds() == []
        assert export.warnings == ["tags.csv: skipped because it contains no header row."]
