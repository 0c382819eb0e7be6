"""Contacts: `res.partner` persons. Their primary company becomes `parent_id` in the links step."""

from __future__ import annotations

from allegory2odoo.load import existing
from allegory2odoo.load.custom_fields import record_custom_values
from allegory2odoo.load.step import LoadStep
from allegory2odoo.load.steps import partners


class ContactsStep(LoadStep):
    kind = "contacts"
    identity = "contact"
    model = "res.partner"
    depends = ("custom fields", "owners", "tags (contacts, companies)", "companies")
    applies_choices = True

    def ensure_references(self, records, ctx) -> None:
        existing.match_batch("contact", records, ctx)
        partners.ensure_partner_tags(self.kind, records, ctx)

    def values(self, record, ctx):
        existing.check_linked("contact", record.source_id, ctx)
        notes = existing.notes_for("contact", record.source_id, ctx)
        values = {
            "name": record.name,
            "is_company": False,
            "email": record.email,
            "function": record.job_title,
            "user_id": partners.owner_id(record, ctx, notes),
            "category_id": partners.tag_ids(record, ctx),
        }
        values.update(partners.phone_values(record, ctx, notes))
        values.update(partners.address_values(record, ctx, notes))
        custom, custom_notes = record_custom_values("contact", record, ctx)
        values.update(custom)
        notes.extend(custom_notes)
        return values, notes

    def loaded(self, record, odoo_id, values, ctx) -> None:
        ctx.addresses[("contact", record.source_id)] = partners.address_key(values)
        if record.company_id:
            ctx.contact_companies[record.source_id] = (record.company_id, record.origin)
