"""Header synonyms, unknown columns, duplicate and missing columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegory2odoo.export import KINDS, ExportError, open_export
from allegory2odoo.export.headers import column_letter, map_header
from allegory2odoo.export.kinds import header_key, normalise_header


@pytest.mark.parametrize(
    ("kind", "header", "column"),
    [
        ("contacts", "E-mail", "email"),
        ("contacts", "Email Address", "email"),
        ("contacts", "E-mail Address", "email"),
        ("contacts", "EMAIL", "email"),
        ("contacts", "emailAddress", "email"),
        ("companies", "Company Name", "name"),
        ("companies", "Account Name", "name"),
        ("companies", "Parent Account", "parent_id"),
        ("companies", "Company ID", "id"),
        ("contacts", "Company", "company_id"),
        ("contacts", "Company ID", "company_id"),
        ("contacts", "Account ID", "company_id"),
        ("contacts", "Owner", "owner"),
        ("contacts", "Owner Email", "owner"),
        ("deals", "Owner ID", "owner"),
        ("deals", "Assigned To", "owner"),
        ("contacts", "First Name", "first_name"),
        ("contacts", "Given Name", "first_name"),
        ("contacts", "Last Name", "last_name"),
        ("contacts", "Surname", "last_name"),
        ("contacts", "Family Name", "last_name"),
        ("contacts", "Zip", "zip"),
        ("contacts", "Postal Code", "zip"),
        ("contacts", "Postcode", "zip"),
        ("deals", "Deal Name", "name"),
        ("deals", "Matter Name", "name"),
        ("deals", "Title", "name"),
        ("deals", "Value", "amount"),
        ("deals", "Amount", "amount"),
        ("deals", "Deal Value", "amount"),
        ("deals", "Expected Close Date", "close_date"),
        ("deals", "Close Date", "close_date"),
        ("deals", "Stage", "stage_id"),
        ("stages", "Stage", "name"),
        ("contacts", "Title", "job_title"),
        ("tags", "Colour", "color"),
        ("users", "User ID", "id"),
    ],
)
def test_header_synonym(kind: str, header: str, column: str) -> None:
    assert KINDS[kind].header_map().get(header_key(header)) == column


def test_normalise_header_forms() -> None:
    assert normalise_header("E-mail Address") == "e_mail_address"
    assert normalise_header("\ufeffLinkedIn") == "linked_in"
    assert normalise_header("  Probability (%) ") == "probability"
    assert normalise_header("#") == ""


def test_column_letters() -> None:
    assert column_letter(0) == "A"
    assert column_letter(25) == "Z"
    assert column_letter(26) == "AA"
    assert column_letter(27) == "AB"


def test_unknown_columns_kept_and_reported(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text("Contact ID,Given Name,Favourite Colour,LinkedIn URL\n1,Ann,blue,https://x\n")
    with open_export(tmp_path) as export:
        export_file = export.files()[0]
        row = next(export.rows("contacts"))
        warnings = export.warnings
    assert export_file.columns == ("id", "first_name")
    assert export_file.unknown_columns == ("favourite_colour", "linked_in_url")
    assert row.values == {"id": "1", "first_name": "Ann", "favourite_colour": "blue", "linked_in_url": "https://x"}
    assert warnings == [
        "contacts.csv: 2 column(s) not known for kind 'contacts' are kept under their normalised names: "
        "favourite_colour, linked_in_url."
    ]


def test_duplicate_canonical_column_rejected(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text("id,Email,E-mail Address\n1,a@x,b@x\n")
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path)
    error = caught.value
    assert error.file == "contacts.csv"
    assert error.row == 1
    assert error.column == "email"
    assert "'Email' (column B) and 'E-mail Address' (column C)" in str(error)
    assert "Rename or delete one" in str(error)


def test_duplicate_unknown_column_rejected(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name,Note,note\nVIP,a,b\n")
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path)
    assert caught.value.column == "note"


def test_missing_required_column_rejected(tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text("Matter ID,Value\nM1,100\n")
    with pytest.raises(ExportError) as caught:
        open_export(tmp_path)
    error = caught.value
    assert error.file == "deals.csv"
    assert error.column == "name"
    assert "required column 'name' of kind 'deals' is missing" in str(error)


def test_empty_header_cells(tmp_path: Path) -> None:
    (tmp_path / "tags.csv").write_text("name,,color,,\nVIP,x,red,,\n")
    with open_export(tmp_path) as export:
        row = next(export.rows("tags"))
        assert export.files()[0].unknown_columns == ("column_b",)
    assert row.values == {"name": "VIP", "column_b": "x", "color": "red"}


def test_kind_specific_synonym_wins() -> None:
    companies = map_header(["Company ID", "Company"], "companies", "a.csv")
    contacts = map_header(["Contact ID", "Company"], "contacts", "b.csv")
    assert companies.names == ("id", "name")
    assert contacts.names == ("id", "company_id")


def test_chosen_column_wins_over_synonym():
    mapped = map_header(["Contact ID", "Last Name", "Phone", "Direct Line"], "contacts", "contacts.csv",
                        {"Phone": "mobile", "Direct Line": "phone"})
    assert mapped.names == ("id", "last_name", "mobile", "phone")
    assert mapped.unknown_columns == ()


def test_chosen_column_clash_raises():
    with pytest.raises(ExportError) as caught:
        map_header(["Contact ID", "Last Name", "Phone", "Direct Line"], "contacts", "contacts.csv",
                   {"Direct Line": "phone"})
    assert "both mean the column 'phone'" in str(caught.value)
