"""An in-process Odoo 17.0 / 19.0 lookalike that speaks XML-RPC and JSON-2, for tests.

    with OdooTestServer(version=19) as server:
        proxy = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object")
        proxy.execute_kw(server.db, 2, server.admin_password, "res.partner", "create", [{"name": "A"}], {})

Each server has its own in-memory database, and each call runs in its own
transaction. `inject_fault` makes later calls drop, return 503 or fail with a
serialization failure, and `calls` lists every model call with its batch size.
"""

from . import mail  # noqa: F401  (registers the mail, attachment, view and custom-field models)
from .server import Call, OdooTestServer

__all__ = ["Call", "OdooTestServer"]
