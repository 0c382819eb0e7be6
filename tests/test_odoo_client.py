"""Tests of the Odoo client package: settings, schema, faults, transports, retries, secrets.

Most transport tests run against ``FakeOdoo``, a small HTTP server in this
module that returns XML-RPC faults and JSON-2 error bodies shaped like those
of real Odoo 17 and 19 servers. Tests marked ``odoo_server`` run against the
project's Odoo test server when it is available.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import ssl
import threading
import xmlrpc.client
from collections.abc import Callable
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from allegory2odoo.odoo import (
    AccessRightsError,
    AuthenticationError,
    CallSignatureError,
    ConnectionSettings,
    ConnectionSettingsError,
    FieldSpec,
    MissingRecordError,
    OdooClient,
    OdooError,
    RetryPolicy,
    Schema,
    SecretRedactingFilter,
    ServerFault,
    ServerVersion,
    TransientOdooError,
    UnknownModelOrMethodError,
    ValidationFault,
    errors,
)
from allegory2odoo.odoo import client as client_module
from allegory2odoo.odoo.faults import error_from_fault, error_from_json2, split_traceback
from allegory2odoo.odoo.transport import named_arguments, prepare_value

PASSWORD = "Pw-fake-6f1d2c"
API_KEY = "0f3c9a7b5e1d2c4a6b8d0e2f4a6c8e0b2d4f6a8c"
LOGIN = "admin"
DB = "fakedb"

VERSION_17 = {
    "server_version": "17.0",
    "server_version_info": [17, 0, 0, "final", 0, ""],
    "server_serie": "17.0",
    "protocol_version": 1,
}
VERSION_19 = {
    "server_version": "19.0",
    "server_version_info": [19, 0, 0, "final", 0, ""],
    "server_serie": "19.0",
    "protocol_version": 1,
}


def traceback_text(last_lines: list[str]) -> str:
    """Return a Python traceback string ending with ``last_lines``, as Odoo sends in fault 1."""
    return "\n".join(
        [
            "Traceback (most recent call last):",
            '  File "/opt/odoo/addons/rpc/controllers/xmlrpc.py", line 162, in xmlrpc_2',
            "    response = self._xmlrpc(service)",
            *last_lines,
        ]
    )


# Faults and JSON-2 error bodies in the shape that Odoo 19.0 returned them.
FAULT_UNKNOWN_FIELD = (
    1,
    traceback_text(
        [
            '  File "/opt/odoo/odoo/orm/models.py", line 4654, in create',
            "    raise ValueError(message)",
            "ValueError: Invalid field 'x_does_not_exist' in 'res.partner'",
        ]
    ),
)
FAULT_UNKNOWN_METHOD = (
    1,
    traceback_text(
        [
            "    raise AttributeError(message)",
            "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "AttributeError: The method 'res.partner.no_such_method' does not exist",
        ]
    ),
)
FAULT_SERIALIZATION = (
    1,
    traceback_text(
        [
            '  File "/opt/odoo/odoo/sql_db.py", line 354, in execute',
            "    cursor.execute(query)",
            "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update",
        ]
    ),
)
FAULT_NAME_REQUIRED = (2, "The operation cannot be completed: Contacts require a name")
FAULT_MISSING_RECORD = (2, "Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)")
FAULT_UNKNOWN_MODEL = (2, "Object x.no.such.model doesn't exist")
FAULT_ACCESS_DENIED = (3, "Access Denied")
FAULT_ACCESS_ERROR = (
    4,
    "You are not allowed to create 'Contact' (res.partner) records.\n"
    "This operation is allowed for the following groups:\n\t- Contact/Creation",
)


def json2_error(name: str, message: str, status: int) -> tuple[int, dict[str, Any]]:
    arguments: list[Any] = [message, status] if name.startswith("werkzeug") else [message]
    return status, {
        "name": name,
        "message": message,
        "arguments": arguments,
        "context": {},
        "debug": traceback_text([f"{name}: {message}"]),
    }


J2_UNKNOWN_FIELD = json2_error("builtins.ValueError", "Invalid field 'x_bad' in 'res.partner'", 500)
J2_NAME_REQUIRED = json2_error(
    "odoo.exceptions.ValidationError", "The operation cannot be completed: Contacts require a name", 422
)
J2_MISSING_RECORD = json2_error(
    "odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)", 404
)
J2_UNKNOWN_MODEL = json2_error("werkzeug.exceptions.NotFound", "the model 'x.no.such.model' does not exist", 404)
J2_PRIVATE_METHOD = json2_error(
    "odoo.exceptions.AccessError",
    "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely.",
    403,
)
J2_BAD_KEY = json2_error("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401)
J2_BAD_ARGUMENT = json2_error("werkzeug.exceptions.UnprocessableEntity", "got an unexpected keyword argument 'bogus_kw'", 422)
J2_SERIALIZATION = json2_error(
    "psycopg2.errors.SerializationFailure", "could not serialize access due to concurrent update", 500
)


# -- a fake Odoo server ------------------------------------------------------


class FakeFault(Exception):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


class FakeOdoo:
    """A local HTTP server that speaks enough of /xmlrpc/2 and /json/2 for these tests.

    ``handlers`` maps ``(model, method)`` to a function of the named
    arguments. ``xmlrpc_faults`` and ``json2_errors`` map ``(model,
    method)`` to a canned fault or error response. ``drops`` and
    ``unavailable`` count how many more requests to a path get no response
    at all, or HTTP 503, before the server handles them normally.
    """

    def __init__(self, version: dict[str, Any], *, xmlrpc: bool = True, json2: bool | None = None) -> None:
        self.version = version
        self.xmlrpc = xmlrpc
        self.json2 = version["server_version_info"][0] >= 19 if json2 is None else json2
        self.handlers: dict[tuple[str, str], Callable[..., Any]] = {}
        self.xmlrpc_faults: dict[tuple[str, str], tuple[int, str]] = {}
        self.json2_errors: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self.drops: dict[str, int] = {}
        self.unavailable: dict[str, int] = {}
        self.requests: list[tuple[str, str, str]] = []  # (path, model, method)
        self.json2_bodies: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeOdoo:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self, **overrides: Any) -> ConnectionSettings:
        values: dict[str, Any] = {"url": self.url, "db": DB, "user": LOGIN, "timeout": 5.0}
        values.update(overrides)
        return ConnectionSettings(**values)

    # -- dispatch ----------------------------------------------------------

    def execute(self, model: str, method: str, named: dict[str, Any]) -> Any:
        handler = self.handlers.get((model, method))
        if handler is not None:
            return handler(**named)
        if (model, method) == ("res.users", "search"):
            return [2] if named["domain"] == [["login", "=", LOGIN]] else []
        if method == "fields_get":
            return {"name": {"type": "char", "string": "Name", "required": True, "readonly": False, "store": True}}
        return True

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if fake.drops.get(self.path, 0) > 0:
                    fake.drops[self.path] -= 1
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fake.unavailable.get(self.path, 0) > 0:
                    fake.unavailable[self.path] -= 1
                    self._send(503, "text/html", b"<h1>503 Service Unavailable</h1>", {"Retry-After": "0"})
                    return
                if self.path.startswith("/xmlrpc/2/") and fake.xmlrpc:
                    self._xmlrpc(self.path.rsplit("/", 1)[1], body)
                elif self.path.startswith("/json/2/") and fake.json2:
                    self._json2(body)
                elif self.path == "/web/webclient/version_info":
                    self._send(200, "application/json", json.dumps({"jsonrpc": "2.0", "id": 1, "result": fake.version}).encode())
                else:
                    self._send(404, "text/html", b"<!DOCTYPE html><title>404 Not Found</title>")

            def _send(self, status: int, content_type: str, payload: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def _xmlrpc(self, service: str, body: bytes) -> None:
                params, method = xmlrpc.client.loads(body)
                try:
                    result = self._xmlrpc_result(service, method, params)
                    payload = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
                except FakeFault as fault:
                    payload = xmlrpc.client.dumps(xmlrpc.client.Fault(fault.code, fault.text))
                self._send(200, "text/xml", payload.encode())

            def _xmlrpc_result(self, service: str, method: str, params: tuple) -> Any:
                if service == "common" and method == "version":
                    fake.requests.append((self.path, "", "version"))
                    return fake.version
                if service == "common" and method == "authenticate":
                    fake.requests.append((self.path, "", "authenticate"))
                    db, login, secret, _ = params
                    return 2 if login == LOGIN and secret in (PASSWORD, API_KEY) else False
                db, uid, secret, model, method, args, kwargs = params
                fake.requests.append((self.path, model, method))
                if secret not in (PASSWORD, API_KEY):
                    raise FakeFault(*FAULT_ACCESS_DENIED)
                if (model, method) in fake.xmlrpc_faults:
                    raise FakeFault(*fake.xmlrpc_faults[(model, method)])
                return fake.execute(model, method, named_arguments(method, args, kwargs))

            def _json2(self, body: bytes) -> None:
                _, _, _, model, method = self.path.split("/", 4)
                fake.requests.append((self.path, model, method))
                named = json.loads(body)
                fake.json2_bodies.append(named)
                if self.headers.get("Authorization") != f"bearer {API_KEY}":
                    status, error = J2_BAD_KEY
                elif (model, method) in fake.json2_errors:
                    status, error = fake.json2_errors[(model, method)]
                else:
                    self._send(200, "application/json", json.dumps(fake.execute(model, method, named)).encode())
                    return
                self._send(status, "application/json", json.dumps(error).encode())

        return Handler


def fast_policy(max_retries: int = 3) -> RetryPolicy:
    return RetryPolicy(max_retries=max_retries, base_delay=0.0, max_delay=0.0, sleep=lambda seconds: None)


@pytest.fixture
def fake17():
    server = FakeOdoo(VERSION_17).start()
    yield server
    server.stop()


@pytest.fixture
def fake19():
    server = FakeOdoo(VERSION_19).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def reset_deprecation_warning():
    client_module._warned_xmlrpc_deprecated.clear()
    yield


def test_public_api_names():
    import allegory2odoo.odoo as package

    for name in ("OdooClient", "ConnectionSettings", "Schema", "FieldSpec", "ServerVersion", "errors"):
        assert hasattr(package, name), name
    for method in ("connect", "call", "search_read", "create", "write", "load", "fields_get", "schema", "message_post", "close"):
        assert callable(getattr(OdooClient, method)), method
    for method in ("from_profile", "for_version", "models", "fields", "field", "has"):
        assert callable(getattr(Schema, method)), method


# -- settings ----------------------------------------------------------------


def test_settings_from_env_reads_variables():
    environ = {
        "ODOO_URL": "https://odoo.example.com/",
        "ODOO_DB": "prod",
        "ODOO_USER": "migration",
        "ODOO_API_KEY": API_KEY,
        "ODOO_PASSWORD": "",
        "ODOO_VERIFY_TLS": "0",
    }
    settings = ConnectionSettings.from_env(environ)

    assert settings.url == "https://odoo.example.com/"
    assert settings.base_url == "https://odoo.example.com"
    assert settings.db == "prod"
    assert settings.user == "migration"
    assert settings.api_key == API_KEY
    assert settings.password is None
    assert settings.verify_tls is False


def test_settings_from_env_uses_os_environ(monkeypatch):
    monkeypatch.setenv("ODOO_URL", "http://localhost:8069")
    monkeypatch.setenv("ODOO_DB", "odoo19")
    monkeypatch.setenv("ODOO_USER", "admin")
    monkeypatch.setenv("ODOO_PASSWORD", PASSWORD)
    monkeypatch.delenv("ODOO_API_KEY", raising=False)

    settings = ConnectionSettings.from_env(timeout=30.0)

    assert settings.password == PASSWORD
    assert settings.api_key is None
    assert settings.timeout == 30.0
    assert settings.verify_tls is True
    settings.validate()


def test_settings_rejects_invalid_verify_tls():
    with pytest.raises(ConnectionSettingsError, match="ODOO_VERIFY_TLS"):
        ConnectionSettings.from_env({"ODOO_VERIFY_TLS": "maybe"})


def test_settings_overrides_win_unless_none():
    environ = {"ODOO_URL": "http://env", "ODOO_DB": "envdb", "ODOO_USER": "envuser"}
    settings = ConnectionSettings.from_env(environ, url="http://flag", db=None, max_retries=2)

    assert settings.url == "http://flag"
    assert settings.db == "envdb"
    assert settings.max_retries == 2


def test_settings_from_env_rejects_unknown_override():
    with pytest.raises(TypeError, match="colour"):
        ConnectionSettings.from_env({}, colour="red")


def test_settings_repr_hides_secrets():
    settings = ConnectionSettings("http://x", "db", "u", password=PASSWORD, api_key=API_KEY)

    for text in (repr(settings), str(settings), f"{settings}"):
        assert PASSWORD not in text
        assert API_KEY not in text
        assert "password='***'" in text


@pytest.mark.parametrize(
    ("overrides", "setting", "hint"),
    [
        ({"url": None}, "url", "ODOO_URL"),
        ({"db": ""}, "db", "ODOO_DB"),
        ({"user": None}, "user", "ODOO_USER"),
        ({"password": None, "api_key": None}, "api_key", "ODOO_API_KEY"),
        ({"url": "odoo.example.com"}, "url", "ODOO_URL"),
        ({"url": "ftp://odoo.example.com"}, "url", "ODOO_URL"),
        ({"url": "http://host:notaport"}, "url", "ODOO_URL"),
        ({"url": f"https://admin:{PASSWORD}@odoo.example.com"}, "url", "ODOO_USER"),
        ({"protocol": "soap"}, "protocol", "--protocol"),
        ({"protocol": "json2", "api_key": None}, "api_key", "ODOO_API_KEY"),
        ({"timeout": 0}, "timeout", "--timeout"),
        ({"max_retries": -1}, "max_retries", "max_retries"),
    ],
)
def test_settings_validate_names_the_fix(overrides, setting, hint):
    values = {"url": "https://odoo.example.com", "db": "db", "user": "u", "password": PASSWORD}
    values.update(overrides)

    with pytest.raises(ConnectionSettingsError) as caught:
        ConnectionSettings(**values).validate()

    assert caught.value.setting == setting
    assert hint in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_settings_secret_prefers_api_key():
    assert ConnectionSettings("http://x", "d", "u", password="p", api_key="k").secret == "k"
    assert ConnectionSettings("http://x", "d", "u", password="p").secret == "p"


# -- version and schema --------------------------------------------------------


def test_server_version_from_version_result():
    version = ServerVersion.from_mapping(VERSION_19)

    assert version.major == 19
    assert version.minor == 0
    assert version.serie == "19.0"
    assert version.info == (19, 0, 0, "final", 0, "")
    assert version.raw == VERSION_19
    assert version.has_json2


def test_server_version_from_saas_serie():
    version = ServerVersion.from_mapping({"server_serie": "saas~18.2", "server_version_info": ["saas~18", "x"]})

    assert (version.major, version.minor) == (18, 2)
    assert not ServerVersion.from_mapping(VERSION_17).has_json2


def test_server_version_rejects_garbage():
    with pytest.raises(ValueError):
        ServerVersion.from_mapping({"server_serie": "unknown"})


def test_schema_profiles_load():
    schema19 = Schema.from_profile("odoo19")
    schema17 = Schema.from_profile("odoo17")

    assert schema19.source == "profile:odoo19"
    assert schema19.version.major == 19
    assert "crm.lead" in schema19.models()
    assert schema19.has("crm.stage", "team_ids")
    assert not schema19.has("crm.stage", "team_id")
    assert schema17.has("crm.stage", "team_id")
    assert schema19.field("res.partner", "type").selection == ("contact", "invoice", "delivery", "other")
    assert schema19.field("crm.lead", "stage_id").relation == "crm.stage"
    assert schema19.field("crm.lead", "activity_state").computed
    assert schema19.field("no.such.model", "name") is None


def test_schema_fields_unknown_model_raises():
    with pytest.raises(KeyError, match="no.such.model"):
        Schema.from_profile("odoo19").fields("no.such.model")


def test_schema_unknown_profile_raises():
    with pytest.raises(ValueError, match="odoo16"):
        Schema.from_profile("odoo16")


@pytest.mark.parametrize(("major", "profile"), [(16, "odoo17"), (17, "odoo17"), (18, "odoo19"), (19, "odoo19"), (20, "odoo19")])
def test_schema_for_version_picks_nearest(major, profile):
    assert Schema.for_version(major).source == f"profile:{profile}"


def test_field_spec_from_live_fields_get():
    attributes = {
        "type": "selection",
        "string": "Type",
        "required": False,
        "readonly": True,
        "store": True,
        "selection": [["lead", "Lead"], ["opportunity", "Opportunity"]],
        "depends": ["partner_id"],
    }
    spec = FieldSpec.from_fields_get("type", attributes)

    assert spec.selection == ("lead", "opportunity")
    assert spec.computed
    assert spec.readonly
    assert spec.string == "Type"
    assert spec.relation is None


def test_field_spec_plain_field_not_computed():
    spec = FieldSpec.from_fields_get("name", {"type": "char", "required": True, "store": True, "depends": []})

    assert not spec.computed
    assert spec.selection is None
    assert spec.required


# -- fault and response classification ------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error_class", "exception_type", "odoo_message"),
    [
        (FAULT_UNKNOWN_FIELD, ServerFault, "ValueError", "Invalid field 'x_does_not_exist' in 'res.partner'"),
        (FAULT_UNKNOWN_METHOD, UnknownModelOrMethodError, "AttributeError", "The method 'res.partner.no_such_method' does not exist"),
        (FAULT_SERIALIZATION, TransientOdooError, "psycopg2.errors.SerializationFailure", "could not serialize access due to concurrent update"),
        (FAULT_NAME_REQUIRED, ValidationFault, None, "The operation cannot be completed: Contacts require a name"),
        (FAULT_MISSING_RECORD, MissingRecordError, "odoo.exceptions.MissingError", None),
        (FAULT_UNKNOWN_MODEL, UnknownModelOrMethodError, None, "Object x.no.such.model doesn't exist"),
        (FAULT_ACCESS_DENIED, AuthenticationError, "odoo.exceptions.AccessDenied", "Access Denied"),
        (FAULT_ACCESS_ERROR, AccessRightsError, "odoo.exceptions.AccessError", None),
    ],
)
def test_error_from_fault_classifies(fault, error_class, exception_type, odoo_message):
    error = error_from_fault(fault[0], fault[1], model="res.partner", method="create")

    assert type(error) is error_class
    assert error.fault_code == fault[0]
    assert error.exception_type == exception_type
    if odoo_message is not None:
        assert error.odoo_message == odoo_message
    assert error.model == "res.partner"
    assert error.method == "create"
    assert error.retryable == (error_class is TransientOdooError)


def test_fault_traceback_goes_to_debug_only():
    error = error_from_fault(*FAULT_UNKNOWN_FIELD, model="res.partner", method="create")

    assert "Traceback" in error.debug
    assert "Traceback" not in str(error)
    assert "Invalid field 'x_does_not_exist' in 'res.partner'" in str(error)
    assert "res.partner.create" in str(error)


@pytest.mark.parametrize(
    ("response", "error_class"),
    [
        (J2_UNKNOWN_FIELD, ServerFault),
        (J2_NAME_REQUIRED, ValidationFault),
        (J2_MISSING_RECORD, MissingRecordError),
        (J2_UNKNOWN_MODEL, UnknownModelOrMethodError),
        (J2_PRIVATE_METHOD, AccessRightsError),
        (J2_BAD_KEY, AuthenticationError),
        (J2_BAD_ARGUMENT, ServerFault),
        (J2_SERIALIZATION, TransientOdooError),
        ((503, "<h1>busy</h1>"), TransientOdooError),
        ((429, {"name": "werkzeug.exceptions.TooManyRequests", "message": "slow down"}), TransientOdooError),
        ((502, ""), TransientOdooError),
        ((504, ""), TransientOdooError),
        ((404, "<!DOCTYPE html><title>404 Not Found</title>"), ConnectionSettingsError),
    ],
)
def test_error_from_json2_classifies(response, error_class):
    status, body = response
    error = error_from_json2(status, body, model="res.partner", method="create")

    assert type(error) is error_class
    assert error.http_status == status
    if isinstance(body, dict):
        assert error.exception_type == body["name"].removeprefix("builtins.")
        assert error.odoo_message == body["message"]


def test_split_traceback_keeps_multiline_message():
    text = traceback_text(
        [
            "    raise MissingError(message)",
            "odoo.exceptions.MissingError: Record does not exist or has been deleted.",
            "(Record: res.partner(999999,), User: 2)",
        ]
    )
    exception_type, message = split_traceback(text)

    assert exception_type == "odoo.exceptions.MissingError"
    assert message == "Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)"


def test_split_traceback_plain_text():
    assert split_traceback("Access Denied") == (None, "Access Denied")


def test_error_classes_are_transient_or_terminal():
    terminal = [
        errors.AuthenticationError,
        errors.AccessRightsError,
        errors.ValidationFault,
        errors.MissingRecordError,
        errors.UnknownModelOrMethodError,
        errors.ServerFault,
        errors.ConnectionSettingsError,
    ]
    for error_class in terminal:
        assert issubclass(error_class, errors.TerminalOdooError)
        assert not error_class.retryable
    assert issubclass(errors.TransientOdooError, errors.OdooError)
    assert errors.TransientOdooError.retryable


def test_error_user_message_is_one_sentence_with_advice():
    error = ValidationFault("Odoo rejected the values", model="res.partner", method="create", odoo_message="Contacts require a name")

    assert str(error) == (
        "Odoo rejected the values (res.partner.create): Contacts require a name. "
        "Correct the values named in Odoo's message and send the records again."
    )
    assert error.args == (str(error),)
    assert error.to_dict()["error"] == "ValidationFault"


# -- argument translation ------------------------------------------------------


def test_named_arguments_for_known_methods():
    assert named_arguments("create", ([{"name": "a"}],), {}) == {"vals_list": [{"name": "a"}]}
    assert named_arguments("write", ([1, 2], {"name": "b"}), {}) == {"ids": [1, 2], "vals": {"name": "b"}}
    assert named_arguments("search_read", ([], ["name"]), {"limit": 5}) == {"domain": [], "fields": ["name"], "limit": 5}
    assert named_arguments("load", (["id", "name"], [["x", "y"]]), {}) == {"fields": ["id", "name"], "data": [["x", "y"]]}
    assert named_arguments("message_post", (7,), {"body": "hi"}) == {"ids": [7], "body": "hi"}
    assert named_arguments("action_feedback", ([3],), {"feedback": "done"}) == {"ids": [3], "feedback": "done"}
    assert named_arguments("fields_get", (), {"attributes": ["type"]}) == {"attributes": ["type"]}


def test_named_arguments_unknown_method_positional_raises():
    with pytest.raises(CallSignatureError, match="x_custom_action"):
        named_arguments("x_custom_action", ([1],), {})


def test_named_arguments_keywords_pass_for_unknown_method():
    assert named_arguments("x_custom_action", (), {"ids": [1], "flag": True}) == {"ids": [1], "flag": True}


def test_named_arguments_rejects_duplicates_and_extras():
    with pytest.raises(CallSignatureError, match="both"):
        named_arguments("write", ([1], {}), {"ids": [2]})
    with pytest.raises(CallSignatureError, match="at most"):
        named_arguments("unlink", ([1], "extra"), {})


def test_prepare_value_converts_for_odoo():
    value = {
        "a": None,
        "b": [None, (1, 2)],
        "when": dt.datetime(2024, 5, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "naive": dt.datetime(2024, 5, 1, 9, 0, 5),
        "day": dt.date(2024, 5, 1),
        "amount": Decimal("12.50"),
        "flag": False,
    }
    assert prepare_value(value) == {
        "a": False,
        "b": [False, [1, 2]],
        "when": "2024-05-01 12:30:00",
        "naive": "2024-05-01 09:00:05",
        "day": "2024-05-01",
        "amount": 12.5,
        "flag": False,
    }


# -- connecting and choosing the transport ----------------------------------------


def test_connect_odoo17_uses_xmlrpc(fake17):
    with OdooClient.connect(fake17.settings(password=PASSWORD), retry_policy=fast_policy()) as client:
        assert client.protocol == "xmlrpc"
        assert client.version.major == 17
        assert client.uid == 2


def test_connect_odoo17_with_api_key_uses_xmlrpc(fake17):
    with OdooClient.connect(fake17.settings(api_key=API_KEY), retry_policy=fast_policy()) as client:
        assert client.protocol == "xmlrpc"


def test_connect_odoo19_with_key_uses_json2(fake19):
    with OdooClient.connect(fake19.settings(api_key=API_KEY), retry_policy=fast_policy()) as client:
        assert client.protocol == "json2"
        assert client.version.major == 19
        assert client.uid == 2
    assert ("/json/2/res.users/search", "res.users", "search") in fake19.requests


def test_connect_odoo19_with_password_warns_once(fake19, caplog):
    caplog.set_level(logging.WARNING, logger="allegory2odoo.odoo")
    for _ in range(2):
        with OdooClient.connect(fake19.settings(password=PASSWORD), retry_policy=fast_policy()) as client:
            assert client.protocol == "xmlrpc"

    warnings = [r for r in caplog.records if "deprecates XML-RPC" in r.getMessage()]
    assert len(warnings) == 1
    assert "ODOO_API_KEY" in warnings[0].getMessage()


def test_connect_forced_xmlrpc_on_odoo19(fake19):
    settings = fake19.settings(api_key=API_KEY, protocol="xmlrpc")
    with OdooClient.connect(settings, retry_policy=fast_policy()) as client:
        assert client.protocol == "xmlrpc"


def test_connect_forced_json2_on_odoo17_fails(fake17):
    with pytest.raises(ConnectionSettingsError, match="no JSON-2"):
        OdooClient.connect(fake17.settings(api_key=API_KEY, protocol="json2"), retry_policy=fast_policy())


def test_connect_without_xmlrpc_uses_json2():
    server = FakeOdoo({**VERSION_19, "server_version_info": [20, 0, 0, "final", 0, ""], "server_serie": "20.0"}, xmlrpc=False).start()
    try:
        with OdooClient.connect(server.settings(api_key=API_KEY), retry_policy=fast_policy()) as client:
            assert client.protocol == "json2"
            assert client.version.major == 20
    finally:
        server.stop()


def test_connect_without_xmlrpc_needs_api_key():
    server = FakeOdoo(VERSION_19, xmlrpc=False).start()
    try:
        with pytest.raises(ConnectionSettingsError, match="ODOO_API_KEY"):
            OdooClient.connect(server.settings(password=PASSWORD), retry_policy=fast_policy())
    finally:
        server.stop()


def test_connect_wrong_password_raises(fake17):
    with pytest.raises(AuthenticationError) as caught:
        OdooClient.connect(fake17.settings(password="wrong-" + PASSWORD), retry_policy=fast_policy())

    assert PASSWORD not in str(caught.value)
    assert "ODOO_USER" in str(caught.value)


def test_connect_wrong_api_key_json2_raises(fake19):
    with pytest.raises(AuthenticationError) as caught:
        OdooClient.connect(fake19.settings(api_key="f" * 40), retry_policy=fast_policy())

    assert caught.value.http_status == 401
    assert "f" * 40 not in str(caught.value)
    assert "f" * 40 not in repr(caught.value)


def test_connect_json2_unknown_login_raises(fake19):
    with pytest.raises(AuthenticationError, match="nobody"):
        OdooClient.connect(fake19.settings(user="nobody", api_key=API_KEY), retry_policy=fast_policy())


def test_connect_refused_is_transient_after_retries():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ConnectionSettings(f"http://127.0.0.1:{port}", DB, LOGIN, password=PASSWORD, timeout=2.0)

    with pytest.raises(TransientOdooError) as caught:
        OdooClient.connect(settings, retry_policy=fast_policy(max_retries=2))

    assert caught.value.attempts == 3
    assert "Could not connect" in str(caught.value)


def test_connect_not_odoo_raises_settings_error():
    server = FakeOdoo(VERSION_19, xmlrpc=False, json2=False).start()
    server.version = {"hello": "world"}
    try:
        with pytest.raises(ConnectionSettingsError, match="did not return an Odoo version"):
            OdooClient.connect(server.settings(api_key=API_KEY), retry_policy=fast_policy())
    finally:
        server.stop()


# -- calls and typed errors over both transports --------------------------------


@pytest.fixture(params=["xmlrpc17", "xmlrpc19", "json2"])
def fake_client(request):
    version = VERSION_17 if request.param == "xmlrpc17" else VERSION_19
    server = FakeOdoo(version).start()
    secret = {"api_key": API_KEY} if request.param == "json2" else {"password": PASSWORD}
    client = OdooClient.connect(server.settings(**secret), retry_policy=fast_policy())
    yield server, client
    client.close()
    server.stop()


def test_call_helpers_return_odoo_results(fake_client):
    server, client = fake_client
    server.handlers[("res.partner", "create")] = lambda vals_list: [7 + i for i in range(len(vals_list))]
    server.handlers[("res.partner", "search_read")] = lambda domain, fields, **kw: [{"id": 7, "name": "A"}]
    server.handlers[("res.partner", "load")] = lambda fields, data, **kw: {"ids": [7], "messages": [], "nextrow": 0}

    assert client.create("res.partner", [{"name": "A"}, {"name": "B"}]) == [7, 8]
    assert client.create("res.partner", {"name": "A"}) == [7]
    assert client.search_read("res.partner", [("name", "=", "A")], ["name"], limit=1) == [{"id": 7, "name": "A"}]
    assert client.write("res.partner", 7, {"name": "C"}) is True
    assert client.load("res.partner", ["id", "name"], [["__x__.a", "A"]], context={"tracking_disable": True}) == {
        "ids": [7],
        "messages": [],
        "nextrow": 0,
    }


def test_json2_sends_named_arguments(fake19):
    with OdooClient.connect(fake19.settings(api_key=API_KEY), retry_policy=fast_policy()) as client:
        client.write("res.partner", [7], {"name": "C", "email": None})
        client.load("res.partner", ["id", "name"], [["__x__.a", "A"]], context={"tracking_disable": True})

    assert fake19.json2_bodies[-2] == {"ids": [7], "vals": {"name": "C", "email": False}}
    assert fake19.json2_bodies[-1] == {
        "fields": ["id", "name"],
        "data": [["__x__.a", "A"]],
        "context": {"tracking_disable": True},
    }


def test_message_post_returns_int_on_both_versions(fake_client):
    server, client = fake_client
    as_list = client.version.major >= 19
    server.handlers[("crm.lead", "message_post")] = lambda ids, **kw: [81] if as_list else 81

    assert client.message_post("crm.lead", 1, body="hello", message_type="comment") == 81


def test_fields_get_is_cached(fake_client):
    server, client = fake_client
    first = client.fields_get("res.partner")
    second = client.fields_get("res.partner")
    schema = client.schema(["res.partner"])

    assert first is second
    assert len([r for r in server.requests if r[2] == "fields_get"]) == 1
    assert schema.source == "live"
    assert schema.field("res.partner", "name").required


@pytest.mark.parametrize(
    ("method", "args", "fault", "json2_response", "error_class"),
    [
        ("create", ([{"x_bad": 1}],), FAULT_UNKNOWN_FIELD, J2_UNKNOWN_FIELD, ServerFault),
        ("create", ([{"email": "x@example.com"}],), FAULT_NAME_REQUIRED, J2_NAME_REQUIRED, ValidationFault),
        ("write", ([999999], {"name": "x"}), FAULT_MISSING_RECORD, J2_MISSING_RECORD, MissingRecordError),
        ("search", ([],), FAULT_UNKNOWN_MODEL, J2_UNKNOWN_MODEL, UnknownModelOrMethodError),
        ("create", ([{"name": "x"}],), FAULT_ACCESS_ERROR, J2_PRIVATE_METHOD, AccessRightsError),
    ],
)
def test_call_raises_typed_errors(fake_client, method, args, fault, json2_response, error_class):
    server, client = fake_client
    server.xmlrpc_faults[("res.partner", method)] = fault
    server.json2_errors[("res.partner", method)] = json2_response

    with pytest.raises(error_class) as caught:
        client.call("res.partner", method, *args)

    assert caught.value.model == "res.partner"
    assert caught.value.method == method
    assert caught.value.odoo_message
    assert len([r for r in server.requests if r[1:] == ("res.partner", method)]) == 1


def test_call_unknown_method_positional_on_json2_raises(fake19):
    with OdooClient.connect(fake19.settings(api_key=API_KEY), retry_policy=fast_policy()) as client:
        with pytest.raises(CallSignatureError):
            client.call("crm.lead", "x_custom_action", [1])
        assert client.call("crm.lead", "x_custom_action", ids=[1]) is True


# -- retries ------------------------------------------------------------------


def test_call_retries_dropped_connection(fake_client, caplog):
    server, client = fake_client
    path = "/json/2/res.partner/load" if client.protocol == "json2" else "/xmlrpc/2/object"
    server.drops[path] = 2
    server.handlers[("res.partner", "load")] = lambda fields, data, **kw: {"ids": [7], "messages": [], "nextrow": 0}
    caplog.set_level(logging.WARNING, logger="allegory2odoo.odoo")

    assert client.load("res.partner", ["id", "name"], [["__x__.a", "A"]])["ids"] == [7]

    retries = [r for r in caplog.records if r.getMessage().startswith("Retrying res.partner.load")]
    assert len(retries) == 2
    assert "dropped" in retries[0].getMessage()


def test_call_retries_http_503(fake_client):
    server, client = fake_client
    path = "/json/2/res.partner/search_count" if client.protocol == "json2" else "/xmlrpc/2/object"
    server.unavailable[path] = 1
    server.handlers[("res.partner", "search_count")] = lambda domain, **kw: 4

    assert client.call("res.partner", "search_count", []) == 4


def test_call_retries_serialization_failure(fake_client):
    server, client = fake_client
    server.xmlrpc_faults[("res.partner", "write")] = FAULT_SERIALIZATION
    server.json2_errors[("res.partner", "write")] = J2_SERIALIZATION

    with pytest.raises(TransientOdooError) as caught:
        client.write("res.partner", [1], {"name": "x"})

    assert caught.value.attempts == 4
    assert len([r for r in server.requests if r[2] == "write"]) == 4


def test_call_without_retry_fails_at_once(fake_client):
    server, client = fake_client
    path = "/json/2/res.partner/create" if client.protocol == "json2" else "/xmlrpc/2/object"
    server.drops[path] = 1

    with pytest.raises(TransientOdooError) as caught:
        client.call("res.partner", "create", [{"name": "A"}], _retry=False)

    assert caught.value.attempts == 1


def test_create_is_not_retried_by_default(fake_client):
    server, client = fake_client
    path = "/json/2/res.partner/create" if client.protocol == "json2" else "/xmlrpc/2/object"
    server.drops[path] = 1

    with pytest.raises(TransientOdooError):
        client.create("res.partner", [{"name": "A"}])


def test_terminal_error_is_not_retried(fake_client):
    server, client = fake_client
    server.xmlrpc_faults[("res.partner", "create")] = FAULT_NAME_REQUIRED
    server.json2_errors[("res.partner", "create")] = J2_NAME_REQUIRED

    with pytest.raises(ValidationFault):
        client.call("res.partner", "create", [{"email": "x@example.com"}])

    assert len([r for r in server.requests if r[2] == "create"]) == 1


def test_retry_policy_delay_grows_and_is_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, random=lambda: 1.0)

    assert [policy.delay(n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert RetryPolicy(base_delay=1.0, random=lambda: 0.0).delay(2) == 2.0


def test_retry_policy_honours_retry_after():
    policy = RetryPolicy(base_delay=0.1, max_delay=10.0, random=lambda: 0.0)

    assert policy.delay(0, TransientOdooError("busy", retry_after="7")) == 7.0
    assert policy.delay(0, TransientOdooError("busy", retry_after="120")) == 10.0
    assert policy.delay(0, TransientOdooError("busy", retry_after="Wed, 21 Oct 2015 07:28:00 GMT")) == 0.05


# -- secrets ------------------------------------------------------------------


@pytest.mark.parametrize("version", [VERSION_17, VERSION_19])
def test_secret_echoed_by_server_is_redacted(version, caplog):
    server = FakeOdoo(version).start()
    echo = f"cannot use {PASSWORD} or {API_KEY} here"
    server.xmlrpc_faults[("res.partner", "write")] = (2, echo)
    server.json2_errors[("res.partner", "write")] = json2_error("odoo.exceptions.UserError", echo, 422)
    caplog.set_level(logging.DEBUG)
    try:
        with OdooClient.connect(server.settings(password=PASSWORD, api_key=API_KEY), retry_policy=fast_policy()) as client:
            server.unavailable["/json/2/res.partner/write" if client.protocol == "json2" else "/xmlrpc/2/object"] = 1
            with pytest.raises(ValidationFault) as caught:
                client.write("res.partner", [1], {"name": "x"})
            logging.getLogger("allegory2odoo.odoo").error("failed: %s (%s)", caught.value, PASSWORD, exc_info=caught.value)
    finally:
        server.stop()

    error = caught.value
    texts = [str(error), repr(error), error.odoo_message, error.debug or "", *map(str, error.args), caplog.text]
    for text in texts:
        assert PASSWORD not in text
        assert API_KEY not in text
    assert "[REDACTED]" in str(error)
    assert "Retrying res.partner.write" in caplog.text


def test_redacting_filter_on_handler():
    stream_records: list[str] = []

    class ListHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream_records.append(self.format(record))

    handler = ListHandler()
    handler.addFilter(SecretRedactingFilter([PASSWORD, "", None]))
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("login with %s", PASSWORD)
        try:
            raise RuntimeError(f"boom {PASSWORD}")
        except RuntimeError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)

    assert stream_records[0] == "login with [REDACTED]"
    assert PASSWORD not in stream_records[1]
    assert "boom [REDACTED]" in stream_records[1]


def test_client_repr_hides_secrets(fake19):
    with OdooClient.connect(fake19.settings(api_key=API_KEY, password=PASSWORD), retry_policy=fast_policy()) as client:
        text = repr(client)

    assert API_KEY not in text
    assert PASSWORD not in text


# -- TLS --------------------------------------------------------------------------


def _self_signed_certificate(tmp_path):
    x509 = pytest.importorskip("cryptography.x509", reason="the cryptography package is needed to make a test certificate")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = tmp_path / "cert.pem"
    key_path = tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def tls_fake17(tmp_path):
    cert_path, key_path = _self_signed_certificate(tmp_path)
    server = FakeOdoo(VERSION_17)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    server.start()
    host, port = server.server.server_address[:2]
    yield server, f"https://{host}:{port}"
    server.stop()


def test_tls_self_signed_rejected_by_default(tls_fake17):
    server, url = tls_fake17
    settings = ConnectionSettings(url, DB, LOGIN, password=PASSWORD, timeout=5.0)

    with pytest.raises(ConnectionSettingsError) as caught:
        OdooClient.connect(settings, retry_policy=fast_policy())

    assert caught.value.setting == "verify_tls"
    assert "could not be verified" in str(caught.value)
    assert "ODOO_VERIFY_TLS" in str(caught.value)


def test_tls_verification_can_be_disabled(tls_fake17):
    server, url = tls_fake17
    settings = ConnectionSettings(url, DB, LOGIN, password=PASSWORD, timeout=5.0, verify_tls=False)

    with OdooClient.connect(settings, retry_policy=fast_policy()) as client:
        assert client.version.major == 17


# -- against the project's Odoo test server ------------------------------------------
#
# The fixtures odoo_server (17 and 19), odoo17_server and odoo19_server come
# from tests/conftest.py. Each test gets a fresh server with its own database.

TRANSPORTS = [
    pytest.param((17, "password", "xmlrpc"), id="odoo17-xmlrpc"),
    pytest.param((19, "password", "xmlrpc"), id="odoo19-xmlrpc"),
    pytest.param((19, "api_key", "json2"), id="odoo19-json2"),
]


def server_settings(server, secret: str = "password", **overrides: Any) -> ConnectionSettings:
    values: dict[str, Any] = {"url": server.url, "db": server.db, "user": server.admin_login, "timeout": 10.0}
    if secret == "password":
        values["password"] = server.admin_password
    else:
        values["api_key"] = server.api_key
    values.update(overrides)
    return ConnectionSettings(**values)


@pytest.fixture(params=TRANSPORTS)
def live(request):
    """A started test server and a client connected to it, one per transport."""
    from odoo_server import OdooTestServer

    version, secret, protocol = request.param
    server = OdooTestServer(version=version).start()
    client = OdooClient.connect(server_settings(server, secret), retry_policy=fast_policy())
    assert client.protocol == protocol
    yield server, client
    client.close()
    server.stop()


def test_live_odoo17_uses_xmlrpc(odoo17_server):
    with OdooClient.connect(server_settings(odoo17_server), retry_policy=fast_policy()) as client:
        assert client.protocol == "xmlrpc"
        assert client.version.major == 17
        assert client.version.serie == "17.0"
        assert client.uid == 2


def test_live_odoo19_with_key_uses_json2(odoo19_server):
    with OdooClient.connect(server_settings(odoo19_server, "api_key"), retry_policy=fast_policy()) as client:
        assert client.protocol == "json2"
        assert client.version.major == 19
        assert client.uid == 2
        assert client.search_read("res.users", [("id", "=", client.uid)], ["login"])[0]["login"] == "admin"


def test_live_odoo19_with_password_uses_xmlrpc(odoo19_server, caplog):
    caplog.set_level(logging.WARNING, logger="allegory2odoo.odoo")
    with OdooClient.connect(server_settings(odoo19_server), retry_policy=fast_policy()) as client:
        assert client.protocol == "xmlrpc"

    assert "deprecates XML-RPC" in caplog.text


def test_live_odoo19_key_as_xmlrpc_password(odoo19_server):
    settings = server_settings(odoo19_server, "api_key", protocol="xmlrpc")
    with OdooClient.connect(settings, retry_policy=fast_policy()) as client:
        assert client.protocol == "xmlrpc"
        assert client.call("res.partner", "search_count", []) >= 1


def test_live_helpers_round_trip(live):
    server, client = live
    ids = client.create("res.partner", [{"name": "Round trip A"}, {"name": "Round trip B", "email": None}])
    assert len(ids) == 2

    assert client.write("res.partner", ids, {"phone": "+1 555 0100"}) is True
    rows = client.search_read("res.partner", [("id", "in", ids)], ["name", "phone", "email"], order="id")
    assert [row["name"] for row in rows] == ["Round trip A", "Round trip B"]
    assert {row["phone"] for row in rows} == {"+1 555 0100"}
    assert rows[1]["email"] is False

    result = client.load("res.partner", ["id", "name"], [["__test__.partner_1", "Loaded"]])
    assert result["messages"] == []
    assert len(result["ids"]) == 1


def test_live_message_post_returns_int(live):
    server, client = live
    lead_id = client.create("crm.lead", [{"name": "Lead for a note"}])[0]

    message_id = client.message_post("crm.lead", lead_id, body="A note", message_type="comment")

    assert isinstance(message_id, int)
    assert client.search_read("mail.message", [("id", "=", message_id)], ["res_id"])[0]["res_id"] == lead_id


def test_live_schema_matches_version(live):
    server, client = live
    schema = client.schema(["crm.stage", "res.partner"])

    assert schema.source == "live"
    assert schema.has("crm.stage", "team_ids") == (client.version.major >= 19)
    assert schema.has("crm.stage", "team_id") == (client.version.major < 19)
    assert schema.field("res.partner", "type").selection == ("contact", "invoice", "delivery", "other")
    assert client.fields_get("crm.stage") is client.fields_get("crm.stage")


@pytest.mark.parametrize(
    ("model", "method", "args", "kwargs", "error_class"),
    [
        ("res.partner", "create", ([{"name": "Bad field", "x_does_not_exist": 1}],), {}, ServerFault),
        ("res.partner", "create", ([{"name": "Bad type", "type": "private"}],), {}, ServerFault),
        ("res.partner", "create", ([{"email": "noname@example.com"}],), {}, ValidationFault),
        ("res.partner", "write", ([999999], {"phone": "1"}), {}, MissingRecordError),
        ("x.no.such.model", "search", ([],), {}, UnknownModelOrMethodError),
        # Methods outside METHOD_PARAMETERS take keywords only, so JSON-2 can send them.
        ("res.partner", "no_such_method", (), {"ids": [1]}, UnknownModelOrMethodError),
        ("res.partner", "_compute_display_name", (), {"ids": [1]}, AccessRightsError),
    ],
)
def test_live_faults_become_typed_errors(live, model, method, args, kwargs, error_class):
    server, client = live

    with pytest.raises(error_class) as caught:
        client.call(model, method, *args, **kwargs)

    error = caught.value
    assert error.model == model
    assert error.method == method
    assert error.odoo_message
    if client.protocol == "json2":
        assert error.http_status is not None
    else:
        assert error.fault_code is not None


def test_live_missing_rights_raise_access_error(live):
    server, client = live
    login = "limited_user"
    server.add_user(login, groups="internal", password="Limited-pass-1")
    if client.protocol == "json2":
        uid = client.search_read("res.users", [("login", "=", login)], ["id"])[0]["id"]
        settings = server_settings(server, "api_key", user=login, api_key=server.add_api_key(uid))
    else:
        settings = server_settings(server, user=login, password="Limited-pass-1")

    with OdooClient.connect(settings, retry_policy=fast_policy()) as limited:
        with pytest.raises(AccessRightsError) as caught:
            limited.create("res.partner", [{"name": "Not allowed"}])

    assert "res.partner" in caught.value.odoo_message


@pytest.mark.parametrize(("version", "secret"), [(17, "password"), (19, "password"), (19, "api_key")])
def test_live_wrong_secret_raises_without_leaking(version, secret, caplog):
    from odoo_server import OdooTestServer

    wrong = "Wrong-secret-" + "9" * 27
    caplog.set_level(logging.DEBUG)
    with OdooTestServer(version=version) as server:
        settings = server_settings(server, secret, **{secret: wrong})
        with pytest.raises(AuthenticationError) as caught:
            OdooClient.connect(settings, retry_policy=fast_policy())

    error = caught.value
    for text in (str(error), repr(error), repr(settings), str(settings), caplog.text, *map(str, error.args)):
        assert wrong not in text
    assert "ODOO_API_KEY" in str(error)


def test_live_unknown_database_names_setting(odoo_server):
    settings = server_settings(odoo_server, db="no_such_db")

    with pytest.raises(ConnectionSettingsError) as caught:
        OdooClient.connect(settings, retry_policy=fast_policy())

    assert caught.value.setting == "db"
    assert "no_such_db" in str(caught.value)


def test_live_unknown_database_json2(odoo19_server):
    settings = server_settings(odoo19_server, "api_key", db="no_such_db", protocol="json2")

    with pytest.raises(ConnectionSettingsError) as caught:
        OdooClient.connect(settings, retry_policy=fast_policy())

    assert caught.value.http_status == 404


def test_live_dropped_load_is_retried_once(live):
    server, client = live
    server.inject_fault("res.partner", "load", "drop_after_commit")

    result = client.load("res.partner", ["id", "name"], [["__test__.dropped", "Dropped once"]])

    assert len(result["ids"]) == 1
    assert len([c for c in server.calls if (c.model, c.method) == ("res.partner", "load")]) == 2
    assert client.call("res.partner", "search_count", [("name", "=", "Dropped once")]) == 1


def test_live_dropped_create_is_not_retried(live):
    server, client = live
    server.inject_fault("res.partner", "create", "drop_after_commit")

    with pytest.raises(TransientOdooError) as caught:
        client.create("res.partner", [{"name": "Dropped create"}])

    assert caught.value.attempts == 1
    # Odoo committed before the connection dropped, which is why create is not retried.
    assert client.call("res.partner", "search_count", [("name", "=", "Dropped create")]) == 1


@pytest.mark.parametrize("mode", ["unavailable", "serialization_failure"])
def test_live_transient_faults_are_retried(live, mode, caplog):
    server, client = live
    server.inject_fault("res.partner", "search_count", mode, times=2)
    caplog.set_level(logging.WARNING, logger="allegory2odoo.odoo")

    assert client.call("res.partner", "search_count", []) >= 1

    assert len([c for c in server.calls if (c.model, c.method) == ("res.partner", "search_count")]) == 3
    assert caplog.text.count("Retrying res.partner.search_count") == 2


def test_live_retries_give_up(live):
    server, client = live
    server.inject_fault("res.partner", "search_count", "serialization_failure", times=10)

    with pytest.raises(TransientOdooError) as caught:
        client.call("res.partner", "search_count", [])

    assert caught.value.attempts == 4
    assert "concurrent update" in str(caught.value)


def test_api_key_skips_deprecated_xmlrpc(odoo19_server):
    """With an API key on Odoo 19, connecting makes no /xmlrpc/2 call, which Odoo 19 logs as deprecated."""
    settings = ConnectionSettings(url=odoo19_server.url, db=odoo19_server.db, user=odoo19_server.admin_login,
                                  api_key=odoo19_server.api_key)
    with OdooClient.connect(settings) as client:
        assert client.protocol == "json2"
        assert client.version.major == 19
    assert [call for call in odoo19_server.calls if call.protocol == "xmlrpc"] == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8017/odoo/crm", "https://erp.example.com/web"])
def test_browser_url_rejected_with_root(url):
    settings = ConnectionSettings(url=url, db="crm", user="admin", password="pw")
    with pytest.raises(ConnectionSettingsError, match="the address without /"):
        settings.validate()
