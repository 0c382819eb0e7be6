"""Deals: `crm.lead` opportunities in their pipeline's team and stage.

Won deals sit in a won stage (probability 100). Lost deals are archived with
probability 0 and their lost reason, which is how Odoo 17 and 19 mark a lost
opportunity.

When pipelines are shared, the deal's team is the shared team and its
pipeline goes to the selection field x_allegory_pipeline.
"""

from __future__ import annotations

from allegory2odoo.load.named import ensure_named, named_id, named_ids
from allegory2odoo.load.custom_fields import deal_pipeline_value, record_custom_values
from allegory2odoo.load.step import LoadStep, Rejected
from allegory2odoo.load.steps.partners import owner_id
from allegory2odoo.mapping.transforms import text_to_html
from allegory2odoo.plan.pipelines import SHARED


class DealsStep(LoadStep):
    kind = "deals"
    identity = "deal"
    model = "crm.lead"
    depends = ("custom fields", "owners", "tags (deals)", "companies", "contacts", "pipelines", "stages")
    applies_choices = True

    def ensure_references(self, records, ctx) -> None:
        choices = ctx.options.choices
        if not choices.drops(self.kind, "tags"):
            ensure_named(ctx, "deal_tag", {tag for record in records for tag in record.tags})
        if not choices.drops(self.kind, "lost_reason"):
            ensure_named(ctx, "lost_reason", {r.lost_reason for r in records if r.lost_reason and r.status == "lost"})

    def values(self, deal, ctx):
        notes: list[str] = []
        stage = ctx.stages.get(deal.stage_id) if deal.stage_id else None
        if deal.stage_id and stage is None:
            raise Rejected(f"its stage {deal.stage_id!r} is not in the stages file")
        pipeline_id = deal.pipeline_id or (stage.pipeline_id if stage else None)
        if stage and stage.pipeline_id != pipeline_id:
            raise Rejected(f"its stage {stage.source_id!r} belongs to pipeline {stage.pipeline_id!r}, not {pipeline_id!r}")
        team_id = ctx.identities.get("pipeline", pipeline_id) if pipeline_id else None
        if pipeline_id and team_id is None:
            raise Rejected(f"its pipeline {pipeline_id!r} was not loaded (not in the pipelines file, or rejected)")

        status = self._status(deal, stage, notes)
        values = {
            "name": deal.name,
            "type": "opportunity",
            "team_id": team_id,
            "user_id": owner_id(deal, ctx, notes),
            "partner_id": self._partner(deal, ctx, notes),
            "expected_revenue": float(deal.amount.amount) if deal.amount else 0.0,
            "date_deadline": deal.close_date,
            "description": text_to_html(deal.description),
            "tag_ids": self._tags(deal, ctx),
            "active": status != "lost",
        }
        notes.extend(deal.problems)
        stage_id = self._stage_id(deal, stage, status, pipeline_id, ctx, notes)
        if stage_id is not None:
            values["stage_id"] = stage_id
        if status == "won":
            values["probability"] = 100.0
        elif status == "lost":
            values["probability"] = 0.0
            values["lost_reason_id"] = named_id(ctx, "lost_reason", deal.lost_reason)
        if status in ("won", "lost"):
            # Odoo keeps it on create. After an update the closing dates step writes it again,
            # because crm.lead.write stamps the time of the call when a lead is won or lost.
            values["date_closed"] = deal.closed_at
            if deal.closed_at is None:
                notes.append("no closing timestamp in the export: Odoo's closing date is the time of the migration")
        elif deal.probability is not None:
            values["probability"] = deal.probability

        currency = deal.amount.currency if deal.amount else None
        if currency and ctx.reference.company_currency and currency != ctx.reference.company_currency:
            notes.append(f"amount in {currency} loaded as is: Odoo's company currency is "
                         f"{ctx.reference.company_currency} and no conversion is made")
        custom, custom_notes = record_custom_values("deal", deal, ctx)
        values.update(custom)
        notes.extend(custom_notes)
        if ctx.options.pipelines == SHARED:
            pipeline, pipeline_notes = deal_pipeline_value(pipeline_id, ctx)
            values.update(pipeline)
            notes.extend(pipeline_notes)
        return values, notes

    @staticmethod
    def _status(deal, stage, notes) -> str:
        status = deal.status
        if stage is not None and stage.is_won and status != "won":
            notes.append(f"its stage {stage.name!r} is a won stage: loaded as won")
            return "won"
        if stage is not None and stage.is_lost and status != "lost":
            notes.append(f"its stage {stage.name!r} is a lost stage: loaded as lost")
            return "lost"
        return status

    @staticmethod
    def _stage_id(deal, stage, status, pipeline_id, ctx, notes) -> int | None:
        if status == "won":
            won_stage = stage.source_id if stage is not None and stage.is_won else ctx.won_stages.get(pipeline_id)
            if won_stage is None:
                raise Rejected(f"the deal is won but its pipeline {pipeline_id!r} has no won stage; "
                               "add one to the stages file")
            return ctx.identities.get("stage", won_stage)
        if stage is None:
            return None
        if stage.is_lost:
            first = first_open_stage(pipeline_id, ctx)
            if first is None:
                notes.append("its Allegory stage is a lost stage, which Odoo does not have, and its pipeline has no "
                             "open stage: Odoo's default stage is used")
                return None
            notes.append(f"its Allegory stage {stage.name!r} is a lost stage, which Odoo does not have: the "
                         f"pipeline's first stage {ctx.stages[first].name!r} is used")
            return ctx.identities.get("stage", first)
        stage_id = ctx.identities.get("stage", stage.source_id)
        if stage_id is None:
            raise Rejected(f"its stage {stage.source_id!r} was not loaded (rejected)")
        return stage_id

    @staticmethod
    def _partner(deal, ctx, notes) -> int | None:
        contact_id = ctx.identities.get("contact", deal.contact_id)
        company_id = ctx.identities.get("company", deal.company_id)
        if deal.contact_id and contact_id is None:
            if company_id is None:
                raise Rejected(f"its contact {deal.contact_id!r} was not loaded and it has no loaded company")
            notes.append(f"its contact {deal.contact_id!r} was not loaded: linked to its company instead")
        if deal.company_id and company_id is None and contact_id is None:
            raise Rejected(f"its company {deal.company_id!r} was not loaded (not in the companies file, or rejected)")
        return contact_id or company_id

    @staticmethod
    def _tags(deal, ctx) -> list[int]:
        return named_ids(ctx, "deal_tag", deal.tags)


def first_open_stage(pipeline_id: str | None, ctx) -> str | None:
    """Return the source ID of a pipeline's first loaded stage that is neither won nor lost."""
    candidates = [
        stage for stage in ctx.stages.values()
        if stage.pipeline_id == pipeline_id and not stage.is_won and not stage.is_lost
        and ctx.identities.get("stage", stage.source_id) is not None
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda stage: (stage.sequence, stage.source_id)).source_id
