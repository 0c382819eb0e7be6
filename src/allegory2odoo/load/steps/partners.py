"""Values shared by companies and contacts, both `res.partner` records."""

from __future__ import annotations

import html

from allegory2odoo.load.named import ensure_named, named_ids
from allegory2odoo.load.step import Rejected


def owner_id(record, ctx, notes: list[str]) -> int:
    match = ctx.owners.resolve(record.owner)
    if match.user_id is None:
        raise Rejected(match.reason)
    if match.reason:
        notes.append(match.reason)
    return match.user_id


def address_values(record, ctx, notes: list[str]) -> dict:
    """Return the address fields of a partner, or nothing when the export gives no address.

    An empty address is left out rather than sent as blanks: Odoo copies a
    company's address onto its contacts, and blanks written later would take
    that copy away again.
    """
    address = record.address
    if address.is_empty():
        return {}
    try:
        country_id = ctx.reference.country_id(address.country)
    except LookupError as error:
        raise Rejected(f"{error}; check the country column") from None
    state_id = None
    if address.state:
        try:
            state_id = ctx.reference.state_id(country_id, address.state)
        except LookupError as error:
            notes.append(f"state left empty: {error}")
    return {
        "street": address.street,
        "street2": address.street2,
        "city": address.city,
        "zip": address.zip,
        "country_id": country_id,
        "state_id": state_id,
    }


def address_key(values: dict) -> tuple | None:
    fields = ("street", "street2", "city", "zip", "state_id", "country_id")
    if not any(values.get(name) for name in fields):
        return None
    return tuple(values.get(name) for name in fields)


def ensure_partner_tags(kind: str, records, ctx) -> None:
    """Create the contact tags a batch of companies or contacts names, unless the mapping drops their tags."""
    if not ctx.options.choices.drops(kind, "tags"):
        ensure_named(ctx, "partner_tag", {tag for record in records for tag in record.tags})


def tag_ids(record, ctx) -> list[int]:
    return named_ids(ctx, "partner_tag", record.tags)


def phone_values(record, ctx, notes: list[str]) -> dict:
    """Phone numbers; Odoo 19 has no mobile field, so a mobile goes to phone or to the notes."""
    values = {"phone": record.phone}
    mobile = getattr(record, "mobile", None)
    if not mobile:
        return values
    if ctx.schema.has("res.partner", "mobile"):
        values["mobile"] = mobile
    elif not record.phone:
        values["phone"] = mobile
        notes.append("mobile number stored as phone: this Odoo has no mobile field")
    else:
        values["comment"] = f"<p>Mobile: {html.escape(mobile)}</p>"
        notes.append("mobile number kept in the notes: this Odoo has no mobile field")
    return values
