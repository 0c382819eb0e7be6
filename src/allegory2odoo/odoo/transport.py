"""The two ways to call Odoo's external API, over one shared HTTP client.

``XmlRpcTransport`` speaks ``/xmlrpc/2`` (Odoo 17, 18 and 19; deprecated in 19
and announced for removal in 20). ``Json2Transport`` speaks ``/json/2``
(Odoo 19 and later). Both take calls in the XML-RPC convention, positional
arguments plus keyword arguments, and raise the typed errors of
:mod:`allegory2odoo.odoo.errors`.
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import xmlrpc.client
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from xml.parsers.expat import ExpatError

import httpx

from .errors import (
    AuthenticationError,
    CallSignatureError,
    ConnectionSettingsError,
    OdooError,
    ServerFault,
    TransientOdooError,
)
from .faults import error_from_fault, error_from_json2
from .settings import ConnectionSettings

USER_AGENT = "allegory2odoo"

# Positional parameter names of the methods this tool calls, in the order
# that XML-RPC passes them. JSON-2 takes named arguments only, so a positional
# call is translated with this table. Record methods take "ids" first, as
# over XML-RPC. Signatures read from Odoo 17 and 19 (odoo/orm/models.py,
# addons/mail), which agree on these.
METHOD_PARAMETERS: dict[str, tuple[str, ...]] = {
    "create": ("vals_list",),
    "write": ("ids", "vals"),
    "read": ("ids", "fields", "load"),
    "unlink": ("ids",),
    "copy": ("ids", "default"),
    "exists": ("ids",),
    "search": ("domain", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "load": ("fields", "data"),
    "fields_get": ("allfields", "attributes"),
    "name_search": ("name", "domain", "operator", "limit"),
    "name_create": ("name",),
    "default_get": ("fields",),
    "get_metadata": ("ids",),
    "action_archive": ("ids",),
    "action_unarchive": ("ids",),
    "message_post": ("ids",),
    "message_subscribe": ("ids", "partner_ids", "subtype_ids"),
    "message_unsubscribe": ("ids", "partner_ids"),
    "action_feedback": ("ids", "feedback", "attachment_ids"),
    "action_done": ("ids",),
}


class EndpointNotFoundError(ConnectionSettingsError):
    """HTTP 404 for an API endpoint (such as /xmlrpc/2 on Odoo 20)."""


class HttpSession:
    """One pooled ``httpx.Client`` for every request to one server.

    It turns network failures into typed errors. A redirect is an error
    because the POST would be replayed against another address.
    """

    def __init__(self, settings: ConnectionSettings, client: httpx.Client | None = None) -> None:
        self.base_url = settings.base_url
        self._client = client or httpx.Client(
            verify=settings.verify_tls,
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    def post(self, path: str, *, content: bytes, headers: Mapping[str, str], model: str | None, method: str | None) -> httpx.Response:
        """POST ``content`` to ``path`` and return the response, whatever its status."""
        url = self.base_url + path
        context = {"model": model, "method": method}
        try:
            response = self._client.post(url, content=content, headers=dict(headers))
        except httpx.TimeoutException as exc:
            raise TransientOdooError(
                f"The request to {url} timed out ({type(exc).__name__})",
                advice="Try again later, or raise the timeout if Odoo needs longer for this batch.",
                **context,
            ) from exc
        except httpx.ConnectError as exc:
            if _is_tls_error(exc):
                raise ConnectionSettingsError(
                    f"The TLS certificate of {self.base_url} could not be verified ({_root_cause(exc)})",
                    setting="verify_tls",
                    advice=(
                        "Set SSL_CERT_FILE to a file with the server's CA certificate, or set "
                        "ODOO_VERIFY_TLS=0 (--insecure) only for a test server that you trust."
                    ),
                    **context,
                ) from exc
            raise TransientOdooError(
                f"Could not connect to {self.base_url} ({_root_cause(exc)})",
                advice="Check that Odoo is running and that ODOO_URL is right, then try again.",
                **context,
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError) as exc:
            raise TransientOdooError(
                f"The connection to {self.base_url} was dropped before Odoo responded ({_root_cause(exc)})",
                advice="Try again; the call may or may not have been applied, so only repeat idempotent calls.",
                **context,
            ) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise ConnectionSettingsError(
                f"The Odoo URL {self.base_url!r} cannot be used ({exc})",
                setting="url",
                advice="Set ODOO_URL to an http:// or https:// address.",
                **context,
            ) from exc

        if response.is_redirect:
            location = response.headers.get("Location", "another address")
            raise ConnectionSettingsError(
                f"The server redirected {url} to {location}",
                setting="url",
                http_status=response.status_code,
                advice="Set ODOO_URL to the address that the server redirects to.",
                **context,
            )
        return response

    def close(self) -> None:
        self._client.close()


class XmlRpcTransport:
    """Calls over ``/xmlrpc/2/common`` and ``/xmlrpc/2/object``."""

    name = "xmlrpc"

    def __init__(self, http: HttpSession, settings: ConnectionSettings) -> None:
        self._http = http
        self._db = settings.db
        self._login = settings.user
        self._secret = settings.secret
        self.uid: int | None = None

    def version(self) -> dict[str, Any]:
        """Return ``common.version()``. Raises EndpointNotFoundError when there is no XML-RPC."""
        return self._post("common", "version", ())

    def authenticate(self) -> int:
        """Log in with the login and the API key (or password) and return the uid."""
        try:
            uid = self._post("common", "authenticate", (self._db, self._login, self._secret, {}), method="authenticate")
        except ServerFault as exc:
            if exc.exception_type and exc.exception_type.startswith("psycopg2.OperationalError"):
                raise ConnectionSettingsError(
                    f"Odoo could not open the database {self._db!r}",
                    setting="db",
                    odoo_message=exc.odoo_message,
                    exception_type=exc.exception_type,
                    fault_code=exc.fault_code,
                    debug=exc.debug,
                    advice="Check ODOO_DB (--db): it must name a database on this server.",
                ) from exc
            raise
        if not uid:
            raise AuthenticationError(
                f"Odoo rejected the login {self._login!r} for database {self._db!r}", method="authenticate"
            )
        self.uid = int(uid)
        return self.uid

    def execute(self, model: str, method: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        """Call ``model.method(*args, **kwargs)`` through ``execute_kw``."""
        params = (self._db, self.uid, self._secret, model, method, list(args), dict(kwargs))
        return self._post("object", "execute_kw", params, model=model, method=method)

    def _post(self, service: str, rpc_method: str, params: Sequence[Any], *, model: str | None = None, method: str | None = None) -> Any:
        method = method or rpc_method
        body = xmlrpc.client.dumps(tuple(prepare_value(list(params))), methodname=rpc_method, allow_none=False, encoding="utf-8")
        path = f"/xmlrpc/2/{service}"
        response = self._http.post(
            path, content=body.encode("utf-8"), headers={"Content-Type": "text/xml"}, model=model, method=method
        )

        if response.status_code == 404:
            raise EndpointNotFoundError(
                f"The server has no XML-RPC endpoint at {self._http.base_url}{path}",
                setting="url",
                http_status=404,
                model=model,
                method=method,
                advice="Check ODOO_URL; Odoo 20 and later need an API key (ODOO_API_KEY) for JSON-2.",
            )
        if response.status_code != 200:
            raise error_from_json2(
                response.status_code,
                _decode_body(response),
                model=model,
                method=method,
                retry_after=response.headers.get("Retry-After"),
            )

        try:
            (result,), _ = xmlrpc.client.loads(response.content)
        except xmlrpc.client.Fault as fault:
            raise error_from_fault(fault.faultCode, fault.faultString, model=model, method=method) from None
        except (ExpatError, ValueError) as exc:
            raise ServerFault(
                f"The response from {self._http.base_url}{path} is not XML-RPC ({exc})",
                model=model,
                method=method,
                http_status=response.status_code,
                advice="Check that ODOO_URL points at the Odoo server itself.",
            ) from None
        return result


class Json2Transport:
    """Calls over ``POST /json/2/<model>/<method>`` with a bearer API key."""

    name = "json2"

    def __init__(self, http: HttpSession, settings: ConnectionSettings) -> None:
        self._http = http
        self._headers = {
            "Authorization": f"bearer {settings.api_key}",
            "X-Odoo-Database": settings.db or "",
            "Content-Type": "application/json; charset=utf-8",
        }
        self._login = settings.user
        self.uid: int | None = None

    def authenticate(self) -> int:
        """Check the API key and return the uid of the configured login.

        JSON-2 has no login call. Every request authenticates with the key,
        so the uid is read from ``res.users`` by login. This call also fails
        with HTTP 401 when the key is wrong.
        """
        # NOTE: the key's owner is assumed to be ODOO_USER. Calls run as the
        # key's owner whatever this uid is.
        ids = self.execute("res.users", "search", ([("login", "=", self._login)],), {"limit": 1})
        if not ids:
            raise AuthenticationError(
                f"No active Odoo user has the login {self._login!r}",
                model="res.users",
                method="search",
                advice="Set ODOO_USER to the login of the user who owns the API key.",
            )
        self.uid = int(ids[0])
        return self.uid

    def execute(self, model: str, method: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        """Call ``model.method`` with XML-RPC-style arguments, translated to named ones."""
        body = named_arguments(method, args, kwargs)
        path = f"/json/2/{quote(model, safe='.')}/{quote(method, safe='')}"
        content = json.dumps(prepare_value(body), ensure_ascii=False).encode("utf-8")
        response = self._http.post(path, content=content, headers=self._headers, model=model, method=method)

        if response.status_code == 200:
            try:
                return response.json()
            except ValueError as exc:
                raise ServerFault(
                    f"The response from {self._http.base_url}{path} is not JSON ({exc})",
                    model=model,
                    method=method,
                    http_status=200,
                    advice="Check that ODOO_URL points at the Odoo server itself.",
                ) from None
        raise error_from_json2(
            response.status_code,
            _decode_body(response),
            model=model,
            method=method,
            retry_after=response.headers.get("Retry-After"),
        )


def fetch_version_info(http: HttpSession) -> dict[str, Any]:
    """Return the server version through the web client's JSON-RPC route.

    This is the fallback for servers without ``/xmlrpc/2/common``.
    """
    payload = {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}
    response = http.post(
        "/web/webclient/version_info",
        content=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        model=None,
        method="version_info",
    )
    try:
        result = response.json()["result"]
    except (ValueError, KeyError, TypeError):
        raise ConnectionSettingsError(
            f"Could not read the Odoo version at {http.base_url} (HTTP {response.status_code})",
            setting="url",
            http_status=response.status_code,
            method="version_info",
            advice="Check that ODOO_URL is the address of an Odoo server.",
        ) from None
    return result


def named_arguments(method: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Translate XML-RPC-style arguments into JSON-2 named arguments.

    Raises CallSignatureError for positional arguments of a method that is
    not in METHOD_PARAMETERS, or for an argument given twice.
    """
    body = dict(kwargs)
    if not args:
        return body

    names = METHOD_PARAMETERS.get(method)
    if names is None:
        raise CallSignatureError(
            f"JSON-2 needs named arguments, and the positional parameters of {method!r} are unknown: "
            f"pass them as keywords (ids=..., ...) or add {method!r} to METHOD_PARAMETERS"
        )
    if len(args) > len(names):
        raise CallSignatureError(f"{method!r} takes at most {len(names)} positional arguments ({', '.join(names)}), got {len(args)}")

    for name, value in zip(names, args):
        if name in body:
            raise CallSignatureError(f"{method!r} got {name!r} both as a positional and a keyword argument")
        if name == "ids" and isinstance(value, int):
            value = [value]
        body[name] = value
    return body


def prepare_value(value: Any) -> Any:
    """Convert a value into what both transports can send and Odoo reads the same way.

    None becomes False, because Odoo's XML-RPC does not accept None and
    treats False as "no value". Dates become ``YYYY-MM-DD`` and datetimes
    naive UTC ``YYYY-MM-DD HH:MM:SS``, the formats Odoo stores. Decimals
    become floats and tuples become lists.
    """
    if value is None:
        return False
    if isinstance(value, dict):
        return {key: prepare_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [prepare_value(item) for item in value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return float(value)
    return value


def _decode_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _is_tls_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _root_cause(exc: BaseException) -> str:
    """Return the innermost error's text, which names the real failure (refused, reset, ...)."""
    seen: set[int] = set()
    current = exc
    while id(current) not in seen and (current.__cause__ or current.__context__) is not None:
        seen.add(id(current))
        current = current.__cause__ or current.__context__  # type: ignore[assignment]
    return str(current) or type(current).__name__


__all__ = [
    "EndpointNotFoundError",
    "HttpSession",
    "Json2Transport",
    "METHOD_PARAMETERS",
    "OdooError",
    "XmlRpcTransport",
    "fetch_version_info",
    "named_arguments",
    "prepare_value",
]
