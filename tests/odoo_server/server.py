"""HTTP front end: Odoo's XML-RPC (`/xmlrpc/2/*`) and JSON-2 (`/json/2/<model>/<method>`)."""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import socket
import socketserver
import threading
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .errors import (
    AccessDenied,
    AccessError,
    HttpError,
    OdooError,
    PythonError,
    SerializationFailure,
    UserError,
)
from .load import LoadFailed
from .methods import call_method, check_signature, find_method
from .orm import Env, Orm
from .seed import seed_database, server_version

logger = logging.getLogger(__name__)

FAULT_MODES = ("drop_after_commit", "unavailable", "serialization_failure")
NO_DATABASE_PAGE = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n"
    "<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n"
    "<!-- Alternatively, use the X-Odoo-Database header. -->\n"
)
NOT_FOUND_PAGE = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server.</p>\n"
)


@dataclasses.dataclass(frozen=True)
class Call:
    """One model method call that reached the server (faulty or not)."""

    protocol: str  # "xmlrpc" or "json2"
    model: str
    method: str
    batch_size: int | None  # number of records or rows when a list was sent, else None


@dataclasses.dataclass
class InjectedFault:
    model: str
    method: str
    mode: str
    remaining: int


class DropConnection(Exception):
    """Close the connection without a response, after the call was committed."""


class ServiceUnavailable(Exception):
    pass


def traceback_text(error: OdooError) -> str:
    if isinstance(error, (PythonError, SerializationFailure)):
        last = error.exception_line()
    else:
        last = f"{error.odoo_name}: {error.message}"
    return (
        "Traceback (most recent call last):\n"
        '  File "/odoo-test-server/odoo/service/model.py", line 1, in execute_kw\n'
        "    result = method(records, *args, **kwargs)\n"
        f"{last}\n"
    )


def to_marshallable(value: Any) -> Any:
    """Replace None by False everywhere, as Odoo's XML-RPC marshaller does."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {key: to_marshallable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_marshallable(item) for item in value]
    return value


def batch_size(method: str, ids: Any, args: list, kwargs: dict) -> int | None:
    if method == "create":
        vals_list = args[0] if args else kwargs.get("vals_list")
        return len(vals_list) if isinstance(vals_list, list) else None
    if method == "load":
        data = args[1] if len(args) > 1 else kwargs.get("data")
        return len(data) if isinstance(data, list) else None
    return len(ids) if isinstance(ids, list) else None


class OdooTestServer:
    """An in-process Odoo 17.0 or 19.0 lookalike on 127.0.0.1, for tests.

    Each instance has its own database, copied from a seed that is built once per
    process, so a new server starts in a few milliseconds.
    """

    admin_login = "admin"

    def __init__(self, version: int = 19, admin_password: str = "admin"):
        if version not in (17, 19):
            raise ValueError(f"Unsupported Odoo version {version!r}: use 17 or 19")
        self.version = version
        self.db = f"odoo{version}"
        self.admin_password = admin_password
        self.database = seed_database(version).clone()
        self.server_version = server_version(version)
        self.user_rights: dict[int, str] = {1: "admin", 2: "admin"}
        self.passwords: dict[int, str] = {2: admin_password}
        self.api_keys: dict[str, int] = {}
        self.api_key = self.add_api_key(2) if version == 19 else None
        self.calls: list[Call] = []
        self.faults: list[InjectedFault] = []
        self.lock = threading.RLock()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("OdooTestServer is not started: call start() first")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> "OdooTestServer":
        self._httpd = _HttpServer(("127.0.0.1", 0), _Handler)
        self._httpd.odoo = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"odoo{self.version}-test-server",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self) -> "OdooTestServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # setup helpers

    def add_user(self, login: str, email: str | None = None, name: str | None = None, active: bool = True,
                 share: bool = False, groups: str = "sales_admin", password: str | None = None) -> int:
        """Create a user directly (not over RPC); its password is `password` or else its login."""
        if groups not in ("sales_admin", "internal"):
            raise ValueError(f"Invalid groups {groups!r}: use 'sales_admin' or 'internal'")
        with self.lock:
            self.database.begin()
            try:
                env = Env(self, self.database, 1)
                uid = Orm(env, "res.users").create([{
                    "login": login, "name": name or login, "email": email or False, "active": active,
                    "password": password or login,
                }])[0]
                self.database.update("res.users", uid, {"share": share})
            except Exception:
                self.database.rollback()
                raise
            self.database.commit()
        self.user_rights[uid] = groups
        return uid

    def add_api_key(self, uid: int) -> str:
        """Create a 40-character API key for `uid` (JSON-2 bearer, and XML-RPC password in 19.0)."""
        key = secrets.token_hex(20)
        self.api_keys[key] = uid
        return key

    def inject_fault(self, model: str, method: str, mode: str, times: int = 1) -> None:
        """Make the next `times` calls of `model.method` fail in the given mode."""
        if mode not in FAULT_MODES:
            raise ValueError(f"Invalid fault mode {mode!r}: use one of {', '.join(FAULT_MODES)}")
        with self.lock:
            self.faults.append(InjectedFault(model, method, mode, times))

    def take_fault(self, model: str, method: str) -> str | None:
        with self.lock:
            for fault in self.faults:
                if fault.model == model and fault.method == method and fault.remaining > 0:
                    fault.remaining -= 1
                    return fault.mode
        return None

    # authentication

    def check_password(self, uid: Any, password: Any) -> bool:
        user = self.database.tables["res.users"].get(uid) if isinstance(uid, int) else None
        if user is None or not user.get("active"):
            return False
        if self.passwords.get(uid) == password and password:
            return True
        return self.version == 19 and self.api_keys.get(password) == uid

    def authenticate(self, login: Any, password: Any) -> int | bool:
        for uid, user in self.database.tables["res.users"].items():
            if user.get("login") == login:
                return uid if self.check_password(uid, password) else False
        return False

    # calls

    def execute(self, protocol: str, uid: int, model: str, method: str, ids: Any, args: list, kwargs: dict,
                is_model_method: bool) -> Any:
        """Run one model method in its own transaction, applying injected faults."""
        self.calls.append(Call(protocol, model, method, batch_size(method, ids, args, kwargs)))
        mode = self.take_fault(model, method)
        if mode == "unavailable":
            raise ServiceUnavailable()
        if mode == "serialization_failure":
            raise SerializationFailure()
        context = kwargs.pop("context", None) or {}
        with self.lock:
            db = self.database
            db.begin()
            try:
                env = Env(self, db, uid, context)
                result = call_method(env, model, method, [] if is_model_method else ids, args, kwargs)
            except LoadFailed as failure:
                db.rollback()
                return failure.result
            except TypeError as error:
                db.rollback()
                raise PythonError("TypeError", str(error)) from error
            except OdooError:
                db.rollback()
                raise
            except Exception as error:
                db.rollback()
                logger.exception("Unexpected error in %s.%s", model, method)
                message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
                raise PythonError(type(error).__name__, str(message)) from error
            db.commit()
        if mode == "drop_after_commit":
            raise DropConnection()
        return result


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    odoo: OdooTestServer

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), which can block on DNS; skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self.send_body(404, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        try:
            if path in ("/xmlrpc/2/common", "/xmlrpc/common"):
                self.handle_xmlrpc(body, self.xmlrpc_common)
            elif path in ("/xmlrpc/2/db", "/xmlrpc/db"):
                self.handle_xmlrpc(body, self.xmlrpc_db)
            elif path in ("/xmlrpc/2/object", "/xmlrpc/object"):
                self.handle_xmlrpc(body, self.xmlrpc_object)
            elif path.startswith("/json/2/") and self.server.odoo.version >= 19:
                self.handle_json2(path, body)
            elif path == "/web/webclient/version_info":
                self.handle_version_info(body)
            else:
                self.send_body(404, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8")
        except DropConnection:
            self.drop_connection()
        except ServiceUnavailable:
            self.send_body(503, b"<h1>503 Service Unavailable</h1>", "text/html; charset=utf-8")

    def handle_version_info(self, body: bytes) -> None:
        """Respond to the web client's JSON-RPC version route, as Odoo 17 and 19 do (no login needed)."""
        try:
            request_id = json.loads(body or b"{}").get("id")
        except ValueError:
            request_id = None
        answer = {"jsonrpc": "2.0", "id": request_id, "result": self.server.odoo.server_version}
        self.send_body(200, json.dumps(answer).encode(), "application/json")

    def send_body(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def drop_connection(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # XML-RPC

    def handle_xmlrpc(self, body: bytes, dispatch) -> None:
        try:
            params, method = xmlrpc.client.loads(body, use_builtin_types=True)
            result = dispatch(method, list(params))
            payload = xmlrpc.client.dumps((to_marshallable(result),), methodresponse=True, allow_none=False)
        except OdooError as error:
            payload = self.fault_payload(error)
        except TypeError as error:
            payload = self.fault_payload(PythonError("TypeError", str(error)))
        self.send_body(200, payload.encode(), "text/xml; charset=utf-8")

    def fault_payload(self, error: OdooError) -> str:
        if error.fault_code == 1:
            text = traceback_text(error)
        else:
            text = error.message
        return xmlrpc.client.dumps(xmlrpc.client.Fault(error.fault_code, text), methodresponse=True)

    def check_db(self, db: Any) -> None:
        odoo = self.server.odoo
        if db != odoo.db:
            raise PythonError(
                "psycopg2.OperationalError",
                f'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "{db}" does not exist\n',
            )

    def xmlrpc_common(self, method: str, params: list) -> Any:
        odoo = self.server.odoo
        odoo.calls.append(Call("xmlrpc", "common", method, None))
        if method == "version":
            return dict(odoo.server_version)
        if method in ("authenticate", "login"):
            db, login, password = params[:3]
            self.check_db(db)
            return odoo.authenticate(login, password)
        raise PythonError("AttributeError", f"module 'odoo.service.common' has no attribute 'exp_{method}'")

    def xmlrpc_db(self, method: str, params: list) -> Any:
        odoo = self.server.odoo
        if method == "list":
            return [odoo.db]
        if method == "server_version":
            return odoo.server_version["server_version"]
        if method == "db_exist":
            return params[:1] == [odoo.db]
        raise AccessDenied("Access Denied")

    def xmlrpc_object(self, method: str, params: list) -> Any:
        odoo = self.server.odoo
        if method == "execute_kw":
            db, uid, password, model, name = params[:5]
            args = params[5] if len(params) > 5 else []
            kwargs = params[6] if len(params) > 6 else {}
        elif method == "execute":
            db, uid, password, model, name = params[:5]
            args, kwargs = params[5:], {}
        else:
            raise PythonError("NameError", f"Method not available {method}")
        self.check_db(db)
        if not odoo.check_password(uid, password):
            raise AccessDenied("Access Denied")
        if model not in odoo.database.fields:
            raise UserError(f"Object {model} doesn't exist")
        env = Env(odoo, odoo.database, uid)
        if name.startswith("_"):
            if odoo.version == 17:
                raise AccessError(f"Private methods (such as {name}) cannot be called remotely.")
            raise AccessError(f"Private methods (such as '{model}.{name}') cannot be called remotely.")
        found = find_method(env, model, name)
        if found is None:
            if odoo.version == 17:
                raise PythonError("AttributeError", f"The method '{name}' does not exist on the model '{model}'")
            raise PythonError("AttributeError", f"The method '{model}.{name}' does not exist")
        _, is_model_method = found
        args = list(args)
        kwargs = dict(kwargs or {})
        ids: Any = []
        if not is_model_method:
            if not args:
                raise PythonError("TypeError", f"{name}() missing 1 required positional argument: 'ids'")
            ids = args.pop(0)
        return odoo.execute("xmlrpc", uid, model, name, ids, args, kwargs, is_model_method)

    # JSON-2

    def handle_json2(self, path: str, body: bytes) -> None:
        odoo = self.server.odoo
        database = self.headers.get("X-Odoo-Database")
        if database is not None and database != odoo.db:
            self.send_body(404, NO_DATABASE_PAGE.encode(), "text/html; charset=utf-8")
            return
        try:
            result = self.json2_call(path, body)
            status, payload = 200, result
        except OdooError as error:
            status = error.http_status
            arguments = [error.message]
            if isinstance(error, HttpError):
                arguments.append(status)
            payload = {
                "name": error.odoo_name,
                "message": error.message,
                "arguments": arguments,
                "context": {},
                "debug": traceback_text(error),
            }
        data = json.dumps(payload, default=str).encode()
        self.send_body(status, data, "application/json; charset=utf-8")

    def json2_call(self, path: str, body: bytes) -> Any:
        odoo = self.server.odoo
        authorization = self.headers.get("Authorization") or ""
        scheme, _, key = authorization.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise HttpError(401, "User not authenticated, use an API Key with a Bearer Authorization header.")
        uid = odoo.api_keys.get(key.strip())
        user = odoo.database.tables["res.users"].get(uid) if uid else None
        if user is None or not user.get("active"):
            raise HttpError(401, "Invalid apikey")
        parts = path[len("/json/2/"):].split("/")
        if len(parts) != 2 or not all(parts):
            raise HttpError(404, "The requested URL was not found on the server.")
        model, name = parts
        if model not in odoo.database.fields:
            raise HttpError(404, f"the model '{model}' does not exist")
        env = Env(odoo, odoo.database, uid)
        if name.startswith("_"):
            raise AccessError(f"Private methods (such as '{model}.{name}') cannot be called remotely.")
        found = find_method(env, model, name)
        if found is None:
            raise HttpError(404, f"The method '{model}.{name}' does not exist")
        function, is_model_method = found
        try:
            kwargs = json.loads(body or b"{}")
        except ValueError as error:
            raise HttpError(422, f"invalid JSON body: {error}") from None
        if not isinstance(kwargs, dict):
            raise HttpError(422, "the JSON body must be an object of named arguments")
        ids = kwargs.pop("ids", None)
        context = kwargs.pop("context", None) or {}
        if ids and is_model_method:
            raise HttpError(422, f"cannot call {model}.{name} with ids")
        try:
            check_signature(function, kwargs)
        except TypeError as error:
            raise HttpError(422, str(error)) from None
        kwargs["context"] = context
        result = odoo.execute("json2", uid, model, name, ids or [], [], kwargs, is_model_method)
        if name == "create" and isinstance(result, int):
            result = [result]
        return result
