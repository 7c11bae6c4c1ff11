import numpy as np
import pytest
import torch

from rl_shared.embeddings import cache_path, encode_cached, model_fingerprint


class Counting(torch.nn.Module):
    """A stand-in encoder with SentenceTransformer's ``encode`` signature."""

    def __init__(self, scale: float = 1.0) -> None:
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(scale))
        self.calls = 0

    def encode(self, texts, batch_size=32, normalize_embeddings=False, **kwargs):
        self.calls += 1
        out = np.array([[len(t), t.count("a") + 1.0] for t in texts]) * float(self.scale.detach())
        if normalize_embeddings:
            out = out / np.linalg.norm(out, axis=1, keepdims=True)
        return out


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path))


def test_hits_and_misses():
    model = Counting()
    first = encode_cached(model, ["aa", "b"])
    assert encode_cached(model, ["aa", "b"]).tolist() == first.tolist() and model.calls == 1
    encode_cached(model, ["aa", "c"])  # one text changed
    encode_cached(model, ["aa", "b"], prompt="q: ")  # another prompt
    normed = encode_cached(model, ["aa", "b"], normalize=True)
    assert model.calls == 4 and np.allclose(np.linalg.norm(normed, axis=1), 1.0)


def test_another_checkpoint_misses():
    a, b = Counting(1.0), Counting(2.0)
    assert model_fingerprint(a) != model_fingerprint(b)
    assert cache_path(a, ["x"]) != cache_path(b, ["x"])
    assert encode_cached(b, ["x"])[0, 0] == 2.0


def test_cache_off_and_custom_encoder():
    model = Counting()
    encode_cached(model, ["x"], cache=False)
    encode_cached(model, ["x"], cache=False)
    assert model.calls == 2
    seen = []

    def shard(texts):
        seen.append(texts)
        return np.ones((len(texts), 3))

    out = encode_cached(model, ["x", "y"], model_id="m", prompt="p:", encoder=shard)
    assert out.shape == (2, 3) and out.dtype == np.float32 and seen == [["p:x", "p:y"]]


def test_real_sentence_transformer_matches_its_encode():
    pytest.importorskip("sentence_transformers")
    from rl_shared.models import load_sentence_transformer

    try:
        st = load_sentence_transformer("minilm")
    except Exception:
        pytest.skip("minilm is not installed")
    texts = ["A man plays a guitar.", "A cat sleeps."]
    ours = encode_cached(st, texts, model_id="minilm", normalize=True)
    ref = st.encode(texts, normalize_embeddings=True)
    assert np.allclose(ours, ref, atol=1e-6)
    assert np.array_equal(
        encode_cached("minilm", texts, normalize=True, cache=True),
        encode_cached("minilm", texts, normalize=True),
    )
