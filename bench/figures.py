"""Figures in the README and the model cards, written from ``bench/results/*.json`` and checked against them.

A figure in a Markdown file is a marker pair around its value::

    search p95 <!--fig web_latency results/search/p95_ms .0f-->67<!--/fig--> ms

naming the results file (``bench/results/web_latency.json``), a path into it, keys joined by ``/``
(``+`` adds several: ``results/search/per_s+results/article/per_s``) and a Python format spec. ``python
bench/figures.py`` rewrites every marked value from the JSON; ``--check`` only compares and exits 1
on any difference (``tests/test_figures.py`` runs it), so a figure typed by hand or left behind by a
new benchmark run cannot go unnoticed. Markdown renders the markers invisibly.

    python bench/figures.py [--check]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import reduce
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
MARKER = re.compile(r"<!--fig (?P<file>[\w.-]+) (?P<path>[\w.+/\-]+) (?P<spec>[^>]*?)-->(?P<value>.*?)<!--/fig-->", re.S)


def documents() -> list[Path]:
    """Every Markdown file that may hold figures: the README and the model and data cards."""
    return [ROOT / "README.md", *sorted((ROOT / "src" / "newsgraph" / "data").rglob("*.md"))]


def _lookup(data: object, path: str) -> object:
    def step(node: object, key: str) -> object:
        if isinstance(node, list):
            return node[int(key)]
        if not isinstance(node, dict) or key not in node:
            raise KeyError(f"no {key!r} on the way to {path!r}")
        return node[key]

    return reduce(step, path.split("/"), data)


def value_of(file: str, path: str, spec: str) -> str:
    data = json.loads((RESULTS / f"{file}.json").read_text(encoding="utf-8"))
    values = [_lookup(data, p) for p in path.split("+")]
    total = values[0] if len(values) == 1 else sum(values)  # type: ignore[arg-type]
    return format(total, spec.strip()) if spec.strip() else str(total)


def render(text: str) -> tuple[str, list[str]]:
    """``text`` with every marked figure rewritten, and the differences found (file: old → new)."""
    changes: list[str] = []

    def replace(m: re.Match) -> str:
        new = value_of(m.group("file"), m.group("path"), m.group("spec"))
        if new != m.group("value"):
            changes.append(f"{m.group('file')} {m.group('path')}: {m.group('value')!r} → {new!r}")
        return m.group(0).replace(f"-->{m.group('value')}<!--/fig-->", f"-->{new}<!--/fig-->")

    return MARKER.sub(replace, text), changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Compare only; exit 1 if any figure differs.")
    args = parser.parse_args()
    drift = 0
    for doc in documents():
        text = doc.read_text(encoding="utf-8")
        new, changes = render(text)
        for change in changes:
            print(f"{doc.relative_to(ROOT)}: {change}")
        drift += len(changes)
        if changes and not args.check:
            doc.write_text(new, encoding="utf-8")
    count = sum(len(MARKER.findall(d.read_text(encoding="utf-8"))) for d in documents())
    print(f"{count} figures, {drift} {'differ' if args.check else 'rewritten'}")
    return 1 if (args.check and drift) else 0


if __name__ == "__main__":
    sys.exit(main())
