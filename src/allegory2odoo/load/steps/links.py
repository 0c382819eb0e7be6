"""Parent links: a company's parent company and a contact's primary company, as `parent_id`.

Links are written after every partner exists, so the order of the files does
not matter. A partner with its own address, different from its parent's, gets
the type `other`: for a partner of type `contact` Odoo copies the parent's
address over its own (Odoo 17 and 19 both do, in `res.partner._fields_sync`).
"""

from __future__ import annotations

from dataclasses import dataclass

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load import existing
from allegory2odoo.load.step import LoadStep, Rejected
from allegory2odoo.model.records import Origin


@dataclass(frozen=True)
class ParentLink:
    source_id: str  # the child's source ID
    origin: Origin
    parent_id: str  # the parent company's source ID


class _LinksStep(LoadStep):
    model = "res.partner"
    child_identity = ""

    def build(self, link, ctx):
        return link

    def total(self, ctx) -> int | None:
        return len(self._links(ctx))

    def rows(self, ctx):
        return self._links(ctx)

    def _links(self, ctx) -> list[ParentLink]:
        raise NotImplementedError

    def values(self, link, ctx):
        existing.check_linked_child(self.child_identity, link.source_id, ctx)
        parent_odoo_id = ctx.identities.get("company", link.parent_id)
        if parent_odoo_id is None:
            raise Rejected(f"the parent company {link.parent_id!r} was not loaded (not in the companies file, or rejected)")
        child_address = ctx.addresses.get((self.child_identity, link.source_id))
        parent_address = ctx.addresses.get(("company", link.parent_id))
        notes = []
        partner_type = "contact"
        if child_address is not None and child_address != parent_address:
            partner_type = "other"
            notes.append("has its own address: type set to 'other' so Odoo keeps it")
        return {"parent_id": parent_odoo_id, "type": partner_type}, notes


class CompanyParentsStep(_LinksStep):
    label = "parent companies"
    identity = "company"
    namespace = "company_parent"
    child_identity = "company"
    depends = ("companies",)

    def _links(self, ctx):
        links = []
        for company_id, (parent_id, origin) in ctx.company_parents.items():
            links.append(ParentLink(company_id, origin, parent_id))
        return links

    def values(self, link, ctx):
        cycle = _ancestor_cycle(link.source_id, ctx.company_parents)
        if cycle and cycle[0] == link.source_id:
            raise Rejected("the company is its own ancestor: " + " -> ".join(cycle) + "; fix the parent IDs")
        return super().values(link, ctx)


class ContactCompaniesStep(_LinksStep):
    label = "contact companies"
    identity = "contact"
    namespace = "contact_parent"
    child_identity = "contact"
    depends = ("contacts", "associations")

    def _links(self, ctx):
        links = {}
        for contact_id, (company_id, origin) in ctx.contact_companies.items():
            links[contact_id] = ParentLink(contact_id, origin, company_id)
        for contact_id, (company_id, origin) in ctx.primary_links.items():
            links[contact_id] = ParentLink(contact_id, origin, company_id)
        return [link for contact_id, link in links.items() if ctx.identities.get("contact", contact_id) is not None]

    def after_action(self, link, action: str, ctx) -> None:
        association = ctx.primary_associations.get(link.source_id)
        if association is None:
            return
        outcome = {"create": "update", "update": "update", "skip": "skip", "reject": "reject"}[action]
        reasons = {
            "update": f"primary company {association.company_id}: written as the parent company of contact {link.source_id}",
            "skip": f"primary company {association.company_id} of contact {link.source_id}: parent link unchanged",
            "reject": f"the parent link of contact {link.source_id} was rejected; see contact companies",
        }
        ctx.stats_for("associations")[{"update": "updated", "skip": "skipped", "reject": "rejected"}[outcome]] += 1
        ctx.record(Operation("associations", association.source_id, outcome, self.model,
                             ctx.identities.get("contact", link.source_id), association.origin.file,
                             association.origin.row, reasons[outcome]))


def _ancestor_cycle(company_id: str, parents: dict) -> list[str] | None:
    path = [company_id]
    current = company_id
    while current in parents:
        current = parents[current][0]
        if current in path:
            return path[path.index(current):] + [current]
        path.append(current)
    return None
