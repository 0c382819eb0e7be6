"""Exponential backoff with jitter for transient Odoo errors."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import OdooError


@dataclass
class RetryPolicy:
    """How often and how long to wait before retrying a transient error.

    The wait before retry ``n`` (counted from 0) is a random time between
    half and all of ``min(max_delay, base_delay * 2**n)`` seconds. A
    numeric ``Retry-After`` from the server is used instead when it is
    longer, up to ``max_delay``.
    """

    max_retries: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, retry_number: int, error: OdooError | None = None) -> float:
        """Return the seconds to wait before retry ``retry_number`` (0 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2**retry_number))
        wait = ceiling * (0.5 + 0.5 * self.random())

        retry_after = _retry_after_seconds(error)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay))
        return wait


def _retry_after_seconds(error: OdooError | None) -> float | None:
    text = getattr(error, "retry_after", None)
    if text is None:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        return None  # an HTTP date; the computed backoff is used instead
