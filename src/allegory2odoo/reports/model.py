"""The report model that every output format renders: data for JSON, tables for CSV, a template for HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One table of a report: written as `<name>.csv`, one header row then one row per entry."""

    name: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Report:
    """A report rendered three ways.

    `data` is the whole report as JSON-ready values, `tables` its tabular parts for CSV,
    and `template` the name of the Jinja2 template (package data under `templates/`) that
    renders `data` as HTML.
    """

    name: str
    title: str
    data: dict[str, Any]
    tables: list[Table]
    template: str
