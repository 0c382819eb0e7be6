"""The sample export generator: determinism, counts, referential integrity, command line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from allegory2odoo.export import KINDS, open_export
from allegory2odoo.sample import plan_counts, write_export
from allegory2odoo.sample.__main__ import main


def digest_folder(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_export(tmp_path / "a", records=3000, seed=3)
    write_export(tmp_path / "b", records=3000, seed=3)
    write_export(tmp_path / "c", records=3000, seed=4)
    first = digest_folder(tmp_path / "a")
    assert sorted(first) == sorted(f"{kind}.csv" for kind in KINDS)
    assert first == digest_folder(tmp_path / "b")
    assert first["contacts.csv"] != digest_folder(tmp_path / "c")["contacts.csv"]


def test_output_pinned_across_versions(tmp_path: Path) -> None:
    # These digests change only when the generator's output changes, on any Python version.
    write_export(tmp_path / "out", records=200, seed=1)
    digests = digest_folder(tmp_path / "out")
    assert digests["contacts.csv"] == "c9c6906c86ab24e943b55179d3179ecb44bc907290e0fa384fb52f469514aaf5"
    assert digests["deals.csv"] == "a7fb109cb33602e34d45dadd5ca2edd64fa9fc4d8ee9fcc26ef4c02c86405076"


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
    assert counts.deals == counts.companies


def test_too_few_records_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 20"):
        write_export(tmp_path / "out", records=19)


def test_references_exist(tmp_path: Path) -> None:
    write_export(tmp_path / "out", records=6000, seed=5)
    with open_export(tmp_path / "out") as export:
        assert export.warnings == []
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


def test_command_line_writes_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out"), "--records", "500", "--seed", "2"]) == 0
    assert "Wrote 500 records" in capsys.readouterr().out
    assert (tmp_path / "out" / "deals.csv").exists()
