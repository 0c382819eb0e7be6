"""Stages: `crm.stage` records of their pipeline's team.

Odoo 17 ties a stage to one team through `team_id`; Odoo 19 replaced it with
the many2many `team_ids`. The field is chosen from the connected server's
schema. Odoo has no lost stage: a lost deal is archived with a lost reason, so
Allegory's lost stages are skipped and their deals are loaded as lost.

When pipelines are shared, every stage goes to the shared team (its
pipeline's identity resolves to it), and its name and sequence come from
`plan.pipelines.shared_stages`: a name that two pipelines share gets the
pipeline's name as a prefix, and sequences keep the pipelines in file order.
"""

from __future__ import annotations

from allegory2odoo.load.step import LoadStep, Rejected, Skipped
from allegory2odoo.plan.pipelines import SHARED, read_pipelines, read_stages, shared_stages


class StagesStep(LoadStep):
    kind = "stages"
    identity = "stage"
    model = "crm.stage"
    depends = ("pipelines",)

    def __init__(self) -> None:
        self.shared: dict = {}  # stage source ID -> SharedStage, when pipelines are shared

    def prepare(self, ctx) -> None:
        self.shared = {}
        if ctx.options.pipelines == SHARED:
            mapping = ctx.options.mapping
            self.shared = shared_stages(read_pipelines(ctx.export, mapping), read_stages(ctx.export, mapping))

    def values(self, record, ctx):
        ctx.stages[record.source_id] = record
        if record.is_lost:
            raise Skipped("a lost stage: Odoo marks lost deals as archived with a lost reason, not by stage")
        team_id = ctx.identities.get("pipeline", record.pipeline_id)
        if team_id is None:
            raise Rejected(f"its pipeline {record.pipeline_id!r} was not loaded (not in the pipelines file, or rejected)")
        values = {"name": record.name, "sequence": record.sequence, "is_won": record.is_won, "fold": record.is_folded}
        shared = self.shared.get(record.source_id)
        if shared is not None:
            values["name"], values["sequence"] = shared.name, shared.sequence
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
