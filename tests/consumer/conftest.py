"""Fixtures of the consumer tests (helpers in glossary_site.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary_site import Server, build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Our test site, built once."""
    return build_site(tmp_path_factory.mktemp("glossary"))


@pytest.fixture(scope="module")
def serve():
    """Start loopback servers of folders; all stop at the end of the module."""
    servers: list[Server] = []

    def start(folder: Path) -> Server:
        servers.append(Server(folder))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
