"""Custom field values of companies, contacts and deals.

The export carries a custom field's values as an extra column of the record's
file; the custom field plan, when the run has one, turns them into `x_` field
values. Without a plan no custom value is written.
"""

from __future__ import annotations


def record_custom_values(object_kind: str, record, ctx) -> tuple[dict, list[str]]:
    """Return the `x_` field values of one record and notes for the ledger."""
    plan = getattr(ctx, "custom_field_plan", None)
    if plan is None:
        return {}, []
    return plan.values_for(object_kind, record, ctx)
