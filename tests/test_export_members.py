"""Reading files of an export by path: folders and zips, unsafe paths, name fallbacks."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from allegory2odoo.export import MemberNotFoundError, MemberPathError, open_export

CASES = Path(__file__).parent / "cases" / "export"
NFD_NAME = "Vertragsentwurf Mu\u0308ller – final.pdf"
NFC_NAME = "Vertragsentwurf Müller – final.pdf"


def make_folder_export(root: Path) -> Path:
    (root / "files" / "M1").mkdir(parents=True)
    (root / "attachments.csv").write_text("id,file_name,path\nF1,letter.pdf,files/M1/letter.pdf\n", encoding="utf-8")
    (root / "files" / "M1" / "letter.pdf").write_bytes(b"%PDF-1.4 letter")
    return root


def make_zip_export(path: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{prefix}attachments.csv", "id,file_name,path\nF1,letter.pdf,files/M1/letter.pdf\n")
        archive.writestr(f"{prefix}files/M1/letter.pdf", b"%PDF-1.4 zipped")
        archive.writestr(f"{prefix}files/M1/{NFD_NAME}", b"nfd name")
        link = zipfile.ZipInfo(f"{prefix}files/M1/link.pdf")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    return path


def test_folder_member_read(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    with open_export(root) as export:
        assert export.member_size("files/M1/letter.pdf") == 15
        with export.open_member("files/M1/letter.pdf") as stream:
            assert stream.read() == b"%PDF-1.4 letter"


def test_minimal_case_member_read() -> None:
    with open_export(CASES / "minimal") as export:
        row = next(export.rows("attachments"))
        with export.open_member(row.get("path")) as stream:
            assert stream.read().startswith(b"%PDF-1.4")


def test_zip_member_read(tmp_path: Path) -> None:
    with open_export(make_zip_export(tmp_path / "export.zip")) as export:
        assert export.member_size("files/M1/letter.pdf") == 15
        with export.open_member("files/M1/letter.pdf") as stream:
            assert stream.read(8) == b"%PDF-1.4"
            assert stream.read() == b" zipped"


def test_zip_member_under_attachments_folder(tmp_path: Path) -> None:
    with open_export(make_zip_export(tmp_path / "export.zip", prefix="allegory_export/")) as export:
        assert export.file("attachments").name == "allegory_export/attachments.csv"
        with export.open_member("files/M1/letter.pdf") as stream:
            assert stream.read() == b"%PDF-1.4 zipped"
        with export.open_member("allegory_export/files/M1/letter.pdf") as stream:
            assert stream.read() == b"%PDF-1.4 zipped"


def test_attachment_folder_not_scanned(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    (root / "files" / "M1" / "fee schedule.csv").write_text("id,name\nX,Y\n", encoding="utf-8")
    (root / "files" / "M1" / "contacts.csv").write_text("id,first_name\nP1,Ann\n", encoding="utf-8")
    with open_export(root) as export:
        assert export.kinds() == ["attachments"]
        assert export.warnings == []


def test_export_inside_documents_folder_scanned(tmp_path: Path) -> None:
    # A folder named like an attachment folder counts only beside data files.
    data = tmp_path / "Documents" / "allegory"
    data.mkdir(parents=True)
    (data / "companies.csv").write_text("id,name\nC1,Acme\n", encoding="utf-8")
    with open_export(tmp_path) as export:
        assert export.kinds() == ["companies"]
        assert export.files()[0].name == "Documents/allegory/companies.csv"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../outside.txt", "parent"),
        ("files/../../outside.txt", "parent"),
        ("files\\..\\..\\outside.txt", "parent"),
        ("/etc/passwd", "absolute"),
        ("\\\\server\\share\\x.pdf", "absolute"),
        ("C:\\Users\\x.pdf", "absolute"),
        ("", "invalid"),
        ("files/M1/a\x00.pdf", "invalid"),
        ("files/M1", "not_file"),
    ],
)
def test_unsafe_path_rejected(tmp_path: Path, path: str, reason: str) -> None:
    root = make_folder_export(tmp_path / "export")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    with open_export(root) as export:
        with pytest.raises(MemberPathError) as caught:
            export.open_member(path)
    assert caught.value.reason == reason
    assert caught.value.path == path


def test_unsafe_path_rejected_in_zip(tmp_path: Path) -> None:
    with open_export(make_zip_export(tmp_path / "export.zip")) as export:
        for path, reason in [("../x.pdf", "parent"), ("/files/M1/letter.pdf", "absolute"), ("files", "not_file")]:
            with pytest.raises(MemberPathError) as caught:
                export.open_member(path)
            assert caught.value.reason == reason, path


def test_folder_symlink_rejected(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "files" / "M1" / "link.pdf")
    os.symlink(tmp_path, root / "files" / "outside")
    with open_export(root) as export:
        for path in ("files/M1/link.pdf", "files/outside/secret.txt", "FILES/m1/LINK.pdf"):
            with pytest.raises(MemberPathError) as caught:
                export.open_member(path)
            assert caught.value.reason == "symlink", path
            assert "symbolic link" in str(caught.value)
        with pytest.raises(MemberPathError):
            export.member_size("files/M1/link.pdf")


def test_zip_symlink_member_rejected(tmp_path: Path) -> None:
    with open_export(make_zip_export(tmp_path / "export.zip")) as export:
        with pytest.raises(MemberPathError) as caught:
            export.open_member("files/M1/link.pdf")
    assert caught.value.reason == "symlink"


def test_missing_file_message(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    with open_export(root) as export:
        with pytest.raises(MemberNotFoundError) as caught:
            export.member_size("files/M1/witness statement.pdf")
    error = caught.value
    assert error.reason == "missing"
    assert error.file == "files/M1/witness statement.pdf"
    assert str(error).startswith("files/M1/witness statement.pdf: the file is not in the export")
    assert "add the file to the export" in str(error)


def test_nfd_name_found_by_nfc_path_in_folder(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    (root / "files" / "M1" / NFD_NAME).write_bytes(b"nfd name")
    with open_export(root) as export:
        with export.open_member(f"files/M1/{NFC_NAME}") as stream:
            assert stream.read() == b"nfd name"


def test_nfd_name_found_by_nfc_path_in_zip(tmp_path: Path) -> None:
    with open_export(make_zip_export(tmp_path / "export.zip")) as export:
        assert export.member_size(f"files/M1/{NFC_NAME}") == 8


def test_case_fallback(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    with open_export(root) as export:
        with export.open_member("Files/m1/LETTER.PDF") as stream:
            assert stream.read() == b"%PDF-1.4 letter"
    with open_export(make_zip_export(tmp_path / "export.zip")) as export:
        assert export.member_size("FILES/M1/Letter.pdf") == 15


def test_exact_name_wins_over_fallback(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    (root / "files" / "M1" / "LETTER.pdf").write_bytes(b"upper")
    with open_export(root) as export:
        with export.open_member("files/M1/LETTER.pdf") as stream:
            assert stream.read() == b"upper"
        with pytest.raises(MemberPathError) as caught:
            export.open_member("files/M1/Letter.pdf")
    assert caught.value.reason == "ambiguous"


def test_zip_utf8_name_without_flag(tmp_path: Path) -> None:
    # zipfile sets the UTF-8 flag for any non-ASCII name, so write an ASCII name of the same
    # length and put the UTF-8 bytes in its place in the local and central headers.
    path = tmp_path / "export.zip"
    raw_name = f"files/{NFC_NAME}".encode("utf-8")
    placeholder = b"files/" + b"x" * (len(raw_name) - len(b"files/"))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("attachments.csv", "id,file_name,path\n")
        archive.writestr(placeholder.decode("ascii"), b"raw utf-8 name")
    path.write_bytes(path.read_bytes().replace(placeholder, raw_name))
    with zipfile.ZipFile(path) as archive:
        assert not archive.infolist()[1].flag_bits & 0x800
    with open_export(path) as export:
        assert export.member_size(f"files/{NFC_NAME}") == 14


def test_closed_export_rejects_member(tmp_path: Path) -> None:
    root = make_folder_export(tmp_path / "export")
    with open_export(root) as export:
        pass
    with pytest.raises(ValueError, match="closed"):
        export.open_member("files/M1/letter.pdf")
