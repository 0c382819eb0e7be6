"""External IDs of migrated records and the identity map built from them.

Every record the tool creates carries the external ID
`__allegory__.<kind>_<source id>`. Odoo keeps that ID in `ir.model.data` in the
same transaction as the record (the loader writes through `load`), so the map
read back from Odoo is the truth after any crash, lost response or lost ledger.
"""

from __future__ import annotations

import re

MODULE = "__allegory__"

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def xmlid_name(identity_kind: str, source_id: str) -> str:
    """Return the external ID name (without module) for one source record.

    Characters other than ASCII letters, digits and `_` become `_`: external
    IDs travel in comma-separated lists and dotted `module.name` strings, so
    they must hold neither. Two source IDs can clean to the same name, which
    `IdentityMap.claim` detects.
    """
    return f"{identity_kind}_{_UNSAFE.sub('_', source_id.strip())}"


def link_namespace(identity_kind: str) -> str:
    """Return the ledger namespace of records linked to a partner that is not ours, e.g. `company_link`.

    Such a record has no external ID; the ledger keeps its Odoo id apart from
    the identities we created, so a rollback can leave that partner alone.
    """
    return f"{identity_kind}_link"


def full_xmlid(identity_kind: str, source_id: str) -> str:
    return f"{MODULE}.{xmlid_name(identity_kind, source_id)}"


class IdentityCollision(ValueError):
    def __init__(self, source_id: str, other_source_id: str, name: str):
        self.source_id = source_id
        self.other_source_id = other_source_id
        super().__init__(
            f"its external ID {MODULE}.{name} would be the same as that of {other_source_id!r}; "
            "give one of the two records another Allegory ID"
        )


class DuplicateSourceId(ValueError):
    def __init__(self, source_id: str, first_origin: str):
        super().__init__(f"the ID {source_id!r} already appeared at {first_origin}; each record needs its own ID")


class IdentityMap:
    """Source ID -> Odoo id per identity kind, seeded from Odoo's external IDs.

    `claim` is called once per source record of a run. It detects two source
    IDs that clean to the same external ID, and the same ID given twice.
    """

    def __init__(self) -> None:
        self._odoo_ids: dict[str, dict[str, int]] = {}  # kind -> external ID name -> Odoo id
        self._claimed: dict[str, dict[str, tuple[str, str]]] = {}  # kind -> name -> (source ID, origin)
        self._unusable: dict[str, set[str]] = {}  # kind -> source IDs rejected by claim

    def seed(self, identity_kind: str, names_to_ids: dict[str, int]) -> None:
        self._odoo_ids.setdefault(identity_kind, {}).update(names_to_ids)

    def claim(self, identity_kind: str, source_id: str, origin: str) -> str:
        name = xmlid_name(identity_kind, source_id)
        claimed = self._claimed.setdefault(identity_kind, {})
        if name in claimed:
            other_source_id, other_origin = claimed[name]
            if other_source_id == source_id:
                raise DuplicateSourceId(source_id, other_origin)
            self._unusable.setdefault(identity_kind, set()).add(source_id)
            raise IdentityCollision(source_id, other_source_id, name)
        claimed[name] = (source_id, origin)
        return name

    def is_claimed(self, identity_kind: str, source_id: str) -> bool:
        name = xmlid_name(identity_kind, source_id)
        return self._claimed.get(identity_kind, {}).get(name, (None,))[0] == source_id

    def set(self, identity_kind: str, source_id: str, odoo_id: int) -> None:
        self._odoo_ids.setdefault(identity_kind, {})[xmlid_name(identity_kind, source_id)] = odoo_id

    def get(self, identity_kind: str, source_id: str | None) -> int | None:
        """Return the Odoo id of a source record, or None when it has none or its ID was unusable."""
        if source_id is None or source_id in self._unusable.get(identity_kind, ()):
            return None
        return self._odoo_ids.get(identity_kind, {}).get(xmlid_name(identity_kind, source_id))

    def exists(self, identity_kind: str, source_id: str) -> bool:
        return self.get(identity_kind, source_id) is not None

    def count(self, identity_kind: str) -> int:
        return len(self._odoo_ids.get(identity_kind, {}))
