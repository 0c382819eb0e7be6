"""A deterministic generator of Allegory exports of any size, for load tests and demos.

`write_export` streams each kind's rows straight to its file, so memory stays constant
however many records are asked for. Every reference points at a row that exists. Deals
point at stages of their own pipeline and at existing companies and contacts. Contacts
and associations point at existing companies. Each activity, note and attachment points
at one deal, contact or company, or an attachment at a note. Stage history points at
deals and their pipeline's stages, and every owner, author and uploader is a user. Stage
history depends on the deals' random draws, so it replays the deals' generator instead
of keeping their rows.

The same seed and record count give byte-identical files. Every random choice comes from
`_SplitMix`, a small generator defined here, so the output does not depend on how a
Python version implements the `random` module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import hashlib
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from allegory2odoo.export.kinds import KINDS

# Share of the records left after the fixed kinds (users, pipelines, stages, tags, custom
# fields) and one row of each kind. Contacts take what is left: 0.12.
_SHARES = {
    "companies": 0.06, "associations": 0.07, "deals": 0.07, "activities": 0.34, "notes": 0.16,
    "stage_history": 0.16, "attachments": 0.02,
}
_TAG_COUNT = 30
# (id, object, key, label, type, options, formula, result type, required). The order mixes
# objects, so that the first few fields of a small export cover all three.
_CUSTOM_FIELDS = (
    ("CF01", "company", "Client Tier", "Client tier", "Pick-list", "Platinum;Gold;Silver;Bronze", None, None, "true"),
    ("CF02", "contact", "Preferred Language", "Preferred language", "Picklist",
     "English;Deutsch;Español;Français;Dansk", None, None, "false"),
    ("CF03", "deal", "Fee Cap", "Fee cap", "Number", None, None, None, "false"),
    ("CF04", "company", "Client Since", "Client since", "Date", None, None, None, "false"),
    ("CF05", "contact", "Practice Interests", "Practice interests", "Multi-select pick-list",
     "M&A;Employment;Litigation;Real Estate;Regulatory", None, None, "false"),
    ("CF06", "deal", "Billing Arrangement", "Billing arrangement", "Pick-list", "Hourly;Fixed Fee;Capped Fee",
     None, None, "false"),
    ("CF07", "company", "AML Check Done", "AML check done", "Check box", None, None, None, "false"),
    ("CF08", "contact", "Last Event Attended", "Last event attended", "Date/Time", None, None, None, "false"),
    ("CF09", "deal", "Hours Budgeted", "Hours budgeted", "Integer", None, None, None, "false"),
    ("CF10", "company", "Annual Revenue", "Annual revenue", "Decimal", None, None, None, "false"),
    ("CF11", "contact", "Assistant Name", "Assistant", "Text", None, None, None, "false"),
    ("CF12", "deal", "Fee Per Hour", "Fee per budgeted hour", "Formula", None, "[Fee Cap] / [Hours Budgeted]",
     "Decimal", "false"),
    ("CF13", "deal", "Matter Summary", "Matter summary", "Rich text", None, None, None, "false"),
    ("CF14", "contact", "Newsletter Opt-in", "Newsletter opt-in", "Checkbox", None, None, None, "false"),
)
_ACTIVITY_TYPES = ("call", "email", "meeting", "task")
_ACTIVITY_SUBJECTS = {
    "call": ("Status call", "Call with the client", "Call with opposing counsel"),
    "email": ("Sent the draft for comments", "Sent the fee estimate", "Sent a case update"),
    "meeting": ("Client meeting", "Negotiation meeting", "Strategy meeting"),
    "task": ("Review the draft", "File the documents", "Prepare the board minutes", "Update the client"),
}
_NOTE_TEXTS = (
    "Client asked for a fee estimate.",
    "Draft sent for review.\nWaiting for comments.",
    "Conflict check completed, no conflicts found.",
    "<p>Call notes: <b>timetable agreed</b>.</p><ul><li>First draft</li><li>Board approval</li></ul>",
    "Zoë Müller asked for a call back about the draft.",
)
# (file name, content type); the bytes are made up and start like the real format.
_ATTACHMENT_FILES = (
    ("engagement letter.pdf", "application/pdf"),
    ("fee estimate.pdf", "application/pdf"),
    ("draft agreement.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("board minutes.pdf", "application/pdf"),
    ("Vertragsentwurf Müller – final.pdf", None),
    ("whiteboard.png", "image/png"),
)
_FILE_MAGIC = {".pdf": b"%PDF-1.4\n", ".docx": b"PK\x03\x04", ".png": b"\x89PNG\r\n\x1a\n"}
_PIPELINES = (
    ("P01", "Corporate & M&A"),
    ("P02", "Litigation"),
    ("P03", "Employment"),
    ("P04", "Real Estate"),
)
# (name, probability, is_won, is_lost, is_folded); every pipeline gets these stages.
_STAGES = (
    ("Enquiry", 10, False, False, False),
    ("Conflict Check", 20, False, False, False),
    ("Engagement Letter Sent", 50, False, False, False),
    ("Instructed", 80, False, False, False),
    ("Won", 100, True, False, True),
    ("Lost", 0, False, True, True),
)
_FIRST_NAMES = (
    "Anna", "Ben", "Chloé", "David", "Elif", "Farah", "Georg", "Hannah", "Ines", "James", "Katarzyna",
    "Lars", "Maria", "Nikolai", "Olivia", "Pedro", "Quentin", "Rosa", "Søren", "Tomás", "Ursula",
    "Viktor", "Wei", "Xavier", "Yusuf", "Zoë", "Amelia", "Bjørn", "Carmen", "Dmitri",
)
_LAST_NAMES = (
    "Müller", "Smith", "Okafor", "García", "Nguyen", "Jensen", "O'Brien", "Rossi", "Kowalski", "Schmidt",
    "Dubois", "Andersson", "Fernández", "Novák", "Brown", "Tanaka", "Haddad", "Walsh", "Lindqvist",
    "Costa", "Meyer", "Evans", "Ionescu", "Patel", "Yilmaz",
)
_COMPANY_WORDS = (
    "Harbour", "Northgate", "Albion", "Meridian", "Crescent", "Vireo", "Kestrel", "Ironbridge", "Lumen",
    "Granite", "Bluewater", "Fenwick", "Solstice", "Thistle", "Oakridge", "Marlow", "Zephyr", "Halcyon",
)
_COMPANY_TRADES = (
    "Logistics", "Holdings", "Capital", "Pharma", "Foods", "Energy", "Software", "Shipping",
    "Properties", "Textiles", "Media", "Engineering", "Retail", "Biotech",
)
_COMPANY_SUFFIXES = ("Ltd", "GmbH", "S.A.", "Inc.", "LLP", "AG", "B.V.", "S.L.", "A/S", "plc")
_INDUSTRIES = ("Logistics", "Financial Services", "Life Sciences", "Energy", "Technology", "Real Estate", "Retail", "Manufacturing")
# (city, state, zip pattern, country): digits in the pattern are replaced at random.
_PLACES = (
    ("London", None, "EC2A 4NE", "GB"),
    ("München", "BY", "80331", "DE"),
    ("Hamburg", "HH", "20095", "DE"),
    ("San Francisco", "CA", "94105", "US"),
    ("New York", "NY", "10004", "US"),
    ("São Paulo", "SP", "01310-100", "BR"),
    ("København", None, "1050", "DK"),
    ("Barcelona", "CT", "08001", "ES"),
    ("Paris", None, "75008", "FR"),
    ("Dublin", None, "D02 X285", "IE"),
)
_STREETS = ("High Street", "Bahnhofstraße", "Market Street", "Avenida Paulista", "Strøget", "Rue de Rivoli", "Main Street")
_MATTER_TEMPLATES = (
    "Acquisition of {company}",
    "Disposal of {company} subsidiary",
    "Employment dispute – {person}",
    "Commercial lease – {company}",
    "Shareholder agreement – {company}",
    "Debt refinancing – {company}",
    "Contract claim v {company}",
    "Regulatory review – {company}",
)
_LOST_REASONS = ("Fee quote too high", "Conflict of interest", "Client chose another firm", "Matter withdrawn")
_CURRENCIES = ("EUR", "USD", "GBP")
_TAG_NAMES = (
    "VIP", "Key Client", "Conflict Cleared", "Pro Bono", "Cross-border", "Referral", "Urgent",
    "Board Level", "Panel Firm", "Fixed Fee", "Retainer", "Tender", "Regulated", "Litigation Hold",
    "Newsletter", "Alumni", "Event Guest", "Prospect", "Dormant", "High Risk",
)
_TAG_COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "#1F77B4", "#D62728", "#2CA02C", "#9467BD")
_TAG_SCOPES = ("all", "deal", "contact", "company")
_EPOCH = dt.datetime(2019, 1, 1, 8, 0, 0)
_SPAN_SECONDS = 6 * 365 * 24 * 3600
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class ExportCounts:
    """How many rows `write_export` writes of each kind."""

    users: int
    pipelines: int
    stages: int
    tags: int
    companies: int
    contacts: int
    associations: int
    deals: int
    custom_fields: int
    stage_history: int
    activities: int
    notes: int
    attachments: int

    @property
    def total(self) -> int:
        return sum(vars(self).values())


def plan_counts(records: int) -> ExportCounts:
    """Split `records` over the kinds in the proportions of a mid-sized firm's export."""
    if records < 20:
        raise ValueError(f"records must be at least 20 to give every kind a row, not {records}")
    users = max(3, records // 1250)
    pipelines = min(len(_PIPELINES), max(1, records // 200))
    stages = pipelines * len(_STAGES)
    tags = min(_TAG_COUNT, len(_TAG_NAMES), max(1, records // 100))
    custom_fields = min(len(_CUSTOM_FIELDS), max(1, records // 1000))
    rest = records - users - pipelines - stages - tags - custom_fields
    # Every kind gets one row first; the shares split what is left, and contacts take the rest.
    spare = rest - len(_SHARES) - 1
    shared = {kind: 1 + int(spare * share) for kind, share in _SHARES.items()}
    contacts = rest - sum(shared.values())
    return ExportCounts(
        users=users, pipelines=pipelines, stages=stages, tags=tags, companies=shared["companies"],
        contacts=contacts, associations=shared["associations"], deals=shared["deals"],
        custom_fields=custom_fields, stage_history=shared["stage_history"], activities=shared["activities"],
        notes=shared["notes"], attachments=shared["attachments"],
    )


def write_export(
    path: str | Path,
    records: int = 250_000,
    seed: int = 1,
    *,
    as_zip: bool | None = None,
) -> ExportCounts:
    """Write a generated export of about `records` records to `path` and return the row counts.

    `path` is a folder to create (or fill) with one CSV file per kind and the attachments'
    files under `files/`, or a .zip file when it ends in `.zip` or `as_zip` is true. The
    counts add up to `records` exactly, and attachment files are not counted as records.
    """
    target = Path(path)
    zipped = as_zip if as_zip is not None else target.suffix.lower() == ".zip"
    counts = plan_counts(records)
    generator = _Generator(counts, seed)
    writers = {
        "users": generator.users,
        "pipelines": generator.pipelines,
        "stages": generator.stages,
        "tags": generator.tags,
        "custom_fields": generator.custom_fields,
        "companies": generator.companies,
        "contacts": generator.contacts,
        "associations": generator.associations,
        "deals": generator.deals,
        "stage_history": generator.stage_history,
        "activities": generator.activities,
        "notes": generator.notes,
        "attachments": generator.attachments,
    }
    with _open_sink(target, zipped) as sink:
        for kind, rows in writers.items():
            with sink.open_text(f"{kind}.csv") as stream:
                writer = csv.writer(stream, lineterminator="\r\n")
                writer.writerow(KINDS[kind].columns + generator.value_columns(kind))
                writer.writerows(rows())
        # A zip member must be closed before the next one opens, so the files of the
        # attachments are written after attachments.csv, from a replay of its rows.
        for member_path, content in generator.attachment_files():
            sink.write_bytes(member_path, content)
    return counts


class _FolderSink:
    def __init__(self, target: Path) -> None:
        self._target = target
        target.mkdir(parents=True, exist_ok=True)

    def open_text(self, name: str) -> IO[str]:
        return open(self._target / name, "w", encoding="utf-8", newline="")

    def write_bytes(self, name: str, content: bytes) -> None:
        file = self._target / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)


class _ZipSink:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        with self._archive.open(self._info(name), "w", force_zip64=True) as raw:
            with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                yield text

    def write_bytes(self, name: str, content: bytes) -> None:
        self._archive.writestr(self._info(name), content)

    @staticmethod
    def _info(name: str) -> zipfile.ZipInfo:
        # A fixed timestamp keeps the archive byte-identical between runs.
        info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info


@contextmanager
def _open_sink(target: Path, zipped: bool) -> Iterator[_FolderSink | _ZipSink]:
    if not zipped:
        yield _FolderSink(target)
        return

    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        yield _ZipSink(archive)


def _mix(value: int) -> int:
    """Return a 64-bit hash of `value` (the SplitMix64 finaliser)."""
    value = (value + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 31)


class _SplitMix:
    """A SplitMix64 pseudo-random generator with the one method the generator uses."""

    def __init__(self, seed_text: str) -> None:
        self._state = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big")

    def random(self) -> float:
        """Return the next float in [0, 1), from the top 53 bits of the next 64-bit output."""
        self._state = (self._state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        return (_mix(self._state) >> 11) * (1.0 / (1 << 53))


class _Generator:
    """The rows of each kind as iterators. References are pure functions of the indexes."""

    def __init__(self, counts: ExportCounts, seed: int) -> None:
        self.counts = counts
        self.seed = seed

    def _random(self, kind: str) -> _SplitMix:
        return _SplitMix(f"allegory2odoo-sample:{self.seed}:{kind}")

    def _pick_index(self, salt: int, index: int, size: int) -> int:
        return _mix(_mix(self.seed * 1_000_003 + salt) ^ index) % size

    # Identities, shared by every kind that refers to a row.
    def user_id(self, index: int) -> str:
        return f"U{index + 1:05d}"

    def user_email(self, index: int) -> str:
        first = _ascii(_FIRST_NAMES[index % len(_FIRST_NAMES)])
        last = _ascii(_LAST_NAMES[(index // len(_FIRST_NAMES)) % len(_LAST_NAMES)])
        return f"{first}.{last}{index + 1}@lawfirm.example".lower()

    def company_id(self, index: int) -> str:
        return f"CO{index + 1:07d}"

    def contact_id(self, index: int) -> str:
        return f"CT{index + 1:07d}"

    def primary_company(self, contact_index: int) -> int | None:
        """Return the index of a contact's primary company; about one contact in ten has none.

        The first contact always has one, so that the smallest export has an association.
        """
        if contact_index and self._pick_index(11, contact_index, 10) == 0:
            return None
        return self._pick_index(12, contact_index, self.counts.companies)

    def owner(self, rng: _SplitMix) -> str:
        index = int(rng.random() * self.counts.users)
        return self.user_email(index) if rng.random() < 0.3 else self.user_id(index)

    def tag_list(self, rng: _SplitMix) -> str | None:
        if rng.random() < 0.6:
            return None
        names = {_TAG_NAMES[int(rng.random() * self.counts.tags)] for _ in range(1 + int(rng.random() * 3))}
        return ";".join(sorted(names))

    # Rows of each kind.
    def users(self) -> Iterator[list]:
        rng = self._random("users")
        for index in range(self.counts.users):
            first = _FIRST_NAMES[index % len(_FIRST_NAMES)]
            last = _LAST_NAMES[(index // len(_FIRST_NAMES)) % len(_LAST_NAMES)]
            active = "false" if rng.random() < 0.1 else "true"
            yield [self.user_id(index), self.user_email(index), first, last, f"{first} {last}", active]

    def pipelines(self) -> Iterator[list]:
        for pipeline_id, name in _PIPELINES[: self.counts.pipelines]:
            yield [pipeline_id, name]

    def stages(self) -> Iterator[list]:
        for pipeline_index in range(self.counts.pipelines):
            pipeline_id = _PIPELINES[pipeline_index][0]
            for position, (name, probability, won, lost, folded) in enumerate(_STAGES, start=1):
                yield [
                    _stage_id(pipeline_index, position - 1), pipeline_id, name, position, probability,
                    _flag(won), _flag(lost), _flag(folded),
                ]

    def tags(self) -> Iterator[list]:
        for index in range(self.counts.tags):
            yield [
                f"T{index + 1:03d}", _TAG_NAMES[index], _TAG_COLOURS[index % len(_TAG_COLOURS)],
                _TAG_SCOPES[index % len(_TAG_SCOPES)],
            ]

    def _company_rows(self) -> Iterator[list]:
        rng = self._random("companies")
        for index in range(self.counts.companies):
            name = f"{_company_base_name(index)} {_COMPANY_SUFFIXES[int(rng.random() * len(_COMPANY_SUFFIXES))]}"
            if index >= len(_COMPANY_WORDS) * len(_COMPANY_TRADES):
                name = f"{name} ({index + 1})"
            # A parent always has a lower index, so parent chains never loop.
            parent = self.company_id(int(rng.random() * index)) if index and rng.random() < 0.05 else None
            city, state, zip_code, country = _PLACES[int(rng.random() * len(_PLACES))]
            slug = _ascii(name.split(" (")[0]).lower().replace(" ", "").replace(".", "").replace("/", "")
            created = _timestamp(rng)
            yield [
                self.company_id(index), name, parent, f"https://www.{slug}.example",
                _phone(rng), f"info@{slug}.example", _INDUSTRIES[int(rng.random() * len(_INDUSTRIES))],
                f"{1 + int(rng.random() * 200)} {_STREETS[int(rng.random() * len(_STREETS))]}", None,
                city, state, _zip(rng, zip_code), country, _vat(rng, country), self.owner(rng),
                self.tag_list(rng), _format_timestamp(created), _format_timestamp(_later(rng, created)),
            ]

    def _contact_rows(self) -> Iterator[list]:
        rng = self._random("contacts")
        for index in range(self.counts.contacts):
            first = _FIRST_NAMES[int(rng.random() * len(_FIRST_NAMES))]
            last = _LAST_NAMES[int(rng.random() * len(_LAST_NAMES))]
            company = self.primary_company(index)
            city, state, zip_code, country = _PLACES[int(rng.random() * len(_PLACES))]
            created = _timestamp(rng)
            yield [
                self.contact_id(index), first, last, f"{first} {last}",
                f"{_ascii(first)}.{_ascii(last)}.{index + 1}@client.example".lower().replace("'", ""),
                _phone(rng), _phone(rng) if rng.random() < 0.5 else None,
                ("General Counsel", "CFO", "CEO", "Head of HR", "Director", "Company Secretary")[int(rng.random() * 6)],
                None if company is None else self.company_id(company),
                f"{1 + int(rng.random() * 200)} {_STREETS[int(rng.random() * len(_STREETS))]}", None,
                city, state, _zip(rng, zip_code), country, self.owner(rng), self.tag_list(rng),
                _format_timestamp(created), _format_timestamp(_later(rng, created)),
            ]

    def associations(self) -> Iterator[list]:
        """Yield each contact's primary link, and a second link for about one contact in four."""
        rng = self._random("associations")
        written = 0
        contact = 0
        while written < self.counts.associations:
            if contact >= self.counts.contacts:
                return
            primary = self.primary_company(contact)
            if primary is not None:
                yield [self.contact_id(contact), self.company_id(primary), "true", "Primary contact"]
                written += 1
                if written < self.counts.associations and self.counts.companies > 1 and rng.random() < 0.25:
                    other = (primary + 1 + int(rng.random() * (self.counts.companies - 1))) % self.counts.companies
                    yield [self.contact_id(contact), self.company_id(other), "false",
                           ("Board member", "Adviser", "Former employee")[int(rng.random() * 3)]]
                    written += 1
            contact += 1

    def _deal_rows(self) -> Iterator[list]:
        rng = self._random("deals")
        for index in range(self.counts.deals):
            pipeline_index = int(rng.random() * self.counts.pipelines)
            stage_index = int(rng.random() * len(_STAGES))
            stage_name, probability, won, lost, _folded = _STAGES[stage_index]
            contact = int(rng.random() * self.counts.contacts)
            company = self.primary_company(contact)
            if company is None:
                company = int(rng.random() * self.counts.companies)
            template = _MATTER_TEMPLATES[int(rng.random() * len(_MATTER_TEMPLATES))]
            name = template.format(
                company=_company_base_name(company),
                person=_LAST_NAMES[contact % len(_LAST_NAMES)],
            )
            status = "open"
            if won:
                status = "won"
            elif lost:
                status = "lost"
            created = _timestamp(rng)
            close_date = (created + dt.timedelta(days=30 + int(rng.random() * 300))).date()
            closed_at = _format_timestamp(_later(rng, created)) if status != "open" else None
            yield [
                self.deal_id(index), name, _PIPELINES[pipeline_index][0], _stage_id(pipeline_index, stage_index),
                status, f"{int(rng.random() * 2_000_000) / 4:.2f}", _CURRENCIES[int(rng.random() * len(_CURRENCIES))],
                close_date.isoformat(), probability, self.company_id(company), self.contact_id(contact),
                self.owner(rng), f"{stage_name} matter for client {self.company_id(company)}.",
                _LOST_REASONS[int(rng.random() * len(_LOST_REASONS))] if lost else None,
                self.tag_list(rng), _format_timestamp(created), _format_timestamp(_later(rng, created)), closed_at,
            ]


    # Custom fields: definitions, and their values as the last columns of their object's file.
    def custom_fields(self) -> Iterator[list]:
        for definition in _CUSTOM_FIELDS[: self.counts.custom_fields]:
            yield list(definition)

    def value_columns(self, kind: str) -> tuple[str, ...]:
        """Return the headers of the custom field value columns that end `kind`'s rows."""
        object_name = {"companies": "company", "contacts": "contact", "deals": "deal"}.get(kind)
        return tuple(field[2] for field in self._fields_of(object_name))

    def _fields_of(self, object_name: str | None) -> list[tuple]:
        return [field for field in _CUSTOM_FIELDS[: self.counts.custom_fields] if field[1] == object_name]

    def _with_values(self, object_name: str, rows: Iterator[list]) -> Iterator[list]:
        fields = self._fields_of(object_name)
        if not fields:
            yield from rows
            return
        rng = self._random(f"{object_name}:custom")
        for row in rows:
            values: dict[str, object] = {}
            for _id, _object, key, _label, field_type, options, _formula, _result, _required in fields:
                values[key] = _custom_value(rng, field_type, options, values)
            yield row + list(values.values())

    def companies(self) -> Iterator[list]:
        return self._with_values("company", self._company_rows())

    def contacts(self) -> Iterator[list]:
        return self._with_values("contact", self._contact_rows())

    def deals(self) -> Iterator[list]:
        return self._with_values("deal", self._deal_rows())

    # History: stage changes, activities, notes and attachments.
    def stage_history(self) -> Iterator[list]:
        """Yield each deal's way to its stage now, replaying the deals' random draws.

        Deal i gets `stage_history // deals` rows, one more for the first remainder deals.
        A history longer than the way through the open stages starts with the deal moving
        back and forth between the first two stages. A shorter one starts later on the way.
        """
        per_deal, extra = divmod(self.counts.stage_history, self.counts.deals)
        for index, deal in enumerate(self._deal_rows()):
            length = per_deal + (1 if index < extra else 0)
            if length == 0:
                continue
            pipeline_id, stage_id = deal[2], deal[3]
            pipeline_index = int(pipeline_id[1:]) - 1
            stage_index = int(stage_id[-2:]) - 1
            path = [stage_index]
            while len(path) < length:
                path.append(_previous_stage(path[-1], index))
            path.reverse()
            start = dt.datetime.strptime(deal[15], _TIMESTAMP_FORMAT)
            end = dt.datetime.strptime(deal[17], _TIMESTAMP_FORMAT) if deal[17] else start + dt.timedelta(days=30 * length)
            step = (end - start) / length
            for position, stage in enumerate(path):
                entered = start + step * position
                left = None if position == length - 1 else _format_timestamp(start + step * (position + 1))
                yield [deal[0], _stage_id(pipeline_index, stage), _format_timestamp(entered), left]

    def deal_id(self, index: int) -> str:
        return f"M{index + 1:07d}"

    def note_id(self, index: int) -> str:
        return f"N{index + 1:07d}"

    def record_of(self, salt: int, index: int) -> list[str | None]:
        """Return [deal_id, contact_id, company_id] with one set: deals 6 in 10, contacts 3, companies 1."""
        share = self._pick_index(salt, index, 10)
        if share < 6:
            return [self.deal_id(self._pick_index(salt + 1, index, self.counts.deals)), None, None]
        if share < 9:
            return [None, self.contact_id(self._pick_index(salt + 1, index, self.counts.contacts)), None]
        return [None, None, self.company_id(self._pick_index(salt + 1, index, self.counts.companies))]

    def activities(self) -> Iterator[list]:
        rng = self._random("activities")
        for index in range(self.counts.activities):
            kind = _ACTIVITY_TYPES[int(rng.random() * len(_ACTIVITY_TYPES))]
            subjects = _ACTIVITY_SUBJECTS[kind]
            created = _timestamp(rng)
            due = created + dt.timedelta(days=int(rng.random() * 60), hours=int(rng.random() * 9))
            done = rng.random() < 0.7
            completed = _format_timestamp(due + dt.timedelta(minutes=15 + int(rng.random() * 240))) if done else None
            notes = _NOTE_TEXTS[int(rng.random() * len(_NOTE_TEXTS))] if done and rng.random() < 0.5 else None
            duration = (15, 30, 45, 60, 90)[int(rng.random() * 5)] if kind in ("call", "meeting") else None
            yield [
                f"A{index + 1:07d}", kind, subjects[int(rng.random() * len(subjects))], notes,
                "done" if done else "open", due.date().isoformat() if kind == "task" else _format_timestamp(due),
                completed, _format_timestamp(created), *self.record_of(50, index), self.owner(rng), duration,
            ]

    def notes(self) -> Iterator[list]:
        rng = self._random("notes")
        for index in range(self.counts.notes):
            yield [
                self.note_id(index), _NOTE_TEXTS[int(rng.random() * len(_NOTE_TEXTS))], *self.record_of(60, index),
                self.owner(rng), _format_timestamp(_timestamp(rng)),
            ]

    def attachments(self) -> Iterator[list]:
        """Yield the attachment rows; every fifth file belongs to a note, the others to a record."""
        rng = self._random("attachments")
        for index in range(self.counts.attachments):
            attachment_id = f"F{index + 1:07d}"
            file_name, content_type = _ATTACHMENT_FILES[int(rng.random() * len(_ATTACHMENT_FILES))]
            note = None
            record: list[str | None] = [None, None, None]
            if index % 5 == 4:
                note = self.note_id(self._pick_index(70, index, self.counts.notes))
            else:
                record = self.record_of(72, index)
            yield [
                attachment_id, file_name, f"files/{attachment_id}/{file_name}", *record, note, content_type,
                self.owner(rng), _format_timestamp(_timestamp(rng)),
            ]

    def attachment_files(self) -> Iterator[tuple[str, bytes]]:
        """Yield (path inside the export, bytes) of each attachment, 200 B to 4 KB of made-up content."""
        for row in self.attachments():
            attachment_id, file_name, member_path = row[0], row[1], row[2]
            magic = _FILE_MAGIC.get(Path(file_name).suffix.lower(), b"")
            size = 200 + _mix(self.seed * 7919 + int(attachment_id[1:])) % 3800
            line = f"{attachment_id} {file_name} generated by allegory2odoo.sample\n".encode("utf-8")
            body = magic + line * (size // len(line) + 1)
            yield member_path, body[:size]


def _company_base_name(index: int) -> str:
    word = _COMPANY_WORDS[index % len(_COMPANY_WORDS)]
    trade = _COMPANY_TRADES[(index // len(_COMPANY_WORDS)) % len(_COMPANY_TRADES)]
    return f"{word} {trade}"


def _stage_id(pipeline_index: int, stage_index: int) -> str:
    return f"S{pipeline_index + 1:02d}{stage_index + 1:02d}"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _ascii(text: str) -> str:
    table = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "'": ""})
    decomposed = unicodedata.normalize("NFKD", text.translate(table))
    return "".join(char for char in decomposed if char.isascii())


def _timestamp(rng: _SplitMix) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=int(rng.random() * _SPAN_SECONDS))


def _later(rng: _SplitMix, moment: dt.datetime) -> dt.datetime:
    return moment + dt.timedelta(seconds=int(rng.random() * 400 * 24 * 3600))


def _format_timestamp(moment: dt.datetime) -> str:
    return moment.strftime(_TIMESTAMP_FORMAT)


def _phone(rng: _SplitMix) -> str:
    return f"+{int(rng.random() * 90) + 10} {int(rng.random() * 900) + 100} {int(rng.random() * 9_000_000) + 1_000_000}"


def _zip(rng: _SplitMix, pattern: str) -> str:
    return "".join(str(int(rng.random() * 10)) if char.isdigit() else char for char in pattern)


def _vat(rng: _SplitMix, country: str) -> str | None:
    if country not in ("DE", "FR", "ES", "IE", "DK") or rng.random() < 0.3:
        return None
    return f"{country}{int(rng.random() * 900_000_000) + 100_000_000}"


def _previous_stage(stage_index: int, deal_index: int) -> int:
    """Return the stage a deal came from: the open stage before, or for stage 0, stage 1."""
    won_index, lost_index = len(_STAGES) - 2, len(_STAGES) - 1
    if stage_index == won_index:
        return won_index - 1
    if stage_index == lost_index:
        return deal_index % won_index
    return stage_index - 1 if stage_index else 1


def _custom_value(rng: _SplitMix, field_type: str, options: str | None, values: dict[str, object]) -> object:
    """Return a custom field value as Allegory writes it, or None (about one value in five)."""
    if field_type == "Formula":
        cap, hours = values.get("Fee Cap"), values.get("Hours Budgeted")
        return f"{int(cap) / int(hours):.2f}" if cap and hours else None
    if rng.random() < 0.2:
        return None
    choices = (options or "").split(";")
    if field_type in ("Pick-list", "Picklist"):
        return choices[int(rng.random() * len(choices))]
    if field_type == "Multi-select pick-list":
        picked = [choice for choice in choices if rng.random() < 0.3]
        return ";".join(picked) or choices[0]
    if field_type == "Date":
        return (_EPOCH + dt.timedelta(days=int(rng.random() * 2000))).date().isoformat()
    if field_type == "Date/Time":
        return _format_timestamp(_timestamp(rng))
    if field_type in ("Check box", "Checkbox"):
        return ("Yes", "No", "true", "false")[int(rng.random() * 4)]
    if field_type == "Number":
        return str(10_000 * (1 + int(rng.random() * 100)))
    if field_type == "Integer":
        return str(10 * (1 + int(rng.random() * 100)))
    if field_type == "Decimal":
        return f"{rng.random() * 50_000_000:.2f}"
    if field_type == "Rich text":
        return "<p>Matter for a <b>key client</b>.</p>"
    return _FIRST_NAMES[int(rng.random() * len(_FIRST_NAMES))]
