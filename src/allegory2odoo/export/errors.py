"""The exceptions for export input that cannot be read."""

from __future__ import annotations

from typing import Any


class ExportError(Exception):
    """Export input that cannot be read: a bad file, header or row.

    `file`, `row`, `column` and `value` name the place; each is None when it does not
    apply. `row` is the row number as a spreadsheet shows it, with the header on row 1.
    `problem` is what is wrong and `hint` is what the user can do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        place = []
        if self.file is not None:
            place.append(self.file)
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column!r}")
        text = self.problem
        if place:
            text = f"{', '.join(place)}: {text}"
        if self.value is not None:
            text = f"{text} (value {_shorten(self.value)!r})"
        if not text.endswith("."):
            text += "."
        if self.hint:
            text = f"{text} {self.hint}"
        return text


def _shorten(value: Any, limit: int = 80) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 3] + "..."
    return value


class MemberPathError(ExportError):
    """A path inside the export that is unsafe to open or names no readable file.

    `path` is the path as given. `reason` is one of "invalid", "absolute", "parent",
    "outside", "symlink", "not_file", "ambiguous" or "missing".
    """

    def __init__(self, problem: str, *, path: str, reason: str, hint: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(problem, file=path or "''", hint=hint)


class MemberNotFoundError(MemberPathError):
    """A path inside the export that names no file, so the file is missing from the export."""

    def __init__(self, problem: str, *, path: str, hint: str) -> None:
        super().__init__(problem, path=path, reason="missing", hint=hint)
