"""Value transforms: small pure functions from exported cell values to typed values.

Each function accepts what the export reader yields (a stripped string for CSV,
or the native cell type for XLSX) and raises `TransformError` with the value
and what to do when it cannot convert it. None stays None.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pycountry
from dateutil import parser as date_parser

from allegory2odoo.mapping.html import to_html
from allegory2odoo.model.records import Money


class TransformError(ValueError):
    """A cell value that cannot be converted. The message names the expected format."""


DATE_ORDERS = ("mdy", "dmy", "ymd")

_TRUE = {"1", "true", "yes", "y", "x", "checked", "on", "t"}
_FALSE = {"0", "false", "no", "n", "unchecked", "off", "f", ""}


def parse_bool(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise TransformError(f"{value!r} is not a yes/no value; use true/false, yes/no or 1/0")


def parse_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TransformError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip().replace(",", ""))
    except ValueError:
        raise TransformError(f"{value!r} is not a whole number") from None


def parse_percent(value: object) -> float | None:
    """Parse a probability given as `25`, `25%`, `0.25` (a fraction below 1) or `25.5 %`."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip().rstrip("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise TransformError(f"{value!r} is not a percentage; write it as 25 or 25%") from None
    if 0 < number < 1 and not str(value).strip().endswith("%"):
        number *= 100
    if not 0 <= number <= 100:
        raise TransformError(f"{value!r} is not a percentage between 0 and 100")
    return round(number, 2)


# Currency symbols that identify one currency; `$` alone is read as USD.
_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "Fr.": "CHF",
    "R$": "BRL", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
    "MX$": "MXN", "zł": "PLN", "₩": "KRW", "₪": "ILS", "₺": "TRY",
}
_AMOUNT_NUMBER = re.compile(r"[-+]?[\d.,' \u00a0\u202f]*\d")


def parse_amount(value: object, default_currency: str | None = None) -> Money | None:
    """Parse `$1,250,000.00`, `€ 12.500,00`, `GBP 3,400` or `-1 250,50 EUR` into an amount and currency.

    Separators: when both `,` and `.` appear, the last one is the decimal mark.
    A single kind of separator is a thousands separator when it repeats or is
    followed by exactly three digits, and a decimal mark otherwise, so
    `12.500` reads as 12500 and `12,5` as 12.5.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TransformError(f"{value!r} is not an amount")
    if isinstance(value, (int, float, Decimal)):
        return Money(Decimal(str(value)), default_currency)

    text = str(value).strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()

    currency = None
    for symbol, code in sorted(_CURRENCY_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if symbol in text:
            currency = code
            text = text.replace(symbol, " ")
            break
    if currency is None:
        code_match = re.search(r"\b([A-Za-z]{3})\b", text)
        if code_match and pycountry.currencies.get(alpha_3=code_match.group(1).upper()):
            currency = code_match.group(1).upper()
            text = text.replace(code_match.group(1), " ")

    number_match = _AMOUNT_NUMBER.search(text)
    leftover = _AMOUNT_NUMBER.sub("", text, count=1).strip() if number_match else text
    if not number_match or leftover:
        raise TransformError(f"{value!r} is not an amount; write it like 1250000.00, $1,250,000.00 or EUR 12.500,00")
    number = _normalise_number(number_match.group(0))
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise TransformError(f"{value!r} is not an amount") from None
    return Money(-amount if negative else amount, currency or default_currency)


def _normalise_number(text: str) -> str:
    text = re.sub(r"[ '\u00a0\u202f]", "", text)
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:]
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        parts = text.split(mark)
        is_grouping = len(parts) > 2 or (len(parts[-1]) == 3 and mark == ",") or (
            len(parts[-1]) == 3 and mark == "." and len(parts[0]) <= 3 and parts[0] not in ("0", "")
        )
        text = "".join(parts) if is_grouping else ".".join(parts)
    return sign + text


def _parser_flags(date_order: str) -> dict:
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}, not {date_order!r}")
    return {"dayfirst": date_order == "dmy", "yearfirst": date_order == "ymd"}


def parse_date(value: object, date_order: str = "mdy") -> date | None:
    """Parse a calendar date; a timestamp keeps only its date part, as written."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?", text) else (
            date_parser.parse(text, **_parser_flags(date_order)).date()
        )
    except (ValueError, OverflowError):
        raise TransformError(
            f"{value!r} is not a date; write it as YYYY-MM-DD (other formats follow the date order {date_order})"
        ) from None


def parse_datetime(value: object, source_tz: ZoneInfo, date_order: str = "mdy") -> datetime | None:
    """Parse a timestamp and return it as naive UTC, which is how Odoo stores datetimes.

    A timestamp without an offset is read in `source_tz`; one with an offset
    (`Z`, `+02:00`) keeps its own. A bare date is midnight in `source_tz`.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00")) if re.match(r"\d{4}-\d{2}-\d{2}", text) else (
                date_parser.parse(text, **_parser_flags(date_order))
            )
        except (ValueError, OverflowError):
            raise TransformError(
                f"{value!r} is not a date and time; write it as YYYY-MM-DD HH:MM:SS (ISO 8601, an offset such as Z is allowed)"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=source_tz)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def clean_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def normalise_email(value: object) -> str | None:
    """Return the address stripped and lower-cased, for matching; None when blank."""
    text = clean_text(value)
    if text is None:
        return None
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def split_list(value: object) -> tuple[str, ...]:
    """Split a multi-value cell (`a; b | c`) into its distinct non-empty values, in order."""
    if value is None:
        return ()
    seen: dict[str, None] = {}
    for part in re.split(r"[;|\n]", str(value)):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


# Odoo's tag colour palette (index -> RGB), as the web client of Odoo 17 and 19
# draws it; index 0 means no colour.
ODOO_COLORS = {
    1: (0xF0, 0x60, 0x50),  # red
    2: (0xF4, 0xA4, 0x60),  # orange
    3: (0xF7, 0xCD, 0x1F),  # yellow
    4: (0x6C, 0xC1, 0xED),  # cyan
    5: (0x81, 0x49, 0x68),  # purple
    6: (0xEB, 0x7E, 0x7F),  # almond
    7: (0x2C, 0x83, 0x97),  # teal
    8: (0x47, 0x55, 0x77),  # blue
    9: (0xD6, 0x14, 0x5F),  # raspberry
    10: (0x30, 0xC3, 0x81),  # green
    11: (0x93, 0x65, 0xB8),  # violet
}
_COLOR_NAMES = {
    "none": 0, "": 0, "red": 1, "orange": 2, "yellow": 3, "gold": 3, "cyan": 4, "light blue": 4, "lightblue": 4,
    "sky": 4, "purple": 5, "plum": 5, "almond": 6, "salmon": 6, "pink": 6, "teal": 7, "blue": 8, "navy": 8,
    "dark blue": 8, "raspberry": 9, "magenta": 9, "fuchsia": 9, "green": 10, "violet": 11, "lavender": 11,
    "grey": 0, "gray": 0, "black": 8, "brown": 5,
}


def color_index(value: object) -> int:
    """Map a colour name, `#RRGGBB` or an Odoo index (0-11) to the nearest Odoo tag colour index."""
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 11:
        return value
    text = str(value).strip().lower()
    if text.isdigit() and 0 <= int(text) <= 11:
        return int(text)
    if text in _COLOR_NAMES:
        return _COLOR_NAMES[text]
    hex_match = re.fullmatch(r"#?([0-9a-f]{6}|[0-9a-f]{3})", text)
    if not hex_match:
        raise TransformError(f"{value!r} is not a colour; use a name such as red or green, #RRGGBB, or 0-11")
    digits = hex_match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    rgb = tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return min(ODOO_COLORS, key=lambda index: sum((a - b) ** 2 for a, b in zip(ODOO_COLORS[index], rgb)))


_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "northern ireland": "GB", "usa": "US", "u.s.a.": "US", "u.s.": "US", "united states of america": "US",
    "america": "US", "holland": "NL", "the netherlands": "NL", "deutschland": "DE", "schweiz": "CH",
    "suisse": "CH", "españa": "ES", "espana": "ES", "brasil": "BR", "russia": "RU", "south korea": "KR",
    "korea": "KR", "vietnam": "VN", "czech republic": "CZ", "ivory coast": "CI", "uae": "AE",
}


def country_code(value: object) -> str | None:
    """Resolve a country given by ISO code (alpha-2 or alpha-3) or English name to its alpha-2 code."""
    text = clean_text(value)
    if text is None:
        return None
    alias = _COUNTRY_ALIASES.get(text.lower())
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        raise TransformError(f"{value!r} is not a known country; use its ISO code (e.g. DE, US) or English name") from None


def text_to_html(value: object) -> str | None:
    """Return safe HTML for a description: HTML is sanitised, plain text is escaped with line breaks kept."""
    return to_html(value)
