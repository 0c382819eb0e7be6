"""Model-specific behaviour: defaults, constraints and computed fields of Odoo 17.0 / 19.0."""

from __future__ import annotations

import urllib.parse
from typing import Any

from .errors import UserError, ValidationError, value_error
from .orm import Env, Orm, now_string

# Labels of res.partner.type, used in the display name of a nameless address.
PARTNER_TYPE_LABELS = {
    17: {"contact": "Contact", "invoice": "Invoice Address", "delivery": "Delivery Address", "other": "Other Address"},
    19: {"contact": "Contact", "invoice": "Invoice", "delivery": "Delivery", "other": "Other"},
}


# res.partner fields that a contact shares with its parent (Odoo's ADDRESS_FIELDS).
ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")


def commercial_fields(orm: Orm) -> list[str]:
    """Return the fields a contact takes from its commercial partner (res.partner._commercial_fields)."""
    return [name for name in ("vat", "company_registry", "industry_id") if name in orm.fields]


def clean_website(website: str) -> str:
    """Prefix a website without scheme with http://, as res.partner._clean_website does."""
    parts = urllib.parse.urlparse(website)
    if parts.scheme:
        return website
    netloc, path = parts.netloc, parts.path
    if not netloc:
        netloc, path = path, ""
    return urllib.parse.urlunparse(("http", netloc, path, parts.params, parts.query, parts.fragment))


class Hooks:
    """Default behaviour of a model: stored fields only, display name from `name`."""

    def compute(self, env: Env, record: dict, name: str) -> Any:
        return NotImplemented

    def display_name(self, env: Env, model: str, record: dict) -> str:
        name = record.get("name")
        return name if name else ""

    def stores_field(self, name: str) -> bool:
        return False

    def prepare_create(self, orm: Orm, vals: dict) -> dict:
        return vals

    def defaults(self, orm: Orm, vals: dict) -> dict:
        return {}

    def before_insert(self, orm: Orm, record: dict, vals: dict) -> dict:
        return record

    def after_create(self, orm: Orm, record: dict, vals: dict) -> None:
        pass

    def prepare_write(self, orm: Orm, old: dict, vals: dict) -> dict:
        return vals

    def before_update(self, orm: Orm, old: dict, record: dict, vals: dict) -> dict:
        return record

    def after_write(self, orm: Orm, record: dict, vals: dict) -> None:
        pass

    def before_unlink(self, orm: Orm, record: dict) -> None:
        pass


class PartnerHooks(Hooks):
    def commercial_partner(self, env: Env, record: dict) -> int:
        table = env.db.tables["res.partner"]
        current = record
        seen = set()
        while not current.get("is_company") and current.get("parent_id") in table and current["id"] not in seen:
            seen.add(current["id"])
            current = table[current["parent_id"]]
        return current["id"]

    def compute(self, env, record, name):
        if name == "commercial_partner_id":
            return self.commercial_partner(env, record)
        if name == "company_type":
            return "company" if record.get("is_company") else "person"
        if name in ("complete_name", "display_name"):
            return self.display_name(env, "res.partner", record)
        if name == "commercial_company_name":
            commercial = env.db.tables["res.partner"][self.commercial_partner(env, record)]
            return commercial.get("name") if commercial.get("is_company") else False
        return NotImplemented

    def display_name(self, env, model, record):
        name = record.get("name") or ""
        table = env.db.tables["res.partner"]
        parent = table.get(record.get("parent_id"))
        if parent is not None:
            if not name and record.get("type") in ("invoice", "delivery", "other"):
                name = PARTNER_TYPE_LABELS[env.version][record["type"]]
            if not record.get("is_company"):
                commercial = table[self.commercial_partner(env, record)]
                company_name = commercial.get("name") if commercial.get("is_company") else False
                name = f"{company_name or parent.get('name') or ''}, {name}"
        return name

    def stores_field(self, name):
        return name == "company_type"

    def prepare_create(self, orm, vals):
        return self.map_company_type(vals)

    def prepare_write(self, orm, old, vals):
        return self.map_company_type(vals)

    def map_company_type(self, vals):
        vals = dict(vals)
        if "company_type" in vals:
            vals["is_company"] = vals.pop("company_type") == "company"
        if vals.get("website"):
            vals["website"] = clean_website(str(vals["website"]))
        return vals

    # Synchronisation between a contact and its parent, as res.partner._fields_sync does.

    def after_create(self, orm, record, vals):
        self.sync_from_parent(orm, record, vals)
        record = orm.table()[record["id"]]
        self.handle_first_contact(orm, record)

    def after_write(self, orm, record, vals):
        self.sync_from_parent(orm, record, vals)
        self.sync_children(orm, orm.table()[record["id"]], vals)

    def sync_from_parent(self, orm, record, vals):
        if not (vals.get("parent_id") or vals.get("type") == "contact"):
            return
        table = orm.table()
        changes = {}
        commercial_id = self.commercial_partner(orm.env, record)
        if vals.get("parent_id") and commercial_id != record["id"]:
            commercial = table[commercial_id]
            for name in commercial_fields(orm):
                changes[name] = commercial.get(name, False)
        parent = table.get(record.get("parent_id"))
        if parent is not None and (record.get("type") or "contact") == "contact":
            # NOTE: the parent's address replaces the contact's own. Odoo's current master
            # switches such a contact to type 'other' instead, and 17.0 / 19.0 were not checked.
            if any(parent.get(name) for name in ADDRESS_FIELDS):
                for name in ADDRESS_FIELDS:
                    changes[name] = parent.get(name, False)
        changes = {name: value for name, value in changes.items() if record.get(name) != value}
        if changes:
            orm.db.update("res.partner", record["id"], changes)

    def handle_first_contact(self, orm, record):
        """Give a company without address the address of its first contact."""
        table = orm.table()
        parent = table.get(record.get("parent_id"))
        if parent is None or not (parent.get("is_company") or not parent.get("parent_id")):
            return
        children = [rid for rid, rec in table.items() if rec.get("parent_id") == parent["id"]]
        if (
            len(children) == 1
            and any(record.get(name) for name in ADDRESS_FIELDS)
            and not any(parent.get(name) for name in ADDRESS_FIELDS)
        ):
            orm.db.update("res.partner", parent["id"], {name: record.get(name, False) for name in ADDRESS_FIELDS})

    def sync_children(self, orm, record, vals):
        table = orm.table()
        children = [rec for rec in table.values() if rec.get("parent_id") == record["id"]]
        if not children:
            return
        synced_commercial = [name for name in commercial_fields(orm) if name in vals]
        if synced_commercial and self.commercial_partner(orm.env, record) == record["id"]:
            values = {name: record.get(name, False) for name in synced_commercial}
            for child in children:
                if not child.get("is_company"):
                    orm.write_one(child["id"], dict(values))
        address = {name: record.get(name, False) for name in ADDRESS_FIELDS if name in vals}
        if address:
            for child in children:
                if (child.get("type") or "contact") == "contact":
                    orm.write_one(child["id"], dict(address))

    def defaults(self, orm, vals):
        return {"type": "contact", "lang": "en_US" if "lang" in orm.fields else False}

    def before_insert(self, orm, record, vals):
        self.check_name(record)
        return record

    def before_update(self, orm, old, record, vals):
        self.check_name(record)
        return record

    def check_name(self, record):
        if (record.get("type") or "contact") == "contact" and not record.get("name"):
            raise ValidationError("The operation cannot be completed: Contacts require a name")


class UserHooks(Hooks):
    """res.users: name, email and the other related fields live on the user's partner."""

    def partner_fields(self, orm: Orm) -> set[str]:
        partner_fields = orm.db.fields["res.partner"]
        return {
            name for name, field in orm.fields.items()
            if field.get("related") and name in partner_fields and name not in ("id", "display_name")
        }

    def compute(self, env, record, name):
        field = env.fields("res.users").get(name, {})
        if field.get("related") and name in env.db.fields["res.partner"] and name != "display_name":
            partner = env.db.tables["res.partner"].get(record.get("partner_id"))
            return partner.get(name, False) if partner else False
        if name == "display_name":
            return self.display_name(env, "res.users", record)
        return NotImplemented

    def display_name(self, env, model, record):
        partner = env.db.tables["res.partner"].get(record.get("partner_id"))
        return (partner or {}).get("name") or ""

    def groups_field(self, orm: Orm) -> str:
        return "groups_id" if orm.version == 17 else "group_ids"

    def prepare_create(self, orm, vals):
        vals = dict(vals)
        password = vals.pop("password", None)
        login = vals.get("login")
        if login and any(u.get("login") == login for u in orm.table().values()):
            raise ValidationError("The operation cannot be completed: You can not have two users with the same login!")
        partner_vals = {name: vals.pop(name) for name in list(vals) if name in self.partner_fields(orm)}
        if not vals.get("partner_id"):
            partner_vals.setdefault("name", login)
            partner_vals.setdefault("company_id", 1)
            partner_orm = Orm(Env(orm.env.server, orm.db, 1, orm.env.context), "res.partner")
            vals["partner_id"] = partner_orm.create([partner_vals])[0]
        elif partner_vals:
            Orm(Env(orm.env.server, orm.db, 1), "res.partner").write([vals["partner_id"]], partner_vals)
        vals["__password"] = password
        return vals

    def defaults(self, orm, vals):
        groups = [1] if orm.version == 19 else [8, 16, 9, 1, 12, 7, 15, 14]
        return {
            "company_id": 1,
            "company_ids": [1],
            self.groups_field(orm): groups,
            "share": False,
            "notification_type": "email",
        }

    def before_insert(self, orm, record, vals):
        record.pop("__password", None)
        return record

    def after_create(self, orm, record, vals):
        server = orm.env.server
        if vals.get("__password"):
            server.passwords[record["id"]] = vals["__password"]
        # A user made over RPC without groups gets "Internal User" only in 19.0, and
        # eight groups including Sales/Administrator in 17.0.
        server.user_rights[record["id"]] = "sales_admin" if orm.version == 17 else "internal"

    def prepare_write(self, orm, old, vals):
        vals = dict(vals)
        password = vals.pop("password", None)
        if password:
            orm.env.server.passwords[old["id"]] = password
        partner_vals = {name: vals.pop(name) for name in list(vals) if name in self.partner_fields(orm)}
        if partner_vals:
            Orm(Env(orm.env.server, orm.db, 1), "res.partner").write([old["partner_id"]], partner_vals)
        return vals


class LeadHooks(Hooks):
    def stage_is_won(self, env: Env, stage_id: Any) -> bool:
        stage = env.db.tables["crm.stage"].get(stage_id)
        return bool(stage and stage.get("is_won"))

    def default_stage(self, env: Env, team_id: Any) -> Any:
        fields = env.fields("crm.stage")
        candidates = []
        for stage in env.db.tables["crm.stage"].values():
            if stage.get("fold"):
                continue
            if "team_ids" in fields:
                teams = stage.get("team_ids") or []
                if teams and team_id not in teams:
                    continue
            elif stage.get("team_id") and stage.get("team_id") != team_id:
                continue
            candidates.append(stage)
        candidates.sort(key=lambda s: (s.get("sequence") or 0, s.get("name") or "", s["id"]))
        return candidates[0]["id"] if candidates else False

    def compute(self, env, record, name):
        if name == "commercial_partner_id":
            partner = env.db.tables["res.partner"].get(record.get("partner_id"))
            if not partner:
                return False
            return PartnerHooks().commercial_partner(env, partner)
        if name == "display_name":
            return record.get("name") or ""
        return NotImplemented

    def defaults(self, orm, vals):
        env = orm.env
        user_id = vals.get("user_id", env.uid)
        teams = env.db.tables["crm.team"]
        team_id = vals.get("team_id")
        if team_id is None:
            team_id = 1 if 1 in teams and teams[1].get("active") else False
        # NOTE: Odoo sets probability from its predictive lead scoring, which is not
        # modelled, so a lead created without probability gets 0 here.
        return {
            "type": "opportunity",
            "user_id": user_id,
            "team_id": team_id,
            "priority": "0",
            "probability": 0.0,
            "company_id": 1 if "company_id" in orm.fields else False,
        }

    def before_insert(self, orm, record, vals):
        if not record.get("stage_id"):
            record["stage_id"] = self.default_stage(orm.env, record.get("team_id"))
        self.fill_from_partner(orm, record, vals)
        return self.apply_won_lost(orm, None, record, vals)

    def before_update(self, orm, old, record, vals):
        if "partner_id" in vals:
            self.fill_from_partner(orm, record, vals)
        return self.apply_won_lost(orm, old, record, vals)

    def fill_from_partner(self, orm, record, vals):
        partner = orm.db.tables["res.partner"].get(record.get("partner_id"))
        if not partner:
            return
        hooks = PartnerHooks()
        commercial = orm.db.tables["res.partner"][hooks.commercial_partner(orm.env, partner)]
        if "partner_name" not in vals:
            record["partner_name"] = commercial.get("name") if commercial.get("is_company") else False
        if "contact_name" not in vals:
            record["contact_name"] = False if partner.get("is_company") else partner.get("name") or False
        for name in ("email_from", "phone", "street", "street2", "city", "zip", "country_id", "state_id", "website"):
            partner_name = "email" if name == "email_from" else name
            if name in orm.fields and name not in vals and partner.get(partner_name):
                record[name] = partner[partner_name]

    def apply_won_lost(self, orm, old, record, vals):
        """Apply crm.lead's won/lost rules: a won stage forces probability 100, and
        date_closed follows the rules of CrmLead.write in Odoo 17.0 / 19.0."""
        env = orm.env
        won = self.stage_is_won(env, record.get("stage_id"))
        stage_updated = "stage_id" in vals
        if won and (old is None or stage_updated):
            record["probability"] = 100.0
        if old is None:
            if (won or not record.get("active")) and not record.get("date_closed"):
                record["date_closed"] = now_string()
        elif not (won and self.stage_is_won(env, old.get("stage_id"))):
            # The write rules of Odoo: a move between two won stages keeps date_closed.
            probability = 100.0 if won and stage_updated else vals.get("probability", 0) or 0
            if probability >= 100 or not vals.get("active", True):
                record["date_closed"] = now_string()
            elif probability > 0:
                record["date_closed"] = False
            elif stage_updated and not won and "probability" not in vals:
                record["date_closed"] = False
        if "won_status" in orm.fields:
            if record.get("active") and record.get("probability") == 100:
                record["won_status"] = "won"
            elif not record.get("active") and not record.get("probability"):
                record["won_status"] = "lost"
            else:
                record["won_status"] = "pending"
        return record


class UniqueNameHooks(Hooks):
    """crm.tag: names are unique (an SQL constraint in both versions)."""

    message = "The operation cannot be completed: Tag name already exists!"

    def before_insert(self, orm, record, vals):
        self.check(orm, record)
        return record

    def before_update(self, orm, old, record, vals):
        self.check(orm, record)
        return record

    def check(self, orm, record):
        for other in orm.table().values():
            if other["id"] != record["id"] and other.get("name") == record.get("name"):
                raise ValidationError(self.message)


class StateHooks(Hooks):
    def display_name(self, env, model, record):
        country = env.db.tables["res.country"].get(record.get("country_id"))
        code = (country or {}).get("code") or ""
        return f"{record.get('name')} ({code})"


class ModelDataHooks(Hooks):
    def compute(self, env, record, name):
        if name in ("complete_name", "display_name"):
            return f"{record['module']}.{record['name']}"
        if name == "reference":
            return f"{record['model']},{record['res_id']}"
        return NotImplemented

    def defaults(self, orm, vals):
        return {"noupdate": False}

    def before_insert(self, orm, record, vals):
        self.check(orm, record)
        return record

    def before_update(self, orm, old, record, vals):
        if (old["module"], old["name"]) != (record["module"], record["name"]):
            self.check(orm, record)
        return record

    def check(self, orm, record):
        if (record.get("module"), record.get("name")) in orm.db.xmlid_index:
            raise ValidationError(
                "The operation cannot be completed: duplicate key value violates unique constraint "
                '"ir_model_data_module_name_uniq_index"\n'
                f"DETAIL:  Key (module, name)=({record['module']}, {record['name']}) already exists."
            )


class ActivityTypeHooks(Hooks):
    pass


class CurrencyHooks(Hooks):
    pass


HOOKS: dict[str, Hooks] = {
    "res.partner": PartnerHooks(),
    "res.users": UserHooks(),
    "crm.lead": LeadHooks(),
    "crm.tag": UniqueNameHooks(),
    "res.country.state": StateHooks(),
    "ir.model.data": ModelDataHooks(),
}
DEFAULT_HOOKS = Hooks()


def register(model: str, hooks: Hooks) -> None:
    HOOKS[model] = hooks


def hooks_for(model: str) -> Hooks:
    return HOOKS.get(model, DEFAULT_HOOKS)
