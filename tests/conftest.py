"""Fixtures that start a fresh Odoo test server (17.0 and 19.0) for each test."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_server import OdooTestServer  # noqa: E402


def _serve(version: int) -> Iterator[OdooTestServer]:
    server = OdooTestServer(version=version)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=[17, 19], ids=["odoo17", "odoo19"])
def odoo_server(request: pytest.FixtureRequest) -> Iterator[OdooTestServer]:
    yield from _serve(request.param)


@pytest.fixture
def odoo17_server() -> Iterator[OdooTestServer]:
    yield from _serve(17)


@pytest.fixture
def odoo19_server() -> Iterator[OdooTestServer]:
    yield from _serve(19)
