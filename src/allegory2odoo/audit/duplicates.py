"""Duplicate contacts and companies: the same email address, or names that match closely.

Names are compared with rapidfuzz's `token_sort_ratio` (0-100, word order ignored)
after normalisation: accents removed, case folded, punctuation dropped and, for
companies, legal suffixes such as Ltd, GmbH or Inc. removed. Two names at or above
`NAME_THRESHOLD` are duplicates. `Jon Smith` and `John Smith` score 94.7; `Harbour
Logistics` and `Harbour Logistics Holdings` score 79.

Comparing every pair would cost O(n²) on a large export, so names are compared only
within a block: records that share a blocking key (the first letters of the name and,
for contacts, their company or email domain). Each distinct name in a block is compared
once, however many records carry it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from allegory2odoo.audit.model import Finding, RecordRef

NAME_THRESHOLD = 90
# Blocks with more distinct names than this are split by a longer name prefix, so one
# block never needs more than MAX_BLOCK² comparisons.
MAX_BLOCK = 2000

_LEGAL_SUFFIXES = {
    "ltd", "limited", "llc", "llp", "lp", "inc", "incorporated", "corp", "corporation", "co", "company",
    "plc", "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "sl", "ab", "as", "oy", "aps",
    "pty", "pte", "kk",
}


def normalise_name(name: str, *, company: bool) -> str:
    """Return the comparable form of a name: `Müller & Söhne GmbH` gives `muller sohne`."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    # Join dotted abbreviations (`S.A.`, `B.V.`) before punctuation becomes spaces.
    text = re.sub(r"\b(\w)\.(?=\w\.)", r"\1", text).replace(".", " ")
    text = re.sub(r"\b(\w)/(\w)\b", r"\1\2", text)  # `A/S` is one suffix
    words = re.findall(r"[^\W_]+", text)
    if company:
        while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
            words.pop()
    return " ".join(words)


@dataclass
class _Entry:
    ref: RecordRef
    name: str
    block: str


@dataclass
class DuplicateFinder:
    """Collect contacts or companies, then group those with the same email or a close name."""

    kind: str
    label: str  # "contacts" or "companies", for titles
    company_names: bool
    _by_email: dict[str, list[RecordRef]] = field(default_factory=lambda: defaultdict(list))
    _blocks: dict[str, dict[str, list[RecordRef]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def add(self, ref: RecordRef, name: str | None, email: str | None, block_hint: str | None = None) -> None:
        if email:
            self._by_email[email].append(replace(ref, value=email))
        if not name:
            return
        normal = normalise_name(name, company=self.company_names)
        if not normal:
            return
        prefix = normal.replace(" ", "")[:2]
        block = f"{block_hint or ''}|{prefix}"
        self._blocks[block][normal].append(replace(ref, value=name))

    def email_finding(self) -> Finding:
        finding = Finding(
            code=f"duplicate_{self.label}_email",
            severity="warning",
            title=f"Duplicate {self.label}: the same email address",
            advice=f"Merge these {self.label} in Allegory before exporting, or keep one and drop the others; "
                   "Odoo would hold them as separate partners.",
        )
        for email in sorted(self._by_email):
            refs = self._by_email[email]
            if len(refs) > 1:
                finding.groups.append([finding.add(ref) for ref in refs])
        return finding

    def name_finding(self) -> Finding:
        finding = Finding(
            code=f"duplicate_{self.label}_name",
            severity="warning",
            title=f"Possible duplicate {self.label}: names that match closely",
            advice=f"Check each group: merge real duplicates in Allegory, and ignore {self.label} "
                   f"that only share a name (score {NAME_THRESHOLD} or more out of 100).",
        )
        for block in sorted(self._blocks):
            names = self._blocks[block]
            for cluster in _clusters(list(names)):
                refs = sorted((ref for name in cluster for ref in names[name]), key=lambda ref: (ref.file, ref.row))
                if len(refs) > 1:
                    finding.groups.append([finding.add(ref) for ref in refs])
        return finding


def _clusters(names: list[str]) -> list[list[str]]:
    """Group names whose score reaches the threshold, transitively (union-find)."""
    if len(names) > MAX_BLOCK:
        return _split_block(names)
    parent = list(range(len(names)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for left, name in enumerate(names[:-1]):
        later = names[left + 1:]
        for _, _, offset in process.extract(name, later, scorer=fuzz.token_sort_ratio,
                                            score_cutoff=NAME_THRESHOLD, limit=None):
            parent[root(left)] = root(left + 1 + offset)
    groups: dict[int, list[str]] = defaultdict(list)
    for index, name in enumerate(names):
        groups[root(index)].append(name)
    return [sorted(group) for group in groups.values()]


def _split_block(names: list[str]) -> list[list[str]]:
    # NOTE: names that differ within the longer prefix are not compared with each other here.
    width = 3
    while True:
        sub_blocks: dict[str, list[str]] = defaultdict(list)
        for name in names:
            sub_blocks[name.replace(" ", "")[:width]].append(name)
        if max(len(block) for block in sub_blocks.values()) <= MAX_BLOCK or width > 12:
            break
        width += 1
    clusters: list[list[str]] = []
    for block in sub_blocks.values():
        clusters.extend(_clusters(block[:MAX_BLOCK]) + [[name] for name in block[MAX_BLOCK:]])
    return clusters
