"""Pipelines: one `crm.team` each, used for opportunities, or one team that every pipeline shares.

With `options.pipelines: shared` the step first creates or updates the shared
team, with the external ID `__allegory__.team_shared`, and counts it on a line
of its own in the closing table. Each pipeline is then skipped with a reason,
because it gets no record of its own. Its identity resolves to the shared team
for the rest of the run, so its stages and deals land there. Its deals keep
the pipeline in the field x_allegory_pipeline.
"""

from __future__ import annotations

import logging

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.identity import xmlid_name
from allegory2odoo.load.step import LoadStep, Rejected, Skipped, content_hash
from allegory2odoo.plan.pipelines import (
    DEFAULT_SHARED_TEAM,
    PIPELINE_FIELD,
    SHARED,
    SHARED_TEAM_IDENTITY,
    SHARED_TEAM_SOURCE_ID,
)

log = logging.getLogger(__name__)

SHARED_TEAM_LABEL = "shared team"


class PipelinesStep(LoadStep):
    kind = "pipelines"
    identity = "pipeline"
    model = "crm.team"

    def __init__(self) -> None:
        self.shared = False
        self.shared_team_id: int | None = None
        self.shared_team_name = DEFAULT_SHARED_TEAM

    def labels(self) -> tuple[str, ...]:
        return (self.name, SHARED_TEAM_LABEL) if self.shared else (self.name,)

    def prepare(self, ctx) -> None:
        self.shared = ctx.options.pipelines == SHARED
        if self.shared:
            self.shared_team_name = ctx.options.shared_team or DEFAULT_SHARED_TEAM
            self.shared_team_id = self._ensure_shared_team(ctx)

    def values(self, record, ctx):
        if self.shared:
            self._share(record, ctx)
        values = {"name": record.name}
        if ctx.schema.has(self.model, "use_opportunities"):
            values["use_opportunities"] = True
        return values, []

    def _share(self, record, ctx) -> None:
        """Point the pipeline's identity at the shared team and skip it, or reject it when that team is missing."""
        if self.shared_team_id is None:
            raise Rejected(f"pipelines are shared, but the shared team {self.shared_team_name!r} was not created. "
                           f"The ledger's {SHARED_TEAM_LABEL!r} entry gives the reason")
        ctx.identities.set(self.identity, record.source_id, self.shared_team_id)
        plan = getattr(ctx, "custom_field_plan", None)
        key = plan.plan.pipeline_keys.get(record.source_id) if plan is not None else None
        raise Skipped(f"pipelines are shared: its stages and deals go to the team {self.shared_team_name!r}, "
                      f"and its deals get {PIPELINE_FIELD} = {key!r}", odoo_id=self.shared_team_id)

    def _team_values(self, ctx) -> dict:
        values = {"name": self.shared_team_name}
        if ctx.schema.has(self.model, "use_opportunities"):
            values["use_opportunities"] = True
        return values

    def _ensure_shared_team(self, ctx) -> int | None:
        """Create the shared team, or update it when its values changed, and return its id (None when Odoo rejected it).

        The team is found by its external ID, so a rerun or a resumed run uses
        the team it created before, even when the ledger is lost.
        """
        stats = ctx.stats_for(SHARED_TEAM_LABEL)
        stats["read"] += 1
        ctx.seed_identities(SHARED_TEAM_IDENTITY, self.model)
        name = xmlid_name(SHARED_TEAM_IDENTITY, SHARED_TEAM_SOURCE_ID)
        values = self._team_values(ctx)
        existing_id = ctx.identities.get(SHARED_TEAM_IDENTITY, SHARED_TEAM_SOURCE_ID)

        if existing_id is not None and self._unchanged(existing_id, values, ctx):
            stats["skipped"] += 1
            ctx.record(Operation(SHARED_TEAM_LABEL, SHARED_TEAM_SOURCE_ID, "skip", self.model, existing_id,
                                 reason="unchanged since the last run"))
            return existing_id

        result = ctx.writer.load(self.model, [name], [values])
        if 0 not in result.ids:
            reason = f"Odoo rejected it: {result.rejects.get(0, 'no reason given')}"
            log.warning("the shared team %r was not created: %s", self.shared_team_name, reason)
            stats["rejected"] += 1
            ctx.record(Operation(SHARED_TEAM_LABEL, SHARED_TEAM_SOURCE_ID, "reject", self.model, reason=reason))
            return None
        team_id = result.ids[0]
        action = "update" if existing_id is not None else "create"
        stats[action + "d"] += 1
        ctx.identities.set(SHARED_TEAM_IDENTITY, SHARED_TEAM_SOURCE_ID, team_id)
        ctx.record(Operation(SHARED_TEAM_LABEL, SHARED_TEAM_SOURCE_ID, action, self.model, team_id,
                             reason=f"the one team of every pipeline: {self.shared_team_name!r}", xmlid=name,
                             content_hash=content_hash(values), identity_kind=SHARED_TEAM_IDENTITY))
        ctx.flush_ledger()
        return team_id

    def _unchanged(self, team_id: int, values: dict, ctx) -> bool:
        """Return whether the team in Odoo already has `values`. A dry run without a connection finds no team."""
        rows = ctx.writer.search_read(self.model, [("id", "=", team_id)], list(values),
                                      context={"active_test": False})
        return bool(rows) and all(rows[0].get(field) == value for field, value in values.items())
