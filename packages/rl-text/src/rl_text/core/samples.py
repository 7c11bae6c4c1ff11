"""Tiny model folders for the sample writers of :mod:`rl_shared.formats` (and for tests).

A format's ``write_sample`` must write a small valid input in well under a second; the
model folders rl-text commands read (a DSE student, a MoE model, a cross-encoder teacher)
start from :func:`save_tiny_sentence_transformer`: a randomly initialised two-layer BERT of
width 16 with a 40-word vocabulary, mean pooling and normalisation. Nothing is downloaded.

Example:
    >>> import pathlib, tempfile
    >>> folder = save_tiny_sentence_transformer(pathlib.Path(tempfile.mkdtemp()) / "st")
    >>> sorted(p.name for p in folder.iterdir())[:3]
    ['1_Pooling', '2_Normalize', 'README.md']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["WORDS", "save_tiny_cross_encoder", "save_tiny_sentence_transformer", "tiny_bert"]

#: the vocabulary of the tiny BERT (after the five special tokens)
WORDS = (
    "a the man woman cat dog plays runs sits on in guitar piano park street red blue big small "
    "is are and with of to eats food car drives fast slow child ball kicks sleeps bed"
).split()


def tiny_bert(folder: Path, layers: int = 2, hidden: int = 16) -> Path:
    """Save a randomly initialised BERT and its word-piece tokenizer into ``folder``.

    Args:
        folder: where the Hugging Face files go (created).
        layers: transformer layers.
        hidden: hidden width (two attention heads).

    Returns:
        ``folder``.

    Example:
        >>> import pathlib, tempfile
        >>> folder = tiny_bert(pathlib.Path(tempfile.mkdtemp()) / "bert")
        >>> (folder / "config.json").is_file(), (folder / "model.safetensors").is_file()
        (True, True)
    """
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    BertTokenizer(vocab_file=str(vocab)).save_pretrained(str(folder))
    config = BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=2 * hidden,
        max_position_embeddings=64,
    )
    with torch.random.fork_rng():
        torch.manual_seed(0)
        BertModel(config).save_pretrained(str(folder))
    return folder


def _tiny_st(scratch: Path, layers: int, hidden: int) -> Any:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Normalize, Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling

    bert = tiny_bert(scratch, layers, hidden)
    transformer = Transformer(str(bert), max_seq_length=32)
    pooling = Pooling(hidden, pooling_mode="mean")
    return SentenceTransformer(modules=[transformer, pooling, Normalize()])


def save_tiny_sentence_transformer(folder: Path, layers: int = 2, hidden: int = 16) -> Path:
    """Save a tiny randomly initialised ``SentenceTransformer`` (BERT, mean pooling) to ``folder``.

    Args:
        folder: the model folder to write (created; it should not hold another model).
        layers: transformer layers.
        hidden: embedding width.

    Returns:
        ``folder``, loadable with ``rl_shared.models.load_sentence_transformer``.

    Example:
        >>> import pathlib, tempfile
        >>> from rl_shared.models import load_sentence_transformer
        >>> folder = save_tiny_sentence_transformer(pathlib.Path(tempfile.mkdtemp()) / "st")
        >>> load_sentence_transformer(folder).encode(["a cat"]).shape
        (1, 16)
    """
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        _tiny_st(Path(scratch) / "bert", layers, hidden).save(str(folder))
    return folder


def save_tiny_cross_encoder(folder: Path, layers: int = 2, hidden: int = 16) -> Path:
    """Save a tiny randomly initialised one-label ``CrossEncoder`` (BERT) to ``folder``.

    Args:
        folder: the model folder to write (created).
        layers: transformer layers.
        hidden: hidden width.

    Returns:
        ``folder``, loadable with ``CrossEncoder(folder)``.

    Example:
        >>> import pathlib, tempfile
        >>> from sentence_transformers.cross_encoder import CrossEncoder
        >>> folder = save_tiny_cross_encoder(pathlib.Path(tempfile.mkdtemp()) / "ce")
        >>> CrossEncoder(str(folder)).predict([("a cat", "a dog")]).shape
        (1,)
    """
    import tempfile

    from sentence_transformers.cross_encoder import CrossEncoder

    with tempfile.TemporaryDirectory() as scratch:
        bert = tiny_bert(Path(scratch) / "bert", layers, hidden)
        CrossEncoder(str(bert), num_labels=1, local_files_only=True).save(str(folder))
    return folder
