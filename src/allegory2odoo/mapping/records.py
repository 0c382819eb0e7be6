"""Build canonical records from export rows, one builder per object kind.

A builder raises `RowError` naming the file, row, column and value when a cell
cannot be converted. The caller rejects that one record and goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allegory2odoo.export.kinds import KINDS
from allegory2odoo.mapping import transforms as t
from allegory2odoo.mapping.html import to_html
from allegory2odoo.model.records import (
    Activity,
    Address,
    Attachment,
    Association,
    Company,
    Contact,
    Deal,
    Note,
    Origin,
    Pipeline,
    Stage,
    Tag,
    User,
)


class RowError(ValueError):
    """A row that cannot become a record, with the place and the reason."""

    def __init__(self, origin: Origin, column: str | None, value: object, reason: str):
        self.origin = origin
        self.column = column
        self.value = value
        self.reason = reason
        where = f"{origin.file}, row {origin.row}" + (f", column {column!r}" if column else "")
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class MappingOptions:
    source_tz: ZoneInfo = ZoneInfo("UTC")
    date_order: str = "mdy"
    default_currency: str | None = None
    # Value maps of the approved mapping file, by lower-case source value; they win over the built-in
    # spellings. A deal status mapped to None rejects its deals.
    deal_statuses: Mapping[str, str | None] | None = None
    activity_types: Mapping[str, str] | None = None


class _Cells:
    """Typed access to one row's cells; a conversion failure becomes a RowError naming the column."""

    def __init__(self, row, options: MappingOptions):
        self.row = row
        self.options = options
        self.origin = Origin(row.file, row.row)

    def _convert(self, column: str, function, *args):
        value = self.row.values.get(column)
        try:
            return function(value, *args)
        except t.TransformError as error:
            raise RowError(self.origin, column, value, str(error)) from None

    def text(self, column: str) -> str | None:
        return t.clean_text(self.row.values.get(column))

    def required(self, column: str) -> str:
        value = self.text(column)
        if value is None:
            raise RowError(self.origin, column, None, f"the required column {column!r} is empty; fill it in the export")
        return value

    def identifier(self, column: str = "id") -> str:
        value = self.row.values.get(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = t.clean_text(value)
        if text is None:
            raise RowError(self.origin, column, None, f"the record has no {column!r}; every record needs its Allegory ID")
        return text

    def reference(self, column: str) -> str | None:
        value = self.row.values.get(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return t.clean_text(value)

    def boolean(self, column: str, default: bool = False) -> bool:
        value = self._convert(column, t.parse_bool)
        return default if value is None else value

    def integer(self, column: str) -> int | None:
        return self._convert(column, t.parse_int)

    def percent(self, column: str) -> float | None:
        return self._convert(column, t.parse_percent)

    def date(self, column: str):
        return self._convert(column, t.parse_date, self.options.date_order)

    def datetime(self, column: str):
        return self._convert(column, t.parse_datetime, self.options.source_tz, self.options.date_order)

    def optional_datetime(self, column: str, problems: list[str]):
        """Parse a timestamp the load can do without: a bad value is noted in `problems` instead of rejecting the row."""
        try:
            return self.datetime(column)
        except RowError as error:
            problems.append(f"{error.reason} ({column} left out)")
            return None

    def amount(self, column: str, currency_column: str | None = None):
        money = self._convert(column, t.parse_amount, self.options.default_currency)
        if money is not None and currency_column and self.text(currency_column):
            currency = self.text(currency_column).upper()
            if money.currency and money.currency != currency:
                raise RowError(self.origin, column, self.row.values.get(column),
                               f"the amount is in {money.currency} but the {currency_column!r} column says {currency}")
            money = type(money)(money.amount, currency)
        return money

    def email(self, column: str = "email") -> str | None:
        text = self.text(column)
        return text.strip() if text else None

    def tags(self, column: str = "tags") -> tuple[str, ...]:
        return t.split_list(self.row.values.get(column))

    def color(self, column: str) -> int:
        return self._convert(column, t.color_index)

    def address(self) -> Address:
        return Address(
            street=self.text("street"),
            street2=self.text("street2"),
            city=self.text("city"),
            zip=self.text("zip"),
            state=self.text("state"),
            country=self._convert("country", t.country_code),
        )


def extra_columns(row) -> dict:
    """Return the row's columns that its kind does not define: the values of custom fields."""
    known = set(KINDS[row.kind].columns) if row.kind in KINDS else set()
    return {column: value for column, value in row.values.items() if column not in known}


def person_name(cells: _Cells) -> str | None:
    full = cells.text("full_name")
    if full:
        return full
    parts = [cells.text("first_name"), cells.text("last_name")]
    joined = " ".join(part for part in parts if part)
    return joined or None


def build_user(row, options: MappingOptions) -> User:
    cells = _Cells(row, options)
    return User(
        source_id=cells.identifier(),
        origin=cells.origin,
        email=cells.email(),
        name=person_name(cells),
        active=cells.boolean("active", default=True),
    )


def build_tag(row, options: MappingOptions) -> Tag:
    cells = _Cells(row, options)
    name = cells.required("name")
    scope = (cells.text("scope") or "all").lower()
    if scope not in ("deal", "contact", "company", "all"):
        raise RowError(cells.origin, "scope", scope, "the tag scope must be deal, contact, company or all")
    return Tag(
        source_id=cells.reference("id") or name,
        origin=cells.origin,
        name=name,
        color=cells.color("color"),
        scope=scope,
    )


def build_company(row, options: MappingOptions) -> Company:
    cells = _Cells(row, options)
    return Company(
        source_id=cells.identifier(),
        origin=cells.origin,
        name=cells.required("name"),
        parent_id=cells.reference("parent_id"),
        website=cells.text("website"),
        phone=cells.text("phone"),
        email=cells.email(),
        industry=cells.text("industry"),
        vat=cells.text("vat"),
        address=cells.address(),
        owner=cells.text("owner"),
        tags=cells.tags(),
        created_at=cells.optional_datetime("created_at", []),
        extra=extra_columns(row),
    )


def build_contact(row, options: MappingOptions) -> Contact:
    cells = _Cells(row, options)
    name = person_name(cells) or cells.email()
    if not name:
        raise RowError(cells.origin, "last_name", None,
                       "the contact has no name and no email; Odoo requires a name for every contact")
    return Contact(
        source_id=cells.identifier(),
        origin=cells.origin,
        name=name,
        email=cells.email(),
        phone=cells.text("phone"),
        mobile=cells.text("mobile"),
        job_title=cells.text("job_title"),
        company_id=cells.reference("company_id"),
        address=cells.address(),
        owner=cells.text("owner"),
        tags=cells.tags(),
        created_at=cells.optional_datetime("created_at", []),
        extra=extra_columns(row),
    )


def build_association(row, options: MappingOptions) -> Association:
    cells = _Cells(row, options)
    contact_id = cells.identifier("contact_id")
    company_id = cells.identifier("company_id")
    return Association(
        source_id=cells.reference("id") or f"{contact_id}@{company_id}",
        origin=cells.origin,
        contact_id=contact_id,
        company_id=company_id,
        is_primary=cells.boolean("is_primary"),
        role=cells.text("role"),
    )


def build_pipeline(row, options: MappingOptions) -> Pipeline:
    cells = _Cells(row, options)
    return Pipeline(source_id=cells.identifier(), origin=cells.origin, name=cells.required("name"))


def build_stage(row, options: MappingOptions) -> Stage:
    cells = _Cells(row, options)
    return Stage(
        source_id=cells.identifier(),
        origin=cells.origin,
        pipeline_id=cells.identifier("pipeline_id"),
        name=cells.required("name"),
        sequence=cells.integer("position") or 0,
        probability=cells.percent("probability"),
        is_won=cells.boolean("is_won"),
        is_lost=cells.boolean("is_lost"),
        is_folded=cells.boolean("is_folded"),
    )


_DEAL_STATUSES = {
    "open": "open", "active": "open", "in progress": "open", "pending": "open",
    "won": "won", "closed won": "won", "closed-won": "won", "closed_won": "won",
    "lost": "lost", "closed lost": "lost", "closed-lost": "lost", "closed_lost": "lost", "abandoned": "lost",
}


def build_deal(row, options: MappingOptions) -> Deal:
    cells = _Cells(row, options)
    problems: list[str] = []
    raw_status = (cells.text("status") or "open").lower()
    chosen = options.deal_statuses or {}
    status = chosen[raw_status] if raw_status in chosen else _DEAL_STATUSES.get(raw_status)
    if status is None and raw_status in chosen:
        raise RowError(cells.origin, "status", raw_status, "the mapping file maps this deal status to no value; "
                       "map it to open, won or lost and approve the mapping again")
    if status is None:
        raise RowError(cells.origin, "status", raw_status, "the deal status must be open, won or lost; map it in "
                       "the mapping file's values of the status column")
    return Deal(
        source_id=cells.identifier(),
        origin=cells.origin,
        name=cells.required("name"),
        pipeline_id=cells.reference("pipeline_id"),
        stage_id=cells.reference("stage_id"),
        status=status,
        amount=cells.amount("amount", "currency"),
        close_date=cells.date("close_date"),
        probability=cells.percent("probability"),
        company_id=cells.reference("company_id"),
        contact_id=cells.reference("contact_id"),
        owner=cells.text("owner"),
        description=cells.text("description"),
        lost_reason=cells.text("lost_reason"),
        tags=cells.tags(),
        created_at=cells.optional_datetime("created_at", []),
        closed_at=cells.optional_datetime("closed_at", problems),
        extra=extra_columns(row),
        problems=tuple(problems),
    )


_ACTIVITY_KINDS = {
    "call": "call", "phone": "call", "phone call": "call", "email": "email", "e-mail": "email", "mail": "email",
    "meeting": "meeting", "appointment": "meeting", "task": "task", "to-do": "task", "todo": "task",
    "follow-up": "task", "deadline": "task",
}
_OPEN = {"open", "planned", "pending", "not started", "in progress", "scheduled", "overdue"}
_DONE = {"done", "completed", "complete", "closed", "held", "finished"}


def build_activity(row, options: MappingOptions) -> Activity:
    cells = _Cells(row, options)
    raw_kind = (cells.text("type") or "task").lower()
    kind = (options.activity_types or {}).get(raw_kind) or _ACTIVITY_KINDS.get(raw_kind)
    if kind is None:
        raise RowError(cells.origin, "type", raw_kind, "the activity type must be call, email, meeting or task; map "
                       "it in the mapping file's values of the type column")
    completed_at = cells.datetime("completed_at")
    raw_status = (cells.text("status") or "").lower()
    if raw_status and raw_status not in _OPEN | _DONE:
        raise RowError(cells.origin, "status", raw_status, "the activity status must be open or done")
    done = raw_status in _DONE or (not raw_status and completed_at is not None)
    return Activity(
        source_id=cells.identifier(),
        origin=cells.origin,
        kind=kind,
        subject=cells.text("subject"),
        notes=to_html(row.values.get("notes")),
        done=done,
        due_at=cells.datetime("due_at"),
        due_date=cells.date("due_at"),
        completed_at=completed_at,
        created_at=cells.datetime("created_at"),
        deal_id=cells.reference("deal_id"),
        contact_id=cells.reference("contact_id"),
        company_id=cells.reference("company_id"),
        owner=cells.text("owner"),
        duration_minutes=cells.integer("duration_minutes"),
    )


def build_note(row, options: MappingOptions) -> Note:
    cells = _Cells(row, options)
    body = to_html(row.values.get("body"))
    if not body:
        raise RowError(cells.origin, "body", None, "the note is empty; a note needs a body")
    return Note(
        source_id=cells.identifier(),
        origin=cells.origin,
        body=body,
        deal_id=cells.reference("deal_id"),
        contact_id=cells.reference("contact_id"),
        company_id=cells.reference("company_id"),
        author=cells.text("author"),
        created_at=cells.datetime("created_at"),
    )


def build_attachment(row, options: MappingOptions) -> Attachment:
    cells = _Cells(row, options)
    return Attachment(
        source_id=cells.identifier(),
        origin=cells.origin,
        file_name=cells.required("file_name"),
        path=cells.required("path"),
        deal_id=cells.reference("deal_id"),
        contact_id=cells.reference("contact_id"),
        company_id=cells.reference("company_id"),
        note_id=cells.reference("note_id"),
        content_type=cells.text("content_type"),
        uploaded_by=cells.text("uploaded_by"),
        created_at=cells.datetime("created_at"),
    )


BUILDERS = {
    "users": build_user,
    "tags": build_tag,
    "companies": build_company,
    "contacts": build_contact,
    "associations": build_association,
    "pipelines": build_pipeline,
    "stages": build_stage,
    "deals": build_deal,
    "activities": build_activity,
    "notes": build_note,
    "attachments": build_attachment,
}
