"""The report layer: CSV formula escaping, HTML autoescaping, and writing each format."""

from __future__ import annotations

import csv
import io

import pytest

from allegory2odoo.audit import audit_export
from allegory2odoo.audit.report import audit_report
from allegory2odoo.reports import Report, Table, escape_cell, render_csv, render_html, write_report


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"),
    ("+44 20 7946 0101", "'+44 20 7946 0101"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=cmd", "'\t=cmd"),
    ("\r=cmd", "'\r=cmd"),
    ('=HYPERLINK("http://example.com","x")', '\'=HYPERLINK("http://example.com","x")'),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    ("", ""),
    (None, ""),
    (-5, -5),
    (2.5, 2.5),
    (True, True),
])
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


def test_render_csv_escapes_every_cell():
    table = Table("t", ["=header", "value"], [["=1+2", "@x"], ["safe", -3]])
    rows = list(csv.reader(io.StringIO(render_csv(table))))
    assert rows == [["'=header", "value"], ["'=1+2", "'@x"], ["safe", "-3"]]


@pytest.fixture
def hostile_export(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "companies.csv").write_text(
        "Company ID,Company Name,Email,Owner\n"
        'CO-1,<script>alert(1)</script> Ltd,one@good.example,"<img src=x onerror=alert(2)>"\n'
        "CO-2,<script>alert(1)</script> GmbH,two@good.example,=cmd|calc\n",
        encoding="utf-8",
    )
    return export


def test_html_escapes_values(hostile_export):
    html = render_html(audit_report(audit_export(hostile_export)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script" not in html


def test_csv_report_escapes_values(hostile_export, tmp_path):
    written = write_report(audit_report(audit_export(hostile_export)), tmp_path / "out", ["csv"])
    findings = next(path for path in written if path.name == "audit-findings.csv")
    rows = list(csv.DictReader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    values = [row["value"] for row in rows]
    assert "'=cmd|calc" in values
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)


def test_html_report_without_javascript_or_network(hostile_export):
    html = render_html(audit_report(audit_export(hostile_export)))
    assert "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_unknown_format_raises(tmp_path):
    report = Report(name="r", title="R", data={}, tables=[], template="audit.html.j2")
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        write_report(report, tmp_path, ["pdf"])
