import numpy as np
import pytest
import scipy.stats
import torch

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.runtime import seed_everything
from rl_shared.sts import named_or_file_pairs
from rl_vision.grounded.autoencoder import CharAutoencoder
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.evaluation import recall_at_k, sts_correlations
from rl_vision.grounded.losses import hinge_contrastive


def test_vocab_round_trip_and_unknowns():
    v = CharVocab()
    assert v.decode(v.encode("A red Car.")) == "a red car."
    assert v.encode("é")[0] == CharVocab.UNK
    ids, lengths = v.encode_batch(["ab", "abcd", ""])
    assert ids.shape == (3, 4) and lengths.tolist() == [2, 4, 1] and ids[0, 2:].eq(0).all()


def test_encoder_ignores_padding():
    seed_everything(0)
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


def test_recall_at_k():
    scores = torch.tensor([[0.9, 0.1, 0.5], [0.2, 0.3, 0.8]])
    assert recall_at_k(scores, torch.tensor([2, 2]), (1, 2)) == {"r@1": 0.5, "r@2": 1.0}
    rel = torch.tensor([[False, True, False], [True, True, False]])
    assert recall_at_k(scores, rel, (1, 2)) == {"r@1": 0.0, "r@2": 0.5}


def test_sts_correlations_score_the_cosine_of_encoded_pairs(tmp_path):
    p = tmp_path / "pairs.csv"
    p.write_text("a car,a car,5.0\na tree,a red car,1.0\na tree,the tree,4.0\n", encoding="utf-8")
    pairs = named_or_file_pairs(str(p))

    def encode(texts):
        return torch.tensor([[1.0, 0.0] if "tree" in t else [0.0, 1.0] for t in texts])

    found = sts_correlations(encode, pairs)
    cos = [1.0, 0.0, 1.0]
    assert found["spearman"] == pytest.approx(scipy.stats.spearmanr(cos, pairs.scores)[0])
    assert found["pearson"] == pytest.approx(np.corrcoef(cos, pairs.scores)[0, 1])


def test_autoencoder_overfits_two_captions():
    seed_everything(0)
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
    from rl_vision.grounded.data import make_caption_data
    from rl_vision.grounded.evaluation import evaluate_retrieval
    from rl_vision.grounded.model import GroundedConfig
    from rl_vision.grounded.train import train_grounded

    data = make_caption_data(range(6), 32, 3)
    cfg = GroundedConfig(steps=80, batch_size=6, num_scenes=6, size=32, hidden=32, depth=3, lr=3e-3)
    r = evaluate_retrieval(train_grounded(cfg, data), data)
    assert r["c2i.r@1"] > 1 / 6 + 0.15
