"""The grounded model: a character sentence encoder and an image encoder sharing one space.

A trained model is a model folder of :func:`rl_shared.artifacts.save_model` (kind
``vision.grounded``): ``config.json`` holds the :class:`GroundedConfig` and the character
vocabulary, ``model.safetensors`` the weights. :func:`save_grounded` writes one,
:func:`load_grounded` reads it back (given the folder or the run folder above it).

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded
    language without lexical knowledge", Natural Language Engineering 2019, arXiv:1903.11393.

Example:
    >>> import tempfile
    >>> model = GroundedModel(GroundedConfig(hidden=8, depth=3))
    >>> tuple(model.encode_text(["a red car", "a tree"]).shape)
    (2, 16)
    >>> folder = save_grounded(model, GroundedConfig(hidden=8, depth=3), tempfile.mkdtemp() + "/model")
    >>> loaded, cfg = load_grounded(folder)
    >>> cfg.hidden, loaded.sentences.dim
    (8, 16)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from torch import Tensor, nn

from rl_shared.artifacts import CONFIG, load_model, save_model
from rl_shared.errors import MalformedFile
from rl_vision.core.encoders import check_encoder
from rl_vision.core.model_folders import check_finite_weights, find_model_folder, reason
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.image_encoder import ImageEncoder

__all__ = ["CITATION", "KIND", "GroundedConfig", "GroundedModel", "load_grounded", "save_grounded"]

#: the artifact kind of a saved grounded model folder
KIND = "vision.grounded"
CITATION = """@article{merkx2019grounded,
  title   = {Learning semantic sentence representations from visually grounded language without lexical knowledge},
  author  = {Merkx, Danny and Frank, Stefan L.},
  journal = {Natural Language Engineering},
  volume  = {25},
  number  = {4},
  pages   = {451--466},
  year    = {2019},
  eprint  = {1903.11393},
  archivePrefix = {arXiv}
}"""


@dataclass
class GroundedConfig:
    """Hyper-parameters of the grounded model and the autoencoder baseline.

    ``checkpoint_every`` is the number of steps between checkpoints when training into a
    folder (0: only at the end).
    """

    steps: int = 600
    batch_size: int = 32
    lr: float = 2e-3
    num_scenes: int = 1000
    captions_per_scene: int = 5
    size: int = 64
    hidden: int = 128
    dim: int = 256
    margin: float = 0.2
    encoder: str = "resnet18"
    depth: int = 4
    seed: int = 0
    checkpoint_every: int = 100


class GroundedModel(nn.Module):
    """Character sentence encoder and image encoder sharing one space.

    Args:
        config: sizes of the encoders (``hidden``, ``encoder``, ``depth``).
        vocab: the character vocabulary (default :class:`CharVocab`).

    Shapes:
        ``encode_text(texts)`` -> ``(len(texts), 2 * hidden)``; ``images(x)`` with ``x``
        ``(B, 3, H, W)`` -> ``(B, 2 * hidden)``; both unit vectors.
    """

    def __init__(self, config: GroundedConfig, vocab: CharVocab | None = None) -> None:
        super().__init__()
        self.vocab = vocab or CharVocab()
        self.sentences = CharSentenceEncoder(len(self.vocab), hidden=config.hidden)
        self.images = ImageEncoder(self.sentences.dim, config.encoder, config.depth)

    def forward(self, images: Tensor, ids: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        """Image and caption unit vectors in one pass (the training step; DDP syncs through it).

        Args:
            images: ``(B, 3, H, W)`` images.
            ids: ``(B', L)`` padded character ids (:meth:`CharVocab.encode_batch`).
            lengths: ``(B',)`` characters per caption.
        """
        return self.images(images), self.sentences(ids, lengths)

    def encode_text(self, texts: Sequence[str]) -> Tensor:
        """Unit vectors of ``texts`` (on the model's device)."""
        ids, lengths = self.vocab.encode_batch(list(texts))
        device = self.sentences.embed.weight.device
        return self.sentences(ids.to(device), lengths)


def save_grounded(model: GroundedModel, config: GroundedConfig, folder: str | Path) -> Path:
    """Write ``model`` (with ``config`` and its vocabulary) as the model folder ``folder``.

    Args:
        model: the trained model.
        config: its configuration.
        folder: where the model goes (an existing model there is replaced atomically).
    """
    saved = {
        "grounded": asdict(config),
        "vocab": {"alphabet": model.vocab.alphabet, "max_length": model.vocab.max_length},
        "dim": model.sentences.dim,
    }
    return save_model(
        folder,
        kind=KIND,
        config=saved,
        tensors=model,
        citation=CITATION,
        summary="A visually grounded character-level sentence encoder (bi-GRU with attention "
        "pooling) and its image encoder, trained by rl-vision (`rl vision grounded train`).",
    )


def load_grounded(path: str | Path) -> tuple[GroundedModel, GroundedConfig]:
    """Load a model folder of :func:`save_grounded` (``path`` is it or the run folder above it).

    Args:
        path: the model folder, or a run folder holding ``model/config.json``.

    Returns:
        The model (in eval mode, weights loaded) and its configuration.

    Raises:
        ModelNotFound: no grounded model is there.
        BadInput: the folder holds another kind of model, or weights that do not fit.
        MalformedFile: ``config.json`` is not UTF-8 JSON, a folder, or no grounded model
            description; the weights file is missing or holds NaN / infinity.
    """
    folder = find_model_folder(
        Path(path), "`rl vision grounded train --out {run}`", "grounded model"
    )
    art = load_model(folder, kind=KIND)
    config_path = folder / CONFIG
    try:
        known = {f.name for f in fields(GroundedConfig)}
        config = GroundedConfig(**{k: v for k, v in art.config["grounded"].items() if k in known})
        vocab = CharVocab(art.config["vocab"]["alphabet"], int(art.config["vocab"]["max_length"]))
        if not isinstance(vocab.alphabet, str) or vocab.max_length < 1:
            raise ValueError("the vocabulary needs an alphabet string and a positive max_length")
        check_encoder(config.encoder)
        for name in ("hidden", "depth", "size", "captions_per_scene"):
            if not isinstance(getattr(config, name), int) or getattr(config, name) < 1:
                raise ValueError(
                    f"{name} must be a positive integer, got {getattr(config, name)!r}"
                )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise MalformedFile(
            config_path, None, f"not a grounded model description ({reason(err)})"
        ) from None
    check_finite_weights(folder, art.tensors)
    try:
        model = GroundedModel(config, vocab)
    except (KeyError, ValueError, RuntimeError, TypeError) as err:
        raise MalformedFile(
            config_path, None, f"describes no model that can be built ({reason(err)})"
        ) from None
    art.load_into(model)
    return model.eval(), config
