"""One streaming pass over an export: profiles every column and collects the data-quality findings.

Kinds are read in registry order (users, companies, contacts, associations, pipelines,
stages, deals, tags), so every kind a row refers to has been read before it. Memory
grows with the number of records only by their IDs, names and emails, never by whole rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email

from allegory2odoo.audit.duplicates import DuplicateFinder
from allegory2odoo.audit.model import Finding, KindProfile, RecordRef
from allegory2odoo.audit.profile import KindProfiler, is_filled
from allegory2odoo.export import Export, ExportError, SourceRow
from allegory2odoo.mapping import transforms
from allegory2odoo.mapping.transforms import TransformError, normalise_email

# (kind, column, kind referred to): references that must name a record of the export.
REFERENCES = (
    ("contacts", "company_id", "companies"),
    ("associations", "contact_id", "contacts"),
    ("associations", "company_id", "companies"),
    ("stages", "pipeline_id", "pipelines"),
    ("deals", "company_id", "companies"),
    ("deals", "contact_id", "contacts"),
    ("deals", "pipeline_id", "pipelines"),
    ("deals", "stage_id", "stages"),
    ("stage_history", "deal_id", "deals"),
    ("stage_history", "stage_id", "stages"),
    ("activities", "deal_id", "deals"),
    ("activities", "contact_id", "contacts"),
    ("activities", "company_id", "companies"),
    ("notes", "deal_id", "deals"),
    ("notes", "contact_id", "contacts"),
    ("notes", "company_id", "companies"),
    ("attachments", "deal_id", "deals"),
    ("attachments", "contact_id", "contacts"),
    ("attachments", "company_id", "companies"),
    ("attachments", "note_id", "notes"),
)
TIMESTAMP_COLUMNS = ("created_at", "updated_at", "closed_at", "due_at", "completed_at", "entered_at", "left_at")
DATE_COLUMNS = ("close_date",)
AMOUNT_COLUMNS = {"deals": ("amount",)}
EMAIL_KINDS = ("users", "companies", "contacts")
OWNED_KINDS = ("companies", "contacts", "deals")
# Kinds whose IDs are kept: those that references name, and users for the owners.
_ID_KINDS = {target for _, _, target in REFERENCES} | {"users", "companies"}
_SINGULAR = {"companies": "company", "contacts": "contact", "pipelines": "pipeline", "stages": "stage",
             "deals": "deal", "notes": "note"}
_TITLES = {"stage_history": "Stage history rows"}


def reference(value: object) -> str | None:
    """Return an ID cell as text: `1001.0` from a workbook becomes `1001`, as the mapping layer reads it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return transforms.clean_text(value)


@dataclass
class ScanOptions:
    source_tz: ZoneInfo = ZoneInfo("UTC")
    date_order: str = "mdy"
    max_attachment_bytes: int = 25_000_000  # the migration's default upload limit


@dataclass
class ScanResult:
    kinds: list[KindProfile]
    findings: list[Finding]
    owners: Counter[str]
    user_ids: set[str]
    user_emails: set[str]
    users: list[SourceRow]
    link_counts: dict[str, int]


@dataclass
class _State:
    ids: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in _ID_KINDS})
    user_emails: set[str] = field(default_factory=set)
    users: list[SourceRow] = field(default_factory=list)
    parents: dict[str, tuple[str, RecordRef]] = field(default_factory=dict)
    owners: Counter[str] = field(default_factory=Counter)
    contacts_with_company: int = 0


class Scanner:
    """Read every row of an export once, adding it to its kind's profile and checking it."""

    def __init__(self, export: Export, options: ScanOptions | None = None):
        self.export = export
        self.options = options or ScanOptions()
        self.state = _State()
        self.findings: dict[str, Finding] = {}
        self.duplicates = {
            "companies": DuplicateFinder("companies", "companies", company_names=True),
            "contacts": DuplicateFinder("contacts", "contacts", company_names=False),
        }
        self._email_cache: dict[str, bool] = {}

    def run(self) -> ScanResult:
        profiles = []
        for kind in self.export.kinds():
            export_file = self.export.file(kind)
            assert export_file is not None
            profiler = KindProfiler(export_file)
            for row in self.export.rows(kind):
                profiler.add(row)
                self._check_row(row)
            profiles.append(profiler.profile)
        self._check_company_cycles()
        findings = list(self.findings.values())
        for finder in self.duplicates.values():
            findings.extend((finder.email_finding(), finder.name_finding()))
        findings = [finding for finding in findings if finding.records]
        findings.sort(key=lambda finding: (finding.severity != "error", finding.code))
        state = self.state
        return ScanResult(
            kinds=profiles,
            findings=findings,
            owners=state.owners,
            user_ids=state.ids["users"],
            user_emails=state.user_emails,
            users=state.users,
            link_counts={"contacts_with_company": state.contacts_with_company, "companies_with_parent": len(state.parents)},
        )

    # findings

    def finding(self, code: str, severity: str, title: str, advice: str) -> Finding:
        found = self.findings.get(code)
        if found is None:
            found = self.findings[code] = Finding(code=code, severity=severity, title=title, advice=advice)
        return found

    def _ref(self, row: SourceRow, value: object = None) -> RecordRef:
        source_id = reference(row.get("id"))
        if source_id is None and row.kind == "associations":
            source_id = f"{reference(row.get('contact_id'))}@{reference(row.get('company_id'))}"
        text = None if value is None else str(value)
        return RecordRef(row.kind, source_id, row.file, row.row, text)

    # per row

    def _check_row(self, row: SourceRow) -> None:
        kind = row.kind
        source_id = reference(row.get("id"))
        if source_id is not None and kind in _ID_KINDS:
            self.state.ids[kind].add(source_id)
        if kind == "users":
            self._remember_user(row)
        if kind in EMAIL_KINDS:
            self._check_email(row)
        if kind in OWNED_KINDS:
            self._check_owner(row)
        self._check_references(row)
        self._check_dates(row)
        for column in AMOUNT_COLUMNS.get(kind, ()):
            self._check_amount(row, column)
        if kind == "companies":
            self._remember_company(row, source_id)
        elif kind == "contacts":
            self._remember_contact(row)
        elif kind == "attachments":
            self._check_attachment_file(row)

    def _check_attachment_file(self, row: SourceRow) -> None:
        """Find the files a migration would reject (missing, or outside the export) or skip (too large)."""
        path = row.get("path")
        if not path:
            return
        try:
            size = self.export.member_size(str(path))
        except ExportError as error:
            self.finding(
                "attachment_file_unreadable", "error", "Attachments whose file is missing or outside the export",
                "Add the file to the export at that path, or correct the path in the attachments file.",
            ).records.append(self._ref(row, f"{path}: {error}"))
            return
        if size > self.options.max_attachment_bytes:
            self.finding(
                "attachment_file_too_large", "warning", "Attachments over the upload limit",
                f"Files over {self.options.max_attachment_bytes / 1_000_000:g} MB are skipped; upload them by hand "
                "or raise migrate's --max-attachment-mb.",
            ).records.append(self._ref(row, f"{path}: {size / 1_000_000:.1f} MB"))

    def _remember_user(self, row: SourceRow) -> None:
        self.state.users.append(row)
        email = normalise_email(row.get("email"))
        if email:
            self.state.user_emails.add(email)

    def _remember_company(self, row: SourceRow, source_id: str | None) -> None:
        ref = self._ref(row)
        parent = reference(row.get("parent_id"))
        if parent and source_id:
            self.state.parents[source_id] = (parent, ref)
        name = transforms.clean_text(row.get("name"))
        self.duplicates["companies"].add(ref, name, normalise_email(row.get("email")))

    def _remember_contact(self, row: SourceRow) -> None:
        ref = self._ref(row)
        full = transforms.clean_text(row.get("full_name"))
        parts = [transforms.clean_text(row.get("first_name")), transforms.clean_text(row.get("last_name"))]
        name = full or " ".join(part for part in parts if part) or None
        email = normalise_email(row.get("email"))
        company = reference(row.get("company_id"))
        if company:
            self.state.contacts_with_company += 1
        domain = email.rpartition("@")[2] if email and "@" in email else None
        self.duplicates["contacts"].add(ref, name, email, block_hint=company or domain)

    def _check_email(self, row: SourceRow) -> None:
        value = transforms.clean_text(row.get("email"))
        if value is None:
            return
        address = value[7:] if value.lower().startswith("mailto:") else value
        valid = self._email_cache.get(address)
        if valid is None:
            try:
                validate_email(address, check_deliverability=False)
                valid = True
            except EmailNotValidError:
                valid = False
            if len(self._email_cache) < 100_000:
                self._email_cache[address] = valid
        if not valid:
            self.finding(
                "invalid_email", "warning", "Invalid email addresses",
                "Correct the address in Allegory; Odoo stores it as written, but mail to it will fail.",
            ).add(self._ref(row, value))

    def _check_owner(self, row: SourceRow) -> None:
        owner = transforms.clean_text(row.get("owner"))
        if owner is None:
            self.finding(
                "missing_owner", "warning", "Records without an owner",
                "Give them an owner in Allegory, or run migrate with --fallback-owner.",
            ).add(self._ref(row))
            return
        self.state.owners[owner] += 1
        if not self._owner_in_users(owner):
            self.finding(
                "owner_not_in_users", "warning", "Owners that are not in the users file",
                "Add the owner to the users file, or run migrate with --fallback-owner; an owner given "
                "by email still matches an Odoo user with that email.",
            ).add(self._ref(row, owner))

    def _owner_in_users(self, owner: str) -> bool:
        if "@" in owner:
            return normalise_email(owner) in self.state.user_emails
        return owner in self.state.ids["users"]

    def _check_references(self, row: SourceRow) -> None:
        for kind, column, target in REFERENCES:
            if kind != row.kind:
                continue
            value = reference(row.get(column))
            if value is None or value in self.state.ids[target]:
                continue
            singular = _SINGULAR[target]
            self.finding(
                f"missing_{kind}_{column}", "error",
                f"{_TITLES.get(kind, kind.capitalize())} whose {singular} does not exist",
                f"Add the {singular} to the {target} file, or correct the {column} column; the migration "
                f"cannot link a {singular} that is not in the export.",
            ).add(self._ref(row, value))

    def _check_dates(self, row: SourceRow) -> None:
        options = self.options
        for column in TIMESTAMP_COLUMNS + DATE_COLUMNS:
            value = row.get(column)
            if not is_filled(value):
                continue
            try:
                if column in DATE_COLUMNS:
                    transforms.parse_date(value, options.date_order)
                else:
                    transforms.parse_datetime(value, options.source_tz, options.date_order)
            except TransformError:
                self.finding(
                    "invalid_date", "error", "Dates that do not parse",
                    "Write dates as YYYY-MM-DD (or YYYY-MM-DD HH:MM:SS); other forms follow --date-order.",
                ).add(self._ref(row, f"{column}: {value}"))

    def _check_amount(self, row: SourceRow, column: str) -> None:
        value = row.get(column)
        if not is_filled(value):
            return
        try:
            transforms.parse_amount(value)
        except TransformError:
            self.finding(
                "invalid_amount", "error", "Amounts that do not parse",
                "Write amounts like 1250000.00, $1,250,000.00 or EUR 12.500,00.",
            ).add(self._ref(row, f"{column}: {value}"))

    # after all rows

    def _check_company_cycles(self) -> None:
        """Find companies that are their own ancestor, following parent_id; each cycle is reported once."""
        parents = self.state.parents
        known = self.state.ids["companies"]
        for company_id, (parent, ref) in parents.items():
            if parent not in known:
                self.finding(
                    "missing_companies_parent_id", "error", "Companies whose parent company does not exist",
                    "Add the parent to the companies file, or clear the parent column.",
                ).add(RecordRef(ref.kind, ref.source_id, ref.file, ref.row, parent))
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for start in parents:
            path: list[str] = []
            node: str | None = start
            while node is not None and node in parents and state.get(node) is None:
                state[node] = 1
                path.append(node)
                node = parents[node][0]
            if node is not None and state.get(node) == 1:
                cycle = path[path.index(node):]
                finding = self.finding(
                    "company_cycle", "error", "Companies that are their own ancestor (parent cycles)",
                    "Clear the parent of one company in each cycle; Odoo rejects a company that is its own parent.",
                )
                finding.groups.append([
                    finding.add(RecordRef(parents[member][1].kind, member, parents[member][1].file,
                                          parents[member][1].row, parents[member][0]))
                    for member in cycle
                ])
            for member in path:
                state[member] = 2
