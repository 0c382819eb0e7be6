"""Exceptions of the test server, each mapped to Odoo's XML-RPC fault code and JSON-2 status.

Odoo 17.0 and 19.0 send fault code 1 for any Python error (the fault string is a
traceback), 2 for UserError, ValidationError and MissingError (the fault string is
the message), 3 for AccessDenied and 4 for AccessError. JSON-2 (19.0) sends 500, 422,
404, 401 and 403 for the same classes.
"""

from __future__ import annotations


class OdooError(Exception):
    """Base class: `message` is the text Odoo sends, `odoo_name` its exception class."""

    fault_code = 1
    http_status = 500
    odoo_name = "builtins.Exception"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PythonError(OdooError):
    """An uncaught Python exception in Odoo, such as ValueError or KeyError."""

    def __init__(self, exc_type: str, message: str):
        super().__init__(message)
        self.exc_type = exc_type
        self.odoo_name = f"builtins.{exc_type}"

    def exception_line(self) -> str:
        """Return the last traceback line, as Python prints it."""
        if self.exc_type == "KeyError":
            return f"KeyError: {self.message!r}"
        return f"{self.exc_type}: {self.message}"


class UserError(OdooError):
    fault_code = 2
    http_status = 422
    odoo_name = "odoo.exceptions.UserError"


class ValidationError(UserError):
    odoo_name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    http_status = 404
    odoo_name = "odoo.exceptions.MissingError"


class AccessDenied(OdooError):
    fault_code = 3
    http_status = 401
    odoo_name = "odoo.exceptions.AccessDenied"


class AccessError(OdooError):
    fault_code = 4
    http_status = 403
    odoo_name = "odoo.exceptions.AccessError"


class HttpError(OdooError):
    """A werkzeug HTTP exception raised by the JSON-2 controller before the ORM runs."""

    NAMES = {
        401: "werkzeug.exceptions.Unauthorized",
        404: "werkzeug.exceptions.NotFound",
        422: "werkzeug.exceptions.UnprocessableEntity",
    }

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.http_status = status
        self.odoo_name = self.NAMES[status]


class SerializationFailure(OdooError):
    """PostgreSQL's serialization failure (SQLSTATE 40001) once Odoo gave up retrying."""

    odoo_name = "psycopg2.errors.SerializationFailure"

    def __init__(self):
        super().__init__("could not serialize access due to concurrent update")

    def exception_line(self) -> str:
        return f"psycopg2.errors.SerializationFailure: {self.message}"


def value_error(message: str) -> PythonError:
    return PythonError("ValueError", message)


def key_error(key: str) -> PythonError:
    return PythonError("KeyError", key)


def missing_record(model: str, ids, uid: int) -> MissingError:
    """Build the MissingError Odoo raises when `write` or `unlink` meets a deleted id."""
    id_text = ", ".join(str(i) for i in ids)
    if len(ids) == 1:
        id_text += ","
    return MissingError(
        f"Record does not exist or has been deleted.\n(Record: {model}({id_text}), User: {uid})"
    )
