"""Command-line options that several commands share, declared once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

DbOption = Annotated[Optional[str], typer.Option("--db", help="Odoo database name (environment: ODOO_DB).")]
UserOption = Annotated[Optional[str], typer.Option("--user", help="Odoo login (environment: ODOO_USER).")]
AskSecretOption = Annotated[bool, typer.Option(
    "--ask-secret", help="Prompt for the API key or password instead of reading ODOO_API_KEY or ODOO_PASSWORD.")]
ProtocolOption = Annotated[str, typer.Option(
    "--protocol", help="auto, xmlrpc or json2 (JSON-2 needs Odoo 19 and an API key).")]
InsecureOption = Annotated[bool, typer.Option(
    "--insecure", help="Do not verify the server's TLS certificate (test servers only).")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds to wait for one Odoo call.")]
EncodingOption = Annotated[Optional[str], typer.Option(
    "--encoding", help="Encoding of every export file, when detection guesses wrong (e.g. cp1252).")]
SourceTimezoneOption = Annotated[str, typer.Option(
    "--source-timezone", help="Time zone of the export's timestamps, e.g. Europe/London.")]
DateOrderOption = Annotated[str, typer.Option("--date-order", help="How to read dates like 03/05/2024: mdy, dmy or ymd.")]
