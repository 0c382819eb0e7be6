"""The audit of an export: one streaming scan, then the grade, the estimate and the owners."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from allegory2odoo.audit.grade import estimate_duration, grade_export
from allegory2odoo.audit.model import AuditResult, OwnerRow
from allegory2odoo.audit.scan import Scanner, ScanOptions, ScanResult
from allegory2odoo.export import open_export
from allegory2odoo.mapping.records import MappingOptions, RowError, build_user
from allegory2odoo.mapping.transforms import normalise_email
from allegory2odoo.plan.owners import OwnerResolver, fetch_internal_users

UNMATCHED = "UNMATCHED"


def audit_export(
    path: str | os.PathLike[str],
    *,
    options: ScanOptions | None = None,
    client=None,
    encoding: str | None = None,
    now: dt.datetime | None = None,
) -> AuditResult:
    """Audit the export at `path`; with a connected `client`, also match its owners to Odoo users.

    Raises ExportError for an export that cannot be read, and OdooError when Odoo fails.
    """
    with open_export(path, encoding=encoding) as export:
        scan = Scanner(export, options).run()
        warnings = list(export.warnings)

    owners = _owner_rows(scan)
    checked_against = None
    if client is not None:
        checked_against = (f"Odoo {client.version.serie} at {client.settings.base_url}, "
                           f"database {client.settings.db}")
        _match_owners(owners, scan, client)
    unmatched = sum(1 for owner in owners if owner.odoo_user == UNMATCHED) if client is not None else None

    moment = now or dt.datetime.now(dt.timezone.utc)
    return AuditResult(
        export_name=Path(path).name,
        generated_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        kinds=scan.kinds,
        findings=scan.findings,
        grade=grade_export(scan.kinds, scan.findings, unmatched),
        estimate=estimate_duration(scan.kinds, scan.link_counts),
        owners=owners,
        owners_checked_against=checked_against,
        export_warnings=warnings,
    )


def _owner_rows(scan: ScanResult) -> list[OwnerRow]:
    rows = []
    for owner, records in sorted(scan.owners.items(), key=lambda item: (-item[1], item[0])):
        if "@" in owner:
            in_users = normalise_email(owner) in scan.user_emails
        else:
            in_users = owner in scan.user_ids
        rows.append(OwnerRow(owner=owner, records=records, in_users_file=in_users))
    return rows


def _match_owners(owners: list[OwnerRow], scan: ScanResult, client) -> None:
    export_users = {}
    for row in scan.users:
        try:
            user = build_user(row, MappingOptions())
        except RowError:
            continue  # NOTE: a users row without an ID cannot own records, so it is left out here.
        export_users[user.source_id] = user
    odoo_users = fetch_internal_users(client)
    logins = {user.id: user.login for user in odoo_users}
    resolver = OwnerResolver(odoo_users, export_users)
    for owner in owners:
        match = resolver.resolve(owner.owner)
        owner.odoo_user = logins.get(match.user_id, UNMATCHED) if match.user_id is not None else UNMATCHED
