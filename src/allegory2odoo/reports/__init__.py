"""Reports: one report model rendered as HTML for people, JSON for machines and CSV for spreadsheets."""

from allegory2odoo.reports.model import Report, Table
from allegory2odoo.reports.render import FORMATS, escape_cell, render_csv, render_html, render_json, write_report

__all__ = ["FORMATS", "Report", "Table", "escape_cell", "render_csv", "render_html", "render_json", "write_report"]
