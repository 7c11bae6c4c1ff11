"""Shared fixtures: a tiny BEIR collection made in the test and an isolated cache folder."""

from __future__ import annotations

import pytest

from rl_retrieval.core.beir_format import BeirData


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def tiny() -> BeirData:
    corpus = {
        "d1": {"title": "Wings", "text": "lift of a wing in a propeller slipstream"},
        "d2": {"title": "Heat", "text": "heat transfer in hypersonic boundary layers"},
        "d3": {"title": "Shells", "text": "buckling of thin cylindrical shells under pressure"},
        "d4": {"title": "", "text": "the slipstream increases the lift of the wing"},
    }
    queries = {"q1": "wing lift in a slipstream", "q2": "hypersonic heat transfer"}
    qrels = {"q1": {"d1": 2, "d4": 1}, "q2": {"d2": 1}}
    return BeirData(corpus, queries, qrels)


WORDS = (
    "wings wing lift of a in propeller slipstream heat transfer hypersonic boundary layers "
    "buckling thin cylindrical shells under pressure the increases"
).split()


def _tiny_bert(folder, head: str):
    """A 2-layer, 32-wide BERT over the tiny collection's words, saved with its tokenizer.

    ``head``: ``"mlm"`` (BertForMaskedLM, for SPLADE), ``"score"`` (one-logit sequence
    classifier, a cross-encoder) or ``"bare"`` (BertModel, mean-pooled by sentence-transformers).
    """
    import torch
    from transformers import (
        BertConfig,
        BertForMaskedLM,
        BertForSequenceClassification,
        BertModel,
        BertTokenizerFast,
    )

    torch.manual_seed(0)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    BertTokenizerFast(vocab=str(vocab)).save_pretrained(folder)
    config = BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=1,
    )
    cls = {"mlm": BertForMaskedLM, "score": BertForSequenceClassification, "bare": BertModel}
    cls[head](config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_splade(tmp_path_factory):
    """A randomly initialised SPLADE (MLM head + max pooling) saved as a SparseEncoder folder."""
    from sentence_transformers import SparseEncoder
    from sentence_transformers.sparse_encoder.modules import MLMTransformer, SpladePooling

    root = tmp_path_factory.mktemp("splade")
    mlm = _tiny_bert(root / "mlm", "mlm")
    model = SparseEncoder(modules=[MLMTransformer(str(mlm)), SpladePooling("max")], device="cpu")
    model.save(str(root / "model"))
    return root / "model"


@pytest.fixture(scope="session")
def tiny_cross_encoder(tmp_path_factory):
    """A randomly initialised one-logit BERT cross-encoder folder."""
    return _tiny_bert(tmp_path_factory.mktemp("cross") / "model", "score")


@pytest.fixture(scope="session")
def tiny_bare_bert(tmp_path_factory):
    """A bare BERT checkpoint (as facebook/contriever is): sentence-transformers mean-pools it."""
    return _tiny_bert(tmp_path_factory.mktemp("bare") / "model", "bare")
