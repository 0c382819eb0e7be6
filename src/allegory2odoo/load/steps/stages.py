"""Stages: `crm.stage` records of their pipeline's team.

Odoo 17 ties a stage to one team through `team_id`; Odoo 19 replaced it with
the many2many `team_ids`. The field is chosen from the connected server's
schema. Odoo has no lost stage: a lost deal is archived with a lost reason, so
Allegory's lost stages are skipped and their deals are loaded as lost.
"""

from __future__ import annotations

from allegory2odoo.load.step import LoadStep, Rejected, Skipped


class StagesStep(LoadStep):
    kind = "stages"
    identity = "stage"
    model = "crm.stage"
    depends = ("pipelines",)

    def values(self, record, ctx):
        ctx.stages[record.source_id] = record
        if record.is_lost:
            raise Skipped("a lost stage: Odoo marks lost deals as archived with a lost reason, not by stage")
        team_id = ctx.identities.get("pipeline", record.pipeline_id)
        if team_id is None:
            raise Rejected(f"its pipeline {record.pipeline_id!r} was not loaded (not in the pipelines file, or rejected)")
        values = {"name": record.name, "sequence": record.sequence, "is_won": record.is_won, "fold": record.is_folded}
        if ctx.schema.has(self.model, "team_ids"):
            values["team_ids"] = [team_id]
        else:
            values["team_id"] = team_id
        notes = []
        if record.probability is not None:
            notes.append(f"stage probability {record.probability:g}% not kept: Odoo computes probabilities per deal")
        return values, notes

    def loaded(self, record, odoo_id, values, ctx) -> None:
        if record.is_won:
            ctx.won_stages.setdefault(record.pipeline_id, record.source_id)
