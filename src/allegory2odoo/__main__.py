"""Run the command line as `python -m allegory2odoo`."""

from allegory2odoo.cli.main import app

app(prog_name="allegory2odoo")
