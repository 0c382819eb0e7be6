"""Records already in Odoo: companies and contacts created by hand are matched, not duplicated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegory2odoo.cli.main import app
from allegory2odoo.ledger.store import Ledger
from allegory2odoo.plan.existing import OdooPartner, PartnerIndex, normalise_name, normalise_vat
from migration_helpers import connect, run, xmlid_res_id

EXPORT = Path(__file__).resolve().parent / "cases" / "existing_records" / "export"


def precreate(client) -> dict[str, int]:
    """Create, through the API, the partners someone made by hand before the migration."""
    def one(values):
        return client.create("res.partner", [values])[0]

    return {
        "by_email": one({"name": "Brightwater Shipping Limited", "is_company": True,
                         "email": "info@brightwater-shipping.example"}),
        "by_vat": one({"name": "Kestrel Analytics", "is_company": True, "vat": "DE123456789"}),
        "by_name": one({"name": "LARCHMONT HOLDINGS LIMITED", "is_company": True}),
        "twin_1": one({"name": "Shared Inbox One", "is_company": True, "email": "twice@shared.example"}),
        "twin_2": one({"name": "Shared Inbox Two", "is_company": True, "email": "TWICE@shared.example"}),
        "archived": one({"name": "Old Mill Partners", "is_company": True, "active": False}),
        "person": one({"name": "Nora Quill", "is_company": False,
                       "email": " NORA.QUILL@brightwater-shipping.example"}),
    }


def count(client, domain) -> int:
    return len(client.search_read("res.partner", domain, ["id"], context={"active_test": False}))


def partner_of(client, model, xmlid_name, field):
    res_id = xmlid_res_id(client, xmlid_name)
    assert res_id is not None, f"no record with external ID __allegory__.{xmlid_name}"
    value = client.call(model, "read", [res_id], [field], context={"active_test": False})[0][field]
    return value[0] if value else None


def our_xmlid_on(client, partner_id: int) -> list[str]:
    rows = client.search_read("ir.model.data", [("module", "=", "__allegory__"), ("model", "=", "res.partner"),
                                                ("res_id", "=", partner_id)], ["name"])
    return [row["name"] for row in rows]


def skip_reasons(ledger_path, run_id, kind) -> dict[str, str]:
    with Ledger(ledger_path) as ledger:
        return {op.source_id: op.reason for op in ledger.operations(run_id, "skip") if op.kind == kind}


@pytest.fixture
def prepared(odoo_server):
    with connect(odoo_server) as client:
        yield odoo_server, client, precreate(client)


def test_link_is_default(prepared, tmp_path):
    server, client, ids = prepared
    ledger = tmp_path / "ledger.sqlite"
    result = run(server, ledger, export=EXPORT)

    assert not result.rejects, [(op.kind, op.source_id, op.reason) for op in result.rejects]
    assert result.stats["companies"]["skipped"] == 4
    assert result.stats["companies"]["created"] == 2
    assert result.stats["contacts"]["skipped"] == 1
    assert result.stats["contacts"]["created"] == 2

    assert count(client, [("email", "=ilike", "info@brightwater-shipping.example")]) == 1
    assert count(client, [("name", "ilike", "brightwater shipping")]) == 1
    assert count(client, [("name", "ilike", "kestrel")]) == 1
    assert count(client, [("name", "ilike", "larchmont")]) == 1
    assert count(client, [("name", "ilike", "old mill")]) == 1
    assert count(client, [("name", "ilike", "nora quill")]) == 1
    for key in ("by_email", "by_vat", "by_name", "archived", "person"):
        assert our_xmlid_on(client, ids[key]) == [], f"the {key} partner got an external ID of ours"


def test_link_references_land_on_existing(prepared, tmp_path):
    server, client, ids = prepared
    run(server, tmp_path / "ledger.sqlite", export=EXPORT)

    assert partner_of(client, "crm.lead", "deal_ED1", "partner_id") == ids["by_email"]
    assert partner_of(client, "crm.lead", "deal_ED2", "partner_id") == ids["person"]
    assert partner_of(client, "res.partner", "contact_EP3", "parent_id") == ids["by_vat"]
    assert partner_of(client, "res.partner", "contact_EP2", "parent_id") == xmlid_res_id(client, "company_EC6")
    messages = client.search_read("mail.message", [("model", "=", "res.partner"), ("res_id", "=", ids["by_name"])],
                                  ["body"])
    assert any("Larchmont" in message["body"] for message in messages)


def test_link_reasons_and_ledger(prepared, tmp_path):
    server, _client, ids = prepared
    ledger = tmp_path / "ledger.sqlite"
    result = run(server, ledger, export=EXPORT)

    reasons = skip_reasons(ledger, result.run_id, "companies")
    assert reasons["EC1"] == (f"linked to the existing res.partner {ids['by_email']} "
                              "(matched by email info@brightwater-shipping.example)")
    assert reasons["EC2"] == f"linked to the existing res.partner {ids['by_vat']} (matched by VAT DE123456789)"
    assert reasons["EC3"] == f"linked to the existing res.partner {ids['by_name']} (matched by name larchmont holdings)"
    assert "archived" in reasons["EC5"]
    assert str(ids["person"]) in skip_reasons(ledger, result.run_id, "contacts")["EP1"]

    with Ledger(ledger) as book:
        links = book.content_hashes("company_link")
        matches = book.partner_matches(result.run_id)
    assert {source_id: odoo_id for source_id, (odoo_id, _hash) in links.items()} == {
        "EC1": ids["by_email"], "EC2": ids["by_vat"], "EC3": ids["by_name"], "EC5": ids["archived"]}
    ambiguous = [match for match in matches if match["outcome"] == "ambiguous"]
    assert [(match["kind"], match["source_id"]) for match in ambiguous] == [("company", "EC4")]
    assert ambiguous[0]["odoo_ids"] == f"{ids['twin_1']},{ids['twin_2']}"
    assert result.notes[-1].startswith("Records already in Odoo: companies: 4 linked, 0 updated; "
                                       "contacts: 1 linked, 0 updated. Ambiguous: 1 record matched more than one partner")


def test_ambiguous_match_creates_new(prepared, tmp_path):
    server, client, ids = prepared
    ledger = tmp_path / "ledger.sqlite"
    result = run(server, ledger, export=EXPORT)

    created = xmlid_res_id(client, "company_EC4")
    assert created not in (ids["twin_1"], ids["twin_2"])
    assert count(client, [("email", "=ilike", "twice@shared.example")]) == 3
    with Ledger(ledger) as book:
        reason = next(op.reason for op in book.operations(result.run_id, "create") if op.source_id == "EC4")
    assert f"res.partner {ids['twin_1']}, {ids['twin_2']}" in reason


def test_rerun_finds_same_matches(prepared, tmp_path):
    server, client, ids = prepared
    ledger = tmp_path / "ledger.sqlite"
    first = run(server, ledger, export=EXPORT)
    partners_before = count(client, [])
    second = run(server, ledger, export=EXPORT)

    assert count(client, []) == partners_before
    for kind in ("companies", "contacts", "deals"):
        assert second.stats[kind]["created"] == 0, kind
    assert second.stats["companies"]["skipped"] == 6
    assert skip_reasons(ledger, second.run_id, "companies")["EC1"] == skip_reasons(ledger, first.run_id, "companies")["EC1"]
    assert partner_of(client, "crm.lead", "deal_ED1", "partner_id") == ids["by_email"]


def test_update_writes_and_saves_before(prepared, tmp_path):
    server, client, ids = prepared
    ledger = tmp_path / "ledger.sqlite"
    result = run(server, ledger, export=EXPORT, existing_companies="update", existing_contacts="update")

    assert not result.rejects, [(op.kind, op.source_id, op.reason) for op in result.rejects]
    assert result.stats["companies"]["updated"] == 4
    assert result.stats["companies"]["created"] == 2
    assert result.stats["contacts"]["updated"] == 1
    assert count(client, [("name", "ilike", "brightwater shipping")]) == 1
    assert xmlid_res_id(client, "company_EC1") == ids["by_email"]
    assert xmlid_res_id(client, "contact_EP1") == ids["person"]
    name = client.call("res.partner", "read", [ids["by_email"]], ["name"])[0]["name"]
    assert name == "Brightwater Shipping Ltd"
    assert partner_of(client, "crm.lead", "deal_ED1", "partner_id") == ids["by_email"]

    with Ledger(ledger) as book:
        images = {row["source_id"]: row for row in book.before_images("company")}
    assert images["EC1"]["odoo_id"] == ids["by_email"]
    assert images["EC1"]["fields"]["name"] == "Brightwater Shipping Limited"
    assert images["EC2"]["fields"]["vat"] == "DE123456789"
    assert set(images) == {"EC1", "EC2", "EC3", "EC5"}


def test_update_rerun_creates_nothing(prepared, tmp_path):
    server, client, ids = prepared
    ledger = tmp_path / "ledger.sqlite"
    run(server, ledger, export=EXPORT, existing_companies="update", existing_contacts="update")
    partners_before = count(client, [])
    second = run(server, ledger, export=EXPORT, existing_companies="update", existing_contacts="update")

    assert count(client, []) == partners_before
    assert second.stats["companies"]["created"] == 0
    assert second.stats["contacts"]["created"] == 0
    assert our_xmlid_on(client, ids["by_email"]) == ["company_EC1"]
    with Ledger(ledger) as book:
        assert len(book.before_images("company")) == 4, "a rerun saved the before-images a second time"


def test_create_makes_second_partner(prepared, tmp_path):
    server, client, ids = prepared
    result = run(server, tmp_path / "ledger.sqlite", export=EXPORT, existing_companies="create",
                 existing_contacts="create")

    assert result.stats["companies"]["created"] == 6
    assert count(client, [("email", "=ilike", "info@brightwater-shipping.example")]) == 2
    assert count(client, [("name", "ilike", "nora quill")]) == 2
    assert xmlid_res_id(client, "company_EC1") != ids["by_email"]


def test_dry_run_writes_nothing(prepared, tmp_path):
    server, client, ids = prepared
    partners_before = count(client, [])
    result = run(server, tmp_path / "ledger.sqlite", export=EXPORT, dry_run=True, existing_companies="update")

    assert count(client, []) == partners_before
    assert our_xmlid_on(client, ids["by_email"]) == []
    assert result.stats["companies"]["updated"] == 4


@pytest.mark.parametrize("exported, in_odoo", [
    ("Larchmont Holdings Ltd.", "LARCHMONT HOLDINGS LIMITED"),
    ("Müller GmbH", "Muller"),
    ("Acme, Inc.", "ACME LLC"),
    ("Foo S.L.", "foo"),
    ("Pérez & Hijos S.A.", "Perez and Hijos"),
    ("Zeta B.V.", "Zeta BV"),
])
def test_names_normalise_equal(exported, in_odoo):
    assert normalise_name(exported) == normalise_name(in_odoo)


def test_name_keeps_leading_legal_word():
    assert normalise_name("AG Partners") == "ag partners"
    assert normalise_name("Ltd") == "ltd"


def test_vat_normalised():
    assert normalise_vat(" be 0477.472-701 ") == "BE0477472701"


def test_contact_name_needs_domain_or_company():
    index = PartnerIndex([OdooPartner(5, "Nora Quill", "nq@brightwater.example", None, False, True, 9)])
    assert index.find_contact("Nora Quill", "nora@brightwater.example", None).partner.id == 5
    assert index.find_contact("Nora Quill", None, 9).partner.id == 5
    assert index.find_contact("Nora Quill", "nora@elsewhere.example", 7).partner is None


def test_company_not_matched_to_person():
    index = PartnerIndex([OdooPartner(5, "Nora Quill", "info@acme.example", None, False, True, None)])
    assert index.find_company("Acme", "info@acme.example", None).partner is None


def test_ledger_v1_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
            export_path TEXT NOT NULL, odoo_url TEXT, odoo_db TEXT, odoo_version TEXT, protocol TEXT,
            options TEXT NOT NULL);
        INSERT INTO runs VALUES (1, '2026-01-01', NULL, 'finished', 'export', NULL, NULL, NULL, NULL, '{}');
    """)
    old.close()

    with Ledger(path) as ledger:
        assert ledger.runs()[0]["export_path"] == "export"
        ledger.record_before_images(1, [("company", "C1", "res.partner", 4, {"name": "Old"})])
        assert ledger.before_images("company")[0]["fields"] == {"name": "Old"}
    version = sqlite3.connect(path).execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert version == "2"


def test_cli_rejects_unknown_policy():
    result = CliRunner().invoke(app, ["migrate", str(EXPORT), "--dry-run", "--existing-contacts", "merge"])
    assert result.exit_code == 2
    assert "--existing-contacts must be one of link, update, create, not 'merge'" in result.output
