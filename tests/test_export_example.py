"""The committed example export reads cleanly and contains the awkward cases its README lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from allegory2odoo.export import KINDS, SourceRow, open_export

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "allegory-sample"


@pytest.fixture(scope="module")
def rows() -> dict[str, list[SourceRow]]:
    with open_export(EXAMPLE) as export:
        return {kind: list(export.rows(kind)) for kind in export.kinds()}


def by_id(rows: list[SourceRow]) -> dict[str, SourceRow]:
    return {row.get("id"): row for row in rows}


def test_example_has_every_kind(rows: dict[str, list[SourceRow]]) -> None:
    assert list(rows) == list(KINDS)
    counts = {kind: len(kind_rows) for kind, kind_rows in rows.items()}
    assert counts == {
        "users": 8, "companies": 60, "contacts": 120, "associations": 142,
        "pipelines": 2, "stages": 11, "deals": 70, "tags": 12,
    }


def test_example_files_and_warnings() -> None:
    with open_export(EXAMPLE) as export:
        files = {export_file.name: (export_file.kind, export_file.format, export_file.encoding) for export_file in export.files()}
        warnings = export.warnings
    assert files == {
        "Accounts.csv": ("companies", "csv", "utf-8-sig"),
        "Contacts Export.csv": ("contacts", "csv", "cp1252"),
        "Matters.xlsx": ("deals", "xlsx", None),
        "contact_companies.csv": ("associations", "csv", "utf-8"),
        "pipeline_stages.csv": ("stages", "csv", "utf-8"),
        "practice_areas.csv": ("pipelines", "csv", "utf-8"),
        "tags.csv": ("tags", "csv", "utf-8"),
        "users.csv": ("users", "csv", "utf-8"),
    }
    assert len(warnings) == 2
    assert warnings[0].startswith("Contacts Export.csv: no byte order mark and not UTF-8, so it is decoded as cp1252")
    assert warnings[1].endswith("linked_in.")


def test_example_only_declared_unknown_columns() -> None:
    with open_export(EXAMPLE) as export:
        unknown = {export_file.kind: export_file.unknown_columns for export_file in export.files() if export_file.unknown_columns}
    assert unknown == {"contacts": ("linked_in",)}


def test_example_contact_at_two_companies(rows: dict[str, list[SourceRow]]) -> None:
    links = [(row.get("company_id"), row.get("is_primary")) for row in rows["associations"] if row.get("contact_id") == "CT-2001"]
    assert links == [("CO-1003", "Yes"), ("CO-1001", "No")]
    assert by_id(rows["contacts"])["CT-2001"].get("company_id") == "CO-1003"


def test_example_departed_owner(rows: dict[str, list[SourceRow]]) -> None:
    user = by_id(rows["users"])["U-08"]
    assert user.get("active") == "No"
    assert by_id(rows["deals"])["M-3002"].get("owner") == user.get("email")
    assert by_id(rows["contacts"])["CT-2004"].get("owner") == user.get("email")
    assert by_id(rows["companies"])["CO-1008"].get("owner") == "U-08"


def test_example_pipelines_and_outcomes(rows: dict[str, list[SourceRow]]) -> None:
    deals = rows["deals"]
    assert {row.get("pipeline_id") for row in deals} == {"P-1", "P-2"}
    statuses = [row.get("status") for row in deals]
    assert {"open", "won", "lost"} <= set(statuses)
    lost = [row for row in deals if row.get("status") == "lost"]
    assert all(row.get("lost_reason") for row in lost)
    assert by_id(deals)["M-3002"].get("lost_reason") == "Client chose another firm"


def test_example_amounts_and_dates(rows: dict[str, list[SourceRow]]) -> None:
    deals = by_id(rows["deals"])
    assert deals["M-3001"].get("amount") == "$1,250,000.00"
    assert deals["M-3002"].get("amount") == "€ 12.500,00"
    assert deals["M-3003"].get("amount") == "GBP 3,400"
    assert deals["M-3003"].get("currency") is None
    assert deals["M-3004"].get("amount") == 850000
    assert deals["M-3006"].get("amount") == 275000.5
    assert deals["M-3001"].get("close_date") == "2024-03-05"
    assert deals["M-3002"].get("close_date") == "03/05/2024"
    assert deals["M-3003"].get("close_date") == "5 Mar 2024"
    assert deals["M-3004"].get("close_date") == dt.date(2024, 6, 30)
    assert deals["M-3001"].get("created_at") == dt.datetime(2024, 3, 5, 14, 30)
    assert deals["M-3001"].get("updated_at") == "2024-03-05T14:30:00Z"
    assert deals["M-3001"].get("closed_at") == "2024-03-05 14:30:00"


def test_example_companies(rows: dict[str, list[SourceRow]]) -> None:
    companies = by_id(rows["companies"])
    assert companies["CO-1002"].get("parent_id") == "CO-1001"
    assert companies["CO-1001"].get("street") == "One Canada Square\nCanary Wharf"
    assert companies["CO-1003"].get("name") == "Müller & Söhne GmbH"
    assert companies["CO-1004"].get("city") == "São Paulo"
    assert (companies["CO-1005"].get("state"), companies["CO-1005"].get("country")) == ("CA", "US")
    assert (companies["CO-1006"].get("state"), companies["CO-1006"].get("country")) == ("CA", "Spain")
    assert companies["CO-1001"].get("country") == "United Kingdom"
    assert companies["CO-1002"].get("country") == "GB"


def test_example_windows_1252_text(rows: dict[str, list[SourceRow]]) -> None:
    contacts = by_id(rows["contacts"])
    assert contacts["CT-2001"].get("first_name") == "Zoë"
    assert contacts["CT-2002"].get("first_name") == "Søren"
    assert contacts["CT-2002"].get("job_title") == "General Counsel – Nordics"
    assert contacts["CT-2007"].get("job_title") == "Head of Legal “Group”"
    assert contacts["CT-2001"].get("linked_in") == "https://www.linkedin.com/in/zoe-mueller"


def test_example_tags(rows: dict[str, list[SourceRow]]) -> None:
    tags = by_id(rows["tags"])
    assert tags["T-01"].get("color") == "red"
    assert tags["T-02"].get("color") == "#1F77B4"
    assert tags["T-11"].get("color") is None


def test_example_references_resolve(rows: dict[str, list[SourceRow]]) -> None:
    users = by_id(rows["users"])
    owners = set(users) | {row.get("email") for row in users.values()}
    companies = by_id(rows["companies"])
    contacts = by_id(rows["contacts"])
    stages = by_id(rows["stages"])
    tag_names = {row.get("name") for row in rows["tags"]}
    for row in rows["deals"]:
        assert row.get("company_id") in companies, row
        assert row.get("contact_id") in contacts, row
        assert row.get("owner") in owners, row
        assert stages[row.get("stage_id")].get("pipeline_id") == row.get("pipeline_id"), row
        assert set((row.get("tags") or "").split(";")) - {""} <= tag_names, row
    for row in rows["associations"]:
        assert row.get("contact_id") in contacts, row
        assert row.get("company_id") in companies, row
    for row in [*rows["companies"], *rows["contacts"]]:
        assert row.get("owner") in owners, row
