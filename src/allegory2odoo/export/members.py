"""Opening a file of an export by its path inside the export, as the attachments file names it.

A path comes from the export's own data, so it is checked before anything is opened: it
must be relative, without `..`, and must not lead through a symbolic link or out of the
export. A path that names no file exactly is looked up again after Unicode NFC
normalisation, and then without letter case. Zips made on macOS store names in NFD, and
exports made on Windows do not keep the case of names.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import zipfile
from pathlib import Path
from typing import BinaryIO

from allegory2odoo.export.errors import MemberNotFoundError, MemberPathError

# Folders that contain attachment files beside the data files. Files in them are not data.
ATTACHMENT_FOLDERS = frozenset({"files", "attachments", "documents", "uploads"})

_DRIVE = re.compile(r"^[A-Za-z]:")
# The UTF-8 flag of a zip member's general purpose bits: without it, zipfile decodes as cp437.
_ZIP_UTF8_FLAG = 0x800
_FIX_HINT = "Check the path in the export's attachments file, or add the file to the export."


def split_member_path(path: str) -> tuple[str, ...]:
    """Return the parts of a path inside the export, or raise MemberPathError for an unsafe path.

    Backslashes count as separators, and empty and `.` parts are dropped.
    """
    if not isinstance(path, str) or not path or "\x00" in path:
        raise MemberPathError("the path is empty or contains a NUL character", path=str(path), reason="invalid",
                              hint=_FIX_HINT)
    text = path.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise MemberPathError(
            "the path is absolute, but a file of the export must be named by its path inside the export",
            path=path, reason="absolute",
            hint="Write the path relative to the export's folder, for example files/M-3001/letter.pdf.",
        )
    parts = tuple(part for part in text.split("/") if part not in ("", "."))
    if ".." in parts:
        raise MemberPathError(
            "the path contains '..', which could lead out of the export, so it is not opened",
            path=path, reason="parent", hint="Write the path without '..', relative to the export's folder.",
        )
    if not parts:
        raise MemberPathError("the path names no file", path=path, reason="invalid", hint=_FIX_HINT)
    return parts


class NameIndex:
    """Names of one folder, found exactly, then NFC-equal, then NFC-equal without letter case."""

    def __init__(self, names: list[str]) -> None:
        self._names = set(names)
        self._composed: dict[str, list[str]] = {}
        self._folded: dict[str, list[str]] = {}
        for name in names:
            composed = unicodedata.normalize("NFC", name)
            self._composed.setdefault(composed, []).append(name)
            self._folded.setdefault(composed.casefold(), []).append(name)

    def find(self, wanted: str, path: str) -> str | None:
        """Return the one name that means `wanted`, or None.

        Raises MemberPathError when several names match at the first step that finds any.
        """
        if wanted in self._names:
            return wanted
        composed = unicodedata.normalize("NFC", wanted)
        for found in (self._composed.get(composed, []), self._folded.get(composed.casefold(), [])):
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise MemberPathError(
                    "the path matches several files that differ only in letter case or Unicode form: "
                    f"{', '.join(sorted(found))}",
                    path=path, reason="ambiguous", hint="Rename the files so that one matches the path exactly.",
                )
        return None


def _symlink_error(path: str) -> MemberPathError:
    return MemberPathError(
        "the path leads through a symbolic link, which is not followed, so the file is not opened",
        path=path, reason="symlink", hint="Replace the link with the file itself in the export.",
    )


def _not_file_error(path: str) -> MemberPathError:
    return MemberPathError("the path names a folder or special file, not a regular file", path=path,
                           reason="not_file", hint=_FIX_HINT)


def _missing_error(path: str, location: str) -> MemberNotFoundError:
    return MemberNotFoundError(f"the file is not in the export ({location})", path=path, hint=_FIX_HINT)


class FolderMembers:
    """The files under an export folder, opened without following symbolic links."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = root.resolve()
        self._listings: dict[Path, NameIndex] = {}

    def locate(self, path: str, bases: tuple[tuple[str, ...], ...]) -> Path:
        """Return the file that `path` names under the first base folder that contains it."""
        parts = split_member_path(path)
        for base in bases:
            found = self._walk(path, base + parts)
            if found is not None:
                return found
        raise _missing_error(path, str(self.root))

    def open(self, file: Path, path: str) -> BinaryIO:
        # NOTE: O_NOFOLLOW guards only the last part. A folder on the path that is swapped
        # for a link after `locate` checked it would still be followed.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(file, flags)
        except FileNotFoundError:
            raise _missing_error(path, str(self.root)) from None
        except OSError as error:
            if os.path.islink(file):
                raise _symlink_error(path) from None
            raise MemberPathError(f"the file cannot be opened ({error.strerror})", path=path, reason="invalid",
                                  hint=_FIX_HINT) from None
        return os.fdopen(descriptor, "rb")

    def size(self, file: Path) -> int:
        return os.lstat(file).st_size

    def _walk(self, path: str, parts: tuple[str, ...]) -> Path | None:
        current = self.root
        for position, part in enumerate(parts):
            name = self._entry_name(current, part, path)
            if name is None:
                return None
            current = current / name
            mode = os.lstat(current).st_mode
            if stat.S_ISLNK(mode):
                raise _symlink_error(path)
            last = position == len(parts) - 1
            if not last and not stat.S_ISDIR(mode):
                return None
            if last and not stat.S_ISREG(mode):
                raise _not_file_error(path)
        if not current.resolve().is_relative_to(self._real_root):
            raise MemberPathError("the path leads out of the export", path=path, reason="outside", hint=_FIX_HINT)
        return current

    def _entry_name(self, folder: Path, part: str, path: str) -> str | None:
        try:
            os.lstat(folder / part)
            return part
        except FileNotFoundError:
            pass
        except OSError:
            return None
        if folder not in self._listings:
            try:
                self._listings[folder] = NameIndex(os.listdir(folder))
            except OSError:
                self._listings[folder] = NameIndex([])
        return self._listings[folder].find(part, path)


class ZipMembers:
    """The members of an export .zip, read from the archive without extracting them."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._by_name: dict[str, zipfile.ZipInfo] | None = None
        self._names = NameIndex([])
        self._folders: set[str] = set()

    def locate(self, path: str, bases: tuple[tuple[str, ...], ...]) -> zipfile.ZipInfo:
        """Return the member that `path` names under the first base folder that contains it."""
        parts = split_member_path(path)
        by_name = self._index()
        for base in bases:
            wanted = "/".join(base + parts)
            if wanted in self._folders:
                raise _not_file_error(path)
            name = self._names.find(wanted, path)
            if name is None:
                continue
            info = by_name[name]
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _symlink_error(path)
            return info
        raise _missing_error(path, self._archive.filename or "zip")

    def open(self, info: zipfile.ZipInfo, path: str) -> BinaryIO:
        return self._archive.open(info)  # type: ignore[return-value]

    def size(self, info: zipfile.ZipInfo) -> int:
        return info.file_size

    def _index(self) -> dict[str, zipfile.ZipInfo]:
        """Map each member's clean name to its entry; members with unsafe names are left out."""
        if self._by_name is not None:
            return self._by_name
        self._by_name = {}
        for info in self._archive.infolist():
            name = _repaired_name(info)
            try:
                parts = split_member_path(name)
            except MemberPathError:
                continue
            for depth in range(1, len(parts)):
                self._folders.add("/".join(parts[:depth]))
            if info.is_dir():
                self._folders.add("/".join(parts))
                continue
            self._by_name.setdefault("/".join(parts), info)
        self._names = NameIndex(list(self._by_name))
        return self._by_name


def _repaired_name(info: zipfile.ZipInfo) -> str:
    """Return a member's name, decoded as UTF-8 when the zip wrote UTF-8 without setting its flag."""
    if info.flag_bits & _ZIP_UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
