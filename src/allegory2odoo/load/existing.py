"""Apply the policy for records already in Odoo: link to them, update them, or create anew.

The companies and contacts steps call `match_batch` on each batch before its
values are built. A record that already carries our external ID is ours and is
not matched. For the others, `plan.existing` finds the partner that is the same
record, and the policy of the kind decides:

- `link`: the record is not written. Its source ID resolves to the existing
  partner, so contacts' parents, deals' customers and the history land there.
  The partner gets no external ID of ours, so a rollback never deletes it. The
  ledger records a skip and an identity in the `<kind>_link` namespace.
- `update`: the partner's current values are saved in the ledger, then it gets
  our external ID and the batch's `load` writes the export's values onto it.
- `create`: no matching; the record is created as if nothing matched.

A linked record has no external ID, so every run matches it again.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from allegory2odoo.load.identity import MODULE, link_namespace, xmlid_name
from allegory2odoo.load.step import Skipped
from allegory2odoo.plan.existing import Match, PartnerIndex, read_partners

log = logging.getLogger(__name__)

POLICIES = ("link", "update", "create")
MODEL = "res.partner"

# Fields saved before an `update` writes over them: every field the companies
# and contacts steps write, plus the custom fields of the export (x_ fields).
BEFORE_IMAGE_FIELDS = (
    "name", "is_company", "email", "website", "vat", "user_id", "category_id", "phone", "mobile", "function",
    "street", "street2", "city", "zip", "country_id", "state_id", "industry_id", "comment", "parent_id", "type",
)

_KIND_NAMES = {"company": ("company", "companies"), "contact": ("contact", "contacts")}


@dataclass
class ExistingPartners:
    """Matches found in this run: links, adopted partners and ambiguous matches, with their counts."""

    index: PartnerIndex | None = None
    links: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (identity, source ID) -> (id, reason)
    updates: dict[tuple[str, str], str] = field(default_factory=dict)  # (identity, source ID) -> note on the update
    ambiguous: dict[tuple[str, str], str] = field(default_factory=dict)  # (identity, source ID) -> note on the create
    adopted: dict[int, str] = field(default_factory=dict)  # partner id -> source ID that updates it in this run
    counts: Counter = field(default_factory=Counter)  # (identity, outcome) -> records


def policy_for(identity: str, options) -> str:
    return getattr(options, f"existing_{_KIND_NAMES[identity][1]}", "link")


def state_of(ctx) -> ExistingPartners:
    state = getattr(ctx, "existing_partners", None)
    if state is None:
        state = ExistingPartners()
        ctx.existing_partners = state
    return state


def _index(ctx, state: ExistingPartners) -> PartnerIndex:
    """Read Odoo's partners once per run; without a connection there is nothing to match."""
    if state.index is None:
        client = getattr(ctx.writer, "client", None)
        if client is None:
            state.index = PartnerIndex(())
        else:
            ours = ctx.writer.external_ids(MODEL).values()
            state.index = PartnerIndex(read_partners(client, exclude_ids=ours))
    return state.index


def find(identity: str, index: PartnerIndex, record, ctx) -> Match:
    if identity == "company":
        return index.find_company(record.name, record.email, record.vat)
    company_partner = ctx.identities.get("company", record.company_id) if record.company_id else None
    return index.find_contact(record.name, record.email, company_partner)


def match_batch(identity: str, records: list, ctx) -> None:
    """Match the batch's records that are not ours yet, and apply the kind's policy to them."""
    policy = policy_for(identity, ctx.options)
    if policy == "create":
        return
    state = state_of(ctx)
    index = _index(ctx, state)
    matches = []
    to_adopt = []
    for record in records:
        key = (identity, record.source_id)
        if key in state.links or key in state.updates or ctx.identities.get(identity, record.source_id) is not None:
            continue
        match = find(identity, index, record, ctx)
        if match.ambiguous:
            ids = [partner.id for partner in match.candidates]
            state.ambiguous[key] = (f"ambiguous match: res.partner {', '.join(map(str, ids))} all match by "
                                    f"{match.rule} {match.value}; none was used and a new partner was created")
            state.counts[(identity, "ambiguous")] += 1
            matches.append((record, "ambiguous", match))
            continue
        partner = match.partner
        if partner is None:
            continue
        if policy == "update" and partner.id not in state.adopted:
            to_adopt.append((record, partner, match))
            continue
        reason = f"linked to the existing res.partner {partner.id} ({match.describe()})"
        if policy == "update":
            reason += f"; that partner is already updated from {state.adopted[partner.id]}"
        state.links[key] = (partner.id, reason)
        state.counts[(identity, "link")] += 1
        ctx.identities.set(identity, record.source_id, partner.id)
        matches.append((record, "link", match))

    if to_adopt:
        _adopt(identity, to_adopt, ctx, state)
        matches.extend((record, "update", match) for record, _partner, match in to_adopt)
    outcomes = Counter(outcome for _record, outcome, _match in matches)
    log.info("kind=%s existing partners: linked=%d updated=%d ambiguous=%d", identity, outcomes["link"],
             outcomes["update"], outcomes["ambiguous"])
    if ctx.ledger is not None and matches:
        ctx.ledger.record_matches(ctx.run_id, [
            (identity, record.source_id, outcome, [p.id for p in match.candidates], match.rule, match.value)
            for record, outcome, match in matches
        ])


def _adopt(identity: str, items: list, ctx, state: ExistingPartners) -> None:
    """Give existing partners our external IDs, after saving their current values in the ledger.

    Odoo's `load` cannot do this in one call: given both an `id` (external ID)
    and a `.id` (database id) column, Odoo 17 and 19 ignore `.id` and create a
    new partner under the external ID. So the `ir.model.data` rows are created
    first, in one call per batch, and the batch's `load` then updates by
    external ID.
    """
    ids = [partner.id for _record, partner, _match in items]
    if not ctx.writer.dry_run:
        fields = [name for name in BEFORE_IMAGE_FIELDS if ctx.schema.has(MODEL, name)]
        fields += sorted(name for name in ctx.schema.fields(MODEL) if name.startswith("x_"))
        # Fields the approved mapping sends values to, beyond the steps' own.
        fields += [name for name in ctx.options.choices.chosen_fields(MODEL) if name not in fields]
        before = {row["id"]: row for row in ctx.writer.client.call(MODEL, "read", ids, fields,
                                                                   context={"active_test": False})}
        if ctx.ledger is not None:
            ctx.ledger.record_before_images(ctx.run_id, [
                (identity, record.source_id, MODEL, partner.id,
                 {name: value for name, value in before.get(partner.id, {}).items() if name != "id"})
                for record, partner, _match in items
            ])
        ctx.writer.client.create("ir.model.data", [
            {"module": MODULE, "name": xmlid_name(identity, record.source_id), "model": MODEL,
             "res_id": partner.id, "noupdate": False}
            for record, partner, _match in items
        ])
    for record, partner, match in items:
        state.adopted[partner.id] = record.source_id
        state.updates[(identity, record.source_id)] = (
            f"the existing res.partner {partner.id} was updated ({match.describe()}); "
            "its previous values are in the ledger's before_images")
        state.counts[(identity, "update")] += 1
        ctx.identities.set(identity, record.source_id, partner.id)


def check_linked(identity: str, source_id: str, ctx) -> None:
    """Raise Skipped when the record is linked to a partner that is not ours, so nothing writes to it."""
    state = getattr(ctx, "existing_partners", None)
    if state is None or (identity, source_id) not in state.links:
        return
    partner_id, reason = state.links[(identity, source_id)]
    raise Skipped(reason, odoo_id=partner_id, identity_kind=link_namespace(identity))


def check_linked_child(identity: str, source_id: str, ctx) -> None:
    """Raise Skipped for a later write (parent link, secondary companies) onto a linked partner."""
    state = getattr(ctx, "existing_partners", None)
    if state is None or (identity, source_id) not in state.links:
        return
    partner_id, _reason = state.links[(identity, source_id)]
    raise Skipped(f"the {identity} is linked to the existing res.partner {partner_id}, which the migration "
                  "does not change")


def notes_for(identity: str, source_id: str, ctx) -> list[str]:
    """Return the ledger notes of a record that updates an existing partner or matched ambiguously."""
    state = getattr(ctx, "existing_partners", None)
    if state is None:
        return []
    key = (identity, source_id)
    return [note for note in (state.updates.get(key), state.ambiguous.get(key)) if note]


def closing_notes(ctx) -> list[str]:
    """Return the closing-report line on records already in Odoo, when any matched."""
    state = getattr(ctx, "existing_partners", None)
    if state is None or not state.counts:
        return []
    parts = []
    for identity, (_singular, plural) in _KIND_NAMES.items():
        linked = state.counts[(identity, "link")]
        updated = state.counts[(identity, "update")]
        if linked or updated or state.counts[(identity, "ambiguous")]:
            parts.append(f"{plural}: {linked} linked, {updated} updated")
    ambiguous = sum(state.counts[(identity, "ambiguous")] for identity in _KIND_NAMES)
    line = "Records already in Odoo: " + "; ".join(parts) + "."
    if ambiguous:
        records = "1 record" if ambiguous == 1 else f"{ambiguous} records"
        verb = "was" if ambiguous == 1 else "were"
        line += (f" Ambiguous: {records} matched more than one partner and {verb} created anew;"
                 " the ledger's partner_matches table lists the candidates.")
    return [line]
