"""Pre-flight check of the Odoo side: version, edition, API, modules and the user's rights.

Rights are read with the model methods Odoo offers for it, called on an empty recordset so
they check the model as a whole: `has_access(operation)` from Odoo 18.0 on, and
`check_access_rights(operation, raise_exception=False)` before (Odoo 19.0 still has it,
deprecated). `check_access` raises instead of returning a value, and Odoo 19.0 marks it
private, so it cannot be called over the external API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from allegory2odoo.odoo import errors

# (module, needed, purpose): a needed module that is not installed fails the check.
MODULES = (
    ("crm", True, "leads, pipelines (sales teams), stages and tags"),
    ("mail", True, "chatter, followers and activities"),
    ("base_automation", False, "only for drafts of Allegory workflows as automation rules"),
)
# A model each module adds, to tell whether it is installed when ir.module.module cannot be read.
MODULE_MODELS = {"crm": "crm.lead", "mail": "mail.message", "base_automation": "base.automation"}
ENTERPRISE_MODULE = "web_enterprise"

# (model, label, what to grant): every kind of record the migration creates.
RIGHTS = (
    ("res.partner", "contacts and companies", "the group Contact Creation (Extra Rights) or Sales / User"),
    ("crm.lead", "leads (deals)", "the group Sales / User: Own Documents Only or higher"),
    ("crm.team", "sales teams (pipelines)", "the group Sales / Administrator"),
    ("crm.stage", "stages", "the group Sales / Administrator"),
    ("crm.tag", "deal tags", "the group Sales / Administrator"),
    ("res.partner.category", "contact tags", "the group Contact Creation (Extra Rights)"),
    ("ir.model.fields", "custom fields", "the group Administration / Access Rights (administrators)"),
)


@dataclass
class CheckItem:
    """One line of the check: what was checked, whether it passed, and what to do when it did not."""

    area: str  # "server", "module" or "right"
    name: str
    status: str  # "ok", "missing", "optional" (not installed, not needed), "unknown" or "note" (works, but see advice)
    detail: str
    advice: str | None = None


@dataclass
class CheckResult:
    url: str
    db: str
    user: str
    version: str
    edition: str
    protocol: str
    items: list[CheckItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(item.status == "missing" for item in self.items)

    @property
    def problems(self) -> list[CheckItem]:
        return [item for item in self.items if item.status == "missing"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": "check",
            "url": self.url,
            "db": self.db,
            "user": self.user,
            "version": self.version,
            "edition": self.edition,
            "protocol": self.protocol,
            "ok": self.ok,
            "items": [asdict(item) for item in self.items],
        }


def run_check(client) -> CheckResult:
    """Check the server `client` is connected to; Odoo errors other than missing rights propagate."""
    settings = client.settings
    protocol = "JSON-2" if client.protocol == "json2" else "XML-RPC"
    result = CheckResult(url=settings.base_url, db=settings.db, user=settings.user,
                         version=client.version.serie, edition="unknown", protocol=protocol)
    result.items.append(CheckItem("server", "version", "ok", f"Odoo {client.version.serie}"))
    if client.protocol == "xmlrpc" and client.version.xmlrpc_deprecated:
        result.items.append(CheckItem(
            "server", "API", "note", f"XML-RPC, which Odoo {client.version.serie} deprecates",
            "Set ODOO_API_KEY to use JSON-2; XML-RPC is announced for removal in Odoo 20.",
        ))
    else:
        result.items.append(CheckItem("server", "API", "ok", protocol))

    installed = _installed_modules(client, result)
    if installed is None:
        models = _existing_models(client, list(MODULE_MODELS.values()))
        installed = {module for module, model in MODULE_MODELS.items() if model in models}
    _check_modules(result, installed)
    _check_rights(client, result)
    return result


def _installed_modules(client, result: CheckResult) -> set[str] | None:
    """Return the installed modules among those checked, or None when ir.module.module cannot be read."""
    names = [name for name, _, _ in MODULES] + [ENTERPRISE_MODULE]
    try:
        rows = client.search_read("ir.module.module", [("name", "in", names), ("state", "=", "installed")], ["name"])
    except (errors.AccessRightsError, errors.UnknownModelOrMethodError) as error:
        result.items.append(CheckItem(
            "server", "edition", "unknown",
            "the user may not read the installed modules (ir.module.module): "
            f"{(error.odoo_message or error.summary).splitlines()[0]}",
            "Run the check as an administrator to see the edition; modules are told from their models instead.",
        ))
        return None
    installed = {row["name"] for row in rows}
    result.edition = "Enterprise" if ENTERPRISE_MODULE in installed else "Community"
    result.items.append(CheckItem(
        "server", "edition", "ok",
        f"{result.edition} ({ENTERPRISE_MODULE} {'installed' if result.edition == 'Enterprise' else 'not installed'})",
    ))
    return installed


def _check_modules(result: CheckResult, installed: set[str]) -> None:
    for module, needed, purpose in MODULES:
        if module in installed:
            result.items.append(CheckItem("module", module, "ok", f"installed ({purpose})"))
        elif needed:
            result.items.append(CheckItem(
                "module", module, "missing", f"not installed; the migration needs it for {purpose}",
                f"Install the {module} module (Apps → search '{module}' → Activate), then run the check again.",
            ))
        else:
            result.items.append(CheckItem(
                "module", module, "optional", f"not installed; needed {purpose}",
                f"Install {module} only if you want workflow drafts.",
            ))


def _check_rights(client, result: CheckResult) -> None:
    models = _existing_models(client, [model for model, _, _ in RIGHTS])
    for model, label, grant in RIGHTS:
        if model not in models:
            result.items.append(CheckItem(
                "right", f"create {model}", "missing", f"the model {model} does not exist on this server",
                "Install the module that provides it (crm for crm.*), then run the check again.",
            ))
            continue
        if _may_create(client, model):
            result.items.append(CheckItem("right", f"create {model}", "ok", f"may create {label}"))
        else:
            result.items.append(CheckItem(
                "right", f"create {model}", "missing",
                f"the user {result.user} may not create {label} ({model})",
                f"Give {result.user} {grant}, or connect as a user who has it.",
            ))


def _existing_models(client, models: list[str]) -> set[str]:
    """Return which of `models` exist, read from ir.model (which every internal user may read)."""
    rows = client.search_read("ir.model", [("model", "in", models)], ["model"])
    return {row["model"] for row in rows}


def _may_create(client, model: str) -> bool:
    """Return whether the connected user may create records of `model`."""
    if client.version.major >= 18:
        try:
            # A record method: XML-RPC takes the ids first, JSON-2 takes them by name.
            if client.protocol == "json2":
                return bool(client.call(model, "has_access", ids=[], operation="create"))
            return bool(client.call(model, "has_access", [], operation="create"))
        except errors.UnknownModelOrMethodError:
            pass  # NOTE: a server that reports 18+ without has_access falls back to the older method.
    # raise_exception=False, because with True Odoo 19 returns None on success, which XML-RPC sends as False.
    return bool(client.call(model, "check_access_rights", operation="create", raise_exception=False))
