"""Odoo client: one call interface over XML-RPC and JSON-2, typed errors,
retries, version detection and the field schema.

This package does not import or name anything of the source CRM.
"""

from . import errors
from .client import OdooClient
from .errors import (
    AccessRightsError,
    AuthenticationError,
    CallSignatureError,
    ConnectionSettingsError,
    MissingRecordError,
    OdooError,
    ServerFault,
    TerminalOdooError,
    TransientOdooError,
    UnknownModelOrMethodError,
    ValidationFault,
)
from .redaction import SecretRedactingFilter
from .retry import RetryPolicy
from .schema import FieldSpec, Schema
from .settings import ConnectionSettings
from .version import ServerVersion

__all__ = [
    "AccessRightsError",
    "AuthenticationError",
    "CallSignatureError",
    "ConnectionSettings",
    "ConnectionSettingsError",
    "FieldSpec",
    "MissingRecordError",
    "OdooClient",
    "OdooError",
    "RetryPolicy",
    "Schema",
    "SecretRedactingFilter",
    "ServerFault",
    "ServerVersion",
    "TerminalOdooError",
    "TransientOdooError",
    "UnknownModelOrMethodError",
    "ValidationFault",
    "errors",
]
