"""Companies: `res.partner` records with `is_company` set. Parent companies are linked later."""

from __future__ import annotations

from allegory2odoo.load.named import ensure_named, named_id
from allegory2odoo.load import existing
from allegory2odoo.load.custom_fields import record_custom_values
from allegory2odoo.load.step import LoadStep
from allegory2odoo.load.steps import partners


class CompaniesStep(LoadStep):
    kind = "companies"
    identity = "company"
    model = "res.partner"
    depends = ("custom fields", "owners", "tags (contacts, companies)")
    applies_choices = True

    def ensure_references(self, records, ctx) -> None:
        existing.match_batch("company", records, ctx)
        partners.ensure_partner_tags(self.kind, records, ctx)
        if not ctx.options.choices.drops(self.kind, "industry"):
            ensure_named(ctx, "industry", {record.industry for record in records if record.industry})

    def values(self, record, ctx):
        existing.check_linked("company", record.source_id, ctx)
        notes = existing.notes_for("company", record.source_id, ctx)
        values = {
            "name": record.name,
            "is_company": True,
            "email": record.email,
            "website": record.website,
            "vat": record.vat,
            "user_id": partners.owner_id(record, ctx, notes),
            "category_id": partners.tag_ids(record, ctx),
        }
        values.update(partners.phone_values(record, ctx, notes))
        values.update(partners.address_values(record, ctx, notes))
        if record.industry:
            values["industry_id"] = named_id(ctx, "industry", record.industry)
        custom, custom_notes = record_custom_values("company", record, ctx)
        values.update(custom)
        notes.extend(custom_notes)
        return values, notes

    def loaded(self, record, odoo_id, values, ctx) -> None:
        ctx.addresses[("company", record.source_id)] = partners.address_key(values)
        if record.parent_id:
            ctx.company_parents[record.source_id] = (record.parent_id, record.origin)

    def closing_notes(self, ctx) -> list[str]:
        return existing.closing_notes(ctx)
