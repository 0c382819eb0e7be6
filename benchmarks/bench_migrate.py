"""Benchmark: the tool's own cost per record, and what batching saves, measured in one run.

    python benchmarks/bench_migrate.py --records 20000

It writes a generated export, then times in this one process:
1. a dry run against the bundled Odoo 19 profile: reading, mapping and
   validating every record, with no server; this is the client's own cost;
2. a full migration into the Odoo 19 test server of the test suite with
   batches of 500 and with batches of 25 (fewer records, same mix), counting
   the HTTP calls each makes.
Only ratios between figures of the same run are printed as results. The test
server is far faster than a real Odoo, so its absolute times tell nothing about
a real migration.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from allegory2odoo.load.context import RunOptions  # noqa: E402
from allegory2odoo.load.runner import migrate  # noqa: E402
from allegory2odoo.load.steps import default_steps  # noqa: E402
from allegory2odoo.sample.generator import write_export  # noqa: E402
from migration_helpers import connect  # noqa: E402
from odoo_server import OdooTestServer  # noqa: E402

# Odoo 19 on 2 cores, measured with XML-RPC batches of 500 (partners) and of
# 100 to 500 (leads): the medians of three runs of 2,000 records each.
REAL_ODOO_PARTNERS_PER_SECOND = 690
REAL_ODOO_LEADS_PER_SECOND = 92
PARTNER_AND_DEAL_STEPS = {
    "owners", "tags (deals)", "tags (contacts, companies)", "companies", "contacts", "associations",
    "parent companies", "contact companies", "pipelines", "stages", "deals",
}


def timed_migration(export: Path, batch_size: int) -> tuple[float, int, int]:
    server = OdooTestServer(version=19).start()
    try:
        with connect(server) as client:
            started = time.perf_counter()
            result = migrate(export, RunOptions(batch_size=batch_size, fallback_owner="admin"), client=client,
                             ledger_path=Path(tempfile.mkdtemp()) / "ledger.sqlite")
            seconds = time.perf_counter() - started
        records = sum(counts["read"] for counts in result.stats.values())
        return seconds, len(server.calls), records
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--small-batch-records", type=int, default=2_000)
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp())
    export = work / "export"
    counts = write_export(export, records=arguments.records, seed=7)

    started = time.perf_counter()
    dry = migrate(export, RunOptions(dry_run=True))
    dry_seconds = time.perf_counter() - started
    dry_records = sum(c["read"] for c in dry.stats.values())
    client_rate = dry_records / dry_seconds
    print(f"export: {counts.total} rows ({counts.companies} companies, {counts.contacts} contacts, {counts.deals} deals)")
    print(f"dry run, every kind (read, map, validate; no server): {dry_records} records in {dry_seconds:.2f} s "
          f"= {client_rate:.0f} records/s")

    # Odoo's throughput was measured for partners and leads only, so the ratio
    # compares the client's time for those kinds with the server's.
    partner_and_deal_steps = [step for step in default_steps() if step.name in PARTNER_AND_DEAL_STEPS]
    started = time.perf_counter()
    migrate(export, RunOptions(dry_run=True), steps=partner_and_deal_steps)
    core_seconds = time.perf_counter() - started
    partner_rows = counts.companies + counts.contacts
    odoo_seconds = partner_rows / REAL_ODOO_PARTNERS_PER_SECOND + counts.deals / REAL_ODOO_LEADS_PER_SECOND
    print(f"client time for companies, contacts and deals / estimated real Odoo 19 server time for them: "
          f"{core_seconds / odoo_seconds:.3f} ({core_seconds:.2f} s against an estimated {odoo_seconds:.0f} s)")

    small = work / "small"
    write_export(small, records=arguments.small_batch_records, seed=7)
    big_seconds, big_calls, big_records = timed_migration(small, 500)
    small_seconds, small_calls, small_records = timed_migration(small, 25)
    print(f"test server, {big_records} records: batches of 500 made {big_calls} calls in {big_seconds:.2f} s; "
          f"batches of 25 made {small_calls} calls in {small_seconds:.2f} s")
    print(f"calls ratio (25 / 500): {small_calls / big_calls:.1f}; time ratio (25 / 500): {small_seconds / big_seconds:.2f}")


if __name__ == "__main__":
    main()
