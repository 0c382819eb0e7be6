"""Associations: which companies a contact belongs to, and which one is primary.

Odoo gives a contact one parent company. The primary association becomes
that parent; the contact companies step writes it and accounts for the
association with the link's outcome. The others are kept in the ledger and
the report as the contact's secondary companies.
"""

from __future__ import annotations

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.step import LoadStep
from allegory2odoo.mapping.records import RowError


class AssociationsStep(LoadStep):
    kind = "associations"
    model = "res.partner"
    depends = ("companies", "contacts")

    def run(self, ctx) -> None:
        stats = ctx.stats_for(self.name)
        ctx.reporter.start(self.name, self.total(ctx))
        by_contact: dict[str, list] = {}
        if self.kind in ctx.export.kinds():
            for row in ctx.export.rows(self.kind):
                stats["read"] += 1
                ctx.reporter.advance(self.name, 1)
                try:
                    association = self.build(row, ctx)
                except RowError as error:
                    ctx.record(Operation(self.name, None, "reject", self.model, file=error.origin.file,
                                         row=error.origin.row, reason=str(error)))
                    stats["rejected"] += 1
                    continue
                if ctx.identities.get("contact", association.contact_id) is None:
                    ctx.reject(self, association, f"the contact {association.contact_id!r} was not loaded "
                                                  "(not in the contacts file, or rejected)")
                    continue
                if ctx.identities.get("company", association.company_id) is None:
                    ctx.reject(self, association, f"the company {association.company_id!r} was not loaded "
                                                  "(not in the companies file, or rejected)")
                    continue
                by_contact.setdefault(association.contact_id, []).append(association)

        for contact_id, associations in by_contact.items():
            primary = self._choose_primary(contact_id, associations, ctx)
            for association in associations:
                if association is primary:
                    # Counted when the contact companies step writes, skips or rejects the link.
                    ctx.primary_links[contact_id] = (association.company_id, association.origin)
                    ctx.primary_associations[contact_id] = association
                else:
                    ctx.secondary_links.setdefault(contact_id, []).append(association.company_id)
                    ctx.skip(self, association, f"secondary company {association.company_id} of contact {contact_id}: "
                                                "Odoo keeps one parent company per contact; listed in the report")
        ctx.flush_ledger()
        ctx.reporter.finish(self.name)

    @staticmethod
    def _choose_primary(contact_id, associations, ctx):
        primaries = [association for association in associations if association.is_primary]
        if primaries:
            return primaries[0]
        company_from_contact = ctx.contact_companies.get(contact_id, (None, None))[0]
        for association in associations:
            if association.company_id == company_from_contact:
                return association
        if company_from_contact is None:
            return associations[0]
        return None
