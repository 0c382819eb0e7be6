"""Chatter history: done activities and notes as `mail.message` with their original dates and authors.

Odoo's chatter lists a record's messages by id, not by date, so every message
of the run is written in date order, oldest first: each record's history then
reads in the order it happened. A done activity is written as Odoo writes one
marked done (a notification with the Activities subtype and the activity
type), but with the time of the call. Odoo's own `action_feedback` would stamp
the message with the moment of the migration instead. A note is an internal
note (the Note subtype), as "Log note" makes it.
"""

from __future__ import annotations

import html
from datetime import datetime

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.step import LoadStep, Rejected
from allegory2odoo.load.steps.records_of import author_of, target_of
from allegory2odoo.mapping.records import BUILDERS, RowError
from allegory2odoo.model.records import Activity

ACTIVITY_TYPES = {  # activity kind -> (external ID of Odoo's activity type, label in the message)
    "call": ("mail_activity_data_call", "Call"),
    "email": ("mail_activity_data_email", "Email"),
    "meeting": ("mail_activity_data_meeting", "Meeting"),
    "task": ("mail_activity_data_todo", "To-Do"),
}


def read_activities_and_notes(ctx, *, done: bool | None) -> list:
    """Build the activities (done or open, or both when `done` is None) and, with done history, the notes.

    Rows that fail to build are rejected here, under their own kind.
    """
    records = []
    kinds = ("activities", "notes") if done is not False else ("activities",)
    for kind in kinds:
        if kind not in ctx.export.kinds():
            continue
        for row in ctx.export.rows(kind):
            try:
                record = BUILDERS[kind](row, ctx.options.mapping)
            except RowError as error:
                if kind == "activities" and done is False:
                    continue  # the history step reports it
                stats = ctx.stats_for(kind)
                stats["read"] += 1
                stats["rejected"] += 1
                ctx.record(Operation(kind, str(row.values.get("id") or ""), "reject", "mail.message",
                                     file=error.origin.file, row=error.origin.row, reason=str(error)))
                continue
            if isinstance(record, Activity) and done is not None and record.done != done:
                continue
            records.append(record)
    return records


class HistoryStep(LoadStep):
    label = "chatter history"
    model = "mail.message"
    depends = ("owners", "companies", "contacts", "deals")

    def labels(self) -> tuple[str, ...]:
        return ("activities", "notes")

    def identities_used(self) -> tuple[str, ...]:
        return ("activity", "note")

    def label_of(self, record) -> str:
        return "activities" if isinstance(record, Activity) else "notes"

    def identity_of(self, record) -> str:
        return "activity" if isinstance(record, Activity) else "note"

    def rows(self, ctx):
        records = read_activities_and_notes(ctx, done=True)
        records.sort(key=lambda record: (record.when or datetime.max, self.label_of(record), record.source_id))
        self._count = len(records)
        return records

    def total(self, ctx) -> int | None:
        return None

    def build(self, record, ctx):
        return record

    def values(self, record, ctx):
        notes: list[str] = []
        model, res_id = target_of(record, ctx)
        if record.when is None:
            raise Rejected("it has no date; the chatter needs the time it happened (completed_at, due_at or created_at)")
        if isinstance(record, Activity):
            _user_id, author_id = author_of(record.owner, ctx, notes)
            xmlid_name, label = ACTIVITY_TYPES[record.kind]
            values = {
                "body": self._activity_body(record, label),
                "message_type": "notification",
                "subtype_id": ctx.reference.xmlid("mail", "mt_activities"),
                "mail_activity_type_id": ctx.reference.xmlid("mail", xmlid_name),
            }
        else:
            _user_id, author_id = author_of(record.author, ctx, notes)
            # Every message sets the same fields, so the writer sends a batch as one
            # load call and Odoo gives the ids in date order.
            values = {
                "body": record.body,
                "message_type": "comment",
                "subtype_id": ctx.reference.xmlid("mail", "mt_note"),
                "mail_activity_type_id": None,
            }
        values.update({"model": model, "res_id": res_id, "date": record.when, "author_id": author_id})
        return values, notes

    @staticmethod
    def _activity_body(activity: Activity, label: str) -> str:
        title = f"<strong>{html.escape(label)} done</strong>"
        if activity.subject:
            title += f": {html.escape(activity.subject)}"
        if activity.duration_minutes:
            title += f" ({activity.duration_minutes} min)"
        return f"<p>{title}</p>" + (activity.notes or "")

    def loaded(self, record, odoo_id, values, ctx) -> None:
        if not isinstance(record, Activity):
            ctx.note_messages[record.source_id] = (values["model"], values["res_id"], odoo_id)
