"""The public model methods that the server exposes, with Odoo's signatures.

Each method is a Python function with the parameter names of Odoo 17.0 / 19.0, so
that `inspect.Signature.bind` rejects missing and unexpected arguments the way the
JSON-2 controller and XML-RPC dispatch do.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from .errors import AccessError, value_error
from .load import load_records
from .orm import Env, Orm, normalize_ids

FIELDS_GET_KEYS = ("type", "required", "readonly", "store", "relation", "relation_field", "selection")


class Methods:
    """Bound to one model, one environment and the ids of the call (empty for @api.model)."""

    MODEL_METHODS = {
        "create", "search", "search_read", "search_count", "fields_get", "name_search",
        "default_get", "load", "name_create", "check_access_rights",
        # Odoo 19.0 rejects check_access before it looks at the arguments (it is @api.private).
        "check_access",
    }
    # Methods that Odoo added in a later version than 17.0: name -> first version that has them.
    SINCE_VERSION = {"has_access": 18, "check_access": 18}

    def __init__(self, env: Env, model: str, ids: list[int]):
        self.env = env
        self.model = model
        self.ids = ids
        self.orm = Orm(env, model)

    # @api.model methods

    def create(self, vals_list):
        ids = self.orm.create(vals_list)
        if isinstance(vals_list, dict):
            return ids[0]
        return ids

    def search(self, domain, offset=0, limit=None, order=None):
        return self.orm.search_ids(domain, offset, limit, order)

    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        ids = self.orm.search_ids(domain or [], offset, limit, order)
        return self.orm.read(ids, fields)

    def search_count(self, domain, limit=None):
        count = len(self.orm.search_ids(domain))
        return min(count, limit) if limit else count

    def fields_get(self, allfields=None, attributes=None):
        result = {}
        for name, field in self.orm.fields.items():
            if allfields and name not in allfields:
                continue
            description = {"string": field.get("string", name)}
            for key in FIELDS_GET_KEYS:
                if key in field:
                    description[key] = field[key]
            if "selection" in field:
                labels = field.get("selection_labels", {})
                description["selection"] = [[key, labels.get(key, key)] for key in field["selection"]]
            if field.get("manual"):
                description["manual"] = True
            else:
                description.setdefault("manual", False)
            if attributes:
                description = {key: value for key, value in description.items() if key in attributes}
            result[name] = description
        return result

    def name_search(self, name="", domain=None, operator="ilike", limit=100, args=None):
        domain = list(domain or args or [])
        ids = self.orm.search_ids(domain)
        result = []
        for record_id in ids:
            label = self.env.display_name(self.model, record_id)
            if name and not _name_matches(label, operator, name):
                continue
            result.append([record_id, label])
            if limit and len(result) >= limit:
                break
        return result

    def name_create(self, name):
        record_id = self.orm.create([{"name": name}])[0]
        return [record_id, self.env.display_name(self.model, record_id)]

    def default_get(self, fields):
        defaults = self.orm.hooks.defaults(self.orm, {})
        result = {}
        for name in fields:
            if name in defaults and defaults[name] not in (False, None, []):
                result[name] = defaults[name]
            elif name == "active" and "active" in self.orm.fields:
                result[name] = True
        return result

    def load(self, fields, data):
        return load_records(self.env, self.model, fields, data)

    # record methods

    def read(self, fields=None, load="_classic_read"):
        return self.orm.read(self.ids, fields)

    def write(self, vals):
        return self.orm.write(self.ids, vals)

    def unlink(self):
        return self.orm.unlink(self.ids)

    def get_external_id(self):
        # Odoo returns a dict keyed by int ids, which XML-RPC cannot marshal (fault 1, TypeError).
        result = {record_id: "" for record_id in self.ids}
        for row in self.env.db.tables["ir.model.data"].values():
            if row["model"] == self.model and row["res_id"] in result and not result[row["res_id"]]:
                result[row["res_id"]] = f"{row['module']}.{row['name']}"
        return result

    def copy(self, default=None):
        from .orm import MAGIC_FIELDS, X2MANY

        new_ids = []
        for record_id in self.orm.browse_checked(self.ids, "read"):
            record = self.orm.table()[record_id]
            values = {
                name: value for name, value in record.items()
                if name not in MAGIC_FIELDS and name in self.orm.fields and self.orm.fields[name]["type"] not in X2MANY
                and not self.orm.fields[name].get("computed")
            }
            for name, field in self.orm.fields.items():
                if field["type"] == "many2many" and field.get("store") and not field.get("computed"):
                    values[name] = [(6, 0, list(record.get(name) or []))]
            # NOTE: the " (copy)" suffix of res.partner was not checked against a capture.
            if self.model == "res.partner" and record.get("name"):
                values["name"] = f"{record['name']} (copy)"
            values.update(default or {})
            new_ids.append(self.orm.create([values])[0])
        return new_ids[0] if len(new_ids) == 1 else new_ids

    def get_metadata(self):
        result = []
        for row in self.orm.read(self.ids, ["create_uid", "create_date", "write_uid", "write_date"]):
            xmlids = sorted(
                f"{data['module']}.{data['name']}" for data in self.env.db.tables["ir.model.data"].values()
                if data["model"] == self.model and data["res_id"] == row["id"]
            )
            noupdate = any(
                data.get("noupdate") for data in self.env.db.tables["ir.model.data"].values()
                if data["model"] == self.model and data["res_id"] == row["id"]
            )
            row.update(xmlid=xmlids[0] if xmlids else "", xmlids=[{"xmlid": x, "noupdate": noupdate} for x in xmlids],
                       noupdate=noupdate)
            result.append(row)
        return result

    def exists(self):
        return self.orm.existing(self.ids)

    def action_archive(self):
        return self.orm.write(self.ids, {"active": False})

    def action_unarchive(self):
        return self.orm.write(self.ids, {"active": True})

    # access rights (Odoo's BaseModel: check_access_rights, has_access, check_access)

    def check_access_rights(self, operation, raise_exception=True):
        from .modules import check_mode, is_allowed

        check_mode(operation)
        if raise_exception:
            self.env.check_access(self.model, operation)
            # 19.0 returns what check_access returns (None); 17.0 returns True.
            return True if self.env.version == 17 else None
        return is_allowed(self.env, self.model, operation)

    def has_access(self, operation):
        from .modules import check_mode, is_allowed

        # NOTE: record rules are not modelled, so this returns the model's access for any ids.
        check_mode(operation)
        return is_allowed(self.env, self.model, operation)

    def check_access(self, *args, **kwargs):
        raise AccessError(f"Private methods (such as '{self.model}.check_access') cannot be called remotely.")


def _name_matches(label: str, operator: str, name: str) -> bool:
    from .domain import compare

    return compare(label, operator, name)


def extra_methods(model: str) -> dict[str, Callable]:
    from . import mail

    return mail.EXTRA_METHODS.get(model, {})


def find_method(env: Env, model: str, name: str) -> tuple[Callable, bool] | None:
    """Return (function, is_model_method) for a public method, or None when it does not exist."""
    extra = extra_methods(model)
    if name in extra:
        function = extra[name]
        return function, getattr(function, "api_model", False)
    function = getattr(Methods, name, None)
    if function is None or name.startswith("_") or not callable(function):
        return None
    if env.version < Methods.SINCE_VERSION.get(name, 0):
        return None
    return function, name in Methods.MODEL_METHODS


def call_method(env: Env, model: str, name: str, ids: list[int], args: list, kwargs: dict) -> Any:
    function, _ = find_method(env, model, name)
    bound = Methods(env, model, normalize_ids(ids))
    return function(bound, *args, **kwargs)


def check_signature(function: Callable, kwargs: dict) -> None:
    """Raise TypeError as inspect does when `kwargs` do not fit the method's parameters."""
    inspect.signature(function).bind(None, **kwargs)


__all__ = ["Methods", "call_method", "find_method", "check_signature", "value_error"]
