"""The complexity grade of an export (A to E) and an estimate of its migration's duration."""

from __future__ import annotations

import bisect

from allegory2odoo.audit.model import Estimate, Finding, Grade, GradeReason, KindProfile

# Median throughput of Odoo 19.0 on a 2-core machine with PostgreSQL 15, measured on
# 2026-12-04: res.partner created in XML-RPC batches of 500, and crm.lead in batches of 500.
PARTNERS_PER_SECOND = 690
LEADS_PER_SECOND = 92
# The measured runs varied by about a quarter around the median.
ESTIMATE_SPREAD = 0.25
ESTIMATE_BASIS = (
    "Estimate, not a measurement: partner writes at 690 records/s and lead writes at 92 records/s, "
    "the median throughput of Odoo 19.0 on a 2-core machine with PostgreSQL 15 (XML-RPC, batches of 500). "
    "Measured runs varied by about 25 %; a larger server, other modules or a busy database change it."
)

GRADE_LETTERS = "ABCDE"
# Points at which each letter starts: A 0-1, B 2-3, C 4-5, D 6-7, E 8 or more.
GRADE_STEP = 2


def estimate_duration(kinds: list[KindProfile], link_counts: dict[str, int]) -> Estimate:
    """Estimate the server time of a migration from the record counts.

    Partner writes are the companies and contacts, plus one update for each contact with a
    company and each company with a parent (links are written after every partner exists).
    Tags, pipelines, stages and owners are few and counted at the partner rate.
    NOTE: activities, notes, attachments and stage history are not counted; no throughput
    of mail.message or ir.attachment writes has been measured.
    """
    counts = {kind.kind: kind.records for kind in kinds}
    partner_writes = (
        counts.get("companies", 0) + counts.get("contacts", 0)
        + link_counts.get("contacts_with_company", 0) + link_counts.get("companies_with_parent", 0)
        + counts.get("tags", 0) + counts.get("pipelines", 0) + counts.get("stages", 0)
    )
    lead_writes = counts.get("deals", 0)
    seconds = partner_writes / PARTNERS_PER_SECOND + lead_writes / LEADS_PER_SECOND
    return Estimate(
        partner_writes=partner_writes,
        lead_writes=lead_writes,
        seconds=round(seconds, 1),
        low_seconds=round(seconds * (1 - ESTIMATE_SPREAD), 1),
        high_seconds=round(seconds * (1 + ESTIMATE_SPREAD), 1),
        basis=ESTIMATE_BASIS,
    )


def points_for(value: float, limits: tuple[float, ...]) -> int:
    """Return how many of the ascending `limits` the value reaches: 0 below the first."""
    return bisect.bisect_right(limits, value)


def grade_export(kinds: list[KindProfile], findings: list[Finding], unmatched_owners: int | None) -> Grade:
    """Grade an export from its size, custom fields, data quality and structure.

    Each reason adds points; the letter follows the total (see GRADE_STEP).
    """
    reasons: list[GradeReason] = []
    total = sum(kind.records for kind in kinds)
    size_points = points_for(total, (5_000, 50_000, 250_000))
    reasons.append(GradeReason(size_points, f"{total} records"))

    custom = sum(1 for kind in kinds for column in kind.columns if not column.known)
    custom_points = points_for(custom, (1, 6))
    reasons.append(GradeReason(custom_points, f"custom field columns (columns of no known kind): {custom}"))

    involved = {(ref.kind, ref.file, ref.row) for finding in findings for ref in finding.records}
    share = len(involved) / total if total else 0.0
    quality_points = points_for(share, (0.01, 0.05, 0.20))
    reasons.append(GradeReason(quality_points, f"{share:.1%} of the records have a data-quality finding"))

    errors = [finding for finding in findings if finding.severity == "error"]
    if errors:
        reasons.append(GradeReason(1, f"error findings, whose records would be rejected or mislinked: {len(errors)}"))
    if any(finding.code == "company_cycle" for finding in findings):
        reasons.append(GradeReason(1, "company hierarchies contain cycles"))

    found = {kind.kind for kind in kinds}
    missing = [kind for kind in ("users", "companies", "contacts", "deals") if kind not in found]
    if missing:
        reasons.append(GradeReason(1, f"no file for: {', '.join(missing)}"))
    if unmatched_owners:
        reasons.append(GradeReason(1, f"{unmatched_owners} owners have no Odoo user"))

    points = sum(reason.points for reason in reasons)
    letter = GRADE_LETTERS[min(points // GRADE_STEP, len(GRADE_LETTERS) - 1)]
    return Grade(letter=letter, points=points, reasons=reasons)
