"""uvicorn's HTTP/1.1 protocols with TCP_NODELAY on every connection.

asyncio only sets TCP_NODELAY on sockets whose ``proto`` is IPPROTO_TCP; the listening
socket uvicorn shares with ``--workers`` processes reports ``proto == 0``, so its
connections kept Nagle's algorithm and every response waited ~40 ms for a delayed ACK
(headers and body are written separately). Setting it here fixes that in every mode.

:func:`http_protocol` prefers httptools (a C parser; per request it costs a fraction of
the pure-Python h11 parser, which matters when a page takes a few milliseconds) and falls
back to h11 when httptools is not installed.
"""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


def _set_nodelay(transport: Any) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        _set_nodelay(transport)
        super().connection_made(transport)


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools not installed
    HttpToolsProtocol = None


if HttpToolsProtocol is not None:
    class NoDelayHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[misc, valid-type]
        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            _set_nodelay(transport)
            super().connection_made(transport)


def http_protocol() -> type:
    """The fastest HTTP/1.1 protocol class available, with TCP_NODELAY."""
    return NoDelayH11Protocol if HttpToolsProtocol is None else NoDelayHttpToolsProtocol
