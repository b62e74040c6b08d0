"""Nothing reaches the network at run time: the whole pipeline runs with sockets refused."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import newsgraph.api as ng


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(variable, raising=False)  # prove it without the usual offline switches


def test_pipeline_runs_with_the_network_refused(no_network, seeds: Path, tmp_path: Path):
    pages = Path(__file__).resolve().parents[1] / "examples" / "pages"
    result = ng.analyze([seeds, pages], tmp_path / "offline.db")
    assert not result.rejected and result.articles >= 15 and result.entities > 50
    assert ng.export(tmp_path / "offline.db", tmp_path / "out", "parquet")["articles"] == result.articles
