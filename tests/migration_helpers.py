"""Shared set-up of the migration tests: users for the example's owners, a connected client, a snapshot."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from allegory2odoo.load.context import RunOptions
from allegory2odoo.load.runner import migrate
from allegory2odoo.odoo import ConnectionSettings, OdooClient

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "allegory-sample"
UNMATCHED_OWNER = "h.weber@hartwell-legacy.example"
# The example's records that are rejected on purpose: an activity on a deal deleted in Allegory,
# and an attachment whose file is missing from the export.
EXPECTED_REJECTS = {("activities", "A-5006"), ("attachments", "AT-7005")}


def rejected_records(result) -> set[tuple[str, str]]:
    return {(operation.kind, operation.source_id) for operation in result.rejects}


class LiveOdoo:
    """A real Odoo named by ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY or ODOO_PASSWORD, in place of a test server."""

    calls = None

    def __init__(self):
        self.url = os.environ["ODOO_URL"]
        self.db = os.environ.get("ODOO_DB")
        self.admin_login = os.environ.get("ODOO_USER", "admin")
        self.admin_password = os.environ.get("ODOO_PASSWORD")
        self.api_key = os.environ.get("ODOO_API_KEY")
        with connect(self) as client:
            self.version = client.version.major

    def add_user(self, login: str, email: str, name: str) -> int:
        with connect(self) as client:
            found = client.search_read("res.users", [("login", "=ilike", login)], ["id"], context={"active_test": False})
            if found:
                return found[0]["id"]
            return client.create("res.users", [{"login": login, "email": email, "name": name}])[0]


def live_configured() -> bool:
    return bool(os.environ.get("ODOO_URL"))


def seed_owners(server) -> dict[str, int]:
    """Create an Odoo user for every active owner of the example export, except the one left unmatched."""
    users = {}
    with open(SAMPLE / "users.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Email"] == UNMATCHED_OWNER:
                continue
            # Logins differ from emails in case, as people type them.
            users[row["ID"]] = server.add_user(row["Email"].upper(), email=row["Email"], name=row["Full Name"])
    return users


def connect(server, protocol: str = "auto") -> OdooClient:
    if isinstance(server, LiveOdoo) or not hasattr(server, "version"):
        settings = ConnectionSettings(url=server.url, db=server.db, user=server.admin_login,
                                      password=server.admin_password, api_key=server.api_key, protocol=protocol)
        return OdooClient.connect(settings)
    api_key = server.api_key if server.version >= 19 else None
    settings = ConnectionSettings(
        url=server.url, db=server.db, user=server.admin_login,
        password=None if api_key else server.admin_password, api_key=api_key, protocol=protocol,
    )
    return OdooClient.connect(settings)


def run(server, ledger_path, export=SAMPLE, **options):
    options.setdefault("fallback_owner", "admin")
    with connect(server) as client:
        return migrate(export, RunOptions(**options), client=client, ledger_path=ledger_path)


def xmlid_res_id(client, name: str) -> int | None:
    rows = client.search_read("ir.model.data", [("module", "=", "__allegory__"), ("name", "=", name)], ["res_id"])
    return rows[0]["res_id"] if rows else None


def snapshot(client) -> dict:
    """Every migrated record, keyed by external ID, with the fields the migration writes (ids as external IDs)."""
    data = client.search_read("ir.model.data", [("module", "=", "__allegory__")], ["name", "model", "res_id"])
    by_record = {(row["model"], row["res_id"]): row["name"] for row in data}
    fields = {
        "res.partner": ["name", "is_company", "email", "phone", "parent_id", "type", "street", "city", "zip",
                        "country_id", "state_id", "user_id", "category_id", "industry_id", "active"],
        "crm.lead": ["name", "type", "stage_id", "team_id", "partner_id", "user_id", "expected_revenue",
                     "date_deadline", "probability", "active", "tag_ids", "lost_reason_id", "description"],
        "crm.team": ["name"],
        "crm.stage": ["name", "sequence", "is_won", "fold"],
        "crm.tag": ["name", "color"],
        "res.partner.category": ["name", "color"],
    }
    result = {}
    for model, names in fields.items():
        ids = [res_id for (row_model, res_id) in by_record if row_model == model]
        for record in client.call(model, "read", ids, names, context={"active_test": False}) if ids else []:
            values = {}
            for name in names:
                value = record[name]
                if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
                    value = by_record.get((_relation(model, name), value[0]), value[1])
                elif isinstance(value, list):
                    value = sorted(by_record.get((_relation(model, name), item), item) for item in value)
                values[name] = value
            result[by_record[(model, record["id"])]] = values
    return result


def _relation(model: str, field: str) -> str:
    return {
        "parent_id": "res.partner", "partner_id": "res.partner", "stage_id": "crm.stage", "team_id": "crm.team",
        "category_id": "res.partner.category", "tag_ids": "crm.tag", "lost_reason_id": "crm.lost.reason",
        "industry_id": "res.partner.industry", "country_id": "res.country", "state_id": "res.country.state",
        "user_id": "res.users",
    }.get(field, model)
