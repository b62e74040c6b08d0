"""The ``newsgraph`` command line (Typer + Rich).

Exit codes: 0 all inputs processed; 3 some inputs rejected (listed, and kept in
the ``rejected`` table); 1 some inputs met a bug in newsgraph (listed, and kept with
the traceback in the ``errors`` table; the other inputs are processed); 2 usage errors
(bad options, missing database).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich import box
from rich.table import Table

from newsgraph import api

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Scraped news pages in: clean articles, with every span traced to its source.")
console = Console()
errors = Console(stderr=True)

EXIT_REJECTED = 3
EXIT_ERROR = 1  # a bug met on some input; the rest of the batch is processed
DbOption = typer.Option(..., "--db", help="SQLite database file.")


def _fail(message: str, code: int = 2) -> None:
    errors.print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _check_dask() -> None:
    try:
        import dask  # noqa: F401
    except ImportError:
        _fail("--scheduler needs Dask: pip install 'newsgraph[dask]'")


def _check_overrides(path: Path) -> None:
    import tomllib

    from newsgraph.corpus.resolution import Overrides

    try:
        Overrides.load(path)
    except OSError as exc:
        _fail(f"cannot read the overrides file {path}: {exc.strerror or exc}")
    except (tomllib.TOMLDecodeError, TypeError, AttributeError) as exc:
        _fail(f"the overrides file {path} is not valid: {exc}; see `newsgraph.corpus.resolution.Overrides` for the format")


def _existing_db(db: Path) -> Path:
    if not db.exists():
        _fail(f"no database at {db}; create it with `newsgraph analyze PATH --db {db}`")
    return db


class _PlainProgress:
    """Progress as plain lines on stderr, at most one every 10 s, when stderr is not a terminal
    (piped or logged): a long run never goes silent, and a log keeps the trail."""

    def __init__(self, total: int, enabled: bool, every: float = 10.0):
        import time

        self.total, self.enabled, self.every, self.clock = total, enabled, every, time.monotonic
        self.files, self.last = 0, self.clock()

    def update(self, event: str, state: dict) -> None:
        self.files += event == "file"
        now = self.clock()
        if self.enabled and now - self.last >= self.every:
            self.last = now
            errors.print(f"analysing: {self.files}/{self.total} files, {state['articles']} articles, "
                         f"{state['rejected']} rejected, {state['errors']} errors", highlight=False)


@app.command()
def analyze(paths: Optional[list[Path]] = typer.Argument(None, help="Files or directories (.txt .html .jsonl .warc "
                                                                  ".warc.gz); none with --redo."),
            db: Path = DbOption,
            max_doc_mb: float = typer.Option(50, help="Reject documents larger than this many MB."),
            overrides: Optional[Path] = typer.Option(None, help="TOML file of entity merges, splits and renames."),
            skip: list[str] = typer.Option([], "--skip", help="Leave out a stage: language, entities, dates, quotes, "
                                           "relations, techniques, loaded_terms (repeatable). The stages that read "
                                           "its output must be skipped too (entities: quotes and relations)."),
            redo: Optional[str] = typer.Option(None, "--redo", metavar="STAGES", help="Re-run these stages (comma-separated) and every "
                                               "stage that reads their output on all stored articles, from the "
                                               "stored text, without PATHs; an interrupted re-run resumes. Entity "
                                               "resolution runs again when mentions change: repeat --overrides."),
            workers: int = typer.Option(1, help="Processes for the per-document stages (the database has one writer)."),
            scheduler: Optional[str] = typer.Option(None, help="Run the per-document stages on Dask: local, processes, "
                                                                 "threads or tcp://HOST:PORT."),
            quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar.")) -> None:
    """Read, clean, split and store pages; re-runs skip what is already stored. With --redo, re-analyse
    the stored articles with the named stages instead."""
    from newsgraph.pipeline import count_input_files, default_pipeline

    if overrides is not None:
        _check_overrides(overrides)
    if scheduler is not None:
        _check_dask()
    if redo is not None:
        if paths:
            _fail("--redo re-analyses the articles already in the database: give no PATH (analyse new pages in "
                  "a separate run)")
        if skip:
            _fail("--skip does not go with --redo: a re-run runs the named stages and every stage that reads "
                  "their output")
        _redo(_existing_db(db), redo.split(","), overrides, workers, scheduler, quiet)
        return
    if not paths:
        _fail("give the files or directories to analyse, or --redo STAGES to re-run stages on the stored articles")
    pipeline = _pipeline_without(default_pipeline(), skip)
    total = count_input_files(paths)
    progress = Progress(SpinnerColumn(), TextColumn("[bold]analysing"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[articles]} articles, {task.fields[rejected]} rejected, "
                                   "{task.fields[errors]} errors"),
                        TimeElapsedColumn(), console=errors, disable=quiet or not errors.is_terminal)
    state = {"articles": 0, "rejected": 0, "errors": 0}
    with progress:
        task = progress.add_task("analyse", total=total, articles=0, rejected=0, errors=0)

        plain = _PlainProgress(total, enabled=not quiet and not errors.is_terminal)

        def on_event(event: str, info: dict) -> None:
            if event == "document":
                state["articles"] += info["articles"]
            elif event == "rejected":
                state["rejected"] += 1
            elif event == "error":
                state["errors"] += 1
            progress.update(task, advance=1 if event == "file" else 0, **state)
            plain.update(event, state)

        try:
            result = api.analyze(paths, db, max_doc_mb=max_doc_mb, progress=on_event, overrides=overrides,
                                 pipeline=pipeline, workers=workers, scheduler=scheduler)
        except KeyboardInterrupt:
            errors.print("[yellow]interrupted[/]: everything committed so far is kept; run the same command to resume")
            raise typer.Exit(130)
    console.print(f"{result.documents} documents analysed, {result.articles} articles stored, {result.entities} entities, "
                  f"{result.skipped} already in the database, {len(result.rejected)} rejected → {escape(str(db))}")
    if result.rejected:
        table = Table("rejected input", "reason", title="Rejected (also in the `rejected` table)", show_lines=False)
        for rejection in result.rejected[:50]:
            table.add_row(escape(rejection.source), escape(rejection.reason))
        errors.print(table)
        if len(result.rejected) > 50:
            errors.print(f"… and {len(result.rejected) - 50} more: `newsgraph export` writes rejected.jsonl")
    if result.errors:
        _print_errors(result.errors)
        raise typer.Exit(EXIT_ERROR)
    if result.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _pipeline_without(pipeline: Any, skip: list[str]) -> Any:
    """The pipeline less the ``--skip`` stages; refused, with the stages to add, when a stage left in
    would miss its input."""
    for name in skip:
        if name not in pipeline.names:
            _fail(f"unknown stage {name!r}; stages that can be skipped: {', '.join(pipeline.names)}")
    full = list(pipeline.names)
    for name in skip:
        pipeline.remove(name)
    problems = pipeline.problems()
    if problems:
        from newsgraph.pipeline import default_pipeline

        needed = [n for n in default_pipeline().plan(skip) if n in full]
        _fail(f"cannot skip {', '.join(skip)}: " + "; ".join(problems) + ". Skip what needs it too: "
              + " ".join(f"--skip {n}" for n in needed))
    return pipeline


def _redo(db: Path, stages: list[str], overrides: Optional[Path], workers: int, scheduler: Optional[str],
          quiet: bool) -> None:
    """``analyze --redo``: re-run stages on the stored articles, with a progress bar."""
    from newsgraph.pipeline import PipelineError

    progress = Progress(SpinnerColumn(), TextColumn("[bold]re-running {task.fields[stages]}"), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=errors,
                        disable=quiet or not errors.is_terminal)
    with progress:
        task = progress.add_task("redo", total=None, stages="")

        def on_event(event: str, info: dict) -> None:
            if event == "start":
                progress.update(task, total=info["total"], stages=", ".join(info["stages"]))
            elif event in ("article", "error"):
                progress.advance(task)

        try:
            result = api.redo(db, stages, overrides=overrides, workers=workers, scheduler=scheduler,
                              progress=on_event)
        except PipelineError as exc:
            _fail(str(exc))
            return
        except KeyboardInterrupt:
            errors.print("[yellow]interrupted[/]: every article re-run so far is kept; run the same command to resume")
            raise typer.Exit(130)
    resumed = f" ({result.resumed} done before by the interrupted run {result.resumes})" if result.resumes else ""
    steps = f"; then {', '.join(result.corpus_steps)}: {result.entities} entities" if result.corpus_steps else ""
    console.print(f"re-ran {', '.join(result.stages)} on {result.articles} stored articles{resumed}{steps} "
                  f"→ {escape(str(db))}")
    if result.errors:
        _print_errors(result.errors)
        raise typer.Exit(EXIT_ERROR)


def _print_errors(found: list) -> None:
    table = Table("input", "stage", "error", show_lines=False,
                  title="Failed on a bug in newsgraph, not on the input (traceback in the `errors` table): please report")
    for error in found[:50]:
        table.add_row(escape(error.source), escape(error.stage), escape(error.error))
    errors.print(table)
    if len(found) > 50:
        errors.print(f"… and {len(found) - 50} more: `newsgraph export` writes errors.jsonl")


def _cut(text: str, limit: int) -> str:
    """``text`` cut at a word boundary before ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,.;:،") + " …"


@app.command()
def articles(db: Path = DbOption, lang: Optional[str] = typer.Option(None, help="Only this language (ISO 639-1)."),
             outlet: Optional[str] = typer.Option(None, help="Only this outlet."),
             limit: Optional[int] = typer.Option(None, help="At most this many.")) -> None:
    """List stored articles."""
    rows = api.articles(_existing_db(db), lang=lang, outlet=outlet, limit=limit)
    wide = console.width >= 120  # on a narrow terminal the author gives its room to the title
    # Rich shrinks only the columns that may wrap: the short ones keep their width on an 80-column
    # terminal, and the text columns wrap instead of the short ones collapsing to nothing
    table = Table(show_lines=False) if wide else Table(show_lines=False, box=box.SIMPLE_HEAD, show_edge=False,
                                                       pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("lang", no_wrap=True, min_width=4)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("outlet", max_width=22 if wide else 12)
    if wide:
        table.add_column("author", max_width=20)
    table.add_column("title", max_width=60, min_width=16)
    table.add_column("words", justify="right", no_wrap=True, min_width=5)
    for row in rows:
        cells = [row["id"], row["lang"] or "", row["date"] or "", escape(row["outlet"] or "")]
        cells += [escape(row["author"] or "")] if wide else []
        table.add_row(*cells, escape(row["title"] or "(no title)"), str(row["word_count"]))
    console.print(table)
    console.print(f"{len(rows)} articles")


@app.command()
def show(article_id: str = typer.Argument(..., help="Article id (or a unique prefix)."), db: Path = DbOption,
         removed: bool = typer.Option(False, "--removed", help="Also list what was cut as boilerplate, and why.")) -> None:
    """Print one article: metadata, clean text, and where it came from."""
    article = api.show(_existing_db(db), article_id)
    if article is None:
        _fail(f"no article with id {article_id!r} in {db}")
        return
    for label, value in (("id", article.id), ("title", article.title), ("author", article.author),
                         ("date", article.date), ("outlet", article.outlet), ("lang", article.lang),
                         ("source", f"{article.source} (article {article.source_index + 1} on the page)")):
        console.print(f"[bold]{label}:[/] {escape(str(value)) if value else '—'}")
    console.print()
    console.print(escape(article.text), soft_wrap=True)
    if removed:
        table = Table("kind", "rule", "text", title="Removed")
        for block in article.removed:
            table.add_row(block.kind, block.rule, escape(_cut(block.text, 120)))
        console.print(table)


@app.command()
def search(query: str = typer.Argument(..., help="Words to find (any script; spelling variants folded)."),
           db: Path = DbOption, lang: Optional[str] = typer.Option(None, help="Only this language."),
           limit: int = typer.Option(20, help="At most this many hits.")) -> None:
    """Full-text search over normalised article text."""
    hits = api.search(_existing_db(db), query, lang=lang, limit=limit)
    for hit in hits:
        console.print(f"[bold]{hit['id']}[/] [{hit['lang'] or '?'}] {escape(hit['title'] or '(no title)')}")
        console.print(f"    {escape(hit['snippet'])}", soft_wrap=True)
    console.print(f"{len(hits)} hits")


@app.command()
def entities(db: Path = DbOption, kind: Optional[str] = typer.Option(None, "--type", help="PERSON, ORG, GPE, LOC, NORP, OUTLET…"),
             lang: Optional[str] = typer.Option(None, help="Only entities spelled in this language."),
             limit: int = typer.Option(50, help="At most this many.")) -> None:
    """List canonical entities, most mentioned first."""
    rows = api.entities(_existing_db(db), kind=kind.upper() if kind else None, lang=lang, limit=limit)
    table = Table()
    table.add_column("id", no_wrap=True, min_width=12)
    table.add_column("type", no_wrap=True)
    table.add_column("name", max_width=30, overflow="ellipsis", no_wrap=True)
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("spellings", overflow="ellipsis", no_wrap=True, max_width=60)
    for row in rows:
        spellings = " · ".join(f"{lang}: {', '.join(v[:4])}" for lang, v in row["aliases"].items())
        table.add_row(row["id"], row["type"], escape(row["name"]), str(row["mention_count"]), str(row["article_count"]),
                      escape(spellings[:120]))
    console.print(table)


@app.command()
def entity(name_or_id: str = typer.Argument(..., help="Entity id, name, or any spelling (any script)."),
           db: Path = DbOption) -> None:
    """One entity: its spellings by language, the articles naming it, who is named beside it."""
    found = api.entity(_existing_db(db), name_or_id)
    if found is None:
        _fail(f"no entity called {name_or_id!r} in {db}")
        return
    console.print(f"[bold]{escape(found['name'])}[/] ({found['type']}, {found['id']}): {found['mention_count']} mentions "
                  f"in {found['article_count']} articles, {found['first_seen'] or '?'} – {found['last_seen'] or '?'}")
    for lang, spellings in found["aliases"].items():
        console.print(f"  {lang}: {escape(', '.join(spellings))}")
    table = Table(title="Articles")
    table.add_column("article", no_wrap=True, min_width=16)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("outlet", max_width=20, overflow="ellipsis", no_wrap=True)
    table.add_column("mentions", justify="right", min_width=3)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=60)
    for row in found["articles"][:30]:
        table.add_row(row["id"], row["date"] or "", escape(row["outlet"] or ""), str(row["mentions"]),
                      escape(row["title"] or "(no title)"))
    console.print(table)
    if found["roles"]:
        console.print("As " + ", ".join(sorted({r["role"] for r in found["roles"]})) + f" of {len(found['roles'])} articles")
    co = Table("entity", "type", "articles together", title="Named beside it")
    for row in found["co_mentioned"]:
        co.add_row(escape(row["name"]), row["type"], str(row["articles"]))
    console.print(co)


REUSE_PHASES = {"index": "indexing articles", "exact": "exact duplicates", "band": "near-duplicate buckets",
                "verify": "near-duplicate checks", "pair": "shared 4-grams", "candidate": "passage candidates",
                "align": "aligning passages", "boilerplate": "outlet boilerplate", "embed": "embedding sentences"}


@app.command()
def reuse(db: Path = DbOption, min_chars: int = typer.Option(200, help="Shortest reused passage to report."),
          cross_lingual: bool = typer.Option(False, "--cross-lingual", help="Also find translations across languages."),
          scheduler: Optional[str] = typer.Option(None, help="Dask scheduler: local, processes or tcp://HOST:PORT."),
          work_dir: Optional[Path] = typer.Option(None, help="Directory for the Parquet intermediates (default: beside "
                                                  "the database; every worker of a multi-machine cluster must see it)."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
          top: Optional[int] = typer.Option(None, "--top", min=1, help="List the N most-copied passages (reuse "
                                            "clusters by holders) of the last run instead of running the stage."),
          boilerplate: bool = typer.Option(False, "--boilerplate", help="List each outlet's boilerplate of the last "
                                           "run instead of running the stage."),
          as_json: bool = typer.Option(False, "--json", help="Print what the last run stored as JSON lines instead "
                                       "of running the stage: each cluster (type cluster, with its members), every "
                                       "reuse record (type record; with --top, those of the listed clusters) and "
                                       "with --boilerplate each outlet's boilerplate.")) -> None:
    """Find who copies whom: duplicates, reused passages, translations, repetition inside pages."""
    if as_json:
        _reuse_json(_existing_db(db), top, boilerplate)
        return
    if top is not None or boilerplate:
        _reuse_listing(_existing_db(db), top, boilerplate)
        return
    if scheduler is not None:
        _check_dask()
    if work_dir is not None and not work_dir.is_dir():
        _fail(f"--work-dir {work_dir} is not a directory")
    path = _existing_db(db)
    with _phase_bars(REUSE_PHASES, quiet) as on_task:
        try:
            counts = api.reuse(path, min_chars=min_chars, cross_lingual=cross_lingual, scheduler=scheduler,
                               work_dir=work_dir, progress=on_task)
        except ImportError as exc:
            _fail(f"the reuse stage is not available in this install ({exc})")
            return
    for kind, count in counts.items():
        console.print(f"{kind}: {count}")



@contextmanager
def _phase_bars(names: dict[str, str], quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(phase, done, total)`` drawing one bar per phase (named by ``names``) on stderr."""
    progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=errors, disable=quiet or not errors.is_terminal)
    bars: dict[str, Any] = {}

    def on_task(phase: str, done: int, total: int) -> None:
        if phase not in bars:
            bars[phase] = progress.add_task(names.get(phase, phase), total=total)
        progress.update(bars[phase], completed=done, total=total)

    with progress:
        yield on_task


def _reuse_json(path: Path, top: int | None, boilerplate: bool) -> None:
    """``reuse --json``: JSON lines on stdout (plain, never wrapped or styled by Rich)."""
    import json

    for record in api.reuse_listing(path, top=top, boilerplate=boilerplate):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _older_reuse_note(path: Path, table: str) -> bool:
    """Say so when the database was written before the reuse stage kept ``table``; True if it was."""
    from newsgraph.store.db import Store

    with Store(path, readonly=True) as store:
        if store.has_table(table):
            return False
    errors.print(f"{path} was written by an older newsgraph, before the reuse stage kept {table.replace('_', ' ')}: "
                 f"run `newsgraph reuse --db {path}` again to find them")
    return True


def _reuse_listing(path: Path, top: int | None, boilerplate: bool) -> None:
    """``reuse --top N`` / ``--boilerplate``: what the last run stored, as tables."""
    if top is not None and not _older_reuse_note(path, "reuse_clusters"):
        table = Table(title=f"most-copied passages (top {top})")
        for column, width in (("cluster", 17), ("holders", 7), ("outlets", 24), ("original", 16), ("date", 10),
                              ("passage", 60)):
            table.add_column(column, max_width=width, overflow="ellipsis", no_wrap=column != "passage")
        for row in api.reuse_clusters(path, top=top):
            text = " ".join(row["text"].split())
            table.add_row(row["id"], str(row["holders"]), escape(", ".join(row["outlets"])),
                          escape(row["source_article_id"] or f"? (first {row['first_holder']})"),
                          (row["first_date"] or "")[:10], escape(text[:240] + ("…" if len(text) > 240 else "")))
        console.print(table)
    if boilerplate and not _older_reuse_note(path, "boilerplate"):
        table = Table(title="outlet boilerplate")
        for column, width in (("outlet", 20), ("articles", 8), ("text", 80)):
            table.add_column(column, max_width=width, overflow="ellipsis", no_wrap=column != "text")
        for row in api.boilerplate(path):
            table.add_row(escape(row["outlet"]), str(row["articles"]), escape(" ".join(row["text"].split())[:240]))
        console.print(table)


@app.command()
def stories(db: Path = DbOption, top: int = typer.Option(20, "--top", min=1, help="List the N largest stories."),
            lang: Optional[str] = typer.Option(None, help="Only stories with an article in this language."),
            outlet: Optional[str] = typer.Option(None, help="Only stories with an article from this outlet."),
            since: Optional[str] = typer.Option(None, help="Only stories with an article dated on or after this "
                                                           "ISO date (YYYY-MM-DD)."),
            as_json: bool = typer.Option(False, "--json", help="Print the stories as JSON instead of a table."),
            quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars.")) -> None:
    """Group the articles about one event across outlets and languages (new articles join the stored
    stories), read how each actor is cast (framing evidence), then list the largest stories."""
    import json

    if since is not None and not _iso_date(since):
        _fail(f"--since wants an ISO date such as 2020-01-03, not {since!r}")
    path = _existing_db(db)
    names = {"embed": "embedding lead sentences", "link": "linking articles", "cluster": "clustering stories",
             "frame": "reading framing evidence"}
    with _phase_bars(names, quiet) as on_task:
        try:
            counts = api.build_stories(path, progress=on_task)
        except ImportError as exc:
            _fail(f"the stories stage is not available in this install ({exc})")
            return
        framed = api.build_framing(path, progress=on_task)
    rows = api.stories(path, top=top, lang=lang, outlet=outlet, since=since)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    errors.print(f"{counts['new']} new articles placed, {counts['stories']} stories; {framed['framed']} articles read "
                 f"for framing, {framed['total_claims']} framing claims", highlight=False)
    table = Table(title=f"largest stories (top {top}; n = articles/outlets)")
    for column, width in (("story", 14), ("n", 5), ("langs", 12), ("first", 22)):
        table.add_column(column, max_width=width, overflow="ellipsis", no_wrap=column != "first")
    table.add_column("label (its most central title)", min_width=24, overflow="fold")
    for row in rows:
        first_lang = next(iter(sorted(row["langs"], key=lambda k: -row["langs"][k])), "")
        label = (row["labels"].get(first_lang) or next(iter(row["labels"].values()), {})).get("title", "")
        first_outlet = (row["followers"][0]["outlet"] or "") if row["followers"] else ""
        table.add_row(row["id"], f"{row['size']}/{len(row['outlets'])}",
                      escape(" ".join(f"{k or '?'}:{v}" for k, v in row["langs"].items())),
                      escape(f"{(row['first_date'] or '')[:10]} {first_outlet}".strip()), escape(label))
    console.print(table)


def _iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@app.command()
def story(story_id: str = typer.Argument(..., metavar="ID", help="Story id or a unique prefix of it."),
          db: Path = DbOption,
          evidence: int = typer.Option(3, "--evidence", min=0, help="Evidence spans shown per actor and outlet."),
          as_json: bool = typer.Option(False, "--json", help="Print the story, its members and its framing (with "
                                                             "every evidence span) as JSON.")) -> None:
    """One story: who ran it first and who followed, its articles, and how each actor is cast by each outlet,
    with the evidence spans (article, start-end) that cast it. Run `newsgraph stories` first."""
    import json

    found = api.story(_existing_db(db), story_id, evidence=None if as_json else evidence)
    if found is None:
        _fail(f"no story {story_id!r} in {db} (run `newsgraph stories --db {db}` first; ids are listed there)")
        return
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return
    labels = "; ".join(f"{lang}: {v.get('title', '')}" for lang, v in sorted(found["labels"].items()))
    console.print(f"[bold]story {found['id']}[/] {found['size']} articles, {escape(found['first_date'] or '?')} … "
                  f"{escape(found['last_date'] or '?')}", highlight=False)
    console.print(escape(labels), highlight=False)
    chain = " → ".join((f["outlet"] or "?") + ("" if k == 0 else " (undated)" if f.get("lag_days") is None else
                                                " (same day)" if f["lag_days"] == 0 else f" (+{f['lag_days']:g} d)")
                       for k, f in enumerate(found["followers"]))
    console.print(f"first and followers: {escape(chain)} (dates carry no time of day: the order within a day is "
                  "not known)", highlight=False)
    members = Table(title="articles")
    for column in ("article", "date", "outlet", "lang", "lag (d)", "title"):
        members.add_column(column, overflow="fold", no_wrap=column == "article")
    for m in found["members"]:
        members.add_row(m["article_id"], (m["date"] or "")[:10], escape(m["outlet"] or ""), m["lang"] or "",
                        "" if m["lag_days"] is None else f"{m['lag_days']:g}", escape(m["title"] or ""))
    console.print(members)
    if not found["framing"]:
        console.print("framing: no evidence casts an actor of this story (relations, loaded terms, name-calling)")
        return
    table = Table(title="framing: how each actor is cast, by outlet (evidence: article start-end, voice)")
    for column, width in (("actor", 22), ("outlet", 16), ("role", 12), ("fine roles", 18), ("n", 4)):
        table.add_column(column, max_width=width, overflow="fold")
    table.add_column("evidence", overflow="fold", min_width=30)
    for actor in found["framing"]:
        for k, row in enumerate(actor["by_outlet"]):
            spans = "\n".join(
                f"{e['article_id']} {e['start']}-{e['end']} [{e['kind']}: {e['cue']}"
                f"{'' if e['voice'] == 'article' else ', ' + e['voice'] + ' ' + (e['speaker_text'] or '?')}] "
                f"{_shorten(' '.join((e['text'] or '').split()), 120)}" for e in row["evidence"][:evidence])
            table.add_row(escape(actor["name"]) + (" *" if actor["main"] and not k else "") if not k else "",
                          escape(row["outlet"] or "?"), row["role"], escape(", ".join(row["fine_roles"])),
                          str(row["claims"]), escape(spans))
    console.print(table)
    console.print("* a main actor or place of the story. role: the main role holding more than half the weight of "
                  "the claims (own voice 1, quoted or reported 0.5), else mixed")


@app.command()
def quotes(db: Path = DbOption, speaker: Optional[str] = typer.Option(None, help="Entity name, id or spelling of the speaker."),
           limit: int = typer.Option(100, help="At most this many.")) -> None:
    """Who said what: quotes with their speaker and cue."""
    rows = api.quotes(_existing_db(db), speaker=speaker)
    table = Table()
    table.add_column("article", no_wrap=True, min_width=16)
    table.add_column("speaker", max_width=26)
    table.add_column("cue", max_width=12)
    table.add_column("kind", no_wrap=True, min_width=8)
    table.add_column("quote", max_width=70)
    for row in rows[:limit]:
        who = row["speaker_name"] or (f"({row['speaker_text']})" if row["speaker_text"] else "—")
        text = " ¶ ".join(row["text"].split("\n\n"))
        table.add_row(row["article_id"], escape(who), escape(row["cue"] or ""), row["kind"],
                      escape(text if len(text) <= 240 else _cut(text, 240)))
    console.print(table)
    shown = min(limit, len(rows))
    console.print(f"{len(rows)} quotes" + (f", the first {shown} shown (--limit to see more)" if shown < len(rows) else ""))


@app.command()
def relations(db: Path = DbOption, actor: Optional[str] = typer.Option(None, help="Entity name, id or spelling: only "
                                                                               "relations it is subject or object of."),
              predicate: Optional[str] = typer.Option(None, help="praise, criticize, threaten, attack, support, meet, "
                                                                 "cooperate, demand or deny."),
              limit: int = typer.Option(100, help="At most this many.")) -> None:
    """Who did what to whom: relations between actors, with who asserts them."""
    from newsgraph.enrich.relations_lexicon import PREDICATES

    if predicate is not None and predicate not in PREDICATES:
        _fail(f"unknown predicate {predicate!r}; choose one of {', '.join(PREDICATES)}")
    rows = api.relations(_existing_db(db), actor=actor, predicate=predicate)
    table = Table()
    table.add_column("article", no_wrap=True, min_width=16)
    # the text columns wrap: Rich shrinks only wrapping columns to fit a narrow terminal
    table.add_column("subject", max_width=24)
    table.add_column("predicate", no_wrap=True, min_width=9)
    table.add_column("object", max_width=24)
    table.add_column("according to", max_width=22)
    table.add_column("evidence", max_width=60)
    for row in rows[:limit]:
        predicate_label = ("not " if row["negated"] else "") + row["predicate"]
        said_by = row["attributed_name"] or (f"({row['attributed_text']})" if row["attributed_text"] else
                                             "(quote)" if row["quote_start"] is not None else "the article")
        table.add_row(row["article_id"], escape(row["subject_name"] or row["subject_text"]), predicate_label,
                      escape(row["object_name"] or row["object_text"]), escape(said_by),
                      escape(_shorten(" ".join(row["evidence"].split()), 100)))
    console.print(table)
    console.print(f"{len(rows)} relations")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@app.command()
def stance(actor: str = typer.Option(..., "--actor", help="Entity name, id or spelling (any script)."),
           db: Path = DbOption) -> None:
    """How each outlet and each quoted speaker talks about an actor: relations (stance), what is done to it
    (target of), sentiment on the words about it (names and loaded terms masked) and loaded terms near it."""
    found = api.stance(_existing_db(db), actor)
    if found is None:
        _fail(f"no entity called {actor!r} in {db}")
        return
    entity = found["entity"]
    console.print(f"[bold]{escape(entity['name'])}[/] ({entity['type']}, {entity['id']})")
    for title, rows in (("By outlet (its own voice)", found["by_outlet"]), ("By quoted speaker", found["by_speaker"])):
        table = Table(title=title)
        table.add_column("who", max_width=30)
        table.add_column("relations towards it", max_width=30)
        table.add_column("net", justify="right", no_wrap=True)
        table.add_column("target of", max_width=16)
        table.add_column("sentences", justify="right", no_wrap=True)
        table.add_column("sentiment", justify="right", no_wrap=True)
        table.add_column("+ / −", justify="right", no_wrap=True)
        for row in rows:
            relations_text = ", ".join(f"{p} {n}" for p, n in row["relations"].items()) or "—"
            target_text = ", ".join(f"{p} {n}" for p, n in row["target_of"].items()) or "—"
            table.add_row(escape(row["name"]), relations_text, f"{row['net_polarity']:+d}", target_text,
                          str(row["sentences"]), "—" if row["sentiment"] is None else f"{row['sentiment']:+.2f}",
                          f"{row['positive']} / {row['negative']}")
        console.print(table)
        loaded_rows = [row for row in rows if row["loaded_terms"]]
        if loaded_rows:
            loaded = Table(title=f"{title}: loaded terms in the sentences naming it (framing, not sentiment)")
            loaded.add_column("who", max_width=30)
            loaded.add_column("category: count")
            for row in loaded_rows:
                loaded.add_row(escape(row["name"]), escape(", ".join(f"{c} {n}" for c, n in row["loaded_terms"].items())))
            console.print(loaded)


@app.command()
def techniques(db: Path = DbOption, article: Optional[str] = typer.Option(None, help="Only this article id."),
               outlet: Optional[str] = typer.Option(None, help="Only this outlet."),
               stats: bool = typer.Option(False, "--stats", help="Per 1,000 words by technique, outlet and month."),
               lang: Optional[str] = typer.Option(None, help="With --stats: only articles in this language."),
               by: str = typer.Option("outlet,month", help="With --stats: group by these (outlet, month, lang)."),
               min_conf: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                              help="With --stats: leave out spans below this calibrated confidence.")
               ) -> None:
    """Persuasion techniques found, with the evidence span and what found it."""
    if stats:
        keys = tuple(k.strip() for k in by.split(",") if k.strip() not in ("", "technique"))
        try:
            rows = api.technique_stats(_existing_db(db), outlet=outlet, lang=lang, by=keys, min_confidence=min_conf)
        except ValueError as exc:
            _fail(str(exc))
            return
        table = Table("technique", *keys, "spans", "words", "per 1,000 words", "weighted")
        for row in rows:
            table.add_row(row["technique"], *(escape(row[k]) for k in keys), str(row["spans"]), str(row["words"]),
                          str(row["per_1000_words"]), str(row["weighted_per_1000_words"]))
        console.print(table)
        console.print("weighted: each span counted by its calibrated confidence, the share of its detector's spans of "
                      "that technique found right on held-out gold (bench/technique_calibration.py); compare outlets "
                      "and languages on it")
        return
    rows = api.techniques(_existing_db(db), article_id=article, outlet=outlet)
    table = Table()
    table.add_column("article", no_wrap=True, min_width=16)
    table.add_column("technique", no_wrap=True)
    table.add_column("conf.", justify="right")
    table.add_column("method", max_width=28, overflow="ellipsis", no_wrap=True)
    table.add_column("evidence", overflow="ellipsis", no_wrap=True, max_width=60)
    for row in rows:
        table.add_row(row["article_id"], row["technique"], f"{row['confidence']:.2f}", row["method"],
                      escape(row["evidence"]))
    console.print(table)
    console.print(f"{len(rows)} spans")


@app.command()
def export(db: Path = DbOption, fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv or parquet."),
           out: Path = typer.Option(..., "--out", help="Directory to write one file per table into."),
           bom: bool = typer.Option(False, "--bom", help="CSV: start each file with a UTF-8 byte-order mark, so that "
                                                       "Excel reads Arabic and Persian text correctly.")) -> None:
    """Export every table and graph to OUT (the list of files is below)."""
    from newsgraph.store.export import FORMATS

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    counts = api.export(_existing_db(db), out, fmt, bom=bom)
    for name, count in counts.items():
        if "." in name:  # the graphs: edges written
            console.print(f"{name}: {count} edges")
        else:
            console.print(f"{name}.{fmt}: {count} rows")


@app.command()
def models(as_json: bool = typer.Option(False, "--json", help="One JSON array on stdout.")) -> None:
    """List every model: stage, training data, licence, headline score, installed, in use.

    The core package ships only weights whose terms allow any use. Research-only and non-commercial
    weights come in the research distribution (pip install ./research-models; see research-models/TERMS.md);
    when it is installed they replace or add to the core ones. NEWSGRAPH_MODELS=core hides it."""
    import json

    from newsgraph.weights import RESEARCH, research_data, research_version

    rows = api.models()
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("model", no_wrap=True, min_width=15)
    table.add_column("stage / distribution", min_width=14)
    table.add_column("licence", min_width=10)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("state", no_wrap=True, min_width=6)
    for row in rows:
        state = "in use" if row["in_use"] else ("replaced" if row["installed"] else "absent")
        score = f"{row['score']:.3f}" if isinstance(row["score"], float) else ""
        table.add_row(row["name"], escape(f"{row['stage']} ({row['distribution']})"), escape(row["licence"]), score,
                      state)
    console.print(table)
    if research_data():
        console.print(f"research distribution {research_version() or ''} installed: research and non-commercial "
                      "use only (research-models/TERMS.md)")
    else:
        console.print("research distribution not installed: the stages run on the core models and rules "
                      f"({sum(r['distribution'] == RESEARCH for r in rows)} research models absent)")
    console.print("score: test F1 (NER) or held-out micro-F1 (technique classifier) from the model's own "
                  "scores file; the model cards have the full figures")


@app.command()
def narratives(db: Path = DbOption, top: int = typer.Option(20, "--top", min=1, help="List the N narratives with most articles."),
               since: Optional[str] = typer.Option(None, help="Only narratives carried by an article published on or "
                                                               "after this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
               outlet: Optional[str] = typer.Option(None, help="Only narratives carried by an article of this outlet."),
               lang: Optional[str] = typer.Option(None, help="Only narratives with a sentence in this language."),
               overrides: Optional[Path] = typer.Option(None, help="TOML file naming, merging and splitting narratives; "
                                                                     "kept in the database for later runs."),
               rebuild: bool = typer.Option(False, "--rebuild", help="Recompute even if nothing changed."),
               as_json: bool = typer.Option(False, "--json", help="Print the narratives as JSON instead of a table."),
               quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars.")) -> None:
    """Cluster the claim sentences (those carrying a quote, relation, technique or loaded term) across stories
    and languages into narratives (recomputed only when the corpus, its layers or the overrides changed),
    then list those with most articles."""
    import json
    import re
    import tomllib

    path = _existing_db(db)
    if since is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", since):
        _fail(f"--since {since!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    if overrides is not None:
        from newsgraph.corpus.narratives import NarrativeOverrides

        try:
            NarrativeOverrides.load(overrides)
        except OSError as exc:
            _fail(f"cannot read the overrides file {overrides}: {exc.strerror or exc}")
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            _fail(f"the overrides file {overrides} is not valid: {exc}; see `newsgraph.corpus.narratives."
                  "NarrativeOverrides` for the format")
    names = {"embed": "embedding claim sentences", "cluster": "clustering claim sentences"}
    with _phase_bars(names, quiet) as on_task:
        try:
            counts = api.build_narratives(path, overrides=overrides, force=rebuild, progress=on_task)
        except ImportError as exc:
            _fail(f"the narratives stage is not available in this install ({exc})")
            return
    rows, total = api.narratives(path, top=top, since=since, outlet=outlet, lang=lang)
    if as_json:
        print(json.dumps({"narratives": rows, "total": total}, ensure_ascii=False, indent=1))
        return
    errors.print(f"{counts.get('narratives', 0)} narratives from {counts.get('claims', 0)} claim sentences"
                 + ("" if counts.get("recomputed") else " (unchanged since the last run)"), highlight=False)
    for unknown in counts.get("unknown_ids") or []:
        errors.print(f"[yellow]note:[/] the overrides name {escape(unknown)}, which this run did not find")
    shown = f"showing {len(rows)} of {total}" if len(rows) < total else f"{total} narrative{'' if total == 1 else 's'}"
    table = Table(title=f"narratives ({shown}; n = sentences/articles/stories)")
    for column, width in (("narrative", 14), ("n", 10), ("outlets", 24), ("months", 16)):
        table.add_column(column, max_width=width, overflow="ellipsis", no_wrap=column == "narrative")
    table.add_column("label · keywords per language", min_width=24, overflow="fold")
    for row in rows:
        months = sorted(m for m in row["months"] if m)
        span = f"{months[0]}…{months[-1]}" if len(months) > 1 else (months[0] if months else "undated")
        words = "; ".join(f"{lang or '?'}: " + ", ".join(w for w, _ in ws[:5]) for lang, ws in row["keywords"].items())
        table.add_row(row["id"], f"{row['size']}/{row['articles']}/{row['stories']}",
                      escape(", ".join(f"{k or '?'}:{v}" for k, v in sorted(row["outlets"].items(), key=lambda x: -x[1]))),
                      span, escape(f"{row['label']}\n{words}"))
    console.print(table)


def _export_help() -> None:
    """``export --help`` lists every file it writes, from the export module itself."""
    from newsgraph.store.export import GRAPHS, TABLES

    export.__doc__ = (f"Export every table to OUT, one file each: {', '.join(TABLES)} (stories, story_list and "
                      "framing are filled by `newsgraph stories`); "
                      f"and the graphs {', '.join(GRAPHS)}.")


_export_help()


def _register_optional_commands() -> None:
    """Commands that live with their layer (the web workbench registers ``serve`` and ``report``)."""
    try:
        from newsgraph.web.commands import register
    except ImportError:
        return
    register(app)


_register_optional_commands()


def main() -> None:  # pragma: no cover - console entry point alias
    try:
        app()
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":  # python -m newsgraph.cli
    main()
