import torch

from rl_vision.any2seg.text import class_text_embeddings


def test_minilm_class_embeddings(tmp_path, monkeypatch):
    """A real language model: related class names are closer than unrelated ones."""
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path))
    emb = class_text_embeddings(("car", "truck", "sky"))
    assert emb.shape == (3, 384)
    torch.testing.assert_close(emb.norm(dim=1), torch.ones(3))
    assert float(emb[0] @ emb[1]) > float(emb[0] @ emb[2])
    cached = list((tmp_path / "embeddings").glob("*.npy"))
    assert len(cached) == 1
    torch.testing.assert_close(class_text_embeddings(("car", "truck", "sky")), emb)
