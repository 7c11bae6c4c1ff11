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
