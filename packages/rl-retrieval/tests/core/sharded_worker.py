"""Worker launched by torchrun in test_sharded_encoding.py."""

import json
import sys
from pathlib import Path

import numpy as np
import torch.distributed as dist

from rl_retrieval.core.dense import DenseRetriever
from rl_retrieval.core.sharded_encoding import encode_sharded


def fake_encode(texts):
    return np.array([[len(t), sum(map(ord, t)) % 97] for t in texts], dtype=np.float32)


class Recording:
    """A stand-in SentenceTransformer that records what it encodes."""

    def __init__(self):
        self.seen = []

    def encode(self, texts, **kwargs):
        self.seen.extend(texts)
        return fake_encode(texts)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    texts = [f"document number {i}" * (i % 3 + 1) for i in range(11)]
    seen = []
    emb = encode_sharded(texts, lambda t: (seen.extend(t), fake_encode(t))[1], out / "emb.npy")
    model = Recording()
    corpus = {f"d{i}": {"title": "", "text": t} for i, t in enumerate(texts)}
    retriever = DenseRetriever(model, model_name="fake", normalize=False)
    _, dense = retriever.encode_corpus(corpus)
    (out / f"rank{rank}.json").write_text(
        json.dumps(
            {
                "seen": seen,
                "emb": np.asarray(emb).tolist(),
                "dense_seen": model.seen,
                "dense": np.asarray(dense).tolist(),
                "cache": str(retriever.cache_path(texts)),
            }
        )
    )
    dist.barrier()
    dist.destroy_process_group()
