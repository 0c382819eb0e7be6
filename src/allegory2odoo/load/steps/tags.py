"""Tags of the tags file: `crm.tag` for deals, `res.partner.category` for contacts and companies.

A tag whose name Odoo already has is linked to that record and left as it is;
the others are created with their colour.
"""

from __future__ import annotations

from allegory2odoo.load.step import LoadStep, Skipped


class _TagsStep(LoadStep):
    kind = "tags"
    scopes: tuple[str, ...] = ()

    def accepts(self, record) -> bool:
        return record.scope in self.scopes

    def values(self, record, ctx):
        existing = ctx.reference.find_named(self.model, record.name)
        if existing is not None and ctx.identities.get(self.identity, record.source_id) != existing:
            raise Skipped(f"Odoo already has a {self.model} named {record.name!r} (id {existing}); records use that one")
        return {"name": record.name, "color": record.color}, []

    def loaded(self, record, odoo_id, values, ctx) -> None:
        ctx.reference.remember_named(self.model, record.name, odoo_id)


class DealTagsStep(_TagsStep):
    label = "tags (deals)"
    identity = "deal_tag"
    model = "crm.tag"
    scopes = ("deal", "all")


class PartnerTagsStep(_TagsStep):
    label = "tags (contacts, companies)"
    identity = "partner_tag"
    model = "res.partner.category"
    scopes = ("contact", "company", "all")
