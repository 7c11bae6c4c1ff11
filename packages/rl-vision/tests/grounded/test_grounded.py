import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput, MalformedFile, ShapeMismatch
from rl_vision.grounded.autoencoder import CharAutoencoder
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.evaluation import load_stsb_test, rankdata, recall_at_k, spearman
from rl_vision.grounded.losses import hinge_contrastive


def test_vocab_round_trip_and_unknowns():
    v = CharVocab()
    assert v.decode(v.encode("A red Car.")) == "a red car."
    assert v.encode("é")[0] == CharVocab.UNK
    ids, lengths = v.encode_batch(["ab", "abcd", ""])
    assert ids.shape == (3, 4) and lengths.tolist() == [2, 4, 1] and ids[0, 2:].eq(0).all()


def test_encoder_ignores_padding():
    torch.manual_seed(0)
    v = CharVocab()
    enc = CharSentenceEncoder(len(v), hidden=8).eval()
    alone = enc(*v.encode_batch(["a car"]))
    batched = enc(*v.encode_batch(["a car", "a much longer sentence about trees"]))
    torch.testing.assert_close(alone[0], batched[0], atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(batched.norm(dim=1), torch.ones(2))


def test_hinge_matches_loop_reference():
    g = torch.Generator().manual_seed(0)
    a = torch.nn.functional.normalize(torch.randn(4, 5, generator=g), dim=1)
    b = torch.nn.functional.normalize(torch.randn(4, 5, generator=g), dim=1)
    total, n = 0.0, 0
    for i in range(4):
        for j in range(4):
            if i != j:
                total += max(0.0, 0.2 - float(a[i] @ b[i]) + float(a[i] @ b[j]))
                total += max(0.0, 0.2 - float(a[i] @ b[i]) + float(a[j] @ b[i]))
                n += 2
    assert float(hinge_contrastive(a, b, margin=0.2)) == pytest.approx(total / n, rel=1e-5)
    with pytest.raises(ShapeMismatch):
        hinge_contrastive(a, b[:, :3])
    with pytest.raises(BadInput):
        hinge_contrastive(a[:1], b[:1])


def test_spearman_with_ties_matches_definition():
    assert rankdata([3, 1, 3, 2]).tolist() == [3.5, 1.0, 3.5, 2.0]
    x, y = [1, 2, 2, 4, 5], [2, 1, 3, 5, 4]
    rx, ry = rankdata(x), rankdata(y)
    assert spearman(x, y) == pytest.approx(np.corrcoef(rx, ry)[0, 1])
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


def test_recall_at_k():
    scores = torch.tensor([[0.9, 0.1, 0.5], [0.2, 0.3, 0.8]])
    assert recall_at_k(scores, torch.tensor([2, 2]), (1, 2)) == {"r@1": 0.5, "r@2": 1.0}
    rel = torch.tensor([[False, True, False], [True, True, False]])
    assert recall_at_k(scores, rel, (1, 2)) == {"r@1": 0.0, "r@2": 0.5}


def test_stsb_loader(tmp_path):
    p = tmp_path / "stsb-en-test.csv"
    p.write_text(
        'A man plays.,"A man, playing.",4.2\r\nDogs run.,Cats sleep.,0.5\r\n', encoding="utf-8"
    )
    _s1, s2, gold = load_stsb_test(p)
    assert s2[0] == "A man, playing." and gold.tolist() == [4.2, 0.5]
    p.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=r"csv:1: expected 3 columns"):
        load_stsb_test(p)


def test_autoencoder_overfits_two_captions():
    torch.manual_seed(0)
    v = CharVocab()
    model = CharAutoencoder(len(v), hidden=32)
    ids, lengths = v.encode_batch(["a red car", "a green tree"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = float(model.loss(ids, lengths).detach())
    for _ in range(60):
        loss = model.loss(ids, lengths)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss.detach()) < 0.3 * first


def test_grounded_training_aligns_images_and_captions():
    """A few steps on a handful of scenes must rank the right image above chance."""
    from rl_vision.grounded.training import (
        GroundedConfig,
        evaluate_retrieval,
        make_caption_data,
        train_grounded,
    )

    data = make_caption_data(range(6), 32, 3)
    cfg = GroundedConfig(steps=80, batch_size=6, num_scenes=6, size=32, hidden=32, depth=3, lr=3e-3)
    r = evaluate_retrieval(train_grounded(cfg, data), data)
    assert r["c2i.r@1"] > 1 / 6 + 0.15
