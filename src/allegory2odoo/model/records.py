"""Canonical records: what an Allegory export holds, independent of files and of Odoo.

The mapping layer builds these from export rows; the plan and load layers read
them. Every record keeps the position of the row it came from, so a reject can
name the file and row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Origin:
    """The place a record was read: export file name and spreadsheet row (header = 1)."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}"


@dataclass(frozen=True)
class Address:
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    zip: str | None = None
    state: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 code, resolved by the mapping layer

    def is_empty(self) -> bool:
        return not any((self.street, self.street2, self.city, self.zip, self.state, self.country))


@dataclass(frozen=True)
class User:
    source_id: str
    origin: Origin
    email: str | None
    name: str | None
    active: bool = True


@dataclass(frozen=True)
class Tag:
    source_id: str
    origin: Origin | None
    name: str
    color: int = 0  # Odoo colour index, 0 (none) to 11
    scope: str = "all"  # deal, contact, company or all


@dataclass(frozen=True)
class Company:
    """A company; `created_at` is read but not written, since Odoo sets a record's creation date itself."""

    source_id: str
    origin: Origin
    name: str
    parent_id: str | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    industry: str | None = None
    vat: str | None = None
    address: Address = field(default_factory=Address)
    owner: str | None = None  # Allegory user id or email, as exported
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False)  # columns of no known kind: custom field values


@dataclass(frozen=True)
class Contact:
    source_id: str
    origin: Origin
    name: str
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    job_title: str | None = None
    company_id: str | None = None
    address: Address = field(default_factory=Address)
    owner: str | None = None
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Association:
    """A contact's link to a company; one link per contact is the primary one."""

    source_id: str
    origin: Origin
    contact_id: str
    company_id: str
    is_primary: bool = False
    role: str | None = None


@dataclass(frozen=True)
class Pipeline:
    source_id: str
    origin: Origin
    name: str


@dataclass(frozen=True)
class Stage:
    source_id: str
    origin: Origin
    pipeline_id: str
    name: str
    sequence: int = 0
    probability: float | None = None
    is_won: bool = False
    is_lost: bool = False
    is_folded: bool = False


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None = None  # ISO 4217 code when the export gave one


@dataclass(frozen=True)
class Deal:
    source_id: str
    origin: Origin
    name: str
    pipeline_id: str | None = None
    stage_id: str | None = None
    status: str = "open"  # open, won or lost
    amount: Money | None = None
    close_date: date | None = None
    probability: float | None = None
    company_id: str | None = None
    contact_id: str | None = None
    owner: str | None = None
    description: str | None = None
    lost_reason: str | None = None
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    closed_at: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()  # cells left out rather than rejecting the deal, for the ledger


@dataclass(frozen=True)
class Activity:
    """A call, email, meeting or task; a done one becomes chatter history, an open one a scheduled activity."""

    source_id: str
    origin: Origin
    kind: str  # call, email, meeting or task
    subject: str | None = None
    notes: str | None = None  # sanitised HTML
    done: bool = False
    due_at: datetime | None = None
    due_date: date | None = None
    completed_at: datetime | None = None
    created_at: datetime | None = None
    deal_id: str | None = None
    contact_id: str | None = None
    company_id: str | None = None
    owner: str | None = None
    duration_minutes: int | None = None

    @property
    def when(self) -> datetime | None:
        """The moment the activity happened, for the chatter: completion, else due time, else creation."""
        return self.completed_at or self.due_at or self.created_at


@dataclass(frozen=True)
class Note:
    source_id: str
    origin: Origin
    body: str  # sanitised HTML
    deal_id: str | None = None
    contact_id: str | None = None
    company_id: str | None = None
    author: str | None = None
    created_at: datetime | None = None

    @property
    def when(self) -> datetime | None:
        return self.created_at


@dataclass(frozen=True)
class Attachment:
    source_id: str
    origin: Origin
    file_name: str
    path: str
    deal_id: str | None = None
    contact_id: str | None = None
    company_id: str | None = None
    note_id: str | None = None
    content_type: str | None = None
    uploaded_by: str | None = None
    created_at: datetime | None = None
