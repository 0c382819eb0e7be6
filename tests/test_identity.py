"""External IDs: cleaning, collisions and duplicates."""

import pytest

from allegory2odoo.load.identity import DuplicateSourceId, IdentityCollision, IdentityMap, full_xmlid, xmlid_name


def test_xmlid_cleaning():
    assert xmlid_name("company", "C-00012") == "company_C_00012"
    assert xmlid_name("contact", "Müller.1") == "contact_M_ller_1"
    assert full_xmlid("deal", "M 1") == "__allegory__.deal_M_1"


def test_collision_detected_and_second_unusable():
    identities = IdentityMap()
    identities.claim("company", "C-1", "Accounts.csv, row 2")
    identities.set("company", "C-1", 41)
    with pytest.raises(IdentityCollision, match="same as that of 'C-1'"):
        identities.claim("company", "C_1", "Accounts.csv, row 3")
    assert identities.get("company", "C-1") == 41
    assert identities.get("company", "C_1") is None


def test_duplicate_id_keeps_first():
    identities = IdentityMap()
    identities.claim("deal", "M-1", "Matters.xlsx, row 2")
    identities.set("deal", "M-1", 5)
    with pytest.raises(DuplicateSourceId, match="already appeared at Matters.xlsx, row 2"):
        identities.claim("deal", "M-1", "Matters.xlsx, row 9")
    assert identities.get("deal", "M-1") == 5


def test_seeded_from_odoo():
    identities = IdentityMap()
    identities.seed("contact", {"contact_P_7": 88})
    assert identities.get("contact", "P-7") == 88
    assert identities.get("contact", "P-8") is None
