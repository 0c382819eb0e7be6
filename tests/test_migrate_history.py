"""Activities, notes and attachments: chatter history and files, read back from Odoo 17 and 19."""

from __future__ import annotations

import base64
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from allegory2odoo.ledger.store import Ledger
from allegory2odoo.load.context import RunOptions
from allegory2odoo.load.runner import migrate
from allegory2odoo.mapping.records import MappingOptions
from migration_helpers import connect, xmlid_res_id

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

FILES = {
    "users.csv": "ID,Email,Name\nU-1,ann@firm.example,Ann Archer\nU-2,bob@firm.example,Bob Baker\n",
    "companies.csv": "ID,Name,Owner\nCO-1,Harbour Logistics,U-1\n",
    "contacts.csv": "ID,First Name,Last Name,Company ID,Owner\nCT-1,Zoë,Müller,CO-1,U-2\n",
    "pipelines.csv": "ID,Name\nP-1,Litigation\n",
    "stages.csv": "ID,Pipeline ID,Name,Position,Won\nS-1,P-1,Intake,1,0\nS-2,P-1,Won,2,1\n",
    "deals.csv": "ID,Name,Pipeline ID,Stage ID,Status,Company ID,Contact ID,Owner\n"
                 "D-1,Meyer dispute,P-1,S-1,open,CO-1,CT-1,U-1\n",
    "activities.csv": (
        "ID,Type,Subject,Notes,Status,Due At,Completed At,Created At,Deal ID,Contact ID,Company ID,Owner\n"
        "A-3,meeting,Strategy meeting,,done,,2024-03-07 10:00:00,,D-1,,,U-2\n"
        "A-1,call,Intake call,Client called about the <b>dispute</b>.,done,,2024-03-05 14:30:00,,D-1,,,U-1\n"
        "A-2,meeting,Hearing prep,Bring the file,open,2031-06-01,,2024-03-06 09:00:00,D-1,,,U-2\n"
        "A-4,call,Call about a deleted matter,,done,,2024-03-08 08:00:00,,D-404,,,U-1\n"
        "A-5,email,Sent engagement letter,,done,,2024-03-04 16:00:00,,,CT-1,,U-2\n"
    ),
    "notes.csv": (
        "ID,Body,Deal ID,Contact ID,Company ID,Author,Created At\n"
        "N-1,\"<p onclick=\"\"steal()\"\">Pasted <b>notes</b></p><script>alert(1)</script>"
        "<table><tr><td>fee</td><td>€ 2,000</td></tr></table>\",D-1,,,U-1,2024-03-06 12:00:00\n"
        "N-2,\"Plain text note\nsecond line\",,,CO-1,U-2,2024-01-02 08:00:00\n"
    ),
    "attachments.csv": (
        "ID,File Name,Path,Deal ID,Contact ID,Company ID,Note ID\n"
        "F-1,Vertragsentwurf Müller – final.pdf,files/draft.pdf,,CT-1,,\n"
        "F-2,big.bin,files/big.bin,D-1,,,\n"
        "F-3,missing.pdf,files/missing.pdf,D-1,,,\n"
        "F-4,escape.txt,../outside.txt,D-1,,,\n"
        "F-5,note scan.pdf,files/draft.pdf,,,,N-1\n"
    ),
}


@pytest.fixture
def export(tmp_path) -> Path:
    root = tmp_path / "export"
    (root / "files").mkdir(parents=True)
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "files" / "draft.pdf").write_bytes(PDF)
    (root / "files" / "big.bin").write_bytes(b"x" * 5000)
    (tmp_path / "outside.txt").write_text("secret outside the export")
    return root


@pytest.fixture
def migrated(odoo_server, export, tmp_path):
    odoo_server.add_user("ann", email="ann@firm.example", name="Ann Archer")
    odoo_server.add_user("bob", email="bob@firm.example", name="Bob Baker")
    options = RunOptions(mapping=MappingOptions(source_tz=ZoneInfo("Europe/Berlin")), max_attachment_bytes=4000)
    with connect(odoo_server) as client:
        result = migrate(export, options, client=client, ledger_path=tmp_path / "ledger.sqlite")
    client = connect(odoo_server)
    yield odoo_server, client, result
    client.close()


def messages_of(client, model, res_id):
    return client.search_read("mail.message", [("model", "=", model), ("res_id", "=", res_id)],
                              ["date", "body", "author_id", "subtype_id", "message_type", "mail_activity_type_id",
                               "attachment_ids"], order="id")


def partner_of_user(client, login):
    return client.search_read("res.users", [("login", "=", login)], ["partner_id"])[0]["partner_id"][0]


def reasons(result, kind):
    return {op.source_id: op.reason for op in result.rejects if op.kind == kind}


def test_history_counts(migrated):
    _server, _client, result = migrated
    assert result.stats["activities"]["read"] == 5
    assert result.stats["activities"]["created"] == 4
    assert result.stats["activities"]["rejected"] == 1
    assert result.stats["notes"]["created"] == 2
    assert "not in Odoo" in reasons(result, "activities")["A-4"]


def test_done_call_is_dated_message(migrated):
    _server, client, _result = migrated
    lead_id = xmlid_res_id(client, "deal_D_1")
    message = client.call("mail.message", "read", [xmlid_res_id(client, "activity_A_1")],
                          ["date", "body", "author_id", "subtype_id", "message_type", "mail_activity_type_id",
                           "model", "res_id"])[0]
    assert message["model"] == "crm.lead"
    assert message["res_id"] == lead_id
    assert message["date"] == "2024-03-05 13:30:00"  # 14:30 in Berlin, sent as UTC
    assert message["author_id"][0] == partner_of_user(client, "ann")
    assert message["message_type"] == "notification"
    assert message["subtype_id"][0] == xmlid_of(client, "mail", "mt_activities")
    assert message["mail_activity_type_id"][0] == xmlid_of(client, "mail", "mail_activity_data_call")
    assert "Intake call" in message["body"]
    assert "<b>dispute</b>" in message["body"]


def xmlid_of(client, module, name):
    return client.search_read("ir.model.data", [("module", "=", module), ("name", "=", name)], ["res_id"])[0]["res_id"]


def test_chatter_oldest_first(migrated):
    _server, client, _result = migrated
    messages = messages_of(client, "crm.lead", xmlid_res_id(client, "deal_D_1"))
    dates = [message["date"] for message in messages]
    assert dates == sorted(dates)
    assert len(messages) == 3  # A-1 call, N-1 note, A-3 meeting


def test_note_sanitised_and_internal(migrated):
    _server, client, _result = migrated
    note = client.call("mail.message", "read", [xmlid_res_id(client, "note_N_1")],
                       ["body", "subtype_id", "message_type", "date", "author_id"])[0]
    assert "<script" not in note["body"]
    assert "onclick" not in note["body"]
    assert "<b>notes</b>" in note["body"]
    assert "<table>" in note["body"]
    assert note["subtype_id"][0] == xmlid_of(client, "mail", "mt_note")
    assert note["message_type"] == "comment"
    assert note["date"] == "2024-03-06 11:00:00"
    plain = client.call("mail.message", "read", [xmlid_res_id(client, "note_N_2")], ["body", "model"])[0]
    assert plain["body"] == "<p>Plain text note<br>second line</p>"
    assert plain["model"] == "res.partner"


def test_open_activity_scheduled(migrated):
    _server, client, _result = migrated
    activity = client.call("mail.activity", "read", [xmlid_res_id(client, "open_activity_A_2")],
                           ["res_model", "res_id", "activity_type_id", "date_deadline", "summary", "user_id"])[0]
    assert activity["res_model"] == "crm.lead"
    assert activity["res_id"] == xmlid_res_id(client, "deal_D_1")
    assert activity["activity_type_id"][0] == xmlid_of(client, "mail", "mail_activity_data_meeting")
    assert activity["date_deadline"] == "2031-06-01"
    assert activity["summary"] == "Hearing prep"
    bob = client.search_read("res.users", [("login", "=", "bob")], ["id"])[0]["id"]
    assert activity["user_id"][0] == bob


def test_attachment_on_contact(migrated):
    _server, client, _result = migrated
    attachment = client.call("ir.attachment", "read", [xmlid_res_id(client, "attachment_F_1")],
                             ["name", "res_model", "res_id", "mimetype", "datas", "file_size"])[0]
    assert attachment["name"] == "Vertragsentwurf Müller – final.pdf"
    assert attachment["res_model"] == "res.partner"
    assert attachment["res_id"] == xmlid_res_id(client, "contact_CT_1")
    assert attachment["mimetype"] == "application/pdf"
    assert base64.b64decode(attachment["datas"]) == PDF
    assert attachment["file_size"] == len(PDF)


def test_attachment_problems_reported(migrated):
    _server, _client, result = migrated
    skipped = {op.source_id: op.reason for op in result_operations(result, "skip")}
    assert "over the limit" in skipped["F-2"]
    rejected = reasons(result, "attachments")
    assert "missing.pdf" in rejected["F-3"]
    assert "F-4" in rejected
    assert result.stats["attachments"]["created"] == 2


def result_operations(result, action):
    with Ledger(result.ledger_path) as ledger:
        return [op for op in ledger.operations(result.run_id, action) if op.kind == "attachments"]


def test_note_attachment_linked(migrated):
    _server, client, _result = migrated
    note = client.call("mail.message", "read", [xmlid_res_id(client, "note_N_1")], ["attachment_ids", "model", "res_id"])[0]
    attachment_id = xmlid_res_id(client, "attachment_F_5")
    assert note["attachment_ids"] == [attachment_id]
    attachment = client.call("ir.attachment", "read", [attachment_id], ["res_model", "res_id"])[0]
    assert (attachment["res_model"], attachment["res_id"]) == (note["model"], note["res_id"])


def test_second_run_creates_nothing(migrated, export, tmp_path):
    server, client, _result = migrated
    messages_before = client.call("mail.message", "search_count", [])
    options = RunOptions(mapping=MappingOptions(source_tz=ZoneInfo("Europe/Berlin")), max_attachment_bytes=4000)
    with connect(server) as second_client:
        second = migrate(export, options, client=second_client, ledger_path=tmp_path / "ledger.sqlite")
    assert sum(counts["created"] for counts in second.stats.values()) == 0
    assert second.stats["notes"]["skipped"] == 2
    assert second.stats["note attachments"]["skipped"] == 1
    assert client.call("mail.message", "search_count", []) == messages_before


def test_dry_run_counts_history(export):
    result = migrate(export, RunOptions(dry_run=True, max_attachment_bytes=4000))
    assert result.stats["activities"]["created"] == 4
    assert result.stats["activities"]["rejected"] == 1
    assert result.stats["notes"]["created"] == 2
    assert result.stats["attachments"]["skipped"] == 1
