"""Closing dates of won and lost deals, written on their own after the deals.

Odoo 17 and 19 keep a `date_closed` given when a lead is created. Their
`crm.lead.write`, though, stamps the time of the call whenever a write sets a
won probability or archives the lead, and every update of a won or lost deal
does that. A write of `date_closed` alone is left as it is, so this step sends
the Allegory closing timestamp by itself, and a rerun finds it unchanged.
"""

from __future__ import annotations

from allegory2odoo.load.step import LoadStep, Skipped


class ClosingDatesStep(LoadStep):
    kind = "deals"
    label = "closing dates"
    identity = "deal"
    namespace = "deal_closed"
    model = "crm.lead"
    depends = ("deals",)

    def accepts(self, deal) -> bool:
        return deal.status in ("won", "lost") and deal.closed_at is not None

    def values(self, deal, ctx):
        if ctx.identities.get("deal", deal.source_id) is None:
            raise Skipped("the deal itself was not loaded (see deals)")
        return {"date_closed": deal.closed_at}, []
