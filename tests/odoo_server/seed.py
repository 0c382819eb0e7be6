"""The records of a new Odoo 17.0 / 19.0 database (modules crm, contacts and mail, no demo data).

Ids, names and external ids of users, partners, teams, stages, lost reasons, activity
types and message subtypes are those read from real databases of both versions.
Countries and states come from pycountry, so their ids and some names differ from Odoo's.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import pycountry

import allegory2odoo.odoo

from . import labels, modules
from .database import Database
from .orm import empty_value

PROFILE_DIR = Path(allegory2odoo.odoo.__file__).parent / "profiles"

# Standard industries of Odoo's base module: (xml id suffix, name, full name).
INDUSTRIES = [
    ("A", "Agriculture", "A - AGRICULTURE, FORESTRY AND FISHING"),
    ("B", "Mining", "B - MINING AND QUARRYING"),
    ("C", "Manufacturing", "C - MANUFACTURING"),
    ("D", "Energy supply", "D - ELECTRICITY, GAS, STEAM AND AIR CONDITIONING SUPPLY"),
    ("E", "Water supply", "E - WATER SUPPLY; SEWERAGE, WASTE MANAGEMENT AND REMEDIATION ACTIVITIES"),
    ("F", "Construction", "F - CONSTRUCTION"),
    ("G", "Wholesale/Retail", "G - WHOLESALE AND RETAIL TRADE; REPAIR OF MOTOR VEHICLES AND MOTORCYCLES"),
    ("H", "Transportation/Logistics", "H - TRANSPORTATION AND STORAGE"),
    ("I", "Food/Hospitality", "I - ACCOMMODATION AND FOOD SERVICE ACTIVITIES"),
    ("J", "IT/Communication", "J - INFORMATION AND COMMUNICATION"),
    ("K", "Finance/Insurance", "K - FINANCIAL AND INSURANCE ACTIVITIES"),
    ("L", "Real Estate", "L - REAL ESTATE ACTIVITIES"),
    ("M", "Scientific", "M - PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES"),
    ("N", "Administrative/Utilities", "N - ADMINISTRATIVE AND SUPPORT SERVICE ACTIVITIES"),
    ("O", "Public Administration", "O - PUBLIC ADMINISTRATION AND DEFENCE; COMPULSORY SOCIAL SECURITY"),
    ("P", "Education", "P - EDUCATION"),
    ("Q", "Health/Social", "Q - HUMAN HEALTH AND SOCIAL WORK ACTIVITIES"),
    ("R", "Entertainment", "R - ARTS, ENTERTAINMENT AND RECREATION"),
    ("S", "Other Services", "S - OTHER SERVICE ACTIVITIES"),
    ("T", "Households", "T - ACTIVITIES OF HOUSEHOLDS AS EMPLOYERS; UNDIFFERENTIATED GOODS- AND "
     "SERVICES-PRODUCING ACTIVITIES OF HOUSEHOLDS FOR OWN USE"),
    ("U", "Extraterritorial", "U - ACTIVITIES OF EXTRATERRITORIAL ORGANISATIONS AND BODIES"),
]

# ir.model ids seen in the captured databases; other models get ids from 1000 on.
MODEL_IDS = {17: {"res.partner": 85, "crm.lead": 393}, 19: {"res.partner": 90, "crm.lead": 421}}

CRM_STAGES = [
    (1, "New", 1, False),
    (2, "Qualified", 2, False),
    (3, "Proposition", 3, False),
    (4, "Won", 70, True),
]
CRM_TEAMS = [
    # id, name, active, company_id, sequence, xml id
    (1, "Sales", True, False, 0, "sales_team.team_sales_department"),
    (2, "Website", False, False, 10, "sales_team.salesteam_website_sales"),
    (3, "Point of Sale", False, False, 10, "sales_team.pos_sales_team"),
    (4, "eBay", False, 1, 10, "sales_team.ebay_sales_team"),  # 17.0 only
]
LOST_REASONS = [(1, "Too expensive"), (2, "We don't have people/skills"), (3, "Not enough stock")]
ACTIVITY_TYPES = [
    # id, name (17, 19), category, sequence (17, 19), delay_count, icon (17, 19), active, decoration, xml id
    (1, ("Email", "Email"), "default", (3, 3), 0, ("fa-envelope", "fa-envelope"), True, False, "mail_activity_data_email"),
    (2, ("Call", "Call"), "phonecall", (6, 6), 2, ("fa-phone", "fa-phone"), True, False, "mail_activity_data_call"),
    (3, ("Meeting", "Meeting"), "meeting", (9, 9), 0, ("fa-users", "fa-users"), True, False, "mail_activity_data_meeting"),
    (4, ("To-Do", "To-Do"), "default", (12, 2), 5, ("fa-tasks", "fa-check"), True, False, "mail_activity_data_todo"),
    (5, ("Upload Document", "Document"), "upload_file", (25, 25), 5, ("fa-upload", "fa-upload"), True, False,
     "mail_activity_data_upload_document"),
    (6, ("Exception", "Exception"), "default", (99, 99), 0, ("fa-warning", "fa-warning"), False, "warning",
     "mail_activity_data_warning"),
]
SUBTYPES = [
    # id, name, internal, res_model, default, hidden, parent_id, relation_field, sequence, xml id
    (1, "Discussions", False, False, True, False, False, False, 0, "mail.mt_comment"),
    (2, "Note", True, False, False, False, False, False, 100, "mail.mt_note"),
    (3, "Activities", True, False, False, False, False, False, 90, "mail.mt_activities"),
    (4, "Invitation", False, "calendar.event", False, False, False, False, 1, "calendar.subtype_invitation"),
    (5, "Opportunity Created", False, "crm.lead", False, True, False, False, 1, "crm.mt_lead_create"),
    (6, "Stage Changed", False, "crm.lead", False, False, False, False, 1, "crm.mt_lead_stage"),
    (7, "Opportunity Won", False, "crm.lead", False, False, False, False, 1, "crm.mt_lead_won"),
    (8, "Opportunity Lost", False, "crm.lead", False, False, False, False, 1, "crm.mt_lead_lost"),
    (9, "Opportunity Restored", False, "crm.lead", False, False, False, False, 1, "crm.mt_lead_restored"),
    (10, "Opportunity Created", False, "crm.team", True, False, 5, "team_id", 10, "crm.mt_salesteam_lead"),
    (11, "Opportunity Stage Changed", False, "crm.team", True, False, 6, "team_id", 11, "crm.mt_salesteam_lead_stage"),
]
CURRENCIES = [(1, "USD", "$", True), (2, "EUR", "€", False), (3, "GBP", "£", False), (4, "CHF", "CHF", False)]


def view_fields(version: int) -> dict[str, dict]:
    """Return the fields of ir.ui.view, which the schema profiles do not cover.

    Only the fields needed to add an inherited view are modelled.
    """
    list_type = "tree" if version == 17 else "list"

    def field(ftype: str, **extra) -> dict:
        return {"type": ftype, "required": False, "readonly": False, "store": True, **extra}

    return {
        "id": field("integer", readonly=True),
        "display_name": field("char", readonly=True, store=False, computed=True),
        "name": field("char", required=True),
        "model": field("char"),
        "key": field("char"),
        "priority": field("integer", required=True),
        "type": field("selection", selection=[list_type, "form", "graph", "pivot", "calendar", "kanban", "search",
                                              "qweb", "activity"]),
        "arch": field("text", store=False, computed=True),
        "arch_db": field("text"),
        "inherit_id": field("many2one", relation="ir.ui.view"),
        "inherit_children_ids": field("one2many", relation="ir.ui.view", relation_field="inherit_id"),
        "mode": field("selection", required=True, selection=["primary", "extension"]),
        "active": field("boolean"),
        "create_date": field("datetime", readonly=True),
        "create_uid": field("many2one", readonly=True, relation="res.users"),
        "write_date": field("datetime", readonly=True),
        "write_uid": field("many2one", readonly=True, relation="res.users"),
    }


def load_profile(version: int) -> dict:
    with open(PROFILE_DIR / f"odoo{version}.json", encoding="utf-8") as handle:
        return json.load(handle)


class Seeder:
    def __init__(self, version: int):
        self.version = version
        profile = load_profile(version)
        self.server_version = profile["server_version"]
        models = copy.deepcopy(profile["models"])
        models["ir.ui.view"] = view_fields(version)
        models["ir.module.module"] = modules.module_fields()
        self.db = Database(f"odoo{version}", version, models)

    def add(self, model: str, values: dict, xmlid: str | None = None) -> int:
        """Insert a record with the given id (or the next one), filling unset stored fields."""
        db = self.db
        fields = db.fields[model]
        record_id = values.get("id") or db.sequences[model] + 1
        record = {}
        for name, field in fields.items():
            if field.get("store") and field["type"] != "one2many":
                record[name] = empty_value(field)
        if "active" in fields:
            record["active"] = True
        record.update({k: v for k, v in values.items() if k in fields})
        record["id"] = record_id
        record["create_date"] = record["write_date"] = "2026-12-04 19:40:00"
        record["create_uid"] = record["write_uid"] = 1
        db.put(model, record)
        db.sequences[model] = max(db.sequences[model], record_id)
        if xmlid:
            module, name = xmlid.split(".", 1)
            self.add("ir.model.data", {"module": module, "name": name, "model": model, "res_id": record_id,
                                       "noupdate": True})
        return record_id

    def build(self) -> Database:
        version = self.version
        self.add("res.currency", {"id": 1, "name": "USD", "symbol": "$", "active": True}, "base.USD")
        for currency_id, code, symbol, active in CURRENCIES[1:]:
            self.add("res.currency", {"id": currency_id, "name": code, "symbol": symbol, "active": active},
                     f"base.{code}")
        self.add("res.company", {"id": 1, "name": "My Company", "partner_id": 1, "currency_id": 1},
                 "base.main_company")
        admin_email = "admin@example.com" if version == 17 else False
        partners = [
            (1, "My Company", True, True, False, "base.main_partner"),
            (2, "OdooBot", False, False, False, "base.partner_root"),
            (3, "Administrator", True, False, admin_email, "base.partner_admin"),
            (4, "Public user", False, False, False, "base.public_partner"),
        ]
        if version == 17:
            partners.append((5, "Default User Template", False, False, False, "base.default_user_partner"))
            partners.append((6, "Portal User Template", False, False, False, "base.template_portal_user_id_partner"))
        else:
            partners.append((5, "Portal User Template", False, False, False, "base.template_portal_user_id_partner"))
        for partner_id, name, active, is_company, email, xmlid in partners:
            self.add("res.partner", {"id": partner_id, "name": name, "active": active, "is_company": is_company,
                                     "email": email, "type": "contact", "company_id": 1 if partner_id > 1 else False,
                                     "lang": "en_US"}, xmlid)
        self.add_users()
        self.add_crm()
        self.add_mail()
        self.add_countries()
        for letter, name, full_name in INDUSTRIES:
            self.add("res.partner.industry", {"name": name, "full_name": full_name},
                     f"base.res_partner_industry_{letter}")
        self.add_views()
        modules.seed_modules(self)
        self.add_models()
        return self.db

    def add_views(self) -> None:
        # The standard form views that custom-field views inherit from.
        for model, name, xmlid in (("res.partner", "res.partner.form", "base.view_partner_form"),
                                   ("crm.lead", "crm.lead.form", "crm.crm_lead_view_form")):
            self.add("ir.ui.view", {"name": name, "model": model, "type": "form", "mode": "primary", "priority": 1,
                                    "arch_db": '<form><sheet><group name="main"><field name="name"/></group>'
                                               "</sheet></form>"}, xmlid)

    def add_users(self) -> None:
        groups_field = "groups_id" if self.version == 17 else "group_ids"
        users = [(1, "__system__", False, False, 2, "base.user_root"), (2, "admin", True, False, 3, "base.user_admin")]
        if self.version == 17:
            users += [(3, "default", False, False, 5, "base.default_user"),
                      (4, "public", False, True, 4, "base.public_user"),
                      (5, "portaltemplate", False, True, 6, "base.template_portal_user_id")]
        else:
            users += [(3, "public", False, True, 4, "base.public_user"),
                      (4, "portaltemplate", False, True, 5, "base.template_portal_user_id")]
        for user_id, login, active, share, partner_id, xmlid in users:
            # NOTE: group ids of the seeded users were not captured, only those of a
            # new RPC user, so every internal seeded user gets those groups here.
            groups = [1] if self.version == 19 else [8, 16, 9, 1, 12, 7, 15, 14]
            self.add("res.users", {"id": user_id, "login": login, "active": active, "share": share,
                                   "partner_id": partner_id, "company_id": 1, "company_ids": [1],
                                   groups_field: [] if share else groups, "notification_type": "email"}, xmlid)

    def add_crm(self) -> None:
        for team_id, name, active, company_id, sequence, xmlid in CRM_TEAMS:
            if team_id == 4 and self.version == 19:
                continue
            user_id = 2 if (team_id == 1 and self.version == 19) else False
            self.add("crm.team", {"id": team_id, "name": name, "active": active, "company_id": company_id,
                                  "sequence": sequence, "user_id": user_id}, xmlid)
        for stage_id, name, sequence, is_won in CRM_STAGES:
            self.add("crm.stage", {"id": stage_id, "name": name, "sequence": sequence, "is_won": is_won,
                                   "fold": False}, f"crm.stage_lead{stage_id}")
        for reason_id, name in LOST_REASONS:
            self.add("crm.lost.reason", {"id": reason_id, "name": name}, f"crm.lost_reason_{reason_id}")

    def add_mail(self) -> None:
        index = 0 if self.version == 17 else 1
        for type_id, names, category, sequences, delay, icons, active, decoration, xmlid in ACTIVITY_TYPES:
            self.add("mail.activity.type", {
                "id": type_id, "name": names[index], "category": category, "sequence": sequences[index],
                "delay_count": delay, "delay_unit": "days", "chaining_type": "suggest", "icon": icons[index],
                "active": active, "decoration_type": decoration, "delay_from": "previous_activity",
            }, f"mail.{xmlid}")
        for subtype in SUBTYPES:
            subtype_id, name, internal, res_model, default, hidden, parent_id, relation_field, sequence, xmlid = subtype
            self.add("mail.message.subtype", {
                "id": subtype_id, "name": name, "internal": internal, "res_model": res_model, "default": default,
                "hidden": hidden, "parent_id": parent_id, "relation_field": relation_field, "sequence": sequence,
            }, xmlid)

    def add_countries(self) -> None:
        # NOTE: pycountry has no Kosovo (XK), which Odoo has, and uses ISO names
        # where Odoo uses short ones for a few countries ("Korea, Republic of").
        country_ids = {}
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            name = getattr(country, "common_name", None) or country.name
            country_ids[country.alpha_2] = self.add(
                "res.country", {"name": name, "code": country.alpha_2}, f"base.{country.alpha_2.lower()}")
        # Odoo's states are provinces in some countries (Spain's `CA` is Cadiz),
        # which ISO 3166-2 lists below a region, so every level is seeded.
        for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
            country_code, _, code = subdivision.code.partition("-")
            if country_code in country_ids:
                self.add("res.country.state", {"name": subdivision.name, "code": code,
                                               "country_id": country_ids[country_code]})

    def add_models(self) -> None:
        next_id = 1000
        for model in sorted(self.db.fields):
            model_id = MODEL_IDS[self.version].get(model)
            if model_id is None:
                next_id += 1
                model_id = next_id
            self.add("ir.model", {"id": model_id, "model": model,
                                  "name": labels.MODEL_LABELS[self.version].get(model, model),
                                  "state": "base", "order": "id"})
        model_ids = {rec["model"]: rid for rid, rec in self.db.tables["ir.model"].items()}
        for model, fields in sorted(self.db.fields.items()):
            for name, field in sorted(fields.items()):
                self.add("ir.model.fields", {
                    "name": name, "model": model, "model_id": model_ids[model], "ttype": field["type"],
                    "field_description": name, "store": field.get("store", False),
                    "readonly": field.get("readonly", False), "required": field.get("required", False),
                    "relation": field.get("relation", False), "state": "base",
                })


@functools.lru_cache(maxsize=None)
def seed_database(version: int) -> Database:
    """Build the seed once per process; callers must clone it before changing it."""
    db = Seeder(version).build()
    db.commit()
    return db


def server_version(version: int) -> dict:
    return load_profile(version)["server_version"]
