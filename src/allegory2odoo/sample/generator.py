"""A deterministic generator of Allegory exports of any size, for load tests and demos.

`write_export` streams each kind's rows straight to its file, so memory stays constant
however many records are asked for. Every reference points at a row that exists: deals
at stages of their own pipeline and at existing companies and contacts, contacts and
associations at existing companies, and every owner at a user.

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

# Share of the records left after the fixed kinds (users, pipelines, stages, tags).
_SHARES = {"companies": 0.20, "contacts": 0.38, "associations": 0.22, "deals": 0.20}
_TAG_COUNT = 30
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
    tags = min(_TAG_COUNT, len(_TAG_NAMES), max(2, records // 100))
    rest = records - users - pipelines - stages - tags
    companies = max(2, int(rest * _SHARES["companies"]))
    associations = int(rest * _SHARES["associations"])
    deals = max(1, int(rest * _SHARES["deals"]))
    contacts = max(1, rest - companies - associations - deals)
    return ExportCounts(users, pipelines, stages, tags, companies, contacts, associations, deals)


def write_export(
    path: str | Path,
    records: int = 250_000,
    seed: int = 1,
    *,
    as_zip: bool | None = None,
) -> ExportCounts:
    """Write a generated export of about `records` records to `path` and return the row counts.

    `path` is a folder to create (or fill) with one CSV file per kind, or a .zip file when it
    ends in `.zip` or `as_zip` is true. The counts add up to `records` exactly.
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
        "companies": generator.companies,
        "contacts": generator.contacts,
        "associations": generator.associations,
        "deals": generator.deals,
    }
    with _open_sink(target, zipped) as open_member:
        for kind, rows in writers.items():
            with open_member(f"{kind}.csv") as stream:
                writer = csv.writer(stream, lineterminator="\r\n")
                writer.writerow(KINDS[kind].columns)
                writer.writerows(rows())
    return counts


@contextmanager
def _open_sink(target: Path, zipped: bool) -> Iterator:
    if not zipped:
        target.mkdir(parents=True, exist_ok=True)

        def open_file(name: str) -> IO[str]:
            return open(target / name, "w", encoding="utf-8", newline="")

        yield open_file
        return

    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        @contextmanager
        def open_member(name: str) -> Iterator[IO[str]]:
            # A fixed timestamp keeps the archive byte-identical between runs.
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as raw:
                with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                    yield text

        yield open_member


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
        """Return the index of a contact's primary company; about one contact in ten has none."""
        if self._pick_index(11, contact_index, 10) == 0:
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

    def companies(self) -> Iterator[list]:
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

    def contacts(self) -> Iterator[list]:
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

    def deals(self) -> Iterator[list]:
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
                f"M{index + 1:07d}", name, _PIPELINES[pipeline_index][0], _stage_id(pipeline_index, stage_index),
                status, f"{int(rng.random() * 2_000_000) / 4:.2f}", _CURRENCIES[int(rng.random() * len(_CURRENCIES))],
                close_date.isoformat(), probability, self.company_id(company), self.contact_id(contact),
                self.owner(rng), f"{stage_name} matter for client {self.company_id(company)}.",
                _LOST_REASONS[int(rng.random() * len(_LOST_REASONS))] if lost else None,
                self.tag_list(rng), _format_timestamp(created), _format_timestamp(_later(rng, created)), closed_at,
            ]


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
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _phone(rng: _SplitMix) -> str:
    return f"+{int(rng.random() * 90) + 10} {int(rng.random() * 900) + 100} {int(rng.random() * 9_000_000) + 1_000_000}"


def _zip(rng: _SplitMix, pattern: str) -> str:
    return "".join(str(int(rng.random() * 10)) if char.isdigit() else char for char in pattern)


def _vat(rng: _SplitMix, country: str) -> str | None:
    if country not in ("DE", "FR", "ES", "IE", "DK") or rng.random() < 0.3:
        return None
    return f"{country}{int(rng.random() * 900_000_000) + 100_000_000}"
