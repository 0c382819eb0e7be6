"""Chatter, activities, attachments and custom fields (mail.*, ir.attachment, ir.model.fields)."""

from __future__ import annotations

import ast
import base64
import binascii
import datetime as dt
import hashlib
import html
import mimetypes
from xml.etree import ElementTree
from typing import Any

from .errors import ValidationError, value_error
from .models import Hooks, register
from .orm import Env, Orm, now_string
from .sanitize import plaintext_to_html, sanitize_html

# Extra keyword arguments message_post accepts (mail.thread._get_message_create_valid_field_names).
POST_FIELDS_COMMON = {
    "attachment_ids", "author_guest_id", "author_id", "body", "create_date", "date", "email_add_signature",
    "email_from", "email_layout_xmlid", "is_internal", "mail_activity_type_id", "mail_server_id", "message_id",
    "message_type", "parent_id", "partner_ids", "record_alias_domain_id", "record_company_id", "reply_to",
    "reply_to_force_new", "subject", "subtype_id", "tracking_value_ids",
}
POST_FIELDS = {
    17: POST_FIELDS_COMMON | {"record_name"},
    19: POST_FIELDS_COMMON | {"incoming_email_cc", "incoming_email_to", "outgoing_email_to"},
}
MAGIC_HEADERS = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
]
SUBTYPE_ACTIVITIES = 3


def user_partner(env: Env) -> Any:
    user = env.db.tables["res.users"].get(env.uid) or {}
    return user.get("partner_id") or False


def today_for(env: Env) -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def ensure_one(model: str, ids: list[int]) -> int:
    if len(ids) != 1:
        inner = ", ".join(str(i) for i in ids) + ("," if len(ids) == 1 else "")
        raise value_error(f"Expected singleton: {model}({inner})")
    return ids[0]


# methods


def message_post(self, body="", subject=None, message_type="notification", subtype_xmlid=None, subtype_id=False,
                 partner_ids=None, attachments=None, attachment_ids=None, body_is_html=False, **kwargs):
    env = self.env
    record_id = ensure_one(self.model, self.ids)
    if record_id not in env.db.tables[self.model]:
        from .errors import missing_record

        raise missing_record(self.model, [record_id], env.uid)
    unsupported = sorted(set(kwargs) - POST_FIELDS[env.version])
    if unsupported:
        raise value_error(f"Those values are not supported when posting or notifying: {', '.join(unsupported)}")
    if body_is_html:
        body_html = sanitize_html(str(body or ""))
    else:
        body_html = plaintext_to_html(str(body or "")) if body else ""
    if not subtype_id:
        xmlid = subtype_xmlid or "mail.mt_note"
        module, name = xmlid.split(".", 1)
        row = env.db.xmlid_lookup(module, name)
        subtype_id = row["res_id"] if row else False
    values = {
        "model": self.model,
        "res_id": record_id,
        "body": body_html,
        "subject": subject or False,
        "message_type": message_type,
        "subtype_id": subtype_id,
        "partner_ids": [(6, 0, list(partner_ids or []))],
        "attachment_ids": [(6, 0, list(attachment_ids or []))],
    }
    values.update(kwargs)
    values.setdefault("author_id", user_partner(env))
    message_id = Orm(Env(env.server, env.db, 1, env.context), "mail.message").create([values])[0]
    return message_id if env.version == 17 else [message_id]


def action_feedback(self, feedback=False, attachment_ids=None):
    env = self.env
    orm = Orm(env, "mail.activity")
    ids = orm.browse_checked(self.ids, "write")
    message_ids = []
    for activity_id in ids:
        activity = env.db.tables["mail.activity"][activity_id]
        type_name = env.display_name("mail.activity.type", activity["activity_type_id"]) if activity.get(
            "activity_type_id") else ""
        body = (
            f"<div><p>{html.escape(type_name)} done: {html.escape(activity.get('summary') or '')}</p>"
            + (f"<div>Original note:</div><div>{activity['note']}</div>" if activity.get("note") else "")
            + (f"<div>Feedback: {html.escape(str(feedback))}</div>" if feedback else "")
            + "</div>"
        )
        res_model = model_of(env, activity.get("res_model_id"))
        message_id = Orm(Env(env.server, env.db, 1, env.context), "mail.message").create([{
            "model": res_model,
            "res_id": activity.get("res_id") or False,
            "body": body,
            "message_type": "notification",
            "subtype_id": SUBTYPE_ACTIVITIES,
            "mail_activity_type_id": activity.get("activity_type_id") or False,
            "author_id": user_partner(env),
            "attachment_ids": [(6, 0, list(attachment_ids or []))],
        }])[0]
        message_ids.append(message_id)
        if env.version == 17:
            orm.unlink([activity_id])
        else:
            env.db.update("mail.activity", activity_id, {
                "active": False, "date_done": today_for(env), "feedback": feedback or False,
            })
    return message_ids[0] if message_ids else False


def action_done(self):
    return action_feedback(self)


def message_subscribe(self, partner_ids=None, subtype_ids=None):
    env = self.env
    followers = Orm(Env(env.server, env.db, 1, env.context), "mail.followers")
    table = env.db.tables["mail.followers"]
    for record_id in self.ids:
        for partner_id in partner_ids or []:
            existing = [f for f in table.values() if f.get("res_model") == self.model and f.get("res_id") == record_id
                        and f.get("partner_id") == partner_id]
            if existing:
                if subtype_ids is not None:
                    followers.write([existing[0]["id"]], {"subtype_ids": [(6, 0, list(subtype_ids))]})
                continue
            if subtype_ids is None:
                subtypes = [s["id"] for s in env.db.tables["mail.message.subtype"].values()
                            if s.get("default") and s.get("res_model") in (False, self.model)]
            else:
                subtypes = list(subtype_ids)
            followers.create([{"res_model": self.model, "res_id": record_id, "partner_id": partner_id,
                               "subtype_ids": [(6, 0, subtypes)]}])
    return True


def message_unsubscribe(self, partner_ids=None):
    env = self.env
    table = env.db.tables["mail.followers"]
    for follower in list(table.values()):
        if (follower.get("res_model") == self.model and follower.get("res_id") in self.ids
                and follower.get("partner_id") in (partner_ids or [])):
            env.db.delete("mail.followers", follower["id"])
    return True


def action_set_won(self):
    env = self.env
    orm = Orm(env, "crm.lead")
    for lead_id in orm.browse_checked(self.ids, "write"):
        lead = env.db.tables["crm.lead"][lead_id]
        stages = sorted(
            (s for s in env.db.tables["crm.stage"].values() if s.get("is_won")),
            key=lambda s: (s.get("sequence") or 0, s["id"]),
        )
        values = {"probability": 100.0, "active": True}
        if stages:
            values["stage_id"] = stages[0]["id"]
        orm.write([lead_id], values)
        del lead
    return True


def action_set_lost(self, **additional_values):
    return Orm(self.env, "crm.lead").write(self.ids, {"active": False, "probability": 0.0, **additional_values})


THREAD_METHODS = {
    "message_post": message_post,
    "message_subscribe": message_subscribe,
    "message_unsubscribe": message_unsubscribe,
}
EXTRA_METHODS = {
    "crm.lead": {**THREAD_METHODS, "action_set_won": action_set_won, "action_set_lost": action_set_lost},
    "res.partner": dict(THREAD_METHODS),
    "crm.team": dict(THREAD_METHODS),
    "mail.activity": {"action_feedback": action_feedback, "action_done": action_done},
}


def model_of(env: Env, model_id: Any) -> Any:
    record = env.db.tables["ir.model"].get(model_id)
    return record["model"] if record else False


# hooks


class MessageHooks(Hooks):
    def defaults(self, orm, vals):
        return {"date": now_string(), "message_type": "comment", "author_id": user_partner(orm.env)}

    def compute(self, env, record, name):
        if name == "display_name":
            return record.get("subject") or record.get("record_name") or f"mail.message,{record['id']}"
        if name == "record_name" and "record_name" in env.fields("mail.message") and not env.fields(
                "mail.message")["record_name"].get("store"):
            model, res_id = record.get("model"), record.get("res_id")
            if model in env.db.tables and res_id in env.db.tables[model]:
                return env.display_name(model, res_id)
            return False
        return NotImplemented

    def prepare_create(self, orm, vals):
        env = orm.env
        if env.rights() == "internal":
            from .errors import AccessError

            raise AccessError(
                "The requested operation cannot be completed due to security restrictions. "
                "Please contact your system administrator.\n(Document type: Message, Operation: create)\n"
                f"Records: {orm.db.sequences['mail.message'] + 1}, User: {env.uid}"
            )
        return vals


class ActivityHooks(Hooks):
    def compute(self, env, record, name):
        if name == "res_model":
            return model_of(env, record.get("res_model_id"))
        if name == "state":
            if not record.get("active", True) or record.get("date_done"):
                return "done"
            deadline = record.get("date_deadline")
            today = today_for(env)
            if not deadline:
                return False
            if deadline < today:
                return "overdue"
            return "today" if deadline == today else "planned"
        if name == "display_name":
            return record.get("summary") or env.display_name("mail.activity.type", record.get("activity_type_id"))
        return NotImplemented

    def defaults(self, orm, vals):
        return {"user_id": orm.env.uid, "date_deadline": today_for(orm.env), "activity_type_id": 4}

    def prepare_create(self, orm, vals):
        vals = dict(vals)
        if orm.version == 19:
            vals.pop("res_model", None)
            if not vals.get("res_model_id") or not vals.get("res_id"):
                raise ValidationError(
                    "The operation cannot be completed: Activities have to be linked to records with a not null res_id."
                )
        else:
            vals.pop("res_model", None)
        return vals


class AttachmentHooks(Hooks):
    def stores_field(self, name):
        return name in ("datas", "raw")

    def prepare_create(self, orm, vals):
        return self.prepare(vals)

    def prepare_write(self, orm, old, vals):
        return self.prepare(vals)

    def prepare(self, vals):
        vals = dict(vals)
        if "raw" in vals:
            raw = vals.pop("raw")
            raw = raw.encode() if isinstance(raw, str) else raw or b""
            vals["datas"] = base64.b64encode(raw).decode()
        if isinstance(vals.get("datas"), (bytes, bytearray)):
            vals["datas"] = bytes(vals["datas"]).decode("ascii")
        return vals

    def defaults(self, orm, vals):
        return {"type": "binary", "public": False}

    def before_insert(self, orm, record, vals):
        return self.fill(record, vals)

    def before_update(self, orm, old, record, vals):
        return self.fill(record, vals)

    def fill(self, record, vals):
        if "datas" not in vals:
            return record
        try:
            raw = base64.b64decode(record.get("datas") or "", validate=False)
        except (binascii.Error, ValueError):
            raise value_error("Incorrect padding") from None
        checksum = hashlib.sha1(raw).hexdigest()
        record["file_size"] = len(raw)
        record["checksum"] = checksum
        record["store_fname"] = f"{checksum[:2]}/{checksum}"
        if not vals.get("mimetype"):
            record["mimetype"] = guess_mimetype(raw, record.get("name") or "")
        return record

    def compute(self, env, record, name):
        if name == "raw":
            return base64.b64decode(record.get("datas") or "").decode("latin-1")
        return NotImplemented


def guess_mimetype(raw: bytes, name: str) -> str:
    for header, mimetype in MAGIC_HEADERS:
        if raw.startswith(header):
            return mimetype
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    try:
        raw.decode("utf-8")
        return "text/plain"
    except UnicodeDecodeError:
        return "application/octet-stream"


class FieldHooks(Hooks):
    """ir.model.fields: creating an `x_` field adds it to the model."""

    def stores_field(self, name):
        return name == "selection"

    def display_name(self, env, model, record):
        model_record = env.db.tables["ir.model"].get(record.get("model_id")) or {}
        return f"{record.get('field_description')} ({model_record.get('name', record.get('model'))})"

    def prepare_create(self, orm, vals):
        vals = dict(vals)
        name = vals.get("name") or ""
        if not name.startswith("x_"):
            raise ValidationError("The operation cannot be completed: Custom fields must have a name that starts with 'x_'!")
        if not vals.get("model_id"):
            raise orm.required_error("model_id")
        vals.pop("model", None)
        return vals

    def defaults(self, orm, vals):
        return {"state": "manual", "store": True}

    def before_insert(self, orm, record, vals):
        env = orm.env
        model = model_of(env, record["model_id"])
        if not model or model not in env.db.fields:
            raise orm.foreign_key_error("model_id")
        record["model"] = model
        if record["name"] in env.db.fields[model]:
            raise ValidationError("The operation cannot be completed: Field names must be unique per model.")
        if record.get("ttype") == "many2many" and record.get("relation"):
            left, right = model.replace(".", "_"), record["relation"].replace(".", "_")
            record.setdefault("relation_table", f"x_{left}_{right}_rel")
            if "relation_table" in orm.fields:
                record["relation_table"] = record.get("relation_table") or f"x_{left}_{right}_rel"
            for key, value in (("column1", f"{left}_id"), ("column2", f"{right}_id")):
                if key in orm.fields and not record.get(key):
                    record[key] = value
        return record

    def after_create(self, orm, record, vals):
        env = orm.env
        selection: list[tuple[str, str]] = []
        if vals.get("selection_ids"):
            commands = [c for c in vals["selection_ids"] if c and c[0] == 0]
            for index, command in enumerate(commands):
                selection.append((command[2]["value"], command[2]["name"]))
        elif vals.get("selection"):
            selection = [tuple(item) for item in ast.literal_eval(vals["selection"])]
        if record.get("ttype") == "selection":
            existing = [r for r in env.db.tables["ir.model.fields.selection"].values() if r.get("field_id") == record["id"]]
            for row in existing:
                env.db.delete("ir.model.fields.selection", row["id"])
            selection_orm = Orm(Env(env.server, env.db, 1), "ir.model.fields.selection")
            for index, (value, label) in enumerate(selection):
                selection_orm.create([{"field_id": record["id"], "value": value, "name": label, "sequence": index}])
            text = "[" + ", ".join(f"({v!r}, {l!r})" for v, l in selection) + "]"
            env.db.update("ir.model.fields", record["id"], {"selection": text})
        env.db.save_fields()
        field = {
            "type": record["ttype"], "required": bool(record.get("required")), "readonly": bool(record.get("readonly")),
            "store": True, "manual": True, "string": record.get("field_description") or record["name"],
        }
        if record.get("relation"):
            field["relation"] = record["relation"]
        if record["ttype"] == "selection":
            field["selection"] = [value for value, _ in selection]
            field["selection_labels"] = dict(selection)
        env.db.fields[record["model"]][record["name"]] = field


class SelectionHooks(Hooks):
    def display_name(self, env, model, record):
        return record.get("name") or ""


register("mail.message", MessageHooks())
register("mail.activity", ActivityHooks())
register("ir.attachment", AttachmentHooks())
register("ir.model.fields", FieldHooks())
register("ir.model.fields.selection", SelectionHooks())


class ViewHooks(Hooks):
    """ir.ui.view: inherited views must parse and name only existing fields."""

    def stores_field(self, name):
        return name == "arch"

    def compute(self, env, record, name):
        if name == "arch":
            return record.get("arch_db") or False
        return NotImplemented

    def prepare_create(self, orm, vals):
        return self.move_arch(vals)

    def prepare_write(self, orm, old, vals):
        return self.move_arch(vals)

    def move_arch(self, vals):
        vals = dict(vals)
        if "arch" in vals:
            vals["arch_db"] = vals.pop("arch")
        return vals

    def defaults(self, orm, vals):
        return {"priority": 16, "active": True, "mode": "extension" if vals.get("inherit_id") else "primary"}

    def before_insert(self, orm, record, vals):
        return self.check(orm, record)

    def before_update(self, orm, old, record, vals):
        return self.check(orm, record)

    def check(self, orm, record):
        env = orm.env
        parent = env.db.tables["ir.ui.view"].get(record.get("inherit_id"))
        if parent is not None:
            record["model"] = record.get("model") or parent.get("model")
            record["type"] = record.get("type") or parent.get("type")
        try:
            root = ElementTree.fromstring(record.get("arch_db") or "")
        except ElementTree.ParseError as error:
            raise ValidationError(f"Invalid view {record.get('name')!r} definition: {error}") from None
        model = record.get("model")
        fields = env.db.fields.get(model, {})
        for element in root.iter("field"):
            name = element.get("name")
            if name and element.get("position") is None and name not in fields:
                # NOTE: Odoo's message also names the view and quotes the arch; only its
                # first line is reproduced here.
                raise ValidationError(f'Field "{name}" does not exist in model "{model}"')
        return record


register("ir.ui.view", ViewHooks())
