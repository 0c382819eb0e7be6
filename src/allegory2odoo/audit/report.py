"""The audit result as a report: JSON data, CSV tables and the HTML template's name."""

from __future__ import annotations

from allegory2odoo.audit.model import AuditResult
from allegory2odoo.reports import Report, Table


def audit_report(result: AuditResult) -> Report:
    data = result.to_dict()
    kinds = Table("kinds", ["kind", "file", "records"],
                  [[kind["kind"], kind["file"], kind["records"]] for kind in data["kinds"]])
    columns = Table("columns", ["kind", "column", "known", "filled", "fill_rate", "samples"], [
        [kind["kind"], column["name"], column["known"], column["filled"], column["fill_rate"],
         "(hidden)" if column["samples_hidden"] else " | ".join(column["samples"])]
        for kind in data["kinds"]
        for column in kind["columns"]
    ])
    findings = Table("findings", ["code", "severity", "title", "group", "kind", "source_id", "file", "row", "value"], [
        [finding["code"], finding["severity"], finding["title"], record.get("group"), record["kind"],
         record["source_id"], record["file"], record["row"], record["value"]]
        for finding in data["findings"]
        for record in finding["records"]
    ])
    owners = Table("owners", ["owner", "records", "in_users_file", "odoo_user"], [
        [owner["owner"], owner["records"], owner["in_users_file"], owner["odoo_user"]]
        for owner in data["owners"]["rows"]
    ])
    custom = Table("custom-columns", ["kind", "file", "column", "filled", "fill_rate"], [
        [column["kind"], column["file"], column["column"], column["filled"], column["fill_rate"]]
        for column in data["custom_columns"]
    ])
    return Report(
        name="audit",
        title=f"Audit of {result.export_name}",
        data=data,
        tables=[kinds, columns, custom, findings, owners],
        template="audit.html.j2",
    )
