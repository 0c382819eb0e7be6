"""Installed modules (ir.module.module) and the access-right methods that report a user's rights.

Module names and states are those of the captured databases (crm, contacts and mail
installed, no demo data), plus `base_automation`, which Odoo lists as not installed.
Field definitions, the state selection and the model's order come from Odoo's
`odoo/addons/base/models/ir_module.py`. Only base's access rights (`ir.model.access.csv`)
decide who may read the model: the group Settings (`base.group_system`).
"""

from __future__ import annotations

from . import labels
from .errors import PythonError
from .models import Hooks, register

STATES = ["uninstallable", "uninstalled", "installed", "to upgrade", "to remove", "to install"]
STATE_LABELS = {
    "uninstallable": "Uninstallable", "uninstalled": "Not Installed", "installed": "Installed",
    "to upgrade": "To be upgraded", "to remove": "To be removed", "to install": "To be installed",
}
ACCESS_MODES = ("read", "write", "create", "unlink")

INSTALLED = {
    17: [
        "auth_signup", "auth_totp", "auth_totp_mail", "auth_totp_portal", "base", "base_import", "base_import_module",
        "base_install_request", "base_setup", "bus", "calendar", "calendar_sms", "contacts", "crm", "crm_iap_enrich",
        "crm_iap_mine", "crm_sms", "digest", "google_gmail", "http_routing", "iap", "iap_crm", "iap_mail", "mail",
        "mail_bot", "onboarding", "partner_autocomplete", "phone_validation", "portal", "privacy_lookup",
        "resource", "sales_team", "sms", "snailmail", "utm", "web", "web_editor", "web_tour", "web_unsplash",
    ],
    19: [
        "api_doc", "auth_passkey", "auth_passkey_portal", "auth_signup", "auth_totp", "auth_totp_mail",
        "auth_totp_portal", "base", "base_import", "base_import_module", "base_install_request", "base_setup", "bus",
        "calendar", "calendar_sms", "contacts", "crm", "crm_iap_enrich", "crm_iap_mine", "crm_sms", "digest",
        "google_gmail", "html_editor", "http_routing", "iap", "iap_crm", "iap_mail", "mail", "mail_bot",
        "microsoft_outlook", "partner_autocomplete", "phone_validation", "portal", "privacy_lookup", "resource",
        "resource_mail", "rpc", "sales_team", "sms", "snailmail", "utm", "web", "web_tour", "web_unsplash",
    ],
}
# NOTE: a real database lists every module on its addons path; only these are seeded as not installed.
NOT_INSTALLED = ["base_automation"]
# Applications among the seeded modules (the `application` flag of their manifests).
APPLICATIONS = {"calendar", "contacts", "crm", "mail"}


def module_fields() -> dict[str, dict]:
    """Return the modelled fields of ir.module.module (a subset of Odoo's)."""

    def field(ftype: str, **extra) -> dict:
        return {"type": ftype, "required": False, "readonly": True, "store": True, **extra}

    return {
        "id": field("integer"),
        "display_name": field("char", store=False, computed=True),
        "name": field("char", required=True),
        "shortdesc": field("char"),
        "summary": field("char"),
        "state": field("selection", selection=list(STATES), selection_labels=dict(STATE_LABELS)),
        "latest_version": field("char"),
        "application": field("boolean"),
        "auto_install": field("boolean"),
        "sequence": field("integer", readonly=False),
        "create_date": field("datetime"),
        "create_uid": field("many2one", relation="res.users"),
        "write_date": field("datetime"),
        "write_uid": field("many2one", relation="res.users"),
    }


def seed_modules(seeder) -> None:
    """Add the installed and not-installed modules of `seeder`'s version, with base.module_<name> ids."""
    # NOTE: shortdesc (the module's title) was not captured, so it repeats the technical name.
    for name in sorted(INSTALLED[seeder.version] + NOT_INSTALLED):
        state = "installed" if name in INSTALLED[seeder.version] else "uninstalled"
        seeder.add("ir.module.module", {
            "name": name, "shortdesc": name, "state": state, "application": name in APPLICATIONS,
            "sequence": 100,
        }, f"base.module_{name}")


class ModuleHooks(Hooks):
    def display_name(self, env, model, record) -> str:
        return record.get("shortdesc") or ""


register("ir.module.module", ModuleHooks())


def check_mode(operation) -> None:
    if operation not in ACCESS_MODES:
        raise PythonError("AssertionError", "Invalid access mode")


def is_allowed(env, model: str, operation: str) -> bool:
    """Return whether the user may do `operation` on `model`, by the same rules as every other call."""
    from .errors import AccessError

    try:
        env.check_access(model, operation)
    except AccessError:
        return False
    return True


for _labels in labels.MODEL_LABELS.values():
    _labels.setdefault("ir.module.module", "Module")


def set_module_state(server, name: str, state: str) -> None:
    """Set the state of module `name` on a test server, as installing or uninstalling it would."""
    if state not in STATES:
        raise ValueError(f"Invalid module state {state!r}: use one of {', '.join(STATES)}")
    with server.lock:
        table = server.database.tables["ir.module.module"]
        module_id = next((record_id for record_id, record in table.items() if record["name"] == name), None)
        if module_id is None:
            raise ValueError(f"No module {name!r} on this test server")
        server.database.update("ir.module.module", module_id, {"state": state})


def add_module(server, name: str, state: str = "installed") -> int:
    """Add module `name` to a test server's module list, such as web_enterprise for an Enterprise database."""
    if state not in STATES:
        raise ValueError(f"Invalid module state {state!r}: use one of {', '.join(STATES)}")
    with server.lock:
        database = server.database
        module_id = database.next_id("ir.module.module")
        database.put("ir.module.module", {
            "id": module_id, "name": name, "shortdesc": name, "summary": False, "state": state,
            "latest_version": False, "application": False, "auto_install": False, "sequence": 100,
            "create_date": "2026-12-04 19:40:00", "create_uid": 1, "write_date": "2026-12-04 19:40:00",
            "write_uid": 1,
        })
    return module_id
