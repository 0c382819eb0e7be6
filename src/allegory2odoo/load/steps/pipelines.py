"""Pipelines: one `crm.team` each, used for opportunities."""

from __future__ import annotations

from allegory2odoo.load.step import LoadStep


class PipelinesStep(LoadStep):
    kind = "pipelines"
    identity = "pipeline"
    model = "crm.team"

    def values(self, record, ctx):
        values = {"name": record.name}
        if ctx.schema.has(self.model, "use_opportunities"):
            values["use_opportunities"] = True
        return values, []
