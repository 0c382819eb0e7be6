"""An in-process Odoo 17.0 / 19.0 lookalike that speaks XML-RPC and JSON-2, for tests."""

from . import mail  # noqa: F401  (registers the mail, attachment and custom-field models)
from .server import Call, OdooTestServer

__all__ = ["Call", "OdooTestServer"]
