"""The audit's results: column profiles, findings with their records, grade and estimate."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordRef:
    """One record a finding involves: its kind, Allegory ID, file, row and the value at fault."""

    kind: str
    source_id: str | None
    file: str
    row: int
    value: str | None = None


@dataclass
class Finding:
    """One data-quality problem and every record it involves.

    `groups` is set for duplicates and cycles, where records belong together:
    each group is a list of indexes into `records`. In `to_dict` each record of a
    group carries the group's number, from 1.
    """

    code: str
    severity: str  # "error" (the record will be rejected or mislinked) or "warning"
    title: str
    advice: str
    records: list[RecordRef] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records)

    def add(self, ref: RecordRef) -> int:
        self.records.append(ref)
        return len(self.records) - 1

    def to_dict(self) -> dict[str, Any]:
        records = [asdict(record) for record in self.records]
        for number, group in enumerate(self.groups, start=1):
            for index in group:
                records[index]["group"] = number
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "advice": self.advice,
            "count": self.count,
            "groups": len(self.groups),
            "records": records,
        }


@dataclass
class ColumnProfile:
    """Fill rate and a few distinct sample values of one column of one kind."""

    name: str
    known: bool
    filled: int = 0
    samples: list[str] = field(default_factory=list)
    hidden: bool = False  # samples withheld because the column may hold secrets

    def fill_rate(self, records: int) -> float:
        return round(self.filled / records, 4) if records else 0.0


@dataclass
class KindProfile:
    kind: str
    file: str
    records: int = 0
    columns: list[ColumnProfile] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "records": self.records,
            "columns": [
                {
                    "name": column.name,
                    "known": column.known,
                    "filled": column.filled,
                    "fill_rate": column.fill_rate(self.records),
                    "samples": column.samples,
                    "samples_hidden": column.hidden,
                }
                for column in self.columns
            ],
        }


@dataclass
class GradeReason:
    points: int
    reason: str


@dataclass
class Grade:
    letter: str
    points: int
    reasons: list[GradeReason]


@dataclass
class Estimate:
    """An estimate of a migration's server time, with the figures it rests on."""

    partner_writes: int
    lead_writes: int
    seconds: float
    low_seconds: float
    high_seconds: float
    basis: str


@dataclass
class OwnerRow:
    """One owner value of the export, the records it owns and, with a connection, its Odoo user."""

    owner: str
    records: int
    in_users_file: bool
    odoo_user: str | None = None  # login of the matched user, "UNMATCHED", or None when not checked


@dataclass
class AuditResult:
    export_name: str
    generated_at: str
    kinds: list[KindProfile]
    findings: list[Finding]
    grade: Grade
    estimate: Estimate
    owners: list[OwnerRow]
    owners_checked_against: str | None  # "Odoo 19.0 at https://…, database …" or None
    export_warnings: list[str]

    @property
    def total_records(self) -> int:
        return sum(kind.records for kind in self.kinds)

    def custom_columns(self) -> list[dict[str, Any]]:
        """Return the columns that belong to no known kind, with their fill counts."""
        return [
            {"kind": kind.kind, "file": kind.file, "column": column.name, "filled": column.filled,
             "fill_rate": column.fill_rate(kind.records)}
            for kind in self.kinds
            for column in kind.columns
            if not column.known
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": "audit",
            "export": self.export_name,
            "generated_at": self.generated_at,
            "total_records": self.total_records,
            "kinds": [kind.to_dict() for kind in self.kinds],
            "custom_columns": self.custom_columns(),
            "findings": [finding.to_dict() for finding in self.findings],
            "grade": {
                "letter": self.grade.letter,
                "points": self.grade.points,
                "reasons": [asdict(reason) for reason in self.grade.reasons],
            },
            "estimate": asdict(self.estimate),
            "owners": {
                "checked_against": self.owners_checked_against,
                "rows": [asdict(owner) for owner in self.owners],
            },
            "export_warnings": self.export_warnings,
        }
