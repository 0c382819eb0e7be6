"""Owners: Allegory users matched to Odoo users by email. Nothing is written to Odoo."""

from __future__ import annotations

from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.step import LoadStep
from allegory2odoo.mapping.records import RowError, build_user


class OwnersStep(LoadStep):
    kind = "users"
    label = "owners"
    model = "res.users"

    def run(self, ctx) -> None:
        stats = ctx.stats_for(self.name)
        ctx.reporter.start(self.name, self.total(ctx))
        for user in ctx.export_users.values():
            stats["read"] += 1
            if ctx.owners.offline:
                reason = "not checked: a dry run without an Odoo connection cannot match users"
                ctx.skip(self, user, reason)
                continue
            match = ctx.owners.match_user(user)
            if match is not None:
                ctx.skip(self, user, f"matched the Odoo user {match.login}", odoo_id=match.id)
            elif ctx.owners.fallback is not None:
                ctx.skip(self, user, f"no active internal Odoo user has the email {user.email}; "
                                     f"their records go to the fallback user {ctx.owners.fallback.login}")
            else:
                ctx.reject(self, user, f"no active internal Odoo user has the email {user.email}; "
                                       "create the user in Odoo or pass --fallback-owner")
        for error in ctx.export_user_errors:
            stats["read"] += 1
            ctx.record(Operation(self.name, None, "reject", self.model, file=error.origin.file,
                                 row=error.origin.row, reason=str(error)))
        ctx.flush_ledger()
        ctx.reporter.advance(self.name, stats["read"])
        ctx.reporter.finish(self.name)


def read_export_users(export, options) -> tuple[dict, list[RowError]]:
    """Read the users file whole (it is small): source ID -> User, and the rows that failed."""
    users, failures = {}, []
    if "users" not in export.kinds():
        return users, failures
    for row in export.rows("users"):
        try:
            user = build_user(row, options)
        except RowError as error:
            failures.append(error)
            continue
        if user.source_id in users:
            first = users[user.source_id].origin
            failures.append(RowError(user.origin, "id", user.source_id,
                                     f"the ID {user.source_id!r} already appeared at {first}; each user needs its own ID"))
            continue
        users[user.source_id] = user
    return users, failures
