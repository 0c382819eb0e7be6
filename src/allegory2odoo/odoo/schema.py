"""Field definitions of Odoo models, live from ``fields_get`` or from bundled profiles."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .version import ServerVersion

# Bundled profiles, by Odoo major version. Each file is a reduced
# fields_get of the models the migration uses, captured from that version.
PROFILES = {17: "odoo17", 19: "odoo19"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of an Odoo model.

    ``selection`` contains the selection keys, or None for a field that is not a
    selection. ``computed`` is true for computed and related fields, which
    ``fields_get`` marks with a non-empty ``depends``.
    """

    name: str
    type: str
    required: bool = False
    readonly: bool = False
    store: bool = True
    relation: str | None = None
    selection: tuple[str, ...] | None = None
    computed: bool = False
    relation_field: str | None = None
    related: bool = False
    string: str | None = None

    @classmethod
    def from_fields_get(cls, name: str, attributes: Mapping[str, Any]) -> FieldSpec:
        """Build a FieldSpec from one entry of a live ``fields_get`` result."""
        return cls(
            name=name,
            type=attributes["type"],
            required=bool(attributes.get("required")),
            readonly=bool(attributes.get("readonly")),
            store=bool(attributes.get("store", True)),
            relation=attributes.get("relation") or None,
            selection=_selection_keys(attributes.get("selection")),
            computed=bool(attributes.get("depends")) or bool(attributes.get("related")),
            relation_field=attributes.get("relation_field") or None,
            related=bool(attributes.get("related")),
            string=attributes.get("string") or None,
        )

    @classmethod
    def from_profile(cls, name: str, attributes: Mapping[str, Any]) -> FieldSpec:
        """Build a FieldSpec from one entry of a bundled profile.

        Profiles store ``selection`` as a list of keys and mark computed and
        related fields with ``"computed": true`` and ``"related": true``.
        """
        return cls(
            name=name,
            type=attributes["type"],
            required=bool(attributes.get("required")),
            readonly=bool(attributes.get("readonly")),
            store=bool(attributes.get("store", True)),
            relation=attributes.get("relation") or None,
            selection=_selection_keys(attributes.get("selection")),
            computed=bool(attributes.get("computed")) or bool(attributes.get("related")),
            relation_field=attributes.get("relation_field") or None,
            related=bool(attributes.get("related")),
            string=attributes.get("string") or None,
        )


class Schema:
    """The fields of a set of Odoo models.

    ``source`` is ``"live"`` for a schema read from a server, or
    ``"profile:<name>"`` for a bundled profile.
    """

    def __init__(
        self,
        models: Mapping[str, Mapping[str, FieldSpec]],
        *,
        source: str,
        version: ServerVersion | None = None,
    ) -> None:
        self._models = {model: dict(specs) for model, specs in models.items()}
        self.source = source
        self.version = version

    @classmethod
    def from_fields_get(
        cls,
        results: Mapping[str, Mapping[str, Mapping[str, Any]]],
        *,
        version: ServerVersion | None = None,
    ) -> Schema:
        """Build a schema from ``fields_get`` results, keyed by model."""
        models = {
            model: {name: FieldSpec.from_fields_get(name, attrs) for name, attrs in result.items()}
            for model, result in results.items()
        }
        return cls(models, source="live", version=version)

    @classmethod
    def from_profile(cls, name: str) -> Schema:
        """Load a bundled profile, ``"odoo19"`` or ``"odoo17"``."""
        if name not in PROFILES.values():
            raise ValueError(f"unknown schema profile {name!r}; bundled profiles: {', '.join(PROFILES.values())}")

        text = resources.files(__package__).joinpath("profiles", f"{name}.json").read_text(encoding="utf-8")
        data = json.loads(text)
        models = {
            model: {field_name: FieldSpec.from_profile(field_name, attrs) for field_name, attrs in specs.items()}
            for model, specs in data["models"].items()
        }
        version = ServerVersion.from_mapping(data["server_version"]) if data.get("server_version") else None
        return cls(models, source=f"profile:{name}", version=version)

    @classmethod
    def for_version(cls, major: int) -> Schema:
        """Load the bundled profile nearest to Odoo ``major``.

        On a tie the newer profile wins, so 18 gets the 19 profile.
        """
        # NOTE: there is no Odoo 18 profile. 18 gets the 19 profile, and
        # versions outside 17-19 get the nearest one. Fields that differ
        # between those versions (such as crm.stage.team_id in 17 and
        # team_ids in 19) may be wrong for the server; prefer a live schema.
        nearest = min(PROFILES, key=lambda profile_major: (abs(profile_major - major), -profile_major))
        return cls.from_profile(PROFILES[nearest])

    def models(self) -> list[str]:
        """Return the model names, sorted."""
        return sorted(self._models)

    def has_model(self, model: str) -> bool:
        return model in self._models

    def fields(self, model: str) -> dict[str, FieldSpec]:
        """Return the fields of ``model`` by name. Raises KeyError for a model not in the schema."""
        try:
            return dict(self._models[model])
        except KeyError:
            raise KeyError(f"model {model!r} is not in this schema ({self.source})") from None

    def field(self, model: str, name: str) -> FieldSpec | None:
        """Return one field, or None when the model or the field is not in the schema."""
        return self._models.get(model, {}).get(name)

    def has(self, model: str, name: str) -> bool:
        """Return whether ``model`` has a field called ``name``."""
        return self.field(model, name) is not None

    def merged(self, other: Schema) -> Schema:
        """Return a schema with the models of both; ``other`` wins for a model in both."""
        return Schema({**self._models, **other._models}, source=self.source, version=self.version or other.version)

    def __contains__(self, model: object) -> bool:
        return model in self._models

    def __repr__(self) -> str:
        return f"Schema(source={self.source!r}, models={len(self._models)})"


def _selection_keys(selection: Iterable[Any] | None) -> tuple[str, ...] | None:
    """Return the keys of a selection given as keys or as ``[key, label]`` pairs."""
    if selection is None or selection is False:
        return None
    return tuple(item[0] if isinstance(item, (list, tuple)) else item for item in selection)
