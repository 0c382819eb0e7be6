"""The command line. Importing the package registers every command on the app of `cli.main`."""

from allegory2odoo.cli import schema_commands  # noqa: F401
