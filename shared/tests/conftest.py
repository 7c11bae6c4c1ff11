"""Shared fixtures: a stand-in sentence-transformers model and isolated data/cache folders."""

from __future__ import annotations

import pytest
import torch
from torch import nn


class EmbeddingModel(nn.Module):
    """Returns ``features["x"]`` as the sentence embedding, as a SentenceTransformer would its output."""

    def forward(self, features: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        return {"sentence_embedding": features["x"]}


@pytest.fixture
def model() -> EmbeddingModel:
    return EmbeddingModel()


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _offline_hub(tmp_path_factory: pytest.TempPathFactory):
    """No test reaches the Hugging Face Hub or reads the user's cache: an empty one, offline."""
    from rl_shared.testing import using_hf_cache

    with using_hf_cache(tmp_path_factory.mktemp("hf-empty")):
        yield
