"""Write batches of records into Odoo with `load`, and validate values against the schema.

`load` is Odoo's import method: it creates or updates each row by external ID
and writes the `ir.model.data` row in the same transaction as the record. That
makes every batch idempotent, so a batch whose response was lost can be sent again
without making a second copy. One bad row makes Odoo roll back the whole call
and name the row; the writer then rejects that row and sends the others again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import count

from allegory2odoo.load.identity import MODULE
from allegory2odoo.odoo import errors

log = logging.getLogger(__name__)

# Context for every load: timestamps are sent as UTC, and Odoo's own chatter
# side effects (creation messages, tracking, auto-subscription) are skipped,
# since the migrated history comes from the export. Measured on Odoo 19, the
# flags make crm.lead loads about three times faster. `mail_activity_quick_update`
# stops Odoo 17 and 19 from notifying each assignee of a migrated open activity
# ("you have been assigned"), one message per activity.
LOAD_CONTEXT = {
    "tz": "UTC",
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_activity_quick_update": True,
}

_RELATIONAL = ("many2one", "many2many", "one2many")


class ValueProblem(ValueError):
    """A value that does not fit the target field; the record is rejected with this reason."""


def check_values(schema, model: str, values: dict) -> None:
    """Raise ValueProblem when a value does not fit the connected server's field."""
    for name, value in values.items():
        spec = schema.field(model, name)
        if spec is None:
            raise ValueProblem(f"{model} has no field {name!r} on this Odoo version")
        if spec.computed and spec.readonly:
            raise ValueProblem(f"{model}.{name} is computed by Odoo and cannot be written")
        if value is None:
            continue
        expected = {
            "char": str, "text": str, "html": str, "selection": str,
            "integer": int, "float": (int, float, Decimal), "monetary": (int, float, Decimal),
            "boolean": bool, "date": date, "datetime": datetime, "many2one": int,
        }.get(spec.type)
        if spec.type in ("many2many", "one2many"):
            if not isinstance(value, (list, tuple)) or not all(isinstance(item, int) for item in value):
                raise ValueProblem(f"{model}.{name} takes a list of record ids, not {value!r}")
            continue
        if expected is not None and (not isinstance(value, expected) or (spec.type != "boolean" and isinstance(value, bool))):
            raise ValueProblem(f"{model}.{name} is a {spec.type} field; {value!r} does not fit it")
        if spec.type == "selection" and spec.selection is not None and value not in spec.selection:
            raise ValueProblem(f"{value!r} is not an allowed value of {model}.{name}; allowed: {', '.join(spec.selection)}")
        if spec.type == "date" and isinstance(value, datetime):
            raise ValueProblem(f"{model}.{name} is a date field; {value!r} has a time")


def load_column(spec) -> str:
    """Return the `load` column of a field. Relations go by database id (`field/.id`)."""
    return f"{spec.name}/.id" if spec.type in _RELATIONAL else spec.name


def load_cell(spec, value) -> str:
    """Format one value as `load` expects it; an empty string clears the field."""
    if value is None or value is False and spec.type != "boolean":
        return ""
    if spec.type == "boolean":
        return "1" if value else "0"
    if spec.type in ("many2many", "one2many"):
        return ",".join(str(item) for item in value)
    if spec.type == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if spec.type == "date":
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass
class BatchResult:
    ids: dict[int, int]  # row index in the batch -> Odoo id
    rejects: dict[int, str]  # row index in the batch -> Odoo's reason


class OdooWriter:
    """Send batches to a live Odoo through `load`, isolating rows Odoo rejects."""

    dry_run = False

    def __init__(self, client, schema):
        self.client = client
        self.schema = schema

    def external_ids(self, model: str) -> dict[str, int]:
        """Return every external ID name of ours on `model`, with its record id."""
        found: dict[str, int] = {}
        page = 5000
        offset = 0
        while True:
            rows = self.client.search_read(
                "ir.model.data", [("module", "=", MODULE), ("model", "=", model)], ["name", "res_id"],
                offset=offset, limit=page, order="id",
            )
            found.update({row["name"]: row["res_id"] for row in rows})
            if len(rows) < page:
                return found
            offset += page

    def load(self, model: str, names: Sequence[str], values_list: Sequence[dict]) -> BatchResult:
        """Create or update one batch; rows with the same fields go in one `load` call.

        Rows are grouped by the fields they set, because `load` writes every
        column it is given: a field one row leaves out must not be cleared on
        the others. Odoo creates records in row order, so ids follow the batch's
        order only among rows that set the same fields.
        """
        result = BatchResult(ids={}, rejects={})
        groups: dict[tuple[str, ...], list[int]] = {}
        for index, values in enumerate(values_list):
            groups.setdefault(tuple(sorted(values)), []).append(index)
        for field_names, indices in groups.items():
            specs = [self.schema.field(model, name) for name in field_names]
            columns = ["id"] + [load_column(spec) for spec in specs]
            rows = {
                index: [f"{MODULE}.{names[index]}"] + [load_cell(spec, values_list[index].get(spec.name)) for spec in specs]
                for index in indices
            }
            self._load_rows(model, columns, rows, indices, result)
        return result

    def _load_rows(self, model, columns, rows, indices, result: BatchResult) -> None:
        pending = list(indices)
        while pending:
            try:
                answer = self.client.load(model, columns, [rows[i] for i in pending], context=LOAD_CONTEXT)
            except (errors.AuthenticationError, errors.AccessRightsError, errors.TransientOdooError):
                raise
            except errors.OdooError as error:
                # A fault for the whole call: find the row by halving the batch.
                if len(pending) == 1:
                    result.rejects[pending[0]] = error.odoo_message or str(error)
                    return
                middle = len(pending) // 2
                self._load_rows(model, columns, rows, pending[:middle], result)
                self._load_rows(model, columns, rows, pending[middle:], result)
                return
            ids = answer.get("ids")
            messages = [message for message in answer.get("messages") or [] if message.get("type") == "error"]
            if ids and not messages:
                for index, odoo_id in zip(pending, ids):
                    result.ids[index] = odoo_id
                return
            bad = set()
            for message in messages:
                span = message.get("rows") or {}
                if "from" not in span:
                    continue
                for position in range(span["from"], span["to"] + 1):
                    if position < len(pending):
                        bad.add(position)
                        index = pending[position]
                        text = message.get("message", "rejected by Odoo")
                        result.rejects[index] = f"{result.rejects[index]}; {text}" if index in result.rejects else text
            if not bad:
                if len(pending) == 1:
                    result.rejects[pending[0]] = "; ".join(m.get("message", "") for m in messages) or "rejected by Odoo"
                    return
                middle = len(pending) // 2
                self._load_rows(model, columns, rows, pending[:middle], result)
                self._load_rows(model, columns, rows, pending[middle:], result)
                return
            log.info("%s: Odoo rejected %d of %d rows; sending the others again", model, len(bad), len(pending))
            pending = [index for position, index in enumerate(pending) if position not in bad]

    def search_read(self, model: str, domain: list, fields: list[str], **kwargs) -> list[dict]:
        return self.client.search_read(model, domain, fields, **kwargs)


class DryRunWriter:
    """Validate batches without sending them, and return placeholder ids for new records."""

    dry_run = True

    def __init__(self, schema, client=None):
        self.schema = schema
        self.client = client
        self._next_id = count(start=-1, step=-1)

    def external_ids(self, model: str) -> dict[str, int]:
        if self.client is None:
            return {}
        return OdooWriter(self.client, self.schema).external_ids(model)

    def load(self, model: str, names: Sequence[str], values_list: Sequence[dict]) -> BatchResult:
        return BatchResult(ids={index: next(self._next_id) for index in range(len(values_list))}, rejects={})

    def search_read(self, model: str, domain: list, fields: list[str], **kwargs) -> list[dict]:
        if self.client is None:
            return []
        return self.client.search_read(model, domain, fields, **kwargs)
