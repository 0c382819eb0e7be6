"""Open activities: `mail.activity` records scheduled on their deal, contact or company."""

from __future__ import annotations

from allegory2odoo.load.step import LoadStep, Rejected
from allegory2odoo.load.steps.history import ACTIVITY_TYPES, read_activities_and_notes
from allegory2odoo.load.steps.records_of import author_of, target_of


class OpenActivitiesStep(LoadStep):
    label = "activities"
    identity = "open_activity"
    model = "mail.activity"
    depends = ("chatter history",)

    def rows(self, ctx):
        return read_activities_and_notes(ctx, done=False)

    def total(self, ctx) -> int | None:
        return None

    def build(self, record, ctx):
        return record

    def values(self, activity, ctx):
        notes: list[str] = []
        model, res_id = target_of(activity, ctx)
        user_id, _partner_id = author_of(activity.owner, ctx, notes)
        deadline = activity.due_date or (activity.created_at.date() if activity.created_at else None)
        if deadline is None:
            raise Rejected("the open activity has no due date; Odoo requires one (due_at)")
        if activity.due_date is None:
            notes.append("no due date: the creation date is used")
        xmlid_name, label = ACTIVITY_TYPES[activity.kind]
        return {
            "res_model_id": ctx.reference.model_id(model),
            "res_id": res_id,
            "activity_type_id": ctx.reference.xmlid("mail", xmlid_name),
            "summary": activity.subject or label,
            "note": activity.notes,
            "date_deadline": deadline,
            "user_id": user_id,
        }, notes
