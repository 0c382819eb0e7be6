"""Value transforms: the cell formats an Allegory export really contains."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from allegory2odoo.mapping.transforms import (
    TransformError,
    color_index,
    country_code,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_percent,
    split_list,
    text_to_html,
)


@pytest.mark.parametrize(
    ("cell", "amount", "currency"),
    [
        ("$1,250,000.00", Decimal("1250000.00"), "USD"),
        ("€ 12.500,00", Decimal("12500.00"), "EUR"),
        ("GBP 3,400", Decimal("3400"), "GBP"),
        ("R$ 450.000,00", Decimal("450000.00"), "BRL"),
        ("-1 250,50 EUR", Decimal("-1250.50"), "EUR"),
        ("(1,000)", Decimal("-1000"), None),
        ("12,5", Decimal("12.5"), None),
        ("0.125", Decimal("0.125"), None),
        ("CHF 1'250.50", Decimal("1250.50"), "CHF"),
        (1500.5, Decimal("1500.5"), None),
    ],
)
def test_amount_formats(cell, amount, currency):
    money = parse_amount(cell)
    assert money.amount == amount
    assert money.currency == currency


def test_amount_garbage_names_value():
    with pytest.raises(TransformError, match="'about ten grand' is not an amount"):
        parse_amount("about ten grand")


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("2024-03-05", "mdy", date(2024, 3, 5)),
        ("03/05/2024", "mdy", date(2024, 3, 5)),
        ("03/05/2024", "dmy", date(2024, 5, 3)),
        ("5 Mar 2024", "mdy", date(2024, 3, 5)),
        ("2024-03-05 14:30:00", "mdy", date(2024, 3, 5)),
        (datetime(2024, 3, 5, 23, 0), "mdy", date(2024, 3, 5)),
    ],
)
def test_date_formats(cell, order, expected):
    assert parse_date(cell, order) == expected


def test_date_invalid_names_format():
    with pytest.raises(TransformError, match="'31/31/2024' is not a date"):
        parse_date("31/31/2024", "dmy")


def test_datetime_local_to_utc():
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_datetime("2024-03-05 14:30:00", berlin) == datetime(2024, 3, 5, 13, 30)
    assert parse_datetime("2024-07-05 14:30:00", berlin) == datetime(2024, 7, 5, 12, 30)


def test_datetime_offset_kept():
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_datetime("2024-03-05T14:30:00Z", berlin) == datetime(2024, 3, 5, 14, 30)
    assert parse_datetime("2024-03-05T14:30:00+02:00", berlin) == datetime(2024, 3, 5, 12, 30)


def test_datetime_returns_naive():
    value = parse_datetime("5 Mar 2024 9:15", ZoneInfo("America/New_York"))
    assert value == datetime(2024, 3, 5, 14, 15)
    assert value.tzinfo is None


@pytest.mark.parametrize(("cell", "expected"), [("yes", True), ("0", False), ("X", True), (None, None), (1, True)])
def test_bool_values(cell, expected):
    assert parse_bool(cell) is expected


def test_bool_rejects_maybe():
    with pytest.raises(TransformError, match="'maybe' is not a yes/no value"):
        parse_bool("maybe")


@pytest.mark.parametrize(("cell", "expected"), [("25%", 25.0), ("0.4", 40.0), (60, 60.0), ("12,5 %", 12.5)])
def test_percent_values(cell, expected):
    assert parse_percent(cell) == expected


def test_percent_out_of_range():
    with pytest.raises(TransformError):
        parse_percent("140")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("red", 1), ("Green", 10), ("#F06050", 1), ("#30c381", 10), ("#2C8397", 7), ("7", 7), (None, 0)],
)
def test_color_index(cell, expected):
    assert color_index(cell) == expected


def test_color_unknown():
    with pytest.raises(TransformError, match="is not a colour"):
        color_index("sparkly")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("DE", "DE"), ("deu", "DE"), ("Germany", "DE"), ("UK", "GB"), ("United States", "US"), ("Brazil", "BR")],
)
def test_country_code(cell, expected):
    assert country_code(cell) == expected


def test_country_unknown():
    with pytest.raises(TransformError, match="'Atlantis' is not a known country"):
        country_code("Atlantis")


def test_split_list_dedupes_in_order():
    assert split_list("VIP; Litigation | VIP;;  Pro bono ") == ("VIP", "Litigation", "Pro bono")


def test_plain_text_becomes_escaped_html():
    assert text_to_html("a < b\nsecond line\n\nnext") == "<p>a &lt; b<br>second line</p><p>next</p>"
    assert text_to_html("<p>kept</p>") == "<p>kept</p>"
