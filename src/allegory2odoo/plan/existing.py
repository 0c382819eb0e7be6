"""Find the `res.partner` already in Odoo that an exported company or contact is.

A partner created by hand before the migration has no external ID of ours, so
identity by external ID cannot find it. The rules, tried in this order, stop at
the first one that finds any candidate:

1. the same email, normalised (case, spaces, a `mailto:` prefix);
2. the same VAT number, normalised (spaces, dots and dashes removed, upper
   case, the country prefix kept, so `BE 0477.472.701` is `BE0477472701`);
3. the same name, normalised (see `normalise_name`): for a company among Odoo
   companies, for a contact among Odoo persons whose email has the same domain
   or whose parent is the contact's company.

A company is only matched to an Odoo company and a contact only to an Odoo
person. When the rule that finds candidates finds two or more, the match is
ambiguous: nothing is matched and both ids are reported. Archived partners are
candidates too, and a match to one says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from allegory2odoo.mapping.transforms import normalise_email

PAGE_SIZE = 2000
PARTNER_FIELDS = ["name", "email", "vat", "is_company", "active", "parent_id"]

# Legal-form words dropped from a name before comparing, after accents and
# punctuation are gone (so `S.L.` and `S. à r.l.` both end in a single word, `sl` and `sarl`). Only
# whole words at the end of the name are dropped, so "AG Partners" keeps its "ag".
LEGAL_SUFFIXES = (
    "gmbh", "mbh", "ag", "kg", "ohg", "ug", "se", "sa", "sas", "sarl", "sl", "slu", "srl", "spa",
    "bv", "nv", "ab", "as", "oy", "aps", "ltd", "limited", "plc", "llc", "llp", "lp", "inc", "incorporated",
    "corp", "corporation", "co", "company", "pty", "pty ltd", "pte ltd",
)
_SUFFIXES_BY_LENGTH = sorted((tuple(suffix.split()) for suffix in LEGAL_SUFFIXES), key=len, reverse=True)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_VAT_NOISE = re.compile(r"[\s.\-]+")


def normalise_vat(value: str | None) -> str | None:
    """Return the VAT number without spaces, dots and dashes, in upper case; None when blank."""
    if not value:
        return None
    text = _VAT_NOISE.sub("", str(value)).upper()
    return text or None


def normalise_name(value: str | None) -> str | None:
    """Return the name for comparison: lower case, no accents or punctuation, legal suffixes removed.

    "Harbour Logistics Ltd.", "HARBOUR LOGISTICS LIMITED" and "Harbour Logistics"
    all become "harbour logistics". A name that is only a legal form stays as it is.
    """
    if not value:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value))
    text = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    text = text.replace("&", " and ")
    words = _NOT_WORD.sub(" ", text).split()
    # "S.L." became "s l": runs of single letters are joined, so the suffix table names them once ("sl").
    merged: list[str] = []
    in_run = False  # whether merged[-1] is built from single letters only
    for word in words:
        if len(word) == 1 and in_run:
            merged[-1] += word
        else:
            merged.append(word)
            in_run = len(word) == 1
    words = merged
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for suffix in _SUFFIXES_BY_LENGTH:
            if len(words) > len(suffix) and tuple(words[-len(suffix):]) == suffix:
                words = words[:-len(suffix)]
                stripped = True
                break
    return " ".join(words) or None


def email_domain(email: str | None) -> str | None:
    address = normalise_email(email)
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1] or None


@dataclass(frozen=True)
class OdooPartner:
    id: int
    name: str | None
    email: str | None
    vat: str | None
    is_company: bool
    active: bool
    parent_id: int | None


@dataclass(frozen=True)
class Match:
    """The outcome of matching one exported record: one partner, several (ambiguous), or none."""

    candidates: tuple[OdooPartner, ...]
    rule: str | None = None  # "email", "VAT" or "name"
    value: str | None = None  # the normalised value that matched

    @property
    def partner(self) -> OdooPartner | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def describe(self) -> str:
        """Describe how the match was found, e.g. "matched by email info@example.com"."""
        text = f"matched by {self.rule} {self.value}"
        partner = self.partner
        if partner is not None and not partner.active:
            text += "; the partner is archived"
        return text


NO_MATCH = Match(())


def read_partners(client, exclude_ids: Iterable[int] = ()) -> list[OdooPartner]:
    """Read every partner of Odoo, archived ones included, in pages of PAGE_SIZE, except `exclude_ids`."""
    excluded = set(exclude_ids)
    partners: list[OdooPartner] = []
    offset = 0
    while True:
        rows = client.search_read("res.partner", [], PARTNER_FIELDS, offset=offset, limit=PAGE_SIZE, order="id",
                                  context={"active_test": False})
        for row in rows:
            if row["id"] in excluded:
                continue
            parent = row.get("parent_id")
            partners.append(OdooPartner(
                id=row["id"], name=row.get("name") or None, email=row.get("email") or None,
                vat=row.get("vat") or None, is_company=bool(row.get("is_company")),
                active=bool(row.get("active", True)), parent_id=parent[0] if parent else None,
            ))
        if len(rows) < PAGE_SIZE:
            return partners
        offset += PAGE_SIZE


class PartnerIndex:
    """In-memory indexes of Odoo's partners by normalised email, VAT and name."""

    def __init__(self, partners: Iterable[OdooPartner]):
        self._by_email: dict[tuple[bool, str], list[OdooPartner]] = {}
        self._by_vat: dict[tuple[bool, str], list[OdooPartner]] = {}
        self._companies_by_name: dict[str, list[OdooPartner]] = {}
        self._persons_by_name_domain: dict[tuple[str, str], list[OdooPartner]] = {}
        self._persons_by_name_parent: dict[tuple[str, int], list[OdooPartner]] = {}
        for partner in partners:
            email = normalise_email(partner.email)
            vat = normalise_vat(partner.vat)
            name = normalise_name(partner.name)
            if email:
                self._by_email.setdefault((partner.is_company, email), []).append(partner)
            if vat:
                self._by_vat.setdefault((partner.is_company, vat), []).append(partner)
            if not name:
                continue
            if partner.is_company:
                self._companies_by_name.setdefault(name, []).append(partner)
                continue
            domain = email_domain(partner.email)
            if domain:
                self._persons_by_name_domain.setdefault((name, domain), []).append(partner)
            if partner.parent_id:
                self._persons_by_name_parent.setdefault((name, partner.parent_id), []).append(partner)

    def find_company(self, name: str | None, email: str | None, vat: str | None) -> Match:
        email_key = normalise_email(email)
        if email_key and (True, email_key) in self._by_email:
            return Match(tuple(self._by_email[(True, email_key)]), "email", email_key)
        vat_key = normalise_vat(vat)
        if vat_key and (True, vat_key) in self._by_vat:
            return Match(tuple(self._by_vat[(True, vat_key)]), "VAT", vat_key)
        name_key = normalise_name(name)
        if name_key and name_key in self._companies_by_name:
            return Match(tuple(self._companies_by_name[name_key]), "name", name_key)
        return NO_MATCH

    def find_contact(self, name: str | None, email: str | None, company_partner_id: int | None) -> Match:
        """Match a person; `company_partner_id` is the Odoo id of the contact's company, when it has one."""
        email_key = normalise_email(email)
        if email_key and (False, email_key) in self._by_email:
            return Match(tuple(self._by_email[(False, email_key)]), "email", email_key)
        name_key = normalise_name(name)
        if not name_key:
            return NO_MATCH
        # NOTE: a free-mail domain (gmail.com) makes the domain rule as loose as a name-only match.
        found: dict[int, OdooPartner] = {}
        domain = email_domain(email)
        if domain:
            found.update((p.id, p) for p in self._persons_by_name_domain.get((name_key, domain), ()))
        if company_partner_id:
            found.update((p.id, p) for p in self._persons_by_name_parent.get((name_key, company_partner_id), ()))
        if not found:
            return NO_MATCH
        return Match(tuple(found.values()), "name", name_key)
