"""Migrate an Allegory CRM export into Odoo CRM."""

__version__ = "0.1.0"
