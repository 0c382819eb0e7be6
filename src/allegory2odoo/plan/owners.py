"""Resolve Allegory owners to Odoo users by email.

An owner matches an active internal user (not a portal or public user) whose
login or email equals the owner's email, compared case-insensitively. A record
whose owner does not match gets the fallback user when one is configured, and
is rejected otherwise: nothing lands without a resolved user.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from allegory2odoo.mapping.transforms import normalise_email
from allegory2odoo.model.records import User


class OwnerSetupError(ValueError):
    """The fallback user named by the user does not exist or cannot own records."""


@dataclass(frozen=True)
class OdooUser:
    id: int
    login: str
    email: str | None
    name: str | None = None
    partner_id: int | None = None


@dataclass(frozen=True)
class OwnerMatch:
    user_id: int | None
    reason: str | None = None  # why the record did not get its own owner, when it did not


def fetch_internal_users(client) -> list[OdooUser]:
    rows = client.search_read(
        "res.users", [("share", "=", False), ("active", "=", True)], ["login", "email", "name", "partner_id"],
    )
    return [
        OdooUser(row["id"], row["login"], row.get("email") or None, row.get("name"),
                 row["partner_id"][0] if row.get("partner_id") else None)
        for row in rows
    ]


class OwnerResolver:
    def __init__(self, odoo_users: list[OdooUser] | None, export_users: dict[str, User],
                 fallback: str | None = None):
        """`odoo_users` None means no Odoo to check against (offline dry run): every owner is accepted unchecked."""
        self.offline = odoo_users is None
        self._by_address: dict[str, OdooUser] = {}
        self._partners: dict[int, int | None] = {user.id: user.partner_id for user in odoo_users or ()}
        for user in odoo_users or ():
            for address in (normalise_email(user.login), normalise_email(user.email)):
                if address:
                    self._by_address.setdefault(address, user)
        self._export_users = export_users
        self._export_by_email = {normalise_email(u.email): u for u in export_users.values() if u.email}
        self.unmatched: Counter[str] = Counter()  # owner as exported -> number of records that needed the fallback
        self.fallback: OdooUser | None = None
        if fallback and not self.offline:
            self.fallback = self._by_address.get(normalise_email(fallback))
            if self.fallback is None:
                raise OwnerSetupError(
                    f"the fallback owner {fallback!r} is not the login or email of an active internal Odoo user; "
                    "name an existing user with --fallback-owner"
                )

    def partner_of(self, user_id: int) -> int | None:
        """Return the partner of an Odoo user (the author of its messages); a placeholder when offline."""
        if self.offline:
            return -1
        return self._partners.get(user_id)

    def match_user(self, user: User) -> OdooUser | None:
        if self.offline or not user.email:
            return None
        return self._by_address.get(normalise_email(user.email))

    def email_of(self, owner: str) -> str | None:
        """Return the owner's email: the owner itself, or the email of the Allegory user with that ID."""
        if "@" in owner:
            return normalise_email(owner)
        user = self._export_users.get(owner)
        return normalise_email(user.email) if user and user.email else None

    def resolve(self, owner: str | None) -> OwnerMatch:
        if self.offline:
            return OwnerMatch(user_id=-1)
        if owner:
            email = self.email_of(owner)
            user = self._by_address.get(email) if email else None
            if user is not None:
                return OwnerMatch(user.id)
            # Records name an owner by ID or by email; count both forms under the email.
            self.unmatched[email or owner] += 1
            if email is None:
                problem = f"the owner {owner!r} is neither an email nor the ID of a user in the users file"
            else:
                problem = f"the owner {email} has no active internal Odoo user"
        else:
            problem = "the record has no owner"
        if self.fallback is not None:
            return OwnerMatch(self.fallback.id, f"{problem}; assigned to the fallback user {self.fallback.login}")
        return OwnerMatch(None, f"{problem}; create that user in Odoo or pass --fallback-owner")
