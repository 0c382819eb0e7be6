"""Records found by name and created when missing: tags, industries, lost reasons.

When a record of the export names a tag (or an industry, or a lost reason)
that is neither in Odoo nor in the tags file, the tag is created with the
external ID `__allegory__.<namespace>_n_<name>_<hash>`. The hash of the exact
name keeps two names that clean alike ("V.I.P." and "VIP") apart.
"""

from __future__ import annotations

import hashlib
import re

from allegory2odoo.ledger.store import Operation

# namespace -> (Odoo model, label of its line in the closing table)
NAMED_MODELS = {
    "deal_tag": ("crm.tag", "tags named on deals"),
    "partner_tag": ("res.partner.category", "tags named on contacts and companies"),
    "industry": ("res.partner.industry", "industries"),
    "lost_reason": ("crm.lost.reason", "lost reasons"),
}


def named_xmlid(namespace: str, name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:40] or "x"
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{namespace}_n_{slug}_{digest}"


def ensure_named(ctx, namespace: str, names: set[str]) -> None:
    """Create in one call the records of `names` that Odoo does not have yet."""
    model, label = NAMED_MODELS[namespace]
    missing = sorted(name for name in names if name and ctx.reference.find_named(model, name) is None)
    if not missing:
        return
    stats = ctx.stats_for(label)
    xmlids = [named_xmlid(namespace, name) for name in missing]
    result = ctx.writer.load(model, xmlids, [{"name": name} for name in missing])
    for index, name in enumerate(missing):
        stats["read"] += 1
        if index in result.ids:
            ctx.reference.remember_named(model, name, result.ids[index])
            stats["created"] += 1
            ctx.record(Operation(label, name, "create", model, result.ids[index],
                                 reason="named on a record but not defined in the tags file" if "tag" in namespace else None,
                                 xmlid=xmlids[index], identity_kind=namespace))
        else:
            stats["rejected"] += 1
            ctx.record(Operation(label, name, "reject", model,
                                 reason=f"Odoo rejected it: {result.rejects.get(index, 'no reason given')}"))


def named_id(ctx, namespace: str, name: str | None) -> int | None:
    if not name:
        return None
    model, _label = NAMED_MODELS[namespace]
    return ctx.reference.find_named(model, name)


def named_ids(ctx, namespace: str, names) -> list[int]:
    """Return the distinct ids of the named records, in the order of `names`, leaving out names not in Odoo."""
    ids: list[int] = []
    for name in names:
        record_id = named_id(ctx, namespace, name)
        if record_id is not None and record_id not in ids:
            ids.append(record_id)
    return ids
