"""``newsgraph serve`` and ``newsgraph report``, registered on the main CLI by :func:`register`."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_problem(host: str, token: str | None) -> str | None:
    """Why serving on ``host`` with ``token`` is refused, or None when it is allowed."""
    if is_loopback(host) or token:
        return None
    return (f"refusing to bind {host}: any address other than loopback requires an access token "
            "(--token TOKEN or NEWSGRAPH_TOKEN); every request must then carry it")


def serve(db: Path = typer.Option(..., "--db", help="The database to open (read-only)."),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; non-loopback needs --token."),
          port: int = typer.Option(8000, "--port", help="TCP port."),
          token: str | None = typer.Option(None, "--token", envvar="NEWSGRAPH_TOKEN",
                                           help="Access token every request must carry (header X-Newsgraph-Token,"
                                                " Authorization: Bearer, or ?token=)."),
          workers: int = typer.Option(1, "--workers", min=1, help="Server processes.")) -> None:
    """Open the workbench: search, articles, entities, network, timeline, JSON API (read-only)."""
    problem = token_problem(host, token)
    if problem:
        typer.echo(problem, err=True)
        raise typer.Exit(2)
    if not db.exists():
        typer.echo(f"no database at {db}", err=True)
        raise typer.Exit(2)
    run_server(db, host, port, token, workers)


def run_server(db: Path, host: str, port: int, token: str | None, workers: int = 1) -> None:
    import os
    import tempfile

    import uvicorn

    from newsgraph.web.server import WORKER_COUNTS_ENV, http_protocol

    os.environ["NEWSGRAPH_WEB_DB"] = str(db.resolve())
    if token:
        os.environ["NEWSGRAPH_TOKEN"] = token
    typer.echo(f"newsgraph workbench on http://{host}:{port}/ (read-only: {db})", err=True)
    options = {"factory": True, "host": host, "port": port, "http": http_protocol(), "log_level": "warning",
               "access_log": False}
    if workers == 1:
        uvicorn.run("newsgraph.web.commands:app_from_env", loop="auto", **options)
        return
    # the workers share one listening socket: BalancedLoop gives each connection to the worker
    # that holds the fewest, from the counts they write here
    with tempfile.TemporaryDirectory(prefix="newsgraph-workers-") as counts:
        os.environ[WORKER_COUNTS_ENV] = counts
        uvicorn.run("newsgraph.web.commands:app_from_env", workers=workers, loop="newsgraph.web.server:BalancedLoop",
                    **options)


def app_from_env():  # type: ignore[no-untyped-def]
    """The app for uvicorn's factory mode (each worker process builds its own).

    What exists once the app is built (modules, FastAPI, pydantic and Jinja objects) lives as
    long as the worker: it is moved out of the garbage collector's sight (``gc.freeze``). Full
    collections still run when enough objects survive requests (the SQLite statement and
    snapshot caches turn over), but no longer walk those ~80,000 objects each time: a pause of
    ~45 ms CPU every few hundred requests, which every request queued behind it waited out,
    becomes ~1 ms (bench/web_latency.py, NTREX 100k store)."""
    import gc
    import os

    from newsgraph.web.app import create_app

    app = create_app(os.environ["NEWSGRAPH_WEB_DB"], token=os.environ.get("NEWSGRAPH_TOKEN") or None)
    gc.collect()
    gc.freeze()
    return app


def report(db: Path = typer.Option(..., "--db", help="The database to read."),
           out: Path = typer.Option(..., "--out", help="Directory to write the HTML report into.")) -> None:
    """Write a static HTML report (corpus, articles, entities, network, timeline, outlets, technique
    dashboard, reuse graph) to OUT."""
    from newsgraph.web.report import write_report

    if not db.exists():
        typer.echo(f"no database at {db}", err=True)
        raise typer.Exit(2)
    counts = write_report(db, out)
    typer.echo(f"{counts['pages']} pages ({counts['articles']} articles, {counts['entities']} entities) → {out}/index.html")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``report`` to the newsgraph CLI."""
    app.command("serve")(serve)
    app.command("report")(report)
