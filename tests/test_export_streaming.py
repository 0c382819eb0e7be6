"""Rows stream: reading a large generated file keeps memory flat."""

from __future__ import annotations

import tracemalloc
import types
import zipfile
from pathlib import Path

import pytest

from allegory2odoo.export import open_export
from allegory2odoo.sample import write_export

# A list of 20,000 rows takes tens of MiB; streaming them needs a few hundred KiB.
PEAK_LIMIT = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def large_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large") / "export"
    # Activities are the largest generated kind.
    counts = write_export(folder, records=60_000, seed=11)
    assert counts.activities >= 20_000
    return folder


def measure_peak(export_path: Path, kind: str) -> tuple[int, int]:
    with open_export(export_path) as export:
        rows = export.rows(kind)
        assert isinstance(rows, types.GeneratorType)
        tracemalloc.start()
        try:
            count = 0
            last_row = 0
            for row in rows:
                count += 1
                assert row.row > last_row
                last_row = row.row
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return count, peak


def test_large_csv_reads_in_constant_memory(large_export: Path) -> None:
    count, peak = measure_peak(large_export, "activities")
    assert count >= 20_000
    assert peak < PEAK_LIMIT, f"peak {peak} bytes"


def test_large_zip_member_reads_in_constant_memory(large_export: Path, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.write(large_export / "activities.csv", "activities.csv")
    count, peak = measure_peak(archive, "activities")
    assert count >= 20_000
    assert peak < PEAK_LIMIT, f"peak {peak} bytes"


def test_large_xlsx_reads_in_constant_memory(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(["id", "first_name", "last_name", "email", "city"])
    for index in range(20_000):
        sheet.append([f"CT{index}", "Zoë", "Müller", f"zoe{index}@client.example", "São Paulo"])
    workbook.save(tmp_path / "contacts.xlsx")
    count, peak = measure_peak(tmp_path, "contacts")
    assert count == 20_000
    assert peak < PEAK_LIMIT, f"peak {peak} bytes"
