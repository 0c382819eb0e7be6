"""Generic ORM methods (create, write, read, search, unlink) over a `Database`.

Model-specific rules (defaults, constraints, computed fields) live in `models.py` and
are reached through `hooks_for(model)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from . import labels
from .database import Database, Record
from .domain import DomainEvaluator, domain_field_names, parse_domain
from .errors import (
    AccessError,
    OdooError,
    PythonError,
    ValidationError,
    UserError,
    key_error,
    missing_record,
    value_error,
)
from .sanitize import sanitize_html

MAGIC_FIELDS = {"id", "create_date", "create_uid", "write_date", "write_uid", "display_name", "__last_update"}
X2MANY = ("many2many", "one2many")

# Default `_order` of the models whose order Odoo sets explicitly (17.0 and 19.0).
MODEL_ORDER = {
    "res.partner": "complete_name asc, id desc",
    "crm.lead": "priority desc, id desc",
    "crm.stage": "sequence, name, id",
    "crm.team": "sequence asc, id asc",
    "crm.lost.reason": "name",
    "res.country": "name",
    "res.country.state": "code",
    "res.currency": "active desc, name",
    "mail.message": "id desc",
    "mail.activity": "date_deadline asc, id asc",
    "mail.activity.type": "sequence, id",
    "mail.message.subtype": "sequence, id",
    "ir.model.data": "module, model, name",
    "res.users": "name, login",
    "res.partner.industry": "name, id",
    "res.partner.category": "name",
    "ir.module.module": "application desc, sequence, name",
}

ACCESS_WORDS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}


def _hooks_for(model: str):
    """Return the model's hooks; models.py imports this module, hence the late import."""
    global _hooks_for
    from .models import hooks_for

    _hooks_for = hooks_for
    return hooks_for(model)


def now_string() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def model_label(version: int, model: str) -> str:
    return labels.MODEL_LABELS[version].get(model, model)


def field_label(version: int, model: str, field: str) -> str:
    return labels.FIELD_LABELS[version].get(model, {}).get(field, field)


class Env:
    """One call's environment: the database, the user and the context."""

    def __init__(self, server: Any, db: Database, uid: int, context: dict | None = None):
        self.server = server
        self.db = db
        self.version = db.version
        self.uid = uid
        self.context = dict(context or {})

    def fields(self, model: str) -> dict[str, dict]:
        return self.db.fields[model]

    def hooks(self, model: str):
        return _hooks_for(model)

    def rights(self) -> str:
        return self.server.user_rights.get(self.uid, "internal")

    # access rights

    def check_access(self, model: str, operation: str) -> None:
        """Raise AccessError where the captured servers refused the operation to this user."""
        rights = self.rights()
        if rights == "admin":
            return
        refused = self.refusal_groups(model, operation, rights)
        if refused is None:
            return
        word = ACCESS_WORDS[operation]
        label = model_label(self.version, model)
        if refused:
            groups = "".join(f"\n\t- {group}" for group in refused)
            allowed = f"This operation is allowed for the following groups:{groups}"
        else:
            allowed = "No group currently allows this operation."
        raise AccessError(
            f"You are not allowed to {word} '{label}' ({model}) records.\n{allowed}\n"
            "Contact your administrator to request access if necessary."
        )

    def refusal_groups(self, model: str, operation: str, rights: str) -> list[str] | None:
        """Return the groups named in the AccessError, or None when access is granted."""
        access_rights = "Administration/Access Rights" if self.version == 17 else "Access Rights"
        if model in ("ir.model.fields", "ir.model.data", "ir.ui.view", "ir.model.fields.selection"):
            if operation == "read":
                return None
            if model == "ir.model.fields" and operation == "create":
                raise AccessError(
                    "You are not allowed to access 'Models' (ir.model) records.\n"
                    f"This operation is allowed for the following groups:\n\t- {access_rights}\n"
                    "Contact your administrator to request access if necessary."
                )
            return [access_rights]
        if model == "ir.module.module":
            # base.group_system only, for every operation (base's ir.model.access.csv).
            # NOTE: the group's name in the message was not captured.
            return ["Administration/Settings" if self.version == 17 else "Settings"]
        if rights == "sales_admin":
            return None
        if model == "res.partner.category" and operation != "read":
            # base's ir.model.access.csv: Internal User may read, Contact Creation may change.
            return ["Contact/Creation"]
        # A 19.0 user with only "Internal User" may read contacts but not change them,
        # and has no access to the CRM models.
        if model == "res.partner" and operation != "read":
            return ["Contact/Creation", "Sales/User: Own Documents Only"]
        if model == "crm.lead":
            return ["Sales/Administrator", "Sales/User: Own Documents Only"]
        if model.startswith("crm.") and operation != "read":
            return ["Sales/Administrator"]
        if model == "mail.activity" and operation != "read":
            return []
        return None

    # values

    def value_of(self, model: str, record: Record, name: str) -> Any:
        """Return the cache value of field `name`, computing it when Odoo does not store it."""
        field = self.fields(model)[name]
        hooks = self.hooks(model)
        computed = hooks.compute(self, record, name)
        if computed is not NotImplemented:
            return computed
        if name == "id":
            return record["id"]
        if field["type"] == "one2many" and field.get("relation_field"):
            inverse = field["relation_field"]
            table = self.db.tables.get(field["relation"], {})
            if inverse not in self.db.fields.get(field["relation"], {}):
                return []
            return sorted(rid for rid, rec in table.items() if rec.get(inverse) == record["id"])
        if name in record:
            return record[name]
        return empty_value(field)

    def related_ids(self, model: str, record: Record, name: str) -> list[int]:
        value = self.value_of(model, record, name)
        if not value:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def display_name(self, model: str, record_id: int) -> str:
        record = self.db.tables[model].get(record_id)
        if record is None:
            return f"{model},{record_id}"
        return self.hooks(model).display_name(self, model, record)

    def read_value(self, model: str, record: Record, name: str) -> Any:
        field = self.fields(model)[name]
        value = self.value_of(model, record, name)
        if field["type"] == "many2one":
            if not value or value not in self.db.tables.get(field["relation"], {}):
                return [value, f"{field['relation']},{value}"] if value else False
            return [value, self.display_name(field["relation"], value)]
        if field["type"] in X2MANY:
            return list(value or [])
        if name == "display_name":
            return self.display_name(model, record["id"])
        if value is None:
            return False
        return value


def empty_value(field: dict) -> Any:
    ftype = field["type"]
    if ftype in X2MANY:
        return []
    if ftype == "integer":
        return 0
    if ftype in ("float", "monetary"):
        return 0.0
    return False


class Orm:
    """The generic model methods, for one model in one environment."""

    def __init__(self, env: Env, model: str):
        self.env = env
        self.model = model
        self.db = env.db
        self.version = env.version
        self.hooks = env.hooks(model)

    @property
    def fields(self) -> dict[str, dict]:
        return self.env.fields(self.model)

    def table(self) -> dict[int, Record]:
        return self.db.tables[self.model]

    # conversion of incoming values

    def unknown_field(self, name: str, on_write: bool) -> PythonError:
        if self.version == 17:
            return value_error(f"Invalid field {name!r} on model {self.model!r}")
        if on_write:
            return key_error(name)
        return value_error(f"Invalid field {name!r} in {self.model!r}")

    def convert(self, name: str, value: Any, record_id: int | None) -> Any:
        """Convert a value sent by the client into the stored form, as Odoo's convert_to_cache."""
        field = self.fields[name]
        ftype = field["type"]
        if ftype in ("char", "text"):
            if value is None or value is False:
                return False
            return value if isinstance(value, str) else str(value)
        if ftype == "html":
            if value is None or value is False:
                return False
            return sanitize_html(str(value))
        if ftype == "boolean":
            return bool(value)
        if ftype in ("integer", "many2one_reference"):
            return int(value or 0)
        if ftype in ("float", "monetary"):
            return float(value or 0.0)
        if ftype == "selection":
            if value is None or value is False:
                return False
            if value not in field.get("selection", []):
                raise value_error(f"Wrong value for {self.model}.{name}: {value!r}")
            return value
        if ftype == "date":
            return convert_date(value)
        if ftype == "datetime":
            return convert_datetime(value)
        if ftype == "many2one":
            if isinstance(value, (list, tuple)):
                value = value[0] if value else False
            if not value:
                return False
            if not isinstance(value, int) or isinstance(value, bool):
                raise value_error(f"Wrong value for {self.model}.{name}: {value!r}")
            return value
        if ftype == "many2many":
            current = list(self.table()[record_id].get(name, [])) if record_id else []
            return self.apply_commands(name, current, value)
        if ftype == "binary":
            return value or False
        return value

    def apply_commands(self, name: str, current: list[int], commands: Any) -> list[int]:
        """Apply x2many commands (0 create ... 6 set) to a list of related ids."""
        relation = self.fields[name]["relation"]
        result = list(current)
        if commands is False or commands is None:
            return []
        for command in commands or []:
            if isinstance(command, int):
                # A bare list of ids replaces the relation, as Command.set does.
                return list(dict.fromkeys(c for c in commands if isinstance(c, int)))
            code = command[0]
            if code == 0:
                new_id = Orm(self.env, relation).create([command[2]])[0]
                result.append(new_id)
            elif code == 1:
                Orm(self.env, relation).write([command[1]], command[2])
            elif code == 2:
                Orm(self.env, relation).unlink([command[1]])
                result = [r for r in result if r != command[1]]
            elif code == 3:
                result = [r for r in result if r != command[1]]
            elif code == 4:
                if command[1] not in result:
                    result.append(command[1])
            elif code == 5:
                result = []
            elif code == 6:
                result = list(dict.fromkeys(command[2] or []))
            else:
                raise value_error(f"Invalid command {command!r} for field {self.model}.{name}")
        return result

    def apply_one2many(self, record_id: int, name: str, commands: Any) -> None:
        field = self.fields[name]
        relation, inverse = field["relation"], field.get("relation_field")
        sub = Orm(self.env, relation)
        for command in commands or []:
            code = command[0]
            if code == 0:
                sub.create([{**command[2], inverse: record_id}])
            elif code == 1:
                sub.write([command[1]], command[2])
            elif code == 2:
                sub.unlink([command[1]])
            elif code == 3:
                sub.write([command[1]], {inverse: False})
            elif code == 4:
                sub.write([command[1]], {inverse: record_id})
            elif code in (5, 6):
                keep = set(command[2] or []) if code == 6 else set()
                for rid, rec in list(self.db.tables[relation].items()):
                    if rec.get(inverse) == record_id and rid not in keep:
                        sub.write([rid], {inverse: False})
                for rid in keep:
                    sub.write([rid], {inverse: record_id})

    def check_foreign_keys(self, record: Record, names: Iterable[str]) -> None:
        for name in names:
            field = self.fields[name]
            if field["type"] == "many2one" and record.get(name):
                relation = field["relation"]
                if relation in self.db.tables and record[name] not in self.db.tables[relation]:
                    raise self.foreign_key_error(name)
            elif field["type"] == "many2many" and record.get(name):
                relation = field["relation"]
                table = self.db.tables.get(relation)
                if table is not None and any(rid not in table for rid in record[name]):
                    raise self.foreign_key_error(name)

    def foreign_key_error(self, name: str) -> UserError:
        model_text = model_label(self.version, self.model)
        if self.version == 17:
            table = self.model.replace(".", "_")
            return UserError(
                "The operation cannot be completed: another model requires the record being "
                "deleted. If possible, archive it instead.\n"
                f"Model: {model_text} ({self.model})\nConstraint: {table}_{name}_fkey"
            )
        label = field_label(self.version, self.model, name)
        return ValidationError(
            "The operation cannot be completed: Another model is using the record you are "
            f"trying to delete.\n\nThe troublemaker is: '{model_text}' ({self.model})\n"
            f"Thanks to the following constraint: '{label}' ({name})\n"
            "How about archiving the record instead?"
        )

    def required_error(self, name: str) -> ValidationError:
        model_text = model_label(self.version, self.model)
        label = field_label(self.version, self.model, name)
        if self.version == 17:
            return ValidationError(
                "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
                "- Delete: another model requires the record being deleted. If possible, archive it instead.\n"
                f"Model: {model_text} ({self.model})\nField: {label} ({name})"
            )
        return ValidationError(
            f"The operation cannot be completed: Missing required value for the field '{label}' ({name}).\n"
            f"Model: '{model_text}' ({self.model})\n- create/update: a mandatory field is not set\n"
            "- delete: another model requires the record being deleted, you can archive it instead"
        )

    def check_required(self, record: Record) -> None:
        for name, field in self.fields.items():
            if (
                field.get("required")
                and field.get("store")
                and not field.get("computed")
                and field["type"] in ("char", "many2one")
                and record.get(name) in (False, None, "")
            ):
                # Fields that Odoo fills from models outside the profile (mail.alias) are skipped.
                if field["type"] == "many2one" and field.get("relation") not in self.db.tables:
                    continue
                if field["type"] == "char" and record.get(name) == "" and name != "name":
                    continue
                raise self.required_error(name)

    # create / write / unlink

    def create(self, vals_list: Any) -> list[int]:
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        ids = []
        for vals in vals_list:
            if not isinstance(vals, dict):
                raise value_error(f"Invalid values for {self.model}.create: {vals!r}")
            ids.append(self.create_one(dict(vals)))
        return ids

    def create_one(self, vals: dict) -> int:
        self.env.check_access(self.model, "create")
        for name in vals:
            if name not in self.fields:
                raise self.unknown_field(name, on_write=False)
        vals = self.hooks.prepare_create(self, vals)
        internal = {name: vals.pop(name) for name in list(vals) if name.startswith("__")}
        record: Record = {}
        for name, field in self.fields.items():
            if field.get("store") and name not in MAGIC_FIELDS and field["type"] != "one2many":
                record[name] = empty_value(field)
        if "active" in self.fields:
            record["active"] = True
        record.update(self.hooks.defaults(self, vals))
        one2many = {}
        for name, value in vals.items():
            field = self.fields[name]
            if name in MAGIC_FIELDS:
                continue
            if field["type"] == "one2many":
                one2many[name] = value
                continue
            if not field.get("store") and not self.hooks.stores_field(name):
                continue
            record[name] = self.convert(name, value, None)
        record_id = self.db.next_id(self.model)
        now = now_string()
        record.update(id=record_id, create_date=now, write_date=now, create_uid=self.env.uid, write_uid=self.env.uid)
        self.check_foreign_keys(record, [n for n in vals if n in self.fields])
        record = self.hooks.before_insert(self, record, vals)
        self.check_required(record)
        self.db.put(self.model, record)
        for name, commands in one2many.items():
            self.apply_one2many(record_id, name, commands)
        self.hooks.after_create(self, self.table()[record_id], {**vals, **internal})
        return record_id

    def existing(self, ids: list[int]) -> list[int]:
        table = self.table()
        return [i for i in ids if i in table]

    def browse_checked(self, ids: Any, operation: str) -> list[int]:
        ids = normalize_ids(ids)
        self.env.check_access(self.model, operation)
        missing = [i for i in ids if i not in self.table()]
        if missing:
            raise missing_record(self.model, missing, self.env.uid)
        return ids

    def write(self, ids: Any, vals: dict) -> bool:
        if not isinstance(vals, dict):
            raise value_error(f"Invalid values for {self.model}.write: {vals!r}")
        for name in vals:
            if name not in self.fields:
                raise self.unknown_field(name, on_write=True)
        ids = self.browse_checked(ids, "write")
        for record_id in ids:
            self.write_one(record_id, dict(vals))
        return True

    def write_one(self, record_id: int, vals: dict) -> None:
        old = self.table()[record_id]
        vals = self.hooks.prepare_write(self, old, vals)
        changes: dict[str, Any] = {}
        one2many = {}
        for name, value in vals.items():
            field = self.fields[name]
            if name in MAGIC_FIELDS:
                continue
            if field["type"] == "one2many":
                one2many[name] = value
                continue
            if not field.get("store") and not self.hooks.stores_field(name):
                continue
            changes[name] = self.convert(name, value, record_id)
        changes.update(write_date=now_string(), write_uid=self.env.uid)
        record = dict(old)
        record.update(changes)
        self.check_foreign_keys(record, [n for n in changes if n in self.fields])
        record = self.hooks.before_update(self, old, record, vals)
        self.check_required(record)
        self.db.put(self.model, record)
        for name, commands in one2many.items():
            self.apply_one2many(record_id, name, commands)
        self.hooks.after_write(self, self.table()[record_id], vals)

    def unlink(self, ids: Any) -> bool:
        ids = self.browse_checked(ids, "unlink")
        for record_id in ids:
            if record_id not in self.table():
                continue
            self.hooks.before_unlink(self, self.table()[record_id])
            self.db.delete(self.model, record_id)
            self.clear_references(record_id)
        return True

    def clear_references(self, record_id: int) -> None:
        """Apply `ondelete='set null'` to references and drop the record's external ids."""
        for model, fields in self.db.fields.items():
            names = [
                n for n, f in fields.items()
                if f.get("relation") == self.model and f.get("store") and f["type"] in ("many2one", "many2many")
            ]
            if not names:
                continue
            for rid, rec in list(self.db.tables[model].items()):
                changes = {}
                for name in names:
                    value = rec.get(name)
                    if fields[name]["type"] == "many2one" and value == record_id:
                        changes[name] = False
                    elif fields[name]["type"] == "many2many" and value and record_id in value:
                        changes[name] = [v for v in value if v != record_id]
                if changes:
                    self.db.update(model, rid, changes)
        data = self.db.tables["ir.model.data"]
        for data_id, row in list(data.items()):
            if row["model"] == self.model and row["res_id"] == record_id:
                self.db.delete("ir.model.data", data_id)

    # read / search

    def check_field_names(self, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.fields:
                raise value_error(f"Invalid field {name!r} on model {self.model!r}")

    def read(self, ids: Any, fields: list[str] | None = None) -> list[dict]:
        ids = normalize_ids(ids)
        self.env.check_access(self.model, "read")
        names = list(fields or self.fields)
        self.check_field_names(names)
        result = []
        table = self.table()
        for record_id in ids:
            record = table.get(record_id)
            if record is None:
                continue
            row = {"id": record_id}
            for name in names:
                if name != "id":
                    row[name] = self.env.read_value(self.model, record, name)
            result.append(row)
        return result

    def search_ids(self, domain: Any, offset: int = 0, limit: int | None = None, order: str | None = None) -> list[int]:
        self.env.check_access(self.model, "read")
        tree = parse_domain(domain or [])
        if (
            "active" in self.fields
            and self.env.context.get("active_test", True)
            and "active" not in domain_field_names(tree)
        ):
            tree = ("&", ("leaf", ("active", "=", True)), tree)
        evaluator = DomainEvaluator(self.env, self.model)
        records = [rec for rec in self.table().values() if evaluator.matches(tree, rec)]
        records = self.sort(records, order)
        ids = [rec["id"] for rec in records]
        offset = offset or 0
        if limit:
            return ids[offset:offset + limit]
        return ids[offset:]

    def sort(self, records: list[Record], order: str | None) -> list[Record]:
        spec = order or MODEL_ORDER.get(self.model, "id")
        keys = []
        for part in reversed([p.strip() for p in spec.split(",") if p.strip()]):
            words = part.split()
            name = words[0]
            descending = len(words) > 1 and words[1].lower() == "desc"
            if name not in self.fields:
                raise value_error(f"Invalid field {name!r} on model {self.model!r}")
            keys.append((name, descending))
        result = sorted(records, key=lambda r: r["id"])
        for name, descending in keys:
            field = self.fields[name]
            result.sort(key=lambda r: self.sort_key(r, name, field), reverse=descending)
        return result

    def sort_key(self, record: Record, name: str, field: dict) -> tuple:
        value = self.env.value_of(self.model, record, name)
        if field["type"] == "many2one":
            value = value or 0
        if value is False or value is None:
            return (1, "")
        if isinstance(value, str):
            return (0, value.lower())
        if isinstance(value, list):
            return (0, len(value))
        return (0, value)


def normalize_ids(ids: Any) -> list[int]:
    if ids is False or ids is None:
        return []
    if isinstance(ids, int) and not isinstance(ids, bool):
        return [ids]
    if isinstance(ids, (list, tuple)):
        return [int(i) for i in ids]
    raise value_error(f"Invalid ids {ids!r}")


def convert_date(value: Any) -> Any:
    if not value:
        return False
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)[:10]
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise value_error(f"time data {str(value)!r} does not match format '%Y-%m-%d'") from None


def convert_datetime(value: Any) -> Any:
    if not value:
        return False
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    text = str(value)
    if len(text) == 10:
        text += " 00:00:00"
    try:
        return dt.datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise value_error(f"time data {str(value)!r} does not match format '%Y-%m-%d %H:%M:%S'") from None


__all__ = ["Env", "Orm", "OdooError", "normalize_ids", "now_string", "empty_value"]
