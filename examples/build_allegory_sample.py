"""Write the example export in examples/allegory-sample/ (run from the repository root).

The hand-written records carry the awkward cases listed in the example's README. The
filler records around them come from a fixed seed, so running this again rewrites the
same files. Edit this script, not the files, and rerun it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import unicodedata
from pathlib import Path

import openpyxl

import allegory_sample_history as history

OUT = Path(__file__).resolve().parent / "allegory-sample"
_rng = random.Random("allegory-sample-2024")

USERS = [
    # id, email, first, last, full, active
    ["U-01", "claire.dubois@hartwell-legal.example", "Claire", "Dubois", "Claire Dubois", "Yes"],
    ["U-02", "tom.ashby@hartwell-legal.example", "Tom", "Ashby", "Tom Ashby", "Yes"],
    ["U-03", "ines.garcia@hartwell-legal.example", "Inés", "García", "Inés García", "Yes"],
    ["U-04", "lars.nielsen@hartwell-legal.example", "Lars", "Nielsen", "Lars Nielsen", "Yes"],
    ["U-05", "amara.okafor@hartwell-legal.example", "Amara", "Okafor", "Amara Okafor", "Yes"],
    ["U-06", "ben.walsh@hartwell-legal.example", "Ben", "Walsh", "Ben Walsh", "Yes"],
    ["U-07", "karl.meyer@hartwell-legal.example", "Karl", "Meyer", "Karl Meyer", "Yes"],
    # Left the firm: his email will have no Odoo user, and records he owns must be reassigned.
    ["U-08", "h.weber@hartwell-legacy.example", "Hans", "Weber", "Hans Weber", "No"],
]
ACTIVE_USERS = [user for user in USERS if user[5] == "Yes"]

PIPELINES = [["P-1", "Corporate & M&A"], ["P-2", "Litigation"]]
# id, pipeline, name, position, probability, won, lost, folded
STAGES = [
    ["S-11", "P-1", "Enquiry", "1", "10", "0", "0", "0"],
    ["S-12", "P-1", "Conflict Check", "2", "20", "0", "0", "0"],
    ["S-13", "P-1", "Engagement Letter Sent", "3", "50", "0", "0", "0"],
    ["S-14", "P-1", "Instructed", "4", "80", "0", "0", "0"],
    ["S-15", "P-1", "Completed", "5", "100", "1", "0", "1"],
    ["S-16", "P-1", "Not Instructed", "6", "0", "0", "1", "1"],
    ["S-21", "P-2", "Initial Assessment", "1", "10", "0", "0", "0"],
    ["S-22", "P-2", "Pre-action", "2", "30", "0", "0", "0"],
    ["S-23", "P-2", "Proceedings Issued", "3", "60", "0", "0", "0"],
    ["S-24", "P-2", "Settled / Judgment", "4", "100", "1", "0", "1"],
    ["S-25", "P-2", "Declined", "5", "0", "0", "1", "1"],
]
OPEN_STAGES = {"P-1": ["S-11", "S-12", "S-13", "S-14"], "P-2": ["S-21", "S-22", "S-23"]}
WON_STAGE = {"P-1": "S-15", "P-2": "S-24"}
LOST_STAGE = {"P-1": "S-16", "P-2": "S-25"}

TAGS = [
    # id, name, color, scope
    ["T-01", "Key Client", "red", "all"],
    ["T-02", "Cross-border", "#1F77B4", "deal"],
    ["T-03", "Conflict Cleared", "green", "deal"],
    ["T-04", "Fixed Fee", "#FF7F0E", "deal"],
    ["T-05", "Referral", "purple", "contact"],
    ["T-06", "Panel Firm", "#2CA02C", "company"],
    ["T-07", "Board Level", "blue", "contact"],
    ["T-08", "Pro Bono", "yellow", "all"],
    ["T-09", "Urgent", "#D62728", "deal"],
    ["T-10", "Regulated", "orange", "company"],
    ["T-11", "Newsletter", "", "contact"],
    ["T-12", "Tender", "#9467BD", "deal"],
]

COMPANY_HEADER = [
    "Account ID", "Account Name", "Parent Account ID", "Website", "Phone", "E-mail", "Industry",
    "Street Address", "Address Line 2", "City", "State/Province", "Postal Code", "Country",
    "VAT Number", "Account Owner", "Tags", "Created On", "Last Modified",
]
# The hand-written companies; the rest are filler.
COMPANIES = [
    ["CO-1001", "Harbour Logistics Holdings plc", "", "https://harbourlogistics.example", "+44 20 7946 0101",
     "legal@harbourlogistics.example", "Logistics", "One Canada Square\nCanary Wharf", "Level 30", "London", "", "E14 5AB",
     "United Kingdom", "GB123456789", "U-01", "Key Client;Panel Firm", "2021-02-11 09:15:00", "2024-01-08 17:02:11"],
    ["CO-1002", "Harbour Logistics Ltd", "CO-1001", "https://harbourlogistics.example/uk", "+44 20 7946 0102",
     "", "Logistics", "Dock Road 4", "", "Southampton", "", "SO14 3XX", "GB", "", "U-01", "Key Client",
     "2021-02-11 09:20:00", "2023-11-30 10:00:00"],
    ["CO-1003", "Müller & Söhne GmbH", "", "https://mueller-soehne.example", "+49 89 1234567",
     "info@mueller-soehne.example", "Manufacturing", "Leopoldstraße 12", "", "München", "BY", "80802",
     "DE", "DE812345678", "U-07", "Cross-border", "2020-06-01 08:00:00", "2024-02-19 12:45:00"],
    ["CO-1004", "Banco Horizonte São Paulo S.A.", "", "https://bancohorizonte.example", "+55 11 3000 1000",
     "juridico@bancohorizonte.example", "Financial Services", "Avenida Paulista 1000", "Conjunto 52",
     "São Paulo", "SP", "01310-100", "Brazil", "", "U-03", "Regulated", "2022-09-14 13:30:00",
     "2024-03-01 09:00:00"],
    ["CO-1005", "Golden Gate Ventures Inc.", "", "https://goldengate-ventures.example", "+1 415 555 0100",
     "", "Venture Capital", "600 Montgomery Street", "", "San Francisco", "CA", "94111", "US", "",
     "U-02", "", "2023-01-05 16:00:00", "2024-03-05 14:30:00"],
    ["CO-1006", "Bodegas del Puerto S.L.", "", "https://bodegasdelpuerto.example", "+34 956 000 111",
     "", "Food & Beverage", "Calle Larga 8", "", "Jerez de la Frontera", "CA", "11403", "Spain",
     "ESB11223344", "U-03", "", "2022-04-22 10:10:00", "2023-12-12 12:12:12"],
    ["CO-1007", "Nordlys Shipping A/S", "", "https://nordlys-shipping.example", "+45 33 12 34 56", "",
     "Shipping", "Strandgade 91", "", "København", "", "1401", "Denmark", "DK12345678", "U-04",
     "Cross-border", "2021-08-30 11:00:00", "2024-01-15 08:30:00"],
    ["CO-1008", "Meyer Bau GmbH", "", "https://meyer-bau.example", "+49 40 987654", "", "Construction",
     "Mönckebergstraße 7", "", "Hamburg", "HH", "20095", "Germany", "", "U-08", "", "2019-11-11 11:11:11",
     "2022-05-05 05:05:05"],
]
FILLER_WORDS = ["Albion", "Meridian", "Kestrel", "Ironbridge", "Lumen", "Granite", "Bluewater", "Fenwick",
                "Solstice", "Thistle", "Oakridge", "Marlow", "Halcyon", "Vireo", "Crescent", "Northgate"]
FILLER_TRADES = ["Capital", "Pharma", "Foods", "Energy", "Software", "Properties", "Media", "Engineering",
                 "Retail", "Biotech", "Textiles", "Insurance"]
FILLER_PLACES = [
    # city, state, zip, country (codes and names mixed, as Allegory stored them)
    ("London", "", "EC2V 7HH", "GB"), ("Manchester", "", "M1 1AE", "United Kingdom"),
    ("Berlin", "BE", "10117", "DE"), ("Frankfurt am Main", "HE", "60311", "Germany"),
    ("New York", "NY", "10004", "US"), ("Los Angeles", "CA", "90017", "United States"),
    ("Madrid", "MD", "28013", "ES"), ("Lyon", "", "69002", "France"), ("Dublin", "", "D02 X285", "IE"),
    ("Zürich", "ZH", "8001", "Switzerland"),
]
SUFFIXES = {"GB": "Ltd", "United Kingdom": "plc", "DE": "GmbH", "Germany": "AG", "US": "Inc.",
            "United States": "LLC", "ES": "S.L.", "France": "SAS", "IE": "Ltd", "Switzerland": "AG"}

CONTACT_HEADER = [
    "Contact ID", "Given Name", "Surname", "Email Address", "Phone", "Mobile", "Job Title", "Company ID",
    "Street", "City", "State", "Zip", "Country", "Owner Email", "Tags", "Created", "Updated", "LinkedIn",
]
CONTACTS = [
    # Zoë Müller works at Müller & Söhne (primary) and sits on the Harbour Logistics board.
    ["CT-2001", "Zoë", "Müller", "zoe.mueller@mueller-soehne.example", "+49 89 1234560", "+49 170 1111111",
     "Geschäftsführerin", "CO-1003", "Leopoldstraße 12", "München", "BY", "80802", "DE",
     "karl.meyer@hartwell-legal.example", "Board Level", "2020-06-02 09:00:00", "2024-02-19 12:50:00",
     "https://www.linkedin.com/in/zoe-mueller"],
    ["CT-2002", "Søren", "Kierkegaard-Holm", "soren.holm@nordlys-shipping.example", "+45 33 12 34 50", "",
     "General Counsel – Nordics", "CO-1007", "Strandgade 91", "København", "", "1401", "DK",
     "lars.nielsen@hartwell-legal.example", "Referral", "2021-08-30 11:30:00", "2024-01-15 08:35:00", ""],
    ["CT-2003", "João", "Conceição", "joao.conceicao@bancohorizonte.example", "+55 11 3000 1001", "",
     "Diretor Jurídico", "CO-1004", "Avenida Paulista 1000", "São Paulo", "SP", "01310-100", "Brasil",
     "ines.garcia@hartwell-legal.example", "", "2022-09-14 14:00:00", "2024-03-01 09:10:00", ""],
    ["CT-2004", "Peter", "Meyer", "p.meyer@meyer-bau.example", "+49 40 987650", "", "Managing Director",
     "CO-1008", "Mönckebergstraße 7", "Hamburg", "HH", "20095", "Germany",
     "h.weber@hartwell-legacy.example", "", "2019-11-11 11:30:00", "2022-05-05 05:10:00", ""],
    ["CT-2005", "Rachel", "Kim", "rachel.kim@goldengate-ventures.example", "+1 415 555 0101", "",
     "Partner", "CO-1005", "600 Montgomery Street", "San Francisco", "CA", "94111", "US",
     "tom.ashby@hartwell-legal.example", "", "2023-01-05 16:30:00", "2024-03-05 14:35:00", ""],
    ["CT-2006", "Lucía", "Fernández", "lucia@bodegasdelpuerto.example", "+34 956 000 112", "",
     "Directora Financiera", "CO-1006", "Calle Larga 8", "Jerez de la Frontera", "CA", "11403", "ES",
     "ines.garcia@hartwell-legal.example", "", "2022-04-22 10:30:00", "2023-12-12 12:30:00", ""],
    ["CT-2007", "Fiona", "O'Brien", "fiona.obrien@harbourlogistics.example", "+44 20 7946 0110", "",
     "Head of Legal “Group”", "CO-1001", "1 Canary Wharf", "London", "", "E14 5AB", "United Kingdom",
     "claire.dubois@hartwell-legal.example", "Key Client", "2021-02-11 10:00:00", "2024-01-08 17:10:00", ""],
]
FIRST_NAMES = ["Anna", "Björn", "Chloé", "David", "Elif", "François", "Greta", "Hannah", "Íñigo", "James",
               "Katrin", "Maëlle", "Nils", "Olivia", "Pilar", "René", "Sofía", "Thomas", "Ursula", "Åsa"]
LAST_NAMES = ["Andersson", "Brennan", "Castillo", "Dupont", "Eriksen", "Fischer", "Gallagher", "Hoffmann",
              "Ibáñez", "Jäger", "Keller", "Lambert", "Moreau", "Nuñez", "Østergaard", "Patel", "Quinn",
              "Rossi", "Schäfer", "Thompson"]
JOB_TITLES = ["General Counsel", "CFO", "CEO", "Head of HR", "Company Secretary", "Legal Counsel", "Director"]

DEAL_HEADER = [
    "Matter ID", "Matter Name", "Practice Area", "Stage", "Status", "Value", "Currency",
    "Expected Close Date", "Probability", "Client", "Primary Contact", "Assigned To", "Description",
    "Lost Reason", "Tags", "Created At", "Updated At", "Closed At",
]
LOST_REASONS = ["Fee quote too high", "Conflict of interest", "Client chose another firm", "Matter withdrawn"]
MATTERS_P1 = ["Acquisition of {c}", "Disposal of {c} subsidiary", "Shareholder agreement – {c}",
              "Debt refinancing – {c}", "Joint venture – {c}"]
MATTERS_P2 = ["Contract claim v {c}", "Employment dispute – {p}", "Injunction – {c}", "Arbitration – {c}"]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    companies = COMPANIES + filler_companies(52)
    contacts = CONTACTS + filler_contacts(113, companies)
    COMPANY_LABELS.update({company[0]: company[1] for company in companies})
    write_csv("users.csv", ["ID", "Email", "First Name", "Last Name", "Full Name", "Active"], USERS)
    write_csv("practice_areas.csv", ["Pipeline ID", "Pipeline Name"], PIPELINES)
    write_csv("pipeline_stages.csv", ["Stage ID", "Pipeline ID", "Stage Name", "Order", "Probability (%)",
                                      "Won", "Lost", "Folded"], STAGES, delimiter=";")
    write_csv("tags.csv", ["Tag ID", "Tag Name", "Colour", "Applies To"], TAGS)
    # Custom field values are the last columns. They come from their own seed, so the
    # other columns keep the values they had before the fields were added.
    write_csv("Accounts.csv", COMPANY_HEADER + history.COMPANY_FIELD_HEADERS,
              [company + history.company_values(company[0]) for company in companies], encoding="utf-8-sig")
    write_csv("Contacts Export.csv", CONTACT_HEADER + history.CONTACT_FIELD_HEADERS,
              [contact + history.contact_values(contact[0]) for contact in contacts], encoding="cp1252")
    write_csv("contact_companies.csv", ["Contact ID", "Company ID", "Primary", "Role"], associations(contacts))
    deals = build_matters(contacts)
    write_matters(deals)
    write_history(deals, contacts)


def write_history(deals: list[list], contacts: list[list]) -> None:
    """Write the custom field definitions, activities, notes, attachments and stage history."""
    write_csv("custom_fields.csv", history.CUSTOM_FIELDS_HEADER, history.CUSTOM_FIELDS)
    write_csv("activities.csv", history.ACTIVITY_HEADER,
              history.ACTIVITIES + history.filler_activities(deals, contacts, ACTIVE_USERS))
    write_csv("notes.csv", history.NOTE_HEADER, history.NOTES + history.filler_notes(deals, contacts, ACTIVE_USERS))
    write_csv("attachments.csv", history.ATTACHMENT_HEADER, history.ATTACHMENTS)
    write_csv("stage_history.csv", history.STAGE_HISTORY_HEADER,
              history.STAGE_HISTORY + history.filler_stage_history(deals, WON_STAGE, LOST_STAGE))
    history.write_files(OUT / "files")


def filler_companies(count: int) -> list[list[str]]:
    rows = []
    for index in range(count):
        word = FILLER_WORDS[index % len(FILLER_WORDS)]
        trade = FILLER_TRADES[(index * 7) % len(FILLER_TRADES)]
        city, state, zip_code, country = FILLER_PLACES[index % len(FILLER_PLACES)]
        slug = f"{word}{trade}".lower()
        owner = _rng.choice(ACTIVE_USERS)
        rows.append([
            f"CO-{1101 + index}", f"{word} {trade} {SUFFIXES[country]}", "", f"https://{slug}.example",
            f"+{_rng.randint(1, 49)} {_rng.randint(100, 999)} {_rng.randint(100000, 999999)}",
            f"office@{slug}.example" if index % 3 else "", trade, f"{_rng.randint(1, 200)} Market Street",
            "", city, state, zip_code, country, "", owner[0] if index % 2 else owner[1],
            _rng.choice(["", "", "Panel Firm", "Regulated", "Key Client;Regulated"]),
            stamp(index), stamp(index + 400),
        ])
    return rows


def filler_contacts(count: int, companies: list[list[str]]) -> list[list[str]]:
    rows = []
    for index in range(count):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 3) % len(LAST_NAMES)]
        company = companies[8 + index % (len(companies) - 8)]
        domain = company[3].removeprefix("https://")
        owner = _rng.choice(ACTIVE_USERS)
        rows.append([
            f"CT-{2101 + index}", first, last, f"{ascii_name(first)}.{ascii_name(last)}@{domain}",
            f"+{_rng.randint(1, 49)} {_rng.randint(100, 999)} {_rng.randint(100000, 999999)}",
            f"+{_rng.randint(1, 49)} 7{_rng.randint(10, 99)} {_rng.randint(100000, 999999)}" if index % 4 == 0 else "",
            JOB_TITLES[index % len(JOB_TITLES)], company[0], company[7], company[9], company[10], company[11],
            company[12], owner[1], _rng.choice(["", "", "", "Newsletter", "Referral;Newsletter"]),
            stamp(index + 50), stamp(index + 500), "",
        ])
    return rows


def associations(contacts: list[list[str]]) -> list[list[str]]:
    rows = [[contact[0], contact[7], "Yes", "Employee"] for contact in contacts]
    rows.insert(1, ["CT-2001", "CO-1001", "No", "Non-executive director"])
    rows.append(["CT-2005", "CO-1006", "No", "Investor representative"])
    for index, contact in enumerate(contacts[10:30]):
        other = f"CO-{1101 + (index * 5) % 52}"
        if other != contact[7]:
            rows.append([contact[0], other, "No", "Adviser"])
    return rows


def build_matters(contacts: list[list[str]]) -> list[list]:
    """Return the deals with mixed cell types, as a hand-kept workbook has them."""
    march_5 = dt.datetime(2024, 3, 5, 14, 30)
    deals = [
        ["M-3001", "Acquisition of Harbour Logistics", "P-1", "S-15", "won", "$1,250,000.00", "USD",
         "2024-03-05", 100, "CO-1001", "CT-2007", "U-01", "Share purchase of the UK operating company.",
         "", "Key Client;Cross-border", march_5, "2024-03-05T14:30:00Z", "2024-03-05 14:30:00"],
        ["M-3002", "Employment dispute – Meyer", "P-2", "S-25", "lost", "€ 12.500,00", "EUR",
         "03/05/2024", 0, "CO-1008", "CT-2004", "h.weber@hartwell-legacy.example",
         "Unfair dismissal claim brought by a former site manager.", "Client chose another firm", "Urgent",
         "2023-11-20 10:00:00", "2024-03-06T09:00:00Z", "5 Mar 2024"],
        ["M-3003", "Supply agreement – Müller & Söhne", "P-1", "S-13", "open", "GBP 3,400", "",
         "5 Mar 2024", 50, "CO-1003", "CT-2001", "karl.meyer@hartwell-legal.example",
         "Framework supply agreement, German law.", "", "Cross-border;Fixed Fee", "2024-01-10 08:00:00",
         "2024-02-01T12:00:00Z", ""],
        ["M-3004", "Series B investment – Golden Gate Ventures", "P-1", "S-14", "open", 850000, "USD",
         dt.date(2024, 6, 30), 80, "CO-1005", "CT-2005", "U-02", "", "", "", march_5, march_5, ""],
        ["M-3005", "Banking licence review – Banco Horizonte", "P-1", "S-16", "lost", "R$ 450.000,00", "BRL",
         "2024-02-28", 0, "CO-1004", "CT-2003", "U-03", "", "Fee quote too high", "Regulated",
         "2023-10-02 09:00:00", "2024-02-28T16:45:00Z", "2024-02-28 16:45:00"],
        ["M-3006", "Charter party arbitration – Nordlys", "P-2", "S-24", "won", 275000.5, "DKK",
         "12/31/2023", 100, "CO-1007", "CT-2002", "U-04", "LMAA arbitration, London seat.", "",
         "Cross-border", "2023-02-14 09:00:00", "2024-01-05T10:00:00Z", dt.datetime(2023, 12, 29, 15, 0)],
    ]
    statuses = ["open"] * 6 + ["won"] * 3 + ["lost"] * 2
    for index in range(64):
        contact = contacts[7 + (index * 7) % (len(contacts) - 7)]
        pipeline = "P-1" if index % 3 else "P-2"
        status = statuses[index % len(statuses)]
        stage = {"won": WON_STAGE, "lost": LOST_STAGE}.get(status, {}).get(pipeline) or \
            OPEN_STAGES[pipeline][index % len(OPEN_STAGES[pipeline])]
        template = (MATTERS_P1 if pipeline == "P-1" else MATTERS_P2)[index % 4]
        company_name = contact[7]
        name = template.format(c=company_label(company_name), p=contact[2])
        amount, currency = AMOUNT_STYLES[index % len(AMOUNT_STYLES)](_rng.randint(5, 900) * 1000)
        close = dt.date(2024, 1, 1) + dt.timedelta(days=index * 9)
        created = dt.datetime(2023, 1, 2, 9, 0) + dt.timedelta(days=index * 5, minutes=index * 17)
        deals.append([
            f"M-{3101 + index}", name, pipeline, stage, status, amount, currency,
            DATE_STYLES[index % len(DATE_STYLES)](close), None, contact[7], contact[0],
            _rng.choice(ACTIVE_USERS)[0 if index % 2 else 1], "", _rng.choice(LOST_REASONS) if status == "lost" else "",
            _rng.choice(["", "", "Conflict Cleared", "Tender", "Fixed Fee;Urgent"]),
            created.strftime("%Y-%m-%d %H:%M:%S"), created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            (created + dt.timedelta(days=60)).strftime("%Y-%m-%d %H:%M:%S") if status != "open" else "",
        ])
    return deals


def write_matters(deals: list[list]) -> None:
    """Write the deals, with their custom field values in the last columns, as Matters.xlsx."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Matters"
    sheet.append(DEAL_HEADER + history.DEAL_FIELD_HEADERS)
    for deal in deals:
        sheet.append([None if cell == "" else cell for cell in deal + history.deal_values(deal)])
    court_date_column = len(DEAL_HEADER) + history.DEAL_FIELD_HEADERS.index("Court Date") + 1
    for column in (8, court_date_column):
        for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(row[0].value, dt.date) and not isinstance(row[0].value, dt.datetime):
                row[0].number_format = "yyyy-mm-dd"
    notes = workbook.create_sheet("Export info")
    notes.append(["Exported from Allegory", "2024-03-06"])
    # Fixed document times keep the workbook's content stable between runs.
    workbook.properties.created = workbook.properties.modified = dt.datetime(2024, 3, 6, 12, 0)
    workbook.save(OUT / "Matters.xlsx")


COMPANY_LABELS: dict[str, str] = {}


def company_label(company_id: str) -> str:
    return COMPANY_LABELS.get(company_id, company_id)


AMOUNT_STYLES = [
    lambda value: (f"${value:,.2f}", ""),
    lambda value: (f"€ {value:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."), ""),
    lambda value: (f"GBP {value:,}", ""),
    lambda value: (value, "EUR"),
    lambda value: (f"{value:.2f}", "USD"),
    lambda value: (f"{value:,}", "GBP"),
]
DATE_STYLES = [
    lambda day: day.isoformat(),
    lambda day: day.strftime("%m/%d/%Y"),
    lambda day: f"{day.day} {day.strftime('%b %Y')}",
    lambda day: day,
]


def stamp(index: int) -> str:
    moment = dt.datetime(2021, 1, 4, 9, 0) + dt.timedelta(days=index * 3, minutes=index * 41)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def ascii_name(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O").replace("'", "")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii()).lower()


def write_csv(name: str, header: list[str], rows: list[list[str]], encoding: str = "utf-8",
              delimiter: str = ",") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    (OUT / name).write_bytes(buffer.getvalue().encode(encoding))


if __name__ == "__main__":
    main()
