"""The numpy runtime of the Arabic BiLSTM-CRF experiment (newsgraph.enrich.ner_nn).

No neural model is shipped (it did not beat the CRF on the dev sets by the required margin; see
bench/results/ner-neural-experiments.json), so these tests check the runtime on a small model with
random weights written the way the training script writes one: the file loads without pickle, a
sentence gets the same tags alone and inside a padded batch, the LSTM matches a plain
step-by-step reference, and Viterbi and the subword segmentation find their optimum.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from newsgraph.enrich import ner_nn

TAGS = ["O", "B-LOC", "B-PERS", "I-LOC", "I-PERS"]
H = 6


def _random_model(path, rng) -> None:
    enc = ner_nn.Encoder(["<pad>", "<unk>", "قال", "الرئيس", "بغداد", "عون"],
                         ["<pad>", "<unk>", "<w>", "</w>"] + sorted(set("قالرئيسبغدادعونميش")),
                         ["<pad>", "<unk>", "a", "."], [], None)
    wd, cd, F = 4, 3, 5
    D = 2 * wd + 2 + 2 + F
    p = {"word_emb.weight": rng.normal(size=(len(enc.words), wd)), "clitic_emb.weight": rng.normal(size=(len(enc.clitics), 2)),
         "shape_emb.weight": rng.normal(size=(len(enc.shapes), 2)), "char_emb.weight": rng.normal(size=(len(enc.chars), cd)),
         "char_conv.weight": rng.normal(size=(F, cd, 3)), "char_conv.bias": rng.normal(size=F),
         "out.weight": rng.normal(size=(len(TAGS), 2 * H)), "out.bias": rng.normal(size=len(TAGS)),
         "crf.trans": rng.normal(size=(len(TAGS), len(TAGS))), "crf.start": rng.normal(size=len(TAGS)),
         "crf.end": rng.normal(size=len(TAGS))}
    for s in ("", "_reverse"):
        p[f"lstm.weight_ih_l0{s}"] = rng.normal(size=(4 * H, D))
        p[f"lstm.weight_hh_l0{s}"] = rng.normal(size=(4 * H, H))
        p[f"lstm.bias_ih_l0{s}"] = rng.normal(size=4 * H)
        p[f"lstm.bias_hh_l0{s}"] = rng.normal(size=4 * H)
    ner_nn.save(path, p, {**enc.meta(), "tags": TAGS})


@pytest.fixture()
def tagger(tmp_path):
    path = tmp_path / "ner-ar-nn.npz"
    _random_model(path, np.random.default_rng(0))
    with np.load(path, allow_pickle=False) as z:  # plain arrays and a JSON byte string only
        assert "meta" in z.files
    return ner_nn.NNTagger(path)


SENTS = [["قال", "الرئيس", "ميشال", "عون", "."], ["بغداد"], ["وقال", "الرئيس", "عون", "في", "بغداد", "إن", "x", "."]]


def test_a_sentence_gets_the_same_tags_alone_and_in_a_padded_batch(tagger):
    together = tagger.tag_document(SENTS)
    assert [len(t) for t in together] == [len(s) for s in SENTS]
    assert all(t in TAGS for tags in together for t in tags)
    for s, tags in zip(SENTS, together):
        assert tagger.tag(s) == tags  # padding and the reversed direction do not leak between sentences
    assert tagger.tag_document([[], SENTS[1]]) == [[], together[1]]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_bilstm_matches_a_plain_step_by_step_lstm(tagger):
    """The runtime's fused, gate-reordered BiLSTM against torch's LSTM equations written out."""
    p = tagger.p
    em, lengths = tagger.emissions(SENTS)
    for b, sent in enumerate(SENTS):
        x = tagger.token_inputs(tagger.encoder.encode(sent))
        outs = []
        for s, seq in (("", x), ("_reverse", x[::-1])):
            W, U = p[f"lstm.weight_ih_l0{s}"], p[f"lstm.weight_hh_l0{s}"]
            bias = p[f"lstm.bias_ih_l0{s}"] + p[f"lstm.bias_hh_l0{s}"]
            h, c, hs = np.zeros(H), np.zeros(H), []
            for xt in seq:
                g = W @ xt + U @ h + bias
                i, f, gg, o = _sigmoid(g[:H]), _sigmoid(g[H:2 * H]), np.tanh(g[2 * H:3 * H]), _sigmoid(g[3 * H:])
                c = f * c + i * gg
                h = o * np.tanh(c)
                hs.append(h)
            outs.append(np.array(hs if s == "" else hs[::-1]))
        ref = np.concatenate(outs, axis=1) @ p["out.weight"].T + p["out.bias"]
        assert np.allclose(em[b, :lengths[b]], ref, atol=1e-4)


def test_viterbi_finds_the_best_path_by_brute_force():
    rng = np.random.default_rng(0)
    K = 3
    trans, start, end = rng.normal(size=(K, K)), rng.normal(size=K), rng.normal(size=K)
    em = rng.normal(size=(2, 4, K))
    lengths = np.array([4, 2])
    paths = ner_nn.viterbi(em, lengths, trans, start, end)
    for b, n in enumerate(lengths):
        def score(path, b=b, n=n):
            return (start[path[0]] + sum(em[b, t, path[t]] for t in range(n))
                    + sum(trans[path[t - 1], path[t]] for t in range(1, n)) + end[path[-1]])
        assert paths[b] == list(max(itertools.product(range(K), repeat=int(n)), key=score))


def test_subword_segmentation_prefers_the_best_scoring_pieces():
    sub = ner_nn.SubwordVectors(["\u2581بغ", "\u2581بغداد", "داد", "د", "ا"], np.array([-5.0, -6.0, -5.0, -3.0, -3.0]),
                                np.eye(5, dtype=np.float32), unk_score=-20.0)
    assert sub.segment("بغداد") == [1]  # one piece (-6) beats ▁بغ + داد (-10)
    assert sub.segment("دx") == [-1, 3, -1]  # ▁ and x are covered by no piece
    assert np.allclose(sub.vector("بغداد"), np.eye(5)[1])
