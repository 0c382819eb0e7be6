"""The sample export generator: determinism, counts, referential integrity, command line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from allegory2odoo.export import KINDS, SourceRow, normalise_header, open_export
from allegory2odoo.sample import plan_counts, write_export
from allegory2odoo.sample.__main__ import main


def digest_folder(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_export(tmp_path / "a", records=3000, seed=3)
    write_export(tmp_path / "b", records=3000, seed=3)
    write_export(tmp_path / "c", records=3000, seed=4)
    first = digest_folder(tmp_path / "a")
    assert sorted(name for name in first if "/" not in name) == sorted(f"{kind}.csv" for kind in KINDS)
    assert sum(1 for name in first if name.startswith("files/")) == plan_counts(3000).attachments
    assert first == digest_folder(tmp_path / "b")
    assert first["contacts.csv"] != digest_folder(tmp_path / "c")["contacts.csv"]


def test_output_pinned_across_versions(tmp_path: Path) -> None:
    # These digests change only when the generator's output changes, on any Python version.
    write_export(tmp_path / "out", records=200, seed=1)
    digests = digest_folder(tmp_path / "out")
    assert digests["contacts.csv"] == "93c7f402da64b609ed7823b648c40298d5580e5018498024c81274533c4ef3c5"
    assert digests["deals.csv"] == "b1600d0cb8e53a4b484003d62722b4cce6ebde8e29e73e2fd45f5a125778a446"
    assert digests["activities.csv"] == "4623493fbb105dd6249cc30d485a9268b5dcfc090aa2c86be90d0f17e80b017d"
    assert digests["stage_history.csv"] == "e53346fb9601728377f0a172c8237271c16c8d9161a69307191c64bc80d2a801"


def test_zip_output_same_bytes(tmp_path: Path) -> None:
    write_export(tmp_path / "a.zip", records=1000, seed=9)
    write_export(tmp_path / "b.zip", records=1000, seed=9)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with open_export(tmp_path / "a.zip") as export:
        assert export.kinds() == list(KINDS)


@pytest.mark.parametrize("records", [20, 137, 5000])
def test_counts_add_up(tmp_path: Path, records: int) -> None:
    counts = write_export(tmp_path / "out", records=records, seed=1)
    assert counts.total == records
    with open_export(tmp_path / "out") as export:
        read = {kind: sum(1 for _ in export.rows(kind)) for kind in export.kinds()}
    assert read == vars(counts)
    assert all(count > 0 for count in read.values())


def test_proportions_at_scale() -> None:
    counts = plan_counts(250_000)
    assert counts.total == 250_000
    assert counts.users == 200
    assert counts.contacts > counts.companies > counts.users
    assert counts.deals > counts.companies
    assert counts.activities > 4 * counts.deals
    assert counts.notes > 2 * counts.deals
    assert counts.stage_history > 2 * counts.deals
    assert counts.attachments < counts.deals // 3
    assert counts.custom_fields == 14


def test_too_few_records_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 20"):
        write_export(tmp_path / "out", records=19)


def test_references_exist(tmp_path: Path) -> None:
    write_export(tmp_path / "out", records=20_000, seed=5)
    with open_export(tmp_path / "out") as export:
        # The only warnings are for the custom field value columns.
        assert len(export.warnings) == 3
        assert all("not known for kind" in warning for warning in export.warnings)
        users = list(export.rows("users"))
        owners = {row.get("id") for row in users} | {row.get("email") for row in users}
        pipelines = {row.get("id") for row in export.rows("pipelines")}
        stages = {row.get("id"): row.values for row in export.rows("stages")}
        tag_names = {row.get("name") for row in export.rows("tags")}

        company_ids: list[str] = []
        for row in export.rows("companies"):
            parent = row.get("parent_id")
            assert parent is None or parent in company_ids, row  # parents come first
            assert row.get("owner") in owners, row
            assert set((row.get("tags") or "").split(";")) - {""} <= tag_names, row
            company_ids.append(row.get("id"))
        companies = set(company_ids)
        assert len(companies) == len(company_ids)

        contact_company = {}
        for row in export.rows("contacts"):
            assert row.get("company_id") is None or row.get("company_id") in companies, row
            assert row.get("owner") in owners, row
            contact_company[row.get("id")] = row.get("company_id")

        pairs = set()
        for row in export.rows("associations"):
            contact, company = row.get("contact_id"), row.get("company_id")
            assert contact in contact_company, row
            assert company in companies, row
            assert (contact, company) not in pairs, row
            pairs.add((contact, company))
            if row.get("is_primary") == "true":
                assert contact_company[contact] == company, row

        deal_stages: dict[str, tuple[str, str]] = {}
        for row in export.rows("deals"):
            stage = stages[row.get("stage_id")]
            assert row.get("pipeline_id") in pipelines, row
            assert stage["pipeline_id"] == row.get("pipeline_id"), row
            expected = "open"
            if stage["is_won"] == "true":
                expected = "won"
            elif stage["is_lost"] == "true":
                expected = "lost"
            assert row.get("status") == expected, row
            assert (row.get("lost_reason") is not None) == (expected == "lost"), row
            assert row.get("company_id") in companies, row
            assert row.get("contact_id") in contact_company, row
            assert row.get("owner") in owners, row
            deal_stages[row.get("id")] = (row.get("pipeline_id"), row.get("stage_id"))

        last_of_deal: dict[str, SourceRow] = {}
        for row in export.rows("stage_history"):
            pipeline, _stage = deal_stages[row.get("deal_id")]
            assert stages[row.get("stage_id")]["pipeline_id"] == pipeline, row
            previous = last_of_deal.get(row.get("deal_id"))
            if previous is not None:
                assert previous.get("left_at") == row.get("entered_at"), row
            last_of_deal[row.get("deal_id")] = row
        for deal_id, row in last_of_deal.items():
            assert row.get("stage_id") == deal_stages[deal_id][1], row
            assert row.get("left_at") is None, row

        records = {"deal_id": set(deal_stages), "contact_id": set(contact_company), "company_id": companies}
        for kind, person in (("activities", "owner"), ("notes", "author"), ("attachments", "uploaded_by")):
            for row in export.rows(kind):
                targets = [column for column in records if row.get(column) is not None]
                assert len(targets) == (0 if row.get("note_id") else 1), row
                for column in targets:
                    assert row.get(column) in records[column], row
                assert row.get(person) in owners, row
        note_ids = {row.get("id") for row in export.rows("notes")}
        note_files = 0
        for row in export.rows("attachments"):
            if row.get("note_id") is not None:
                assert row.get("note_id") in note_ids, row
                note_files += 1
            assert export.member_size(row.get("path")) >= 200, row
        assert note_files > 0

        fields = list(export.rows("custom_fields"))
        assert {field.get("object") for field in fields} == {"company", "contact", "deal"}
        for kind, object_name in (("companies", "company"), ("contacts", "contact"), ("deals", "deal")):
            keys = {normalise_header(field.get("key")) for field in fields if field.get("object") == object_name}
            assert set(export.file(kind).unknown_columns) == keys, kind


def test_zip_attachment_files_read(tmp_path: Path) -> None:
    write_export(tmp_path / "out.zip", records=2000, seed=2)
    with open_export(tmp_path / "out.zip") as export:
        rows = list(export.rows("attachments"))
        assert rows
        for row in rows:
            with export.open_member(row.get("path")) as stream:
                content = stream.read()
            assert len(content) == export.member_size(row.get("path")), row
            assert row.get("id").encode() in content, row


def test_command_line_writes_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out"), "--records", "500", "--seed", "2"]) == 0
    assert "Wrote 500 records" in capsys.readouterr().out
    assert (tmp_path / "out" / "deals.csv").exists()
