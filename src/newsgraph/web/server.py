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

import asyncio
import os
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


# ------------------------------------------------------------------ balanced accept

WORKER_COUNTS_ENV = "NEWSGRAPH_WORKER_COUNTS"  # directory where each worker writes how many connections it holds
ACCEPT_RETRY = 0.002  # seconds a worker with more connections than another waits before it looks again
ACCEPT_WAIT_MAX = 0.1  # after this a connection no other worker took is taken anyway


try:
    from uvloop import Loop as _BaseLoop
except ImportError:  # uvloop is optional
    _BaseLoop = asyncio.SelectorEventLoop  # type: ignore[assignment, misc]


class BalancedLoop(_BaseLoop):  # type: ignore[misc, valid-type]
    """The event loop of a ``--workers`` process: connections on the listening socket the
    workers share go to the worker that holds the fewest.

    uvloop and asyncio accept every connection waiting on a socket when it becomes readable,
    so whichever worker wakes first takes a burst: 20 keep-alive clients were split 17/3
    between two workers, and the 17 waited five times as long as the 3 while both processes
    served the same number of requests a second (bench/web_latency.py). A worker delaying by
    its own count alone still left 13/7 under load. uvicorn has no option for this, hence this
    class: each worker writes its count to a file in the directory ``NEWSGRAPH_WORKER_COUNTS``
    names, and takes a waiting connection only when no other worker holds fewer (or when it
    has waited :data:`ACCEPT_WAIT_MAX`). Only servers on a socket handed over by uvicorn's
    supervisor are changed; ``newsgraph serve`` with one worker binds its own and accepts as
    usual."""

    async def create_server(self, protocol_factory: Any, host: Any = None, port: Any = None, *,  # type: ignore[override]
                            sock: socket.socket | None = None, **options: Any) -> Any:
        if sock is None or options.get("ssl") is not None:
            return await super().create_server(protocol_factory, host, port, sock=sock, **options)
        sock.listen(options.get("backlog", 100))
        sock.setblocking(False)
        return BalancedServer(self, sock, protocol_factory, WorkerCounts.from_env())


class WorkerCounts:
    """How many connections each worker process holds: one small file per process (its pid),
    written when its count changes and read when a connection waits."""

    def __init__(self, directory: str | None):
        self.directory = directory
        self.pid = str(os.getpid())
        self.mine = os.path.join(directory, self.pid) if directory else None

    @classmethod
    def from_env(cls) -> WorkerCounts:
        directory = os.environ.get(WORKER_COUNTS_ENV)
        return cls(directory if directory and os.path.isdir(directory) else None)

    def write(self, count: int) -> None:
        if not self.mine:
            return
        try:
            with open(self.mine, "w") as f:
                f.write(str(count))
        except OSError:  # the directory is gone (the server is stopping): the connection matters, not its count
            pass

    def others(self) -> list[int]:
        """The counts of the other live workers (a worker that died without removing its file is
        skipped by its pid)."""
        if not self.directory:
            return []
        try:
            names = os.listdir(self.directory)
        except OSError:
            return []
        counts = []
        for name in names:
            if name == self.pid or not name.isdigit() or not _alive(int(name)):
                continue
            try:
                with open(os.path.join(self.directory, name)) as f:
                    counts.append(int(f.read() or 0))
            except (OSError, ValueError):  # being written, or gone
                continue
        return counts


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BalancedServer:
    """What uvicorn keeps of a server (``close``, ``wait_closed``, ``sockets``) around the
    accept task of :class:`BalancedLoop`."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sock: socket.socket, protocol_factory: Any,
                 counts: WorkerCounts):
        self.loop, self.sock, self.protocol_factory, self.counts = loop, sock, protocol_factory, counts
        self.sockets = [sock]
        self.open = 0
        counts.write(0)
        self.task = loop.create_task(self._serve())

    async def _serve(self) -> None:
        while True:
            await self._readable()
            waited = 0.0
            while waited < ACCEPT_WAIT_MAX and any(n < self.open for n in self.counts.others()):
                await asyncio.sleep(ACCEPT_RETRY)
                waited += ACCEPT_RETRY
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):  # another worker took it
                continue
            except OSError:  # out of file descriptors, or the connection reset before it was taken
                await asyncio.sleep(0.05)
                continue
            conn.setblocking(False)
            self._opened(+1)
            try:
                await self.loop.connect_accepted_socket(self._counted_protocol, conn)
            except OSError:
                conn.close()
                self._opened(-1)

    def _opened(self, change: int) -> None:
        self.open += change
        self.counts.write(self.open)

    def _counted_protocol(self) -> Any:
        """uvicorn's protocol, which tells this server when its connection closes."""
        protocol = self.protocol_factory()
        lost = protocol.connection_lost

        def connection_lost(exc: Exception | None) -> None:
            self._opened(-1)
            lost(exc)

        protocol.connection_lost = connection_lost
        return protocol

    def _readable(self) -> asyncio.Future[None]:
        """Resolved when a connection waits (the reader is removed at once: the socket stays
        readable until someone accepts, and would wake this loop on every turn)."""
        ready: asyncio.Future[None] = self.loop.create_future()
        fd = self.sock.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        self.loop.add_reader(fd, wake)
        ready.add_done_callback(lambda _: self.loop.remove_reader(fd))
        return ready

    def close(self) -> None:
        self.task.cancel()

    async def wait_closed(self) -> None:
        try:
            await self.task
        except asyncio.CancelledError:
            pass
