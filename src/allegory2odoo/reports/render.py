"""Render a report as JSON, CSV (with spreadsheet formulas neutralised) and HTML (Jinja2, autoescaped)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from allegory2odoo.reports import charts
from allegory2odoo.reports.model import Report, Table

FORMATS = ("html", "json", "csv")
# A cell that starts with one of these is read as a formula by Excel, LibreOffice and
# Google Sheets (CSV injection), so it is written with a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Return a CSV cell that no spreadsheet runs as a formula: `=1+2` becomes `'=1+2`.

    Numbers stay numbers, so a negative amount is not escaped.
    """
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def render_json(report: Report) -> str:
    return json.dumps(report.data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def render_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return buffer.getvalue()


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("allegory2odoo.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["bar_chart"] = charts.bar_chart
    environment.filters["duration"] = format_duration
    environment.filters["percent"] = lambda value: f"{value:.0%}"
    return environment


def render_html(report: Report) -> str:
    template = _environment().get_template(report.template)
    return template.render(report=report, data=report.data)


def format_duration(seconds: float) -> str:
    """Return seconds as `42 s`, `12 min` or `3 h 05 min`."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def write_report(report: Report, directory: Path, formats: Iterable[str]) -> list[Path]:
    """Write the report in each format into `directory` (created if missing) and return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for output_format in formats:
        if output_format == "json":
            path = directory / f"{report.name}.json"
            path.write_text(render_json(report), encoding="utf-8")
            written.append(path)
        elif output_format == "html":
            path = directory / f"{report.name}.html"
            path.write_text(render_html(report), encoding="utf-8")
            written.append(path)
        elif output_format == "csv":
            for table in report.tables:
                path = directory / f"{report.name}-{table.name}.csv"
                # utf-8-sig so that Excel reads the accents right.
                path.write_text(render_csv(table), encoding="utf-8-sig", newline="")
                written.append(path)
        else:
            raise ValueError(f"unknown report format {output_format!r}; use {', '.join(FORMATS)}")
    return written
