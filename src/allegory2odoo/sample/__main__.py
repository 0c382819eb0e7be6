"""Write a generated export: `python -m allegory2odoo.sample OUT --records N --seed S`."""

from __future__ import annotations

import argparse
import sys
import time

from allegory2odoo.sample.generator import write_export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m allegory2odoo.sample",
        description="Write a deterministic Allegory export of CSV files: the same seed gives the same bytes.",
    )
    parser.add_argument("out", help="folder to write the CSV files into, or a path ending in .zip")
    parser.add_argument("--records", type=int, default=250_000, help="total number of records over all kinds (default 250000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        counts = write_export(args.out, records=args.records, seed=args.seed)
    except ValueError as error:
        parser.error(str(error))
    seconds = time.perf_counter() - started
    per_kind = ", ".join(f"{kind} {count}" for kind, count in vars(counts).items())
    print(f"Wrote {counts.total} records to {args.out} in {seconds:.1f} s ({per_kind}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
