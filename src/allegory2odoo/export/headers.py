"""Mapping a file's header row to canonical column names, and telling a kind from headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from allegory2odoo.export.errors import ExportError
from allegory2odoo.export.kinds import KINDS, header_key, normalise_header

# A header-only guess needs this many recognised columns, so a file with one `id`
# column is not taken for any kind.
_MIN_RECOGNISED = 2


@dataclass(frozen=True)
class HeaderMap:
    """The column name of each cell position of a file, for one kind."""

    names: tuple[str, ...]
    columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a zero-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def trim_header(cells: list[Any]) -> list[str | None]:
    """Return the header cells as text, without the empty cells at the end of the row."""
    header = [None if cell is None else str(cell).strip() or None for cell in cells]
    while header and header[-1] is None:
        header.pop()
    return header


def map_header(header: list[str | None], kind: str, file_label: str,
               chosen: Mapping[str, str] | None = None) -> HeaderMap:
    """Map each header cell to its canonical column for `kind`, keeping unknown columns.

    `chosen` maps a header, as written, to the column the caller reads it as;
    it wins over the synonyms. Raises ExportError when two headers mean one
    column or a required column is missing.
    """
    spec = KINDS[kind]
    synonyms = spec.header_map()
    chosen = chosen or {}
    names: list[str] = []
    first_position: dict[str, int] = {}
    for index, text in enumerate(header):
        name = chosen.get(text) if text is not None and text in chosen else _column_name(text, index, synonyms)
        if name in first_position:
            earlier = first_position[name]
            raise ExportError(
                f"headers {header[earlier]!r} (column {column_letter(earlier)}) and {text!r} "
                f"(column {column_letter(index)}) both mean the column {name!r} of kind '{kind}'",
                file=file_label,
                row=1,
                column=name,
                hint="Rename or delete one of the two columns.",
            )
        first_position[name] = index
        names.append(name)

    known = set(spec.columns)
    missing = [column for column in spec.required if column not in first_position]
    if missing:
        raise ExportError(
            f"the required column {missing[0]!r} of kind '{kind}' is missing "
            f"(headers found: {', '.join(repr(text) for text in header if text)})",
            file=file_label,
            row=1,
            column=missing[0],
            hint=f"Add the column, or rename the header that contains it to {missing[0]!r}.",
        )
    return HeaderMap(
        names=tuple(names),
        columns=tuple(name for name in names if name in known),
        unknown_columns=tuple(name for name in names if name not in known),
    )


def _column_name(text: str | None, index: int, synonyms: dict[str, str]) -> str:
    if text is None:
        return f"column_{column_letter(index).lower()}"
    canonical = synonyms.get(header_key(text))
    if canonical is not None:
        return canonical
    return normalise_header(text) or f"column_{column_letter(index).lower()}"


def kind_from_headers(header: list[str | None]) -> tuple[str | None, str]:
    """Return the kind whose columns best explain the header, or None, and a reason in words.

    A kind is a candidate when all its required columns are present. The candidate that
    recognises the largest share of the headers wins. Between candidates that recognise
    the same headers, the one for which more headers are the column's own name (not a
    synonym) wins, so `Contact ID, Company ID` is associations, not contacts. A tie
    after that returns None.
    """
    texts = [text for text in header if text]
    if not texts:
        return None, "the header row is empty"
    keys = [header_key(text) for text in texts]
    scores: list[tuple[float, int, int, str]] = []
    for spec in KINDS.values():
        synonyms = spec.header_map()
        recognised = {synonyms[key] for key in keys if key in synonyms}
        if len(recognised) < _MIN_RECOGNISED or not set(spec.required) <= recognised:
            continue
        exact = sum(1 for key in keys if key in synonyms and header_key(synonyms[key]) == key)
        scores.append((len(recognised) / len(texts), len(recognised), exact, spec.name))
    if not scores:
        return None, "its headers match no kind"

    scores.sort(reverse=True)
    best = scores[0][:3]
    tied = sorted(name for *score, name in scores if tuple(score) == best)
    if len(tied) > 1:
        return None, f"its headers fit the kinds {', '.join(tied)} equally well"
    return scores[0][3], "told from its headers"
