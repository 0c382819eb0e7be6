"""The history, attachments and custom fields of the example export, for build_allegory_sample.py.

The hand-written rows carry the awkward cases listed in the example's README. Filler rows
come from their own fixed seed, so they do not change the random values of the older
files.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

_rng = random.Random("allegory-sample-history-2024")

# A fixed date far ahead, so that "open with a future due date" stays true for years.
FUTURE = dt.date(2031, 6, 30)
BIG_FILE_BYTES = 30 * 1024 * 1024

# Custom field definitions: id, object, key (the header of the value column), label, type
# as Allegory spells it, options, formula, result type, required.
CUSTOM_FIELDS_HEADER = [
    "Field ID", "Object", "Field Key", "Field Label", "Field Type", "Pick-list Values", "Formula",
    "Result Type", "Required",
]
CUSTOM_FIELDS = [
    ["CF-01", "company", "Client Since", "Client since", "Date", "", "", "", "No"],
    ["CF-02", "company", "Annual Revenue (EUR)", "Annual revenue (EUR)", "Decimal", "", "", "", "No"],
    ["CF-03", "company", "Employees", "Number of employees", "Integer", "", "", "", "No"],
    ["CF-04", "company", "Client Tier", "Client tier", "Pick-list", "Platinum;Gold;Silver;Bronze", "", "", "Yes"],
    ["CF-05", "company", "AML Check Done", "AML check done", "Check box", "", "", "", "No"],
    ["CF-06", "company", "Conflict Notes", "Conflict notes", "Rich text", "", "", "", "No"],
    # Defined in Allegory but never filled in, so the companies file has no column for it.
    ["CF-07", "company", "Legacy Client Code", "Legacy client code", "Text", "", "", "", "No"],
    ["CF-11", "contact", "Preferred Language", "Preferred language", "Picklist",
     "English;Deutsch;Español;Português;Français;Dansk", "", "", "No"],
    ["CF-12", "contact", "Practice Interests", "Practice interests", "Multi-select pick-list",
     "M&A;Employment;Litigation;Real Estate;Regulatory", "", "", "No"],
    ["CF-13", "contact", "Last Event Attended", "Last event attended", "Date/Time", "", "", "", "No"],
    ["CF-14", "contact", "Newsletter Opt-in", "Newsletter opt-in", "Checkbox", "", "", "", "No"],
    ["CF-15", "contact", "Assistant Name", "Assistant", "Text", "", "", "", "No"],
    ["CF-21", "deal", "Fee Cap", "Fee cap", "Number", "", "", "", "No"],
    ["CF-22", "deal", "Billing Arrangement", "Billing arrangement", "Pick-list",
     "Hourly;Fixed Fee;Capped Fee;Contingency", "", "", "Yes"],
    ["CF-23", "deal", "Hours Budgeted", "Hours budgeted", "integer", "", "", "", "No"],
    ["CF-24", "deal", "Court Date", "Court date", "date", "", "", "", "No"],
    ["CF-25", "deal", "Engagement Signed", "Engagement letter signed", "Check box", "", "", "", "No"],
    ["CF-26", "deal", "Fee Per Hour", "Fee per budgeted hour", "Formula", "", "[Fee Cap] / [Hours Budgeted]",
     "Decimal", "No"],
    ["CF-27", "deal", "Matter Summary", "Matter summary", "Rich Text", "", "", "", "No"],
    ["CF-28", "deal", "Conflict Cleared At", "Conflict cleared at", "datetime", "", "", "", "No"],
]
COMPANY_FIELD_HEADERS = ["Client Since", "Annual Revenue (EUR)", "Employees", "Client Tier", "AML Check Done",
                         "Conflict Notes"]
CONTACT_FIELD_HEADERS = ["Preferred Language", "Practice Interests", "Last Event Attended", "Newsletter Opt-in",
                         "Assistant Name"]
DEAL_FIELD_HEADERS = ["Fee Cap", "Billing Arrangement", "Hours Budgeted", "Court Date", "Engagement Signed",
                      "Fee Per Hour", "Matter Summary", "Conflict Cleared At"]

COMPANY_VALUES = {
    "CO-1001": ["2019-04-01", "125000000.00", "5400", "Platinum", "Yes",
                "<p>Acted for <b>Harbour Logistics</b> since 2019. <i>No conflict</i> with the Meyer group.</p>"],
    # Diamond is not one of the field's options.
    "CO-1002": ["04/01/2019", "18,500,000.50", "320", "Diamond", "TRUE", ""],
    "CO-1003": ["1 Jun 2020", "42000000", "1,250", "Gold", "no", "<p>Opposing party in <u>M-2999</u> (closed).</p>"],
    "CO-1004": ["2022-09-14", "", "2100", "Silver", "1", ""],
    "CO-1005": ["2023-01-05", "", "45", "Gold", "x", ""],
    "CO-1006": ["2022-04-22", "3500000.00", "60", "Bronze", "0", ""],
    "CO-1007": ["2021-08-30", "", "800", "Gold", "Yes", ""],
    "CO-1008": ["2019-11-11", "", "", "", "", ""],
}
CONTACT_VALUES = {
    "CT-2001": ["Deutsch", "M&A;Employment", "2024-02-15 18:30:00", "Yes", "Ute Brandt"],
    "CT-2002": ["Dansk", "Litigation", "Feb 15, 2024 6:30 PM", "N", ""],
    "CT-2003": ["Português", "Regulatory;M&A", "2024-02-15T17:30:00Z", "TRUE", ""],
    "CT-2004": ["", "", "", "", ""],
    "CT-2005": ["English", "M&A", "", "false", ""],
    "CT-2006": ["Español", "Real Estate;Employment", "2023-11-09 19:00:00", "1", ""],
    "CT-2007": ["English", "M&A;Real Estate;Regulatory", "2024-01-25 08:00:00", "yes", "Priya Shah"],
}
LANGUAGES = ["English", "Deutsch", "Español", "Português", "Français", "Dansk"]
INTERESTS = ["M&A", "Employment", "Litigation", "Real Estate", "Regulatory"]
TIERS = ["Platinum", "Gold", "Silver", "Bronze"]
CHECKBOX_SPELLINGS = ["Yes", "No", "TRUE", "false", "1", "0", "x", ""]
BILLING = ["Hourly", "Fixed Fee", "Capped Fee", "Contingency"]


def company_values(company_id: str) -> list[str]:
    if company_id in COMPANY_VALUES:
        return COMPANY_VALUES[company_id]
    since = dt.date(2015, 1, 1) + dt.timedelta(days=_rng.randint(0, 3000))
    return [
        since.isoformat() if _rng.random() < 0.7 else since.strftime("%m/%d/%Y"),
        f"{_rng.randint(1, 900) * 100000:.2f}" if _rng.random() < 0.6 else "",
        str(_rng.randint(5, 5000)),
        _rng.choice(TIERS + [""]),
        _rng.choice(CHECKBOX_SPELLINGS),
        "",
    ]


def contact_values(contact_id: str) -> list[str]:
    if contact_id in CONTACT_VALUES:
        return CONTACT_VALUES[contact_id]
    event = dt.datetime(2023, 1, 10, 18, 0) + dt.timedelta(days=_rng.randint(0, 400))
    interests = sorted(set(_rng.sample(INTERESTS, _rng.randint(0, 3))), key=INTERESTS.index)
    return [
        _rng.choice(LANGUAGES + ["", ""]),
        ";".join(interests),
        event.strftime("%Y-%m-%d %H:%M:%S") if _rng.random() < 0.5 else "",
        _rng.choice(CHECKBOX_SPELLINGS),
        "",
    ]


def deal_values(deal: list) -> list:
    """Return the custom field cells of one Matters.xlsx row: XLSX types mixed with text."""
    hand_written = {
        "M-3001": [1500000, "Capped Fee", 1200, None, True, 1250.0,
                   "<p>Share purchase of the <b>UK operating company</b>.</p><ul><li>SPA</li>"
                   "<li>Disclosure letter</li></ul>", dt.datetime(2023, 11, 2, 10, 15)],
        "M-3002": ["20000", "Hourly", "80", "2024-05-20", "Yes", 250.0, None, "2023-11-20 11:00:00"],
        "M-3003": [None, "Fixed Fee", "40", None, "No", None, "<p>German law, <i>English</i> translation.</p>",
                   "2024-01-11T09:30:00Z"],
        "M-3004": [600000, "Capped Fee", 400, dt.date(2024, 9, 12), False, 1500.0, None, None],
        "M-3005": [80000, "Hourly", 160, None, "x", 500.0, None, "2023-10-03 08:00:00"],
        "M-3006": [300000, "Contingency", 600, "13 Nov 2023", "1", 500.0, "<p>LMAA arbitration.</p>",
                   dt.datetime(2023, 2, 15, 9, 0)],
    }
    if deal[0] in hand_written:
        return hand_written[deal[0]]
    cap = _rng.randint(2, 90) * 10000 if _rng.random() < 0.7 else None
    hours = _rng.randint(2, 60) * 10 if _rng.random() < 0.8 else None
    per_hour = round(cap / hours, 2) if cap and hours else None
    court = dt.date(2024, 1, 8) + dt.timedelta(days=_rng.randint(0, 600)) if deal[2] == "P-2" else None
    signed = _rng.choice([True, False, "Yes", "No", "1", None])
    return [cap, _rng.choice(BILLING), hours, court, signed, per_hour, None, None]


ACTIVITY_HEADER = [
    "Activity ID", "Type", "Subject", "Notes", "Status", "Due Date", "Completed At", "Created", "Matter ID",
    "Contact ID", "Account ID", "Assigned To", "Duration (min)",
]
ACTIVITIES = [
    ["A-5001", "call", "Kick-off call with Fiona O'Brien", "Agreed the timetable.\nSPA draft due next week.",
     "done", "2024-01-15 10:00:00", "2024-01-15 10:40:00", "2024-01-10 09:00:00", "M-3001", "", "", "U-01", "40"],
    ["A-5002", "email", "Engagement letter sent",
     "<p>Sent the <b>engagement letter</b> for signature.</p><p>Regards,<br>Karl</p>", "done", "",
     "2024-01-12T08:05:00Z", "2024-01-12T08:05:00Z", "", "CT-2001", "", "karl.meyer@hartwell-legal.example", ""],
    ["A-5003", "meeting", "Board meeting – Müller & Söhne", "Presented the supply agreement structure.", "done",
     "2024-02-12T09:00:00+01:00", "2024-02-12 11:30:00", "2024-02-01 16:20:00", "", "", "CO-1003", "U-07", "150"],
    ["A-5004", "task", "Prepare the disclosure bundle", "", "open", FUTURE.isoformat(), "", "2024-03-05 15:00:00",
     "M-3004", "", "", "U-02", ""],
    ["A-5005", "task", "Chase the signed engagement letter", "", "open", "2024-01-15", "", "2024-01-10 08:30:00",
     "M-3003", "", "", "U-07", ""],
    # M-2999 was deleted in Allegory, so the deals file has no such row.
    ["A-5006", "call", "Call about the withdrawn claim", "Client withdrew the claim.", "done", "2023-09-04",
     "2023-09-04 15:00:00", "2023-09-04 14:30:00", "M-2999", "", "", "U-02", "20"],
    ["A-5007", "meeting", "Settlement meeting", "", "open", "03/07/2031 14:00", "", "2024-03-01 12:00:00",
     "M-3003", "", "", "tom.ashby@hartwell-legal.example", "60"],
    ["A-5008", "email", "Fee quote declined", "The bank chose another firm.", "done", "", "5 Mar 2024 09:30",
     "5 Mar 2024 09:30", "M-3005", "", "", "U-03", ""],
    ["A-5009", "task", "Send the file to archive", "", "open", "2022-06-01", "", "2022-05-20 10:00:00", "M-3002",
     "", "", "h.weber@hartwell-legacy.example", ""],
    ["A-5010", "call", "Introductory call", "Interested in the Series B timetable.", "done", "2023-01-06",
     "2023-01-06 17:05:00", "2023-01-05 16:45:00", "", "CT-2005", "", "U-02", "25"],
    ["A-5011", "CALL", "Follow-up on the charter party award", "", "Done", "2024-01-08", "2024-01-08 11:00:00",
     "2024-01-05 10:00:00", "M-3006", "", "", "U-04", "15"],
    ["A-5012", "Meeting", "Completion meeting", "Signing and completion.", "done", "2024-03-05T13:00:00.000Z",
     "2024-03-05T14:30:00.000Z", "2024-02-20T09:00:00.000Z", "M-3001", "", "", "U-01", "90"],
]
ACTIVITY_SUBJECTS = {
    "call": ["Status call", "Call with the client", "Call with opposing counsel"],
    "email": ["Sent draft for comments", "Sent fee estimate", "Sent case update"],
    "meeting": ["Client meeting", "Negotiation meeting", "Strategy meeting"],
    "task": ["Review the draft", "File the documents", "Prepare the board minutes", "Update the client"],
}

NOTE_HEADER = ["Note ID", "Note", "Matter ID", "Contact ID", "Account ID", "Created By", "Created On"]
PASTED_HTML = (
    '<div style="font-family:Calibri"><h2>Call with Fiona &amp; the board</h2>'
    "<p>Points agreed on <b>Tuesday</b>:</p>"
    "<table border=\"1\"><tr><th>Item</th><th>Owner</th></tr>"
    "<tr><td>Data room access</td><td>Harbour</td></tr>"
    "<tr><td>SPA mark-up</td><td>Hartwell</td></tr></table>"
    '<p>Documents are in the <a href="https://dataroom.example/harbour">data room</a>.</p>'
    "<script>alert('pasted from a web page')</script>"
    '<p onclick="track()">Next call in two weeks.</p></div>'
)
NOTES = [
    ["N-6001", "Client wants completion before the end of March.\nFee cap agreed at USD 1.5m.", "M-3001", "", "",
     "U-01", "2024-01-16 09:12:00"],
    ["N-6002", PASTED_HTML, "", "", "CO-1001", "claire.dubois@hartwell-legal.example", "2024-01-08T17:00:00Z"],
    ["N-6003", "Frau Müller wünscht Rückruf wegen des Vertragsentwurfs (Fristverlängerung bis 15.03.).", "",
     "CT-2001", "", "U-07", "19 Feb 2024 12:55"],
    ["N-6004", "Photo of the workshop whiteboard attached.", "M-3003", "", "", "U-07", "2024-02-01 12:10:00"],
    ["N-6005", "Site manager's claim: see the witness statement.", "", "", "CO-1008", "U-08", "2023-11-21 08:45:00"],
]
NOTE_TEXTS = ["Client asked for a fee estimate.", "Draft sent for review.", "Waiting for the client's comments.",
              "Conflict check completed.", "Call notes: timetable agreed.\nNext step: first draft."]

ATTACHMENT_HEADER = [
    "Attachment ID", "File Name", "File Path", "Matter ID", "Contact ID", "Account ID", "Note ID", "MIME Type",
    "Uploaded By", "Uploaded At",
]
ATTACHMENTS = [
    ["AT-7001", "engagement letter.pdf", "files/M-3001/engagement letter.pdf", "M-3001", "", "", "",
     "application/pdf", "U-01", "2024-01-12 08:00:00"],
    ["AT-7002", "Supply agreement draft v3.docx", "files/M-3003/Supply agreement draft v3.docx", "M-3003", "", "", "",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "karl.meyer@hartwell-legal.example", "2024-02-01T12:00:00Z"],
    ["AT-7003", "Vertragsentwurf Müller – final.pdf", "files/CO-1003/Vertragsentwurf Müller – final.pdf", "", "",
     "CO-1003", "", "", "U-07", "2024-02-19T12:40:00Z"],
    ["AT-7004", "whiteboard.png", "files/notes/N-6004/whiteboard.png", "", "", "", "N-6004", "image/png", "U-07",
     "2024-02-01 12:10:00"],
    # The export lost this file: the row is here, the file is not.
    ["AT-7005", "witness statement.pdf", "files/M-3002/witness statement.pdf", "M-3002", "", "", "",
     "application/pdf", "U-08", "2023-11-21 08:50:00"],
    ["AT-7006", "hearing bundle.pdf", "files/M-3006/hearing bundle.pdf", "M-3006", "", "", "", "application/pdf",
     "U-04", "2023-11-30 17:00:00"],
    # The path differs in letter case from the file's name in files/CT-2005/.
    ["AT-7007", "Passport copy.pdf", "files/CT-2005/PASSPORT COPY.PDF", "", "CT-2005", "", "", "application/pdf",
     "U-02", "2023-01-05 17:00:00"],
    # Written on Windows: backslashes between folders.
    ["AT-7008", "term sheet.pdf", "files\\M-3004\\term sheet.pdf", "M-3004", "", "", "", "", "U-02",
     "2024-03-05 15:10:00"],
]

STAGE_HISTORY_HEADER = ["Matter ID", "Stage", "Entered", "Left"]
STAGE_HISTORY = [
    ["M-3001", "S-11", "2023-10-02 09:00:00", "2023-10-04 10:00:00"],
    ["M-3001", "S-12", "2023-10-04 10:00:00", "2023-10-09 16:30:00"],
    ["M-3001", "S-13", "2023-10-09 16:30:00", "2023-11-02 10:15:00"],
    ["M-3001", "S-14", "2023-11-02 10:15:00", "2024-03-05 14:30:00"],
    ["M-3001", "S-15", "2024-03-05 14:30:00", ""],
    ["M-3002", "S-21", "2023-11-20T10:00:00Z", "2023-11-22T09:00:00Z"],
    ["M-3002", "S-22", "2023-11-22T09:00:00Z", "2024-03-05T17:00:00Z"],
    ["M-3002", "S-25", "2024-03-05T17:00:00Z", ""],
    ["M-3003", "S-11", "10 Jan 2024 08:00", "11 Jan 2024 09:30"],
    ["M-3003", "S-12", "11 Jan 2024 09:30", "1 Feb 2024 12:00"],
    ["M-3003", "S-13", "1 Feb 2024 12:00", ""],
    # M-3004 went back from Engagement Letter Sent to Conflict Check, then forward again.
    ["M-3004", "S-11", "2024-01-03 09:00:00", "2024-01-05 09:00:00"],
    ["M-3004", "S-13", "2024-01-05 09:00:00", "2024-01-19 15:00:00"],
    ["M-3004", "S-12", "2024-01-19 15:00:00", "2024-02-02 11:00:00"],
    ["M-3004", "S-13", "2024-02-02 11:00:00", "2024-02-20 10:00:00"],
    ["M-3004", "S-14", "2024-02-20 10:00:00", ""],
    ["M-3006", "S-21", "2023-02-14 09:00:00", "2023-02-15 09:00:00"],
    ["M-3006", "S-22", "2023-02-15 09:00:00", "2023-05-02 09:00:00"],
    ["M-3006", "S-23", "2023-05-02 09:00:00", "2023-12-29 15:00:00"],
    ["M-3006", "S-24", "2023-12-29 15:00:00", ""],
]
STAGE_ORDER = {"P-1": ["S-11", "S-12", "S-13", "S-14"], "P-2": ["S-21", "S-22", "S-23"]}


def filler_activities(deals: list[list], contacts: list[list], users: list[list]) -> list[list[str]]:
    """Return two activities for each filler matter and one for every third filler contact."""
    rows = []
    number = 5101
    for deal in deals[6:]:
        created = dt.datetime.strptime(deal[15], "%Y-%m-%d %H:%M:%S")
        for step in range(2):
            kind = _rng.choice(list(ACTIVITY_SUBJECTS))
            done = step == 0 or deal[4] != "open"
            due = created + dt.timedelta(days=7 + step * _rng.randint(20, 200), hours=_rng.randint(0, 8))
            if not done and _rng.random() < 0.5:
                due = dt.datetime(FUTURE.year, _rng.randint(1, 12), _rng.randint(1, 28), 10, 0)
            rows.append(_activity_row(number, kind, done, due, created, deal[0], "", users))
            number += 1
    for contact in contacts[7::3]:
        created = dt.datetime.strptime(contact[15], "%Y-%m-%d %H:%M:%S")
        due = created + dt.timedelta(days=_rng.randint(1, 60))
        rows.append(_activity_row(number, "call", True, due, created, "", contact[0], users))
        number += 1
    return rows


def _activity_row(number: int, kind: str, done: bool, due: dt.datetime, created: dt.datetime, deal_id: str,
                  contact_id: str, users: list[list]) -> list[str]:
    owner = _rng.choice(users)
    stamp = "%Y-%m-%dT%H:%M:%SZ" if number % 2 else "%Y-%m-%d %H:%M:%S"
    due_text = due.date().isoformat() if kind == "task" else due.strftime(stamp)
    completed = (due + dt.timedelta(minutes=_rng.randint(15, 240))).strftime(stamp) if done else ""
    duration = str(_rng.choice([15, 30, 45, 60, 90])) if kind in ("call", "meeting") else ""
    return [
        f"A-{number}", kind, _rng.choice(ACTIVITY_SUBJECTS[kind]), "" if _rng.random() < 0.6 else
        _rng.choice(NOTE_TEXTS), "done" if done else "open", due_text, completed, created.strftime(stamp), deal_id,
        contact_id, "", owner[0] if number % 3 else owner[1], duration,
    ]


def filler_notes(deals: list[list], contacts: list[list], users: list[list]) -> list[list[str]]:
    """Return a note for every other filler matter and every fifth filler contact."""
    rows = []
    number = 6101
    targets = [(deal[0], "", deal[15]) for deal in deals[6::2]] + [("", contact[0], contact[15])
                                                                    for contact in contacts[7::5]]
    for deal_id, contact_id, created in targets:
        moment = dt.datetime.strptime(created, "%Y-%m-%d %H:%M:%S") + dt.timedelta(days=_rng.randint(1, 90))
        owner = _rng.choice(users)
        rows.append([f"N-{number}", _rng.choice(NOTE_TEXTS), deal_id, contact_id, "",
                     owner[0] if number % 2 else owner[1], moment.strftime("%Y-%m-%d %H:%M:%S")])
        number += 1
    return rows


def filler_stage_history(deals: list[list], won: dict[str, str], lost: dict[str, str]) -> list[list[str]]:
    """Return each filler matter's way through the open stages of its pipeline to its stage now."""
    rows = []
    for deal in deals[6:]:
        deal_id, pipeline, stage, status = deal[0], deal[2], deal[3], deal[4]
        order = STAGE_ORDER[pipeline]
        if status == "open":
            path = order[: order.index(stage) + 1]
        else:
            path = order[: _rng.randint(1, len(order))] + [won[pipeline] if status == "won" else lost[pipeline]]
        moment = dt.datetime.strptime(deal[15], "%Y-%m-%d %H:%M:%S")
        for position, stage_id in enumerate(path):
            entered = moment
            moment = moment + dt.timedelta(days=_rng.randint(1, 30), hours=_rng.randint(0, 8))
            left = "" if position == len(path) - 1 else moment.strftime("%Y-%m-%d %H:%M:%S")
            rows.append([deal_id, stage_id, entered.strftime("%Y-%m-%d %H:%M:%S"), left])
    return rows


def write_files(folder: Path) -> None:
    """Write the attachment files, except the one the export lost (AT-7005)."""
    files = {
        "M-3001/engagement letter.pdf": pdf_bytes("Engagement letter - Acquisition of Harbour Logistics"),
        "M-3003/Supply agreement draft v3.docx": docx_bytes("Supply agreement between Müller & Söhne GmbH and ..."),
        "CO-1003/Vertragsentwurf Müller – final.pdf": pdf_bytes("Vertragsentwurf - final"),
        "notes/N-6004/whiteboard.png": png_bytes(),
        "CT-2005/Passport copy.pdf": pdf_bytes("Passport copy (redacted)"),
        "M-3004/term sheet.pdf": pdf_bytes("Series B term sheet"),
    }
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    write_big_file(folder / "M-3006" / "hearing bundle.pdf")


def pdf_bytes(text: str) -> bytes:
    """Return a one-page PDF that shows `text` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    """Return a minimal Word document; fixed member times keep its bytes the same on every run."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 2, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8"))
    return out.getvalue()


def png_bytes() -> bytes:
    """Return a 2x2 grey PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80" * 2, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def write_big_file(path: Path) -> None:
    """Write a 30 MiB PDF-like file of one repeated 16-byte block, which git packs to about 60 KiB.

    The block contains a NUL byte, so git treats the file as binary.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% hearing bundle, scanned: 30 MiB of filler\n"
    tail = b"\n%%EOF\n"
    block = b"\x00hearing-bundle\xff" * 65536
    body_size = BIG_FILE_BYTES - len(head) - len(tail)
    with open(path, "wb") as stream:
        stream.write(head)
        written = 0
        while written < body_size:
            piece = block[: body_size - written]
            stream.write(piece)
            written += len(piece)
        stream.write(tail)
