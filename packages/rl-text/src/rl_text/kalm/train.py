"""The KaLM-Embedding-V2 training recipe as options of one contrastive trainer.

Each technique can be switched off on its own (the ``text.kalm`` reproduction does exactly
that):

| option | technique |
|---|---|
| ``pooling`` | the pooling of token states (KaLM-V2 uses mean pooling; ``cls`` / ``max`` / ``lasttoken`` for ablations) |
| ``hard_negatives``, ``false_negative_margin`` | mined hard negatives per example, skipping candidates within the margin of the positive (:func:`rl_text.core.tasks.mine_negatives`) |
| ``focal_gamma`` | focal-style reweighting of hard samples, ``(1 − p)^γ`` on each example's InfoNCE term (:mod:`rl_shared.losses.focal`) |
| ``mixed_negatives`` | online hard-negative mixing: synthetic negatives interpolated from each anchor's hardest in-batch negatives (:mod:`rl_shared.losses.hard_negative_mixing`) |
| ``soup`` | average the last ``soup`` checkpoints into the final model (:func:`rl_text.core.soup.uniform_soup`) |

Negatives are gathered across ``torch.distributed`` ranks when ``gather_across_devices`` is
on, so a 2-process ``torchrun`` run sees the same negatives as one process with the whole
batch.

References:
    Zhao et al., "KaLM-Embedding-V2: Superior Training Techniques and Data Inspire A Versatile
    Embedding Model", arXiv:2506.20923; Lin et al., "Focal Loss", arXiv:1708.02002;
    Kalantidis et al., "Hard Negative Mixing for Contrastive Learning", arXiv:2010.01028;
    Wortsman et al., "Model soups", arXiv:2203.05482.

Example:
    >>> KalmRecipe(focal_gamma=0.0).loss_name()
    'hard-negative-mixing'
    >>> KalmRecipe(focal_gamma=0.0, mixed_negatives=0).loss_name()
    'info-nce'
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rl_shared.errors import BadInput, UnknownName
from rl_text.core.tasks import Examples, mine_negatives

if TYPE_CHECKING:
    from torch import nn

__all__ = ["POOLINGS", "KalmRecipe", "make_kalm_loss", "set_pooling", "train_kalm"]

POOLINGS = ("mean", "cls", "max", "lasttoken")


@dataclass(frozen=True)
class KalmRecipe:
    """Switches and sizes of the KaLM-Embedding-V2 techniques.

    Args:
        pooling: one of :data:`POOLINGS`.
        hard_negatives: mined negatives per example (0: in-batch negatives only).
        false_negative_margin: cosine margin below the positive for a mined negative.
        focal_gamma: focal reweighting strength (0: off).
        mixed_negatives: synthetic mixed negatives per anchor (0: off).
        mix_top_k: hardest negatives they are mixed from.
        soup: checkpoints averaged into the final model (1: off).
        temperature: InfoNCE temperature.
    """

    pooling: str = "mean"
    hard_negatives: int = 1
    false_negative_margin: float = 0.05
    focal_gamma: float = 1.0
    mixed_negatives: int = 8
    mix_top_k: int = 8
    soup: int = 3
    temperature: float = 0.05

    def __post_init__(self) -> None:
        if self.pooling not in POOLINGS:
            raise UnknownName("pooling", self.pooling, list(POOLINGS))
        if min(self.hard_negatives, self.mixed_negatives) < 0 or self.soup < 1:
            raise BadInput("negative counts must be >= 0 and soup >= 1")
        if self.focal_gamma < 0 or self.temperature <= 0:
            raise BadInput("focal_gamma must be >= 0 and temperature > 0")

    def loss_name(self) -> str:
        """Which loss the recipe trains with."""
        if self.mixed_negatives:
            return "hard-negative-mixing"
        return "focal-info-nce" if self.focal_gamma else "info-nce"


def make_kalm_loss(
    model: nn.Module, recipe: KalmRecipe, *, gather_across_devices: bool = True, seed: int = 0
) -> nn.Module:
    """The recipe's loss over ``(anchor, positive, negative_1..)`` columns.

    ``HardNegativeMixingLoss`` when ``recipe.mixed_negatives`` (with focal weighting
    ``recipe.focal_gamma``), else ``FocalInfoNCELoss`` when ``recipe.focal_gamma``, else
    ``InfoNCELoss`` (all from :mod:`rl_shared.losses`).

    Args:
        model: the ``SentenceTransformer`` being trained.
        recipe: the technique switches.
        gather_across_devices: negatives from every ``torch.distributed`` rank.
        seed: seeds the negative mixing.

    Example:
        >>> from sentence_transformers.sentence_transformer.modules import Pooling
        >>> from sentence_transformers import SentenceTransformer
        >>> model = SentenceTransformer(modules=[Pooling(4)])
        >>> type(make_kalm_loss(model, KalmRecipe())).__name__
        'HardNegativeMixingLoss'
        >>> type(make_kalm_loss(model, KalmRecipe(mixed_negatives=0))).__name__
        'FocalInfoNCELoss'
        >>> type(make_kalm_loss(model, KalmRecipe(mixed_negatives=0, focal_gamma=0))).__name__
        'InfoNCELoss'
    """
    from rl_shared.losses import FocalInfoNCELoss, HardNegativeMixingLoss, InfoNCELoss

    common: dict[str, Any] = {
        "temperature": recipe.temperature,
        "gather_across_devices": gather_across_devices,
    }
    if recipe.mixed_negatives:
        return HardNegativeMixingLoss(
            model,
            num_mixed=recipe.mixed_negatives,
            top_k=recipe.mix_top_k,
            gamma=recipe.focal_gamma,
            seed=seed,
            **common,
        )
    if recipe.focal_gamma:
        return FocalInfoNCELoss(model, gamma=recipe.focal_gamma, **common)
    return InfoNCELoss(model, **common)


def set_pooling(model: Any, mode: str) -> Any:
    """Replace the ``Pooling`` module of a ``SentenceTransformer`` by one with ``mode``.

    The new ``Pooling`` keeps the old one's embedding dimension; the model is changed in
    place and returned.

    Args:
        model: a ``SentenceTransformer`` with a ``Pooling`` module.
        mode: one of :data:`POOLINGS`.

    Raises:
        UnknownName: ``mode`` is not in :data:`POOLINGS`.
        BadInput: the model has no ``Pooling`` module.

    Example:
        >>> from sentence_transformers.sentence_transformer.modules import Pooling
        >>> from sentence_transformers import SentenceTransformer
        >>> model = SentenceTransformer(modules=[Pooling(4)])
        >>> set_pooling(model, "cls")[0].get_config_dict()["pooling_mode"]
        'cls'
    """
    from sentence_transformers.sentence_transformer.modules import Pooling

    if mode not in POOLINGS:
        raise UnknownName("pooling", mode, list(POOLINGS))
    for name, module in model.named_children():
        if isinstance(module, Pooling):
            dim = (
                getattr(module, "get_embedding_dimension", None)
                or module.get_sentence_embedding_dimension
            )
            model._modules[name] = Pooling(dim(), mode)
            return model
    raise BadInput("the model has no Pooling module to replace")


def train_kalm(
    model: Any,
    examples: Examples,
    out: str | Path,
    recipe: KalmRecipe | None = None,
    *,
    corpus: list[str] | None = None,
    steps: int = 100,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int | None = None,
    gather_across_devices: bool = True,
    shuffle: bool = True,
    show_progress: bool = True,
    device: str | None = None,
    precision: str = "fp32",
) -> Path:
    """Contrastive training with the KaLM-V2 techniques; return ``out/model``.

    Args:
        model: a name/folder or a ``SentenceTransformer``.
        examples: anchors and positives; negatives already present are kept, otherwise
            ``recipe.hard_negatives`` are mined from ``corpus`` with the starting model.
        out: output folder.
        recipe: the technique switches (default: all on).
        corpus: mining candidates (default: every positive text).
        save_steps: checkpoint interval (default ``steps // recipe.soup`` when souping, so
            the last ``soup`` checkpoints span the second half of training; else 50).
        gather_across_devices: negatives from every ``torch.distributed`` rank.
        shuffle: shuffle the examples, never putting one text twice in a batch (a repeated
            anchor or positive would be its own false negative); off: batches in dataset
            order, e.g. to compare runs step by step.
        steps, batch_size, learning_rate, seed, resume, show_progress, device, precision: as
            :func:`rl_text.core.fit.fit`; a model given by name is loaded on ``device``, and
            the negatives are mined there under ``precision``'s autocast.

    References:
        Zhao et al., "KaLM-Embedding-V2", arXiv:2506.20923.

    Example:
        >>> from rl_text.core.tasks import Examples
        >>> recipe = KalmRecipe(hard_negatives=0, soup=4)
        >>> train_kalm("minilm", Examples(["q"], [["d"]]), "runs/x", recipe, steps=3)
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: a soup of 4 checkpoints needs at least 4 saves; 3 steps with save_steps 1 make 3
    """
    from datasets import Dataset
    from sentence_transformers.sentence_transformer.training_args import BatchSamplers

    from rl_shared.io import atomic_write_json
    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import is_main_process
    from rl_text.core.fit import fit, save_atomically
    from rl_text.core.soup import uniform_soup

    recipe = recipe or KalmRecipe()
    st = (
        load_sentence_transformer(model, device=device)
        if isinstance(model, str | os.PathLike)
        else model
    )
    if recipe.pooling != "mean":
        set_pooling(st, recipe.pooling)
    n_neg = recipe.hard_negatives
    if n_neg and not any(examples.negatives):
        pool = corpus or [t for p in examples.positives for t in p]
        examples = Examples(
            examples.anchors,
            examples.positives,
            mine_negatives(
                st,
                examples.anchors,
                examples.positives,
                pool,
                num=n_neg,
                margin=recipe.false_negative_margin,
                precision=precision,
            ),
        )
    data = Dataset.from_dict(examples.to_dict(1, n_neg, seed))
    if recipe.soup > 1:
        save_steps = save_steps or max(1, steps // (2 * recipe.soup - 1))
        if steps // save_steps < recipe.soup:
            raise BadInput(
                f"a soup of {recipe.soup} checkpoints needs at least {recipe.soup} saves; "
                f"{steps} steps with save_steps {save_steps} make {steps // save_steps}"
            )
    path = fit(
        st,
        data,
        make_kalm_loss(st, recipe, gather_across_devices=gather_across_devices, seed=seed),
        out,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps or 50,
        save_total_limit=recipe.soup if recipe.soup > 1 else 2,
        show_progress=show_progress,
        shuffle=shuffle,
        device=device,
        precision=precision,
        args_kwargs={"batch_sampler": BatchSamplers.NO_DUPLICATES} if shuffle else None,
    )
    if not is_main_process():
        return path
    if recipe.soup > 1:
        souped = _soup_checkpoints(Path(out), recipe.soup, str(st.device))
        st.load_state_dict(uniform_soup(souped))
        path = save_atomically(st.save, Path(out) / "model")
    atomic_write_json(
        path / "kalm_recipe.json", {**asdict(recipe), "examples": len(data), "steps": steps}
    )
    return path


def _soup_checkpoints(out: Path, k: int, device: str) -> list[dict]:
    """The state dicts of the last ``k`` complete checkpoints, loaded on ``device`` (the
    trained model's), ready for :func:`rl_text.core.soup.uniform_soup`."""
    from sentence_transformers import SentenceTransformer

    from rl_text.core.fit import checkpoints

    folders = checkpoints(out)[-k:]  # complete ones only: a killed save is not averaged in
    if len(folders) < k:
        raise BadInput(f"found {len(folders)} checkpoints in {out / 'checkpoints'}, need {k}")
    return [
        SentenceTransformer(str(f), device=device, local_files_only=True).state_dict()
        for f in folders
    ]
