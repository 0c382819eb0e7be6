"""The pipeline layout of a run: one crm.team per pipeline, or one shared team with a pipeline field.

With `options.pipelines: shared` every pipeline's stages go to one team, named
by `options.shared_team`. Stage names that two pipelines share get the
pipeline's name as a prefix, and stage sequences keep the pipelines in file
order. The deal's pipeline is created in the selection field `x_allegory_pipeline`
of crm.lead, whose option keys are derived from the pipelines' Allegory IDs.
"""

from __future__ import annotations

from dataclasses import dataclass

from allegory2odoo.mapping.custom_fields import unique_keys
from allegory2odoo.mapping.records import BUILDERS, MappingOptions, RowError

PER_TEAM = "per_team"
SHARED = "shared"
PIPELINE_MODES = (PER_TEAM, SHARED)
DEFAULT_SHARED_TEAM = "Allegory pipelines"

# The shared team's external ID is `__allegory__.team_shared`: identity kind and source ID.
SHARED_TEAM_IDENTITY = "team"
SHARED_TEAM_SOURCE_ID = "shared"

PIPELINE_FIELD = "x_allegory_pipeline"
PIPELINE_FIELD_LABEL = "Allegory pipeline"
STAGE_PREFIX_SEPARATOR = " / "


@dataclass(frozen=True)
class SharedStage:
    """A stage's name and sequence in the shared team."""

    name: str
    sequence: int


def read_pipelines(export, options: MappingOptions) -> list[tuple[str, str]]:
    """Return (source ID, name) of the export's readable pipelines, in file order, each ID once.

    A row that cannot be read is left out here, because the pipelines step rejects it with the reason.
    """
    if "pipelines" not in export.kinds():
        return []
    pipelines: dict[str, str] = {}
    for row in export.rows("pipelines"):
        try:
            pipeline = BUILDERS["pipelines"](row, options)
        except RowError:
            continue
        pipelines.setdefault(pipeline.source_id, pipeline.name)
    return list(pipelines.items())


def read_stages(export, options: MappingOptions) -> list:
    """Return the export's readable Stage records in file order; the stages step rejects the others."""
    if "stages" not in export.kinds():
        return []
    stages = []
    for row in export.rows("stages"):
        try:
            stages.append(BUILDERS["stages"](row, options))
        except RowError:
            continue
    return stages


def pipeline_keys(pipelines: list[tuple[str, str]]) -> dict[str, str]:
    """Return pipeline source ID -> selection key, for (source ID, name) pairs in file order.

    The key is the source ID in lower-case ASCII (`P-1` -> `p_1`). An ID with
    nothing left after cleaning is keyed `pipeline_<n>`, and a key already
    taken gets `_2`, `_3`... appended, so the same file always gives the same keys.
    """
    source_ids = list(dict.fromkeys(source_id for source_id, _name in pipelines))
    return dict(zip(source_ids, unique_keys(source_ids, "pipeline")))


def pipeline_selection(pipelines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the (key, label) options of the pipeline field: one per pipeline, labelled with its name."""
    keys = pipeline_keys(pipelines)
    names: dict[str, str] = {}
    for source_id, name in pipelines:
        names.setdefault(source_id, name)
    return [(keys[source_id], names[source_id]) for source_id in keys]


def shared_stages(pipelines: list[tuple[str, str]], stages: list) -> dict[str, SharedStage]:
    """Return stage source ID -> name and sequence in the shared team.

    `pipelines` are (source ID, name) pairs and `stages` are Stage records,
    both in file order. Lost stages are left out because they are not created.
    Sequences run from 1 with the pipelines in file order, and by position,
    then file order, within each pipeline. When stages of two or more pipelines
    have the same name (compared without case and surrounding spaces), each of
    them gets its pipeline's name as a prefix: `Litigation / Intake`.
    """
    order = {}
    names = {}
    for source_id, name in pipelines:
        order.setdefault(source_id, len(order))
        names.setdefault(source_id, name)
    created = [(index, stage) for index, stage in enumerate(stages) if not stage.is_lost]
    created.sort(key=lambda item: (order.get(item[1].pipeline_id, len(order)), item[1].sequence, item[0]))

    pipelines_of_name: dict[str, set[str]] = {}
    for _index, stage in created:
        pipelines_of_name.setdefault(_name_key(stage.name), set()).add(stage.pipeline_id)

    result = {}
    for sequence, (_index, stage) in enumerate(created, start=1):
        name = stage.name
        if len(pipelines_of_name[_name_key(name)]) > 1:
            name = f"{names.get(stage.pipeline_id, stage.pipeline_id)}{STAGE_PREFIX_SEPARATOR}{name}"
        result.setdefault(stage.source_id, SharedStage(name, sequence))
    return result


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
