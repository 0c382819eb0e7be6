"""Stage history: when each deal entered each stage, kept on the lead.

Every stage named in the export's stage history gets a datetime field on
`crm.lead`, `x_allegory_entered_<stage>` (see the custom fields step). This
step writes, through `load` by the deal's external ID, the moment each deal
first entered each stage, in UTC. A row naming a deal or a stage that was not
loaded is rejected with the reason. When a deal entered the same stage more
than once, the earliest entry is kept and the others are noted on the deal. The closing table
counts one line per deal with history, plus each rejected row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.step import LoadStep, Rejected, Skipped
from allegory2odoo.mapping import custom_fields as cf
from allegory2odoo.model.records import Origin


@dataclass
class DealStages:
    source_id: str  # the deal's source ID
    origin: Origin  # the deal's first history row
    entered: dict = field(default_factory=dict)  # stage source ID -> first entry (naive UTC datetime)
    notes: list[str] = field(default_factory=list)


class StageHistoryStep(LoadStep):
    kind = "stage_history"
    label = "stage history"
    identity = "deal"
    namespace = "deal_stage_history"
    model = "crm.lead"
    depends = ("deals",)

    def build(self, item, ctx):
        return item

    def total(self, ctx) -> int | None:
        return None

    def rows(self, ctx):
        if self.kind not in ctx.export.kinds():
            return []
        deals: dict[str, DealStages] = {}
        for row in ctx.export.rows(self.kind):
            try:
                entry = cf.build_stage_entry(row, ctx.options.mapping.source_tz, ctx.options.mapping.date_order)
                self._check(entry, ctx)
            except cf.DefinitionError as error:
                self._reject_row(ctx, row.file, row.row, row.values.get("deal_id"), str(error))
                continue
            deal = deals.setdefault(entry.deal_id, DealStages(entry.deal_id, entry.origin))
            first = deal.entered.get(entry.stage_id)
            if first is None or entry.entered_at < first:
                if first is not None:
                    deal.notes.append(_repeat_note(entry.stage_id, kept=entry.entered_at, dropped=first))
                deal.entered[entry.stage_id] = entry.entered_at
            else:
                deal.notes.append(_repeat_note(entry.stage_id, kept=first, dropped=entry.entered_at))
        return list(deals.values())

    @staticmethod
    def _check(entry, ctx) -> None:
        if ctx.identities.get("deal", entry.deal_id) is None:
            raise cf.DefinitionError(f"the deal {entry.deal_id!r} was not loaded (not in the deals file, or rejected)")
        if entry.stage_id not in ctx.stages:
            raise cf.DefinitionError(f"the stage {entry.stage_id!r} is not in the stages file")

    def _reject_row(self, ctx, file, row, deal_id, reason) -> None:
        stats = ctx.stats_for(self.name)
        stats["read"] += 1
        stats["rejected"] += 1
        source_id = None if deal_id is None else str(deal_id)
        ctx.record(Operation(self.name, source_id, "reject", self.model, file=file, row=row, reason=reason))

    def values(self, deal, ctx):
        values_plan = getattr(ctx, "custom_field_plan", None)
        plan = values_plan.plan if values_plan is not None else None
        values, notes = {}, list(deal.notes)
        for stage_id, entered_at in sorted(deal.entered.items(), key=lambda item: item[1]):
            planned = plan.stage_field(stage_id) if plan is not None else None
            if planned is None or not planned.writable:
                name = planned.name if planned is not None else cf.STAGE_FIELD_PREFIX + stage_id
                notes.append(f"entered stage {stage_id} at {entered_at:%Y-%m-%d %H:%M:%S} UTC not written: "
                             f"Odoo has no field {name}")
                continue
            values[planned.name] = entered_at
        if not values:
            raise Skipped("; ".join(notes) + "; run with --create-custom-fields, or create the fields as the "
                          "checklist says")
        if ctx.identities.get("deal", deal.source_id) is None:
            raise Rejected(f"the deal {deal.source_id!r} was not loaded")
        return values, notes


def _repeat_note(stage_id: str, kept, dropped) -> str:
    return (f"entered stage {stage_id} again at {dropped:%Y-%m-%d %H:%M:%S} UTC; "
            f"the first entry, at {kept:%Y-%m-%d %H:%M:%S} UTC, is kept")
