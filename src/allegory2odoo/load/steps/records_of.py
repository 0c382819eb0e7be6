"""Lookups of the Odoo record a piece of history belongs to, and of its author."""

from __future__ import annotations

from allegory2odoo.load.step import Rejected

# Source reference column -> (identity namespace, Odoo model), in the order they are tried.
TARGETS = (("deal_id", "deal", "crm.lead"), ("contact_id", "contact", "res.partner"), ("company_id", "company", "res.partner"))
_NAMES = {"deal": "deal", "contact": "contact", "company": "company"}


def target_of(record, ctx) -> tuple[str, int]:
    """Return (model, id) of the deal, contact or company a record belongs to; raise Rejected when none is loaded."""
    named = []
    for column, identity, model in TARGETS:
        source_id = getattr(record, column, None)
        if not source_id:
            continue
        odoo_id = ctx.identities.get(identity, source_id)
        if odoo_id is not None:
            return model, odoo_id
        named.append(f"{_NAMES[identity]} {source_id!r}")
    if not named:
        raise Rejected("it belongs to no deal, contact or company; fill deal_id, contact_id or company_id")
    raise Rejected(f"its {' and '.join(named)} is not in Odoo: not in the export (deleted in Allegory?) or rejected")


def author_of(owner: str | None, ctx, notes: list[str]) -> tuple[int, int]:
    """Return (user id, partner id) of the person who did or wrote a record; raise Rejected when unresolved."""
    match = ctx.owners.resolve(owner)
    if match.user_id is None:
        raise Rejected(match.reason)
    if match.reason:
        notes.append(match.reason)
    partner_id = ctx.owners.partner_of(match.user_id)
    if partner_id is None:
        raise Rejected(f"the Odoo user {match.user_id} has no partner to author messages")
    return match.user_id, partner_id
