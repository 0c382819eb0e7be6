"""OdooClient: one call interface over XML-RPC and JSON-2."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from .errors import ConnectionSettingsError, OdooError, ServerFault
from .redaction import SecretRedactingFilter, logger
from .retry import RetryPolicy
from .schema import Schema
from .settings import ConnectionSettings
from .transport import (
    EndpointNotFoundError,
    HttpSession,
    Json2Transport,
    XmlRpcTransport,
    fetch_version_info,
)
from .version import ServerVersion

T = TypeVar("T")

# Attributes requested from fields_get: all that FieldSpec reads, which keeps
# the response far smaller than the full one.
FIELDS_GET_ATTRIBUTES = [
    "type",
    "string",
    "required",
    "readonly",
    "store",
    "relation",
    "relation_field",
    "selection",
    "depends",
    "related",
]

# Servers already warned about, so the deprecation warning shows once per process.
_warned_xmlrpc_deprecated: set[str] = set()


class OdooClient:
    """A connection to one Odoo database, over XML-RPC or JSON-2.

    Build it with :meth:`connect`. :meth:`call` takes arguments in the
    XML-RPC convention on both transports: record methods take the ids as
    the first positional argument.

    Retries: ``call`` retries every method after a transient error (timeout,
    dropped connection, HTTP 429/502/503/504, PostgreSQL serialization
    failure or deadlock), up to ``settings.max_retries`` times. A dropped
    connection can come after Odoo committed the call, so callers must only
    send idempotent calls, such as ``load`` with external IDs (which updates
    the records it created before) or reads. Pass ``_retry=False`` to
    ``call`` for a call that must not run twice, such as a plain ``create``.
    """

    def __init__(
        self,
        settings: ConnectionSettings,
        http: HttpSession,
        transport: XmlRpcTransport | Json2Transport,
        version: ServerVersion,
        retry_policy: RetryPolicy,
        log_filter: SecretRedactingFilter,
    ) -> None:
        self.settings = settings
        self.version = version
        self._http = http
        self._transport = transport
        self._retry_policy = retry_policy
        self._log_filter = log_filter
        self._fields_cache: dict[str, dict[str, Any]] = {}

    # -- connecting ---------------------------------------------------------

    @classmethod
    def connect(
        cls,
        settings: ConnectionSettings,
        *,
        retry_policy: RetryPolicy | None = None,
        http_client: Any = None,
    ) -> OdooClient:
        """Check the settings, detect the server version, choose the transport and log in.

        ``http_client`` replaces the ``httpx.Client`` that is built from the
        settings, for tests and for custom TLS or proxy setups.
        """
        settings.validate()
        policy = retry_policy or RetryPolicy(max_retries=settings.max_retries)

        log_filter = SecretRedactingFilter(settings.secrets)
        logger.addFilter(log_filter)

        http = HttpSession(settings, http_client)
        try:
            xmlrpc = XmlRpcTransport(http, settings)
            version, xmlrpc_available = _detect_version(http, xmlrpc, settings, policy)
            protocol = _choose_protocol(settings, version, xmlrpc_available)
            transport = xmlrpc if protocol == "xmlrpc" else Json2Transport(http, settings)

            uid = _run_with_retry(transport.authenticate, settings, policy, "authenticate")
            logger.info(
                "Connected to Odoo %s at %s, database %s, as %s (uid %s) over %s",
                version.serie,
                settings.base_url,
                settings.db,
                settings.user,
                uid,
                protocol,
            )
        except BaseException:
            http.close()
            logger.removeFilter(log_filter)
            raise
        return cls(settings, http, transport, version, policy, log_filter)

    @property
    def protocol(self) -> str:
        """``"xmlrpc"`` or ``"json2"``."""
        return self._transport.name

    @property
    def uid(self) -> int:
        """The id of the logged-in user."""
        assert self._transport.uid is not None  # set by connect()
        return self._transport.uid

    @property
    def redaction_filter(self) -> SecretRedactingFilter:
        """A logging filter that removes this connection's secrets; attach it to your handlers."""
        return self._log_filter

    # -- calls --------------------------------------------------------------

    def call(self, model: str, method: str, /, *args: Any, _retry: bool = True, **kwargs: Any) -> Any:
        """Call ``model.method(*args, **kwargs)`` and return Odoo's result.

        Transient errors are retried unless ``_retry`` is False (see the
        class documentation: only idempotent calls may be retried).
        """
        def invoke() -> Any:
            return self._transport.execute(model, method, args, kwargs)

        policy = self._retry_policy if _retry else _no_retry(self._retry_policy)
        return _run_with_retry(invoke, self.settings, policy, f"{model}.{method}")

    def search_read(self, model: str, domain: Sequence[Any], fields: Sequence[str], **kwargs: Any) -> list[dict[str, Any]]:
        """Return the matching records as dictionaries with the given fields."""
        return self.call(model, "search_read", list(domain), list(fields), **kwargs)

    def create(self, model: str, vals_list: Iterable[dict[str, Any]] | dict[str, Any], *, _retry: bool = False) -> list[int]:
        """Create records in one call and return their ids.

        Not retried by default, because a retry after a dropped connection
        could create the records twice.
        """
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        result = self.call(model, "create", list(vals_list), _retry=_retry)
        return [result] if isinstance(result, int) else list(result)

    def write(self, model: str, ids: Iterable[int] | int, vals: dict[str, Any]) -> bool:
        """Write the same values on the given records."""
        ids = [ids] if isinstance(ids, int) else list(ids)
        return bool(self.call(model, "write", ids, vals))

    def load(
        self,
        model: str,
        fields: Sequence[str],
        rows: Sequence[Sequence[Any]],
        context: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Import rows with Odoo's ``load`` and return Odoo's result unchanged.

        The result is ``{"ids": [...] or False, "messages": [...], "nextrow": 0}``.
        One bad row makes Odoo roll back the whole call: ``ids`` is then
        False and ``messages`` names the bad rows.
        """
        kwargs = {"context": context} if context else {}
        return self.call(model, "load", list(fields), [list(row) for row in rows], **kwargs)

    def message_post(self, model: str, res_id: int, **kwargs: Any) -> int:
        """Post a message on one record and return the new ``mail.message`` id.

        Odoo 17 returns the id, Odoo 19 a list with one id; this returns an
        int on both. Not retried, because a retry could post twice.
        """
        result = self.call(model, "message_post", [res_id], _retry=False, **kwargs)
        if isinstance(result, list):
            if len(result) != 1:
                raise ServerFault(
                    f"message_post returned {len(result)} ids where one was expected",
                    model=model,
                    method="message_post",
                )
            result = result[0]
        return int(result)

    # -- schema -------------------------------------------------------------

    def fields_get(self, model: str) -> dict[str, Any]:
        """Return ``fields_get`` of ``model``, fetched once per client."""
        if model not in self._fields_cache:
            self._fields_cache[model] = self.call(model, "fields_get", attributes=FIELDS_GET_ATTRIBUTES)
        return self._fields_cache[model]

    def schema(self, models: Iterable[str]) -> Schema:
        """Return the live schema of ``models``.

        Raises UnknownModelOrMethodError for a model that the server does not have.
        """
        results = {model: self.fields_get(model) for model in models}
        return Schema.from_fields_get(results, version=self.version)

    def clear_cache(self) -> None:
        """Forget the cached ``fields_get`` results, after custom fields were added."""
        self._fields_cache.clear()

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()
        logger.removeFilter(self._log_filter)

    def __enter__(self) -> OdooClient:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"OdooClient(url={self.settings.base_url!r}, db={self.settings.db!r}, "
            f"user={self.settings.user!r}, version={self.version.serie!r}, protocol={self.protocol!r})"
        )


def _run_with_retry(func: Callable[[], T], settings: ConnectionSettings, policy: RetryPolicy, label: str) -> T:
    """Run ``func``, retrying transient errors by ``policy``; secrets are removed from every error."""
    retry_number = 0
    while True:
        try:
            return func()
        except OdooError as exc:
            exc.redact(settings.secrets)
            exc.attempts = retry_number + 1
            if not exc.retryable or retry_number >= policy.max_retries:
                raise
            wait = policy.delay(retry_number, exc)
            retry_number += 1
            logger.warning(
                "Retrying %s in %.1f s (retry %d of %d) after a transient error: %s",
                label,
                wait,
                retry_number,
                policy.max_retries,
                exc,
            )
            policy.sleep(wait)


def _no_retry(policy: RetryPolicy) -> RetryPolicy:
    return RetryPolicy(max_retries=0, sleep=policy.sleep)


def _detect_version(
    http: HttpSession,
    xmlrpc: XmlRpcTransport,
    settings: ConnectionSettings,
    policy: RetryPolicy,
) -> tuple[ServerVersion, bool]:
    """Return the server version and whether ``/xmlrpc/2`` exists.

    With an API key the web client's version route is asked first: JSON-2 will
    carry the calls, and on Odoo 19 every ``/xmlrpc/2`` request, this one
    included, logs a deprecation warning on the server.
    """
    if settings.api_key and settings.protocol != "xmlrpc":
        try:
            raw = _run_with_retry(lambda: fetch_version_info(http), settings, policy, "version_info")
            version = ServerVersion.from_mapping(raw)
        except (OdooError, ValueError, TypeError, AttributeError):
            logger.info("The web client's version route failed, so the version is read from /xmlrpc/2/common")
        else:
            if version.has_json2:
                return version, True
    try:
        raw = _run_with_retry(xmlrpc.version, settings, policy, "version")
        xmlrpc_available = True
    except EndpointNotFoundError:
        # Odoo 19 announces the removal of /xmlrpc/2 in Odoo 20. The web client's
        # version route is expected to remain.
        logger.info("No XML-RPC endpoint at %s; reading the version from the web client route", settings.base_url)
        raw = _run_with_retry(lambda: fetch_version_info(http), settings, policy, "version_info")
        xmlrpc_available = False

    try:
        return ServerVersion.from_mapping(raw), xmlrpc_available
    except (ValueError, TypeError, AttributeError):
        raise ConnectionSettingsError(
            f"The server at {settings.base_url} did not return an Odoo version",
            setting="url",
            method="version",
            advice="Check that ODOO_URL is the address of an Odoo server.",
        ) from None


def _choose_protocol(settings: ConnectionSettings, version: ServerVersion, xmlrpc_available: bool) -> str:
    """Pick the transport: JSON-2 on Odoo 19+ with an API key, else XML-RPC, unless forced."""
    if settings.protocol == "xmlrpc":
        if not xmlrpc_available:
            raise ConnectionSettingsError(
                f"Odoo {version.serie} at {settings.base_url} has no XML-RPC endpoint",
                setting="protocol",
                advice="Use the json2 or auto protocol with an API key (ODOO_API_KEY).",
            )
        return "xmlrpc"

    if settings.protocol == "json2":
        if not version.has_json2:
            raise ConnectionSettingsError(
                f"Odoo {version.serie} has no JSON-2 API (it needs Odoo 19 or later)",
                setting="protocol",
                advice="Use the xmlrpc or auto protocol.",
            )
        return "json2"

    if not xmlrpc_available:
        if settings.api_key:
            return "json2"
        raise ConnectionSettingsError(
            f"Odoo {version.serie} at {settings.base_url} has no XML-RPC endpoint, and JSON-2 needs an API key",
            setting="api_key",
            advice="Set ODOO_API_KEY.",
        )

    if version.has_json2 and settings.api_key:
        return "json2"
    if version.xmlrpc_deprecated and settings.base_url not in _warned_xmlrpc_deprecated:
        _warned_xmlrpc_deprecated.add(settings.base_url)
        logger.warning(
            "Odoo %s deprecates XML-RPC, which is scheduled for removal in Odoo 20. Set an API key (ODOO_API_KEY) to use JSON-2 instead",
            version.serie,
        )
    return "xmlrpc"
