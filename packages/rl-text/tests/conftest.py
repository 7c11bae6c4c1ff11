"""Shared fixtures: a tiny randomly initialised BERT wrapped as a SentenceTransformer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rl_shared.runtime import seed_everything

os.environ.setdefault("HF_HUB_OFFLINE", "1")

WORDS = (
    "a the man woman cat dog plays runs sits on in guitar piano park street red blue big small "
    "is are and with of to eats food car drives fast slow child ball kicks sleeps bed"
).split()


def build_tiny_model(folder: Path, layers: int = 3, hidden: int = 32):
    """A BERT with ``layers`` layers and width ``hidden`` plus mean pooling and Normalize."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    seed_everything(0)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    BertTokenizerFast(vocab=str(vocab)).save_pretrained(folder)
    config = BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=2 * hidden,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(folder)
    transformer = models.Transformer(str(folder), max_seq_length=32)
    pooling = models.Pooling(hidden, pooling_mode="mean")
    return SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-bert")
    model = build_tiny_model(folder / "bert")
    model.save(str(folder / "st"))
    return folder / "st"


@pytest.fixture
def tiny_model(tiny_model_dir: Path):
    from sentence_transformers import SentenceTransformer

    seed_everything(0)
    return SentenceTransformer(str(tiny_model_dir), device="cpu", local_files_only=True)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


SENTENCES = [
    ("a man plays the guitar", "a man plays a guitar", 4.8),
    ("a cat sits on the bed", "a dog sleeps on a bed", 2.0),
    ("the woman drives a red car", "a woman drives a car", 4.0),
    ("a child kicks the ball", "the man eats food", 0.2),
    ("a dog runs in the park", "a dog runs in a park", 5.0),
    ("the big cat eats", "a small dog plays", 1.0),
]


@pytest.fixture
def sts_rows() -> list[tuple[str, str, float]]:
    return list(SENTENCES)
