"""Progress bars and the closing report of a run, drawn with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from allegory2odoo.load.context import Reporter

MAX_REJECTS_SHOWN = 20


class ProgressReporter(Reporter):
    """One progress bar per object kind."""

    def __init__(self, console: Console):
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> ProgressReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def start(self, kind: str, total: int | None) -> None:
        self.tasks[kind] = self.progress.add_task(kind, total=total)

    def advance(self, kind: str, count: int) -> None:
        if kind not in self.tasks:
            self.start(kind, None)
        self.progress.advance(self.tasks[kind], count)

    def finish(self, kind: str) -> None:
        task = self.tasks.get(kind)
        if task is not None:
            done = self.progress.tasks[task].completed
            self.progress.update(task, total=done, completed=done)


def render_result(console: Console, result) -> None:
    if not console.is_terminal:
        # Written to a file or a pipe, where Rich would assume 80 columns and fold every reason.
        console.width = max(console.width, 160)
    title = ("Dry run: nothing was written. " if result.dry_run else "") + f"Target: {result.target}"
    table = Table(title=title, title_justify="left")
    table.add_column("object kind")
    for column in ("read", "created", "updated", "skipped", "rejected"):
        table.add_column(column, justify="right")
    totals = {column: 0 for column in ("read", "created", "updated", "skipped", "rejected")}
    for kind in _ordered_kinds(result):
        counts = result.stats[kind]
        for column in totals:
            totals[column] += counts[column]
        rejected = counts["rejected"]
        table.add_row(kind, *(str(counts[column]) for column in ("read", "created", "updated", "skipped")),
                      f"[red]{rejected}[/]" if rejected else "0")
    table.add_section()
    table.add_row("total", *(str(totals[column]) for column in totals))
    console.print(table)

    if result.export_warnings:
        console.print("[bold]Notes on the export:[/]")
        for warning in result.export_warnings:
            console.print(f"  - {warning}", highlight=False)

    if result.unmapped_columns:
        console.print("[bold]Columns not migrated[/] (no known kind and no custom field definition):")
        for file_name, columns in result.unmapped_columns.items():
            console.print(f"  - {file_name}: {', '.join(columns)}", highlight=False)

    for note in getattr(result, "notes", []):
        console.print(note, highlight=False)

    if result.unmatched_owners:
        owners = Table(title="Owners without an Odoo user", title_justify="left")
        owners.add_column("owner as exported")
        owners.add_column("records", justify="right")
        for owner, number in result.unmatched_owners.most_common():
            owners.add_row(owner, str(number))
        console.print(owners)

    if result.secondary_companies:
        console.print(f"{len(result.secondary_companies)} contacts have secondary companies: Odoo keeps one parent "
                      "company per contact, so the others are listed in the ledger and, when the field exists, in "
                      "x_migration_secondary_companies.")

    if result.rejects:
        rejects = Table(title=f"Rejected records ({len(result.rejects)})", title_justify="left")
        for column in ("kind", "source ID", "file", "row", "reason"):
            rejects.add_column(column, overflow="fold")
        for operation in result.rejects[:MAX_REJECTS_SHOWN]:
            rejects.add_row(operation.kind, operation.source_id or "", operation.file or "",
                            str(operation.row or ""), operation.reason or "")
        console.print(rejects)
        if len(result.rejects) > MAX_REJECTS_SHOWN:
            console.print(f"... and {len(result.rejects) - MAX_REJECTS_SHOWN} more, every one with its reason in the ledger.")
    if result.ledger_path is not None:
        console.print(f"Ledger: {result.ledger_path} (run {result.run_id})")


def _ordered_kinds(result) -> list[str]:
    ordered = [kind for kind in result.order if kind in result.stats]
    return ordered + [kind for kind in result.stats if kind not in ordered]
