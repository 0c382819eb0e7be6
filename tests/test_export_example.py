"""The committed example export reads cleanly and contains the awkward cases its README lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from allegory2odoo.export import KINDS, MemberNotFoundError, SourceRow, normalise_header, open_export

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
        "custom_fields": 20, "stage_history": 193, "activities": 178, "notes": 60, "attachments": 8,
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
        "activities.csv": ("activities", "csv", "utf-8"),
        "attachments.csv": ("attachments", "csv", "utf-8"),
        "custom_fields.csv": ("custom_fields", "csv", "utf-8"),
        "notes.csv": ("notes", "csv", "utf-8"),
        "stage_history.csv": ("stage_history", "csv", "utf-8"),
    }
    assert len(warnings) == 4
    assert warnings[0].startswith("Accounts.csv: 6 column(s) not known for kind 'companies'")
    assert warnings[1].startswith("Contacts Export.csv: no byte order mark and not UTF-8, so it is decoded as cp1252")
    assert "linked_in, preferred_language" in warnings[2]
    assert warnings[3].startswith("Matters.xlsx: 8 column(s) not known for kind 'deals'")


def test_example_only_declared_unknown_columns(rows: dict[str, list[SourceRow]]) -> None:
    with open_export(EXAMPLE) as export:
        unknown = {export_file.kind: export_file.unknown_columns for export_file in export.files() if export_file.unknown_columns}
    value_columns: dict[str, set[str]] = {}
    for field in rows["custom_fields"]:
        value_columns.setdefault(field.get("object"), set()).add(normalise_header(field.get("key")))
    assert set(unknown["contacts"]) == value_columns["contact"] | {"linked_in"}
    assert set(unknown["deals"]) == value_columns["deal"]
    assert set(unknown["companies"]) == value_columns["company"] - {"legacy_client_code"}
    assert set(unknown) == {"companies", "contacts", "deals"}


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


def test_example_activity_cases(rows: dict[str, list[SourceRow]]) -> None:
    activities = by_id(rows["activities"])
    deals = by_id(rows["deals"])
    assert {row.get("type").lower() for row in rows["activities"]} == {"call", "email", "meeting", "task"}
    assert activities["A-5006"].get("deal_id") == "M-2999"
    assert "M-2999" not in deals
    assert activities["A-5004"].get("status") == "open"
    assert activities["A-5004"].get("due_at") == "2031-06-30"
    assert activities["A-5005"].get("due_at") == "2024-01-15"
    assert activities["A-5003"].get("due_at") == "2024-02-12T09:00:00+01:00"
    assert activities["A-5001"].get("notes") == "Agreed the timetable.\nSPA draft due next week."
    assert activities["A-5001"].get("duration_minutes") == "40"
    assert activities["A-5011"].get("type") == "CALL"
    assert activities["A-5003"].get("company_id") == "CO-1003"


def test_example_note_cases(rows: dict[str, list[SourceRow]]) -> None:
    notes = by_id(rows["notes"])
    html = notes["N-6002"].get("body")
    for fragment in ("<table", "<a href=", "<script>", "onclick=", "<b>"):
        assert fragment in html, fragment
    assert notes["N-6002"].get("company_id") == "CO-1001"
    assert notes["N-6003"].get("body").startswith("Frau Müller")
    assert notes["N-6005"].get("author") == "U-08"


def test_example_attachment_files() -> None:
    with open_export(EXAMPLE) as export:
        attachments = by_id(list(export.rows("attachments")))
        sizes = {}
        for attachment_id, row in attachments.items():
            if attachment_id == "AT-7005":
                continue
            sizes[attachment_id] = export.member_size(row.get("path"))
        with export.open_member(attachments["AT-7001"].get("path")) as stream:
            assert stream.read(8) == b"%PDF-1.4"
        with export.open_member(attachments["AT-7002"].get("path")) as stream:
            assert stream.read(2) == b"PK"
        with pytest.raises(MemberNotFoundError):
            export.member_size(attachments["AT-7005"].get("path"))
    assert attachments["AT-7003"].get("file_name") == "Vertragsentwurf Müller – final.pdf"
    assert attachments["AT-7004"].get("note_id") == "N-6004"
    assert attachments["AT-7007"].get("path") == "files/CT-2005/PASSPORT COPY.PDF"
    assert attachments["AT-7008"].get("path") == "files\\M-3004\\term sheet.pdf"
    assert sizes["AT-7006"] == 30 * 1024 * 1024
    assert all(size < 10_000 for attachment_id, size in sizes.items() if attachment_id != "AT-7006")


def test_example_custom_field_cases(rows: dict[str, list[SourceRow]]) -> None:
    fields = by_id(rows["custom_fields"])
    assert len({row.get("type").lower().replace(" ", "").replace("-", "") for row in rows["custom_fields"]}) >= 11
    assert {row.get("object") for row in rows["custom_fields"]} == {"company", "contact", "deal"}
    assert fields["CF-26"].get("formula") == "[Fee Cap] / [Hours Budgeted]"
    assert fields["CF-26"].get("result_type") == "Decimal"
    assert fields["CF-04"].get("options") == "Platinum;Gold;Silver;Bronze"
    companies = by_id(rows["companies"])
    contacts = by_id(rows["contacts"])
    deals = by_id(rows["deals"])
    assert companies["CO-1002"].get("client_tier") == "Diamond"
    assert [companies[f"CO-100{number}"].get("aml_check_done") for number in range(1, 7)] == [
        "Yes", "TRUE", "no", "1", "x", "0",
    ]
    assert contacts["CT-2003"].get("preferred_language") == "Português"
    assert contacts["CT-2001"].get("practice_interests") == "M&A;Employment"
    assert deals["M-3001"].get("engagement_signed") is True
    assert deals["M-3004"].get("court_date") == dt.date(2024, 9, 12)
    assert deals["M-3001"].get("fee_per_hour") == 1250
    assert deals["M-3001"].get("conflict_cleared_at") == dt.datetime(2023, 11, 2, 10, 15)


def test_example_stage_history(rows: dict[str, list[SourceRow]]) -> None:
    deals = by_id(rows["deals"])
    stages = by_id(rows["stages"])
    by_deal: dict[str, list[SourceRow]] = {}
    for row in rows["stage_history"]:
        by_deal.setdefault(row.get("deal_id"), []).append(row)
    assert [row.get("stage_id") for row in by_deal["M-3004"]] == ["S-11", "S-13", "S-12", "S-13", "S-14"]
    assert "M-3005" not in by_deal
    for deal_id, history in by_deal.items():
        deal = deals[deal_id]
        assert history[-1].get("stage_id") == deal.get("stage_id"), deal_id
        assert history[-1].get("left_at") is None, deal_id
        for row in history:
            assert stages[row.get("stage_id")].get("pipeline_id") == deal.get("pipeline_id"), row
        for earlier, later in zip(history, history[1:]):
            assert earlier.get("left_at") == later.get("entered_at"), later


def test_example_history_references_resolve(rows: dict[str, list[SourceRow]]) -> None:
    users = by_id(rows["users"])
    owners = set(users) | {row.get("email") for row in users.values()}
    known = {
        "deal_id": set(by_id(rows["deals"])) | {"M-2999"},
        "contact_id": set(by_id(rows["contacts"])),
        "company_id": set(by_id(rows["companies"])),
    }
    notes = by_id(rows["notes"])
    for kind, person in (("activities", "owner"), ("notes", "author"), ("attachments", "uploaded_by")):
        for row in rows[kind]:
            targets = [column for column in known if row.get(column) is not None]
            assert len(targets) == (0 if row.get("note_id") else 1), row
            for column in targets:
                assert row.get(column) in known[column], row
            assert row.get(person) in owners, row
            if row.get("note_id"):
                assert row.get("note_id") in notes, row
