"""Secondary companies: a contact's other companies, as text on the contact.

Odoo gives a contact one parent company, which the links step sets from the
primary association. The contact's other companies are written, one per line
with their Allegory ID (`Harbour Logistics Ltd (CO-1001)`), to the text field
`x_migration_secondary_companies`, through `load` by the contact's external
ID. When Odoo has no such field the contacts are skipped with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from allegory2odoo.load import existing
from allegory2odoo.load.step import LoadStep, Rejected, Skipped
from allegory2odoo.mapping.custom_fields import SECONDARY_COMPANIES_FIELD
from allegory2odoo.model.records import Origin


@dataclass(frozen=True)
class SecondaryCompanies:
    source_id: str  # the contact's source ID
    origin: Origin
    company_ids: tuple[str, ...]


class SecondaryCompaniesStep(LoadStep):
    label = "secondary companies"
    identity = "contact"
    namespace = "contact_secondary"
    model = "res.partner"
    depends = ("associations", "contact companies")

    def build(self, item, ctx):
        return item

    def total(self, ctx) -> int | None:
        return len(ctx.secondary_links)

    def rows(self, ctx):
        export_file = ctx.export.file("associations") if "associations" in ctx.export.kinds() else None
        origin = Origin(export_file.name if export_file else "associations", 0)
        return [SecondaryCompanies(contact_id, origin, tuple(dict.fromkeys(company_ids)))
                for contact_id, company_ids in ctx.secondary_links.items()]

    def prepare(self, ctx) -> None:
        wanted = {company_id for company_ids in ctx.secondary_links.values() for company_id in company_ids}
        self.company_names = _company_names(ctx, wanted) if wanted else {}

    def values(self, item, ctx):
        existing.check_linked_child("contact", item.source_id, ctx)
        values = getattr(ctx, "custom_field_plan", None)
        planned = values.plan.find(self.model, SECONDARY_COMPANIES_FIELD) if values is not None else None
        if planned is None or not planned.writable:
            raise Skipped(f"Odoo has no field {SECONDARY_COMPANIES_FIELD} to hold the secondary companies "
                          f"{', '.join(item.company_ids)}; run with --create-custom-fields, or create the field "
                          "as the checklist says")
        if ctx.identities.get("contact", item.source_id) is None:
            raise Rejected(f"the contact {item.source_id!r} was not loaded")
        lines = [f"{self.company_names.get(company_id, company_id)} ({company_id})" for company_id in item.company_ids]
        return {SECONDARY_COMPANIES_FIELD: "\n".join(lines)}, []


def _company_names(ctx, wanted: set[str]) -> dict[str, str]:
    """Read the names of the `wanted` companies from the companies file (source ID -> name)."""
    names = {}
    for row in ctx.export.rows("companies"):
        source_id = row.values.get("id")
        if isinstance(source_id, float) and source_id.is_integer():
            source_id = int(source_id)
        source_id = None if source_id is None else str(source_id).strip()
        name = row.values.get("name")
        if source_id in wanted and name is not None and str(name).strip():
            names[source_id] = str(name).strip()
    return names
