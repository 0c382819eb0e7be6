"""Removal of configured secrets from text and log records."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "[REDACTED]"

# Every module of this package logs through this one logger, so a filter
# attached to it receives all of the package's records.
logger = logging.getLogger("allegory2odoo.odoo")


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in ``text`` with ``[REDACTED]``."""
    # Replace the longest secret first, so a secret that contains another is replaced whole.
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


class SecretRedactingFilter(logging.Filter):
    """A logging filter that removes the given secrets from each record.

    It renders the message with its arguments, and the exception traceback if
    any, then replaces every secret. Attach it to a handler to cover the
    records of every logger that reaches that handler; a filter attached to a
    logger only receives the records logged on that very logger.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True

        message = record.getMessage()
        record.msg = redact(message, self.secrets)
        record.args = None

        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True
