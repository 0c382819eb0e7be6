"""`load(fields, data)`: Odoo's import of rows of strings, with external ids.

Behaviour follows Odoo 17.0 / 19.0 (`BaseModel.load` and the converters of
`ir.fields.converter`). Each row is converted, then created or updated through its
external id. A bad row adds one message, and then the whole call is rolled back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import OdooError, PythonError, UserError, key_error, value_error
from .orm import Env, Orm, field_label

TRUE_WORDS = {"1", "true", "yes"}
FALSE_WORDS = {"0", "false", "no"}
IMPORT_MODULE = "__import__"
CONSTRAINT_PREFIX = "The operation cannot be completed: "


class RowError(Exception):
    """A conversion error of one cell, reported as a load message."""

    def __init__(self, field: str, message: str, moreinfo: Any = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.moreinfo = moreinfo


def possible_values_action(version: int, res_model: str, domain: list | None = None) -> dict:
    """Build the "Possible Values" action that Odoo attaches to an unresolved reference."""
    action = {
        "name": "Possible Values",
        "type": "ir.actions.act_window",
        "target": "new",
        "view_mode": "tree,form" if version == 17 else "list,form",
        "views": [[False, "list"], [False, "form"]],
        "context": {"create": False},
        "help": "See all possible values",
        "res_model": res_model,
    }
    if domain is not None:
        action["domain"] = domain
    return action


class Loader:
    def __init__(self, env: Env, model: str, fields: list[str]):
        self.env = env
        self.model = model
        self.orm = Orm(env, model)
        self.columns = [str(column).split("/") for column in fields]
        self.warnings: list[tuple[str, str]] = []
        self.check_columns()

    def check_columns(self) -> None:
        model_fields = self.orm.fields
        for path in self.columns:
            name = path[0]
            if name in ("id", ".id"):
                continue
            if name not in model_fields:
                if self.env.version == 17:
                    raise key_error(name)
                raise value_error(f"Invalid field name {name!r}")

    def label(self, name: str) -> str:
        return field_label(self.env.version, self.model, name)

    def input_tz(self) -> dt.tzinfo:
        tz_name = self.env.context.get("tz")
        if not tz_name:
            user = self.env.db.tables["res.users"].get(self.env.uid) or {}
            partner = self.env.db.tables["res.partner"].get(user.get("partner_id")) or {}
            tz_name = partner.get("tz")
        try:
            return ZoneInfo(tz_name) if tz_name else dt.timezone.utc
        except (ZoneInfoNotFoundError, ValueError):
            return dt.timezone.utc

    # converters

    def convert_cell(self, name: str, subfield: str | None, value: str) -> Any:
        field = self.orm.fields[name]
        ftype = field["type"]
        label = self.label(name)
        if ftype in ("many2one", "many2many", "one2many"):
            if ftype == "many2one":
                return self.resolve_reference(name, field, subfield, value)
            ids = [self.resolve_reference(name, field, subfield, part.strip()) for part in value.split(",") if part.strip()]
            return [(6, 0, ids)]
        if subfield:
            raise value_error(f"Invalid field name {name + '/' + subfield!r}")
        if ftype == "boolean":
            lowered = value.lower()
            if lowered in TRUE_WORDS:
                return True
            if lowered in FALSE_WORDS:
                return False
            raise RowError(name, f"Unknown value '{value}' for boolean field '{label}'",
                           "Use '1' for yes and '0' for no")
        if ftype in ("integer", "many2one_reference"):
            try:
                return int(value)
            except ValueError:
                raise RowError(name, f"'{value}' does not seem to be an integer for field '{label}'") from None
        if ftype in ("float", "monetary"):
            try:
                return float(value)
            except ValueError:
                raise RowError(name, f"'{value}' does not seem to be a number for field '{label}'") from None
        if ftype == "selection":
            labels = field.get("selection_labels", {})
            for key in field.get("selection", []):
                if value == str(key) or value.lower() == str(labels.get(key, key)).lower():
                    return key
            raise RowError(name, f"Value '{value}' not found in selection field '{label}'",
                           [labels.get(key, key) for key in field.get("selection", [])])
        if ftype == "date":
            try:
                return dt.datetime.strptime(value, "%Y-%m-%d").date().isoformat()
            except ValueError:
                raise RowError(name, f"'{value}' does not seem to be a valid date for field '{label}'",
                               "Use the format '2012-12-31'") from None
        if ftype == "datetime":
            try:
                parsed = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                raise RowError(name, f"'{value}' does not seem to be a valid datetime for field '{label}'",
                               "Use the format '2012-12-31 23:59:59'") from None
            local = parsed.replace(tzinfo=self.input_tz())
            return local.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        return value

    def resolve_reference(self, name: str, field: dict, subfield: str | None, value: str) -> Any:
        relation = field["relation"]
        label = self.label(name)
        db = self.env.db
        version = self.env.version
        if subfield == "id":
            xmlid = value if "." in value else f"{IMPORT_MODULE}.{value}"
            module, xml_name = xmlid.split(".", 1)
            row = db.xmlid_lookup(module, xml_name)
            if row is not None and row["model"] == relation and row["res_id"] in db.tables[relation]:
                return row["res_id"]
            raise RowError(name, f"No matching record found for external id '{value}' in field '{label}'",
                           possible_values_action(version, "ir.model.data", [["model", "=", relation]]))
        if subfield == ".id":
            try:
                record_id = int(value)
            except ValueError:
                record_id = None
            if record_id is not None and record_id in db.tables[relation]:
                return record_id
            raise RowError(name, f"No matching record found for database id '{value}' in field '{label}'",
                           possible_values_action(version, "ir.model.data", [["model", "=", relation]]))
        if subfield:
            raise value_error(f"Invalid field name {name + '/' + subfield!r}")
        matches = []
        for record_id, record in db.tables[relation].items():
            if "active" in record and not record["active"]:
                continue
            if self.env.display_name(relation, record_id) == value:
                matches.append(record_id)
        if not matches:
            raise RowError(name, f"No matching record found for name '{value}' in field '{label}'",
                           possible_values_action(version, relation))
        if len(matches) > 1:
            self.warnings.append((name, f"Found multiple matches for value {value!r} in field {label!r} "
                                        f"({len(matches)} matches)"))
        return sorted(matches)[0]

    # rows

    def load(self, data: list[list[Any]]) -> dict:
        messages: list[dict] = []
        ids: list[int] = []
        for index, row in enumerate(data):
            self.warnings: list[tuple[str, str]] = []
            info = {"rows": {"from": index, "to": index}, "record": index}
            try:
                xmlid, database_id, values = self.convert_row(row)
                record_id = self.save(xmlid, database_id, values)
            except RowError as error:
                message = dict(info, type="error", field=error.field, message=error.message)
                if error.moreinfo is not None:
                    message["moreinfo"] = error.moreinfo
                message["field_name"] = self.label(error.field)
                messages.append(message)
                continue
            except UserError as error:
                text = error.message
                if text.startswith(CONSTRAINT_PREFIX):
                    text = text[len(CONSTRAINT_PREFIX):]
                messages.append(dict(info, type="error", message=text))
                continue
            except PythonError as error:
                if error.exc_type != "ValueError":
                    raise
                messages.append(dict(info, type="error",
                                     message=f"Unknown error during import: <class 'ValueError'>: {error.message}"))
                continue
            for field, text in self.warnings:
                messages.append(dict(info, type="warning", field=field, message=text,
                                     field_name=self.label(field)))
            ids.append(record_id)
        if any(message["type"] == "error" for message in messages):
            raise LoadFailed({"ids": False, "messages": messages, "nextrow": 0})
        return {"ids": ids, "messages": messages, "nextrow": 0}

    def convert_row(self, row: list[Any]) -> tuple[str | None, int | None, dict]:
        xmlid = None
        database_id = None
        values: dict[str, Any] = {}
        for path, cell in zip(self.columns, row):
            text = "" if cell is None or cell is False else str(cell)
            name = path[0]
            subfield = path[1] if len(path) > 1 else None
            if name == "id":
                xmlid = text or None
                continue
            if name == ".id":
                database_id = int(text) if text else None
                continue
            if not text:
                values[name] = False
                continue
            values[name] = self.convert_cell(name, subfield, text)
        return xmlid, database_id, values

    def save(self, xmlid: str | None, database_id: int | None, values: dict) -> int:
        # Odoo 17 and 19 both go by the external ID when a row has one, and ignore
        # `.id`: a row with both created a new record (checked on real servers).
        db = self.env.db
        if database_id is not None and not xmlid:
            self.orm.write([database_id], values)
            return database_id
        if xmlid:
            full = xmlid if "." in xmlid else f"{IMPORT_MODULE}.{xmlid}"
            module, name = full.split(".", 1)
            row = db.xmlid_lookup(module, name)
            if row is not None and row["res_id"] in db.tables[self.model]:
                self.orm.write([row["res_id"]], values)
                return row["res_id"]
            record_id = self.orm.create([values])[0]
            data = Orm(Env(self.env.server, db, 1, {}), "ir.model.data")
            if row is not None:
                data.write([row["id"]], {"res_id": record_id, "model": self.model})
            else:
                data.create([{"module": module, "name": name, "model": self.model, "res_id": record_id,
                              "noupdate": False}])
            return record_id
        return self.orm.create([values])[0]


class LoadFailed(OdooError):
    """Carries the result of a failed load, whose effects the dispatcher rolls back."""

    def __init__(self, result: dict):
        super().__init__("load failed")
        self.result = result


def load_records(env: Env, model: str, fields: list[str], data: list[list[Any]]) -> dict:
    env.check_access(model, "create")
    return Loader(env, model, fields).load(data)
