"""uvicorn's HTTP/1.1 protocol with TCP_NODELAY on every connection.

asyncio only sets TCP_NODELAY on sockets whose ``proto`` is IPPROTO_TCP; the listening
socket uvicorn shares with ``--workers`` processes reports ``proto == 0``, so its
connections kept Nagle's algorithm and every response waited ~40 ms for a delayed ACK
(headers and body are written separately). Setting it here fixes that in every mode.
"""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        super().connection_made(transport)
