"""A tiny BERT SentenceTransformer whose tokenizer knows its words (ids other than [UNK])."""

from __future__ import annotations

from pathlib import Path

import pytest

from rl_shared.runtime import seed_everything

WORDS = (
    "a the man woman cat dog plays runs sits guitar piano park street red blue big small eats "
    "food car drives fast slow child ball kicks sleeps bed is"
).split()


def build_word_model(folder: Path, hidden: int = 32):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Transformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling
    from transformers import BertConfig, BertModel, BertTokenizerFast

    seed_everything(0)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", '"', ".", *WORDS]
    # transformers >= 5 takes the vocabulary as ``vocab`` (``vocab_file`` is ignored)
    BertTokenizerFast(vocab={w: i for i, w in enumerate(vocab)}).save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=2 * hidden,
        max_position_embeddings=64,
        initializer_range=0.3,  # spread-out embeddings: a well-conditioned entry space
    )
    BertModel(config).save_pretrained(folder)
    modules = [Transformer(str(folder), max_seq_length=48), Pooling(hidden, pooling_mode="mean")]
    return SentenceTransformer(modules=[*modules, Normalize()], device="cpu")


@pytest.fixture(scope="session")
def word_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("word-bert")
    model = build_word_model(folder / "bert")
    model.save(str(folder / "st"))
    return folder / "st"


@pytest.fixture
def word_model(word_model_dir: Path):
    from sentence_transformers import SentenceTransformer

    seed_everything(0)
    return SentenceTransformer(str(word_model_dir), device="cpu", local_files_only=True)
