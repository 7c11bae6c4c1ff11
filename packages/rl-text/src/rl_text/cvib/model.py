"""Aspect sentiment classifier on a sentence encoder, with optional VIB self-pruning (CVIB).

The sentence and the aspect are fed as a sentence pair (``[CLS] sentence [SEP] aspect
[SEP]``). The representation is the concatenation of the mean of all token states and the
mean of the aspect segment's states (the aspect as read in its sentence); a linear head maps
it to negative / neutral / positive. With ``vib=True`` the encoder carries
:class:`~rl_text.cvib.vib.EncoderGates`: ``forward(..., pruned=True)`` runs the self-pruned
network (gates on), ``pruned=False`` the original one, with the same weights.

:func:`save_absa_model` writes an :mod:`rl_shared.artifacts` model folder (head and gates in
``model.safetensors``, the encoder as a SentenceTransformer folder ``encoder/``);
:func:`load_absa_model` reads it back.

References:
    Chang et al., "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with
    Variational Information Bottleneck and Contrastive Learning" (CVIB).
    Dai et al., "Compressing Neural Networks using the Variational Information Bottleneck", ICML
    2018. https://arxiv.org/abs/1802.10399

Example:
    >>> from rl_shared.models import load_sentence_transformer
    >>> from rl_text.cvib.data import AbsaExample
    >>> model = AspectSentimentModel(load_sentence_transformer("minilm"), vib=True)
    >>> ex = AbsaExample("The food was great but the service slow .", "service", 0, 27)
    >>> logits, rep = model([ex], pruned=True)
    >>> logits.shape, rep.shape
    (torch.Size([1, 3]), torch.Size([1, 768]))

"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, MalformedFile, ModelNotFound
from rl_text.cvib.data import LABELS, AbsaExample
from rl_text.cvib.vib import EncoderGates

__all__ = ["AspectSentimentModel", "load_absa_model", "save_absa_model"]


class AspectSentimentModel(nn.Module):
    """Encoder + aspect representation + linear head, optionally with VIB gates.

    Args:
        st: a ``SentenceTransformer`` whose first module wraps a BERT-style model.
        vib: attach VIB gates (CVIB's self-pruned network).
        dropout: dropout before the head.
        max_length: truncation length of the tokenised pair.
        init_log_sigma2: initial ``log σ²`` of the gates.

    Shapes:
        forward(examples) -> logits ``(B, 3)``, representation ``(B, 2H)``.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_text.cvib.data import AbsaExample
        >>> model = AspectSentimentModel(load_sentence_transformer("minilm"))
        >>> model.predict([AbsaExample("Slow service .", "service", 0, 5)])[0] in (0, 1, 2)
        True
    """

    # per-step losses, set by :func:`~rl_text.cvib.train.train_absa`
    train_log: list[dict[str, float]]

    def __init__(
        self,
        st: Any,
        vib: bool = False,
        dropout: float = 0.1,
        max_length: int = 128,
        init_log_sigma2: float = -6.0,
    ) -> None:
        super().__init__()
        self.st = st
        self.encoder = st[0].auto_model
        self.tokenizer = st[0].tokenizer
        hidden = self.encoder.config.hidden_size
        self.max_length = max_length
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * hidden, len(LABELS))
        self.gates = EncoderGates(self.encoder, init_log_sigma2=init_log_sigma2) if vib else None

    @property
    def device(self) -> torch.device:
        return self.head.weight.device

    def tokenize(self, examples: list[AbsaExample]) -> dict[str, Tensor]:
        batch = self.tokenizer(
            [e.sentence for e in examples],
            [e.aspect for e in examples],
            truncation="only_first",
            max_length=self.max_length,
            padding=True,
            return_tensors="pt",
            return_token_type_ids=True,
        )
        return {k: v.to(self.device) for k, v in batch.items()}

    def represent(self, batch: dict[str, Tensor], pruned: bool = False) -> Tensor:
        """Mean of all tokens ⊕ mean of the aspect segment: ``(B, 2H)``."""
        if pruned and self.gates is None:
            raise BadInput("this model has no VIB gates; build it with vib=True to prune")
        if self.gates is not None:
            self.gates.enabled = pruned
        try:
            states = self.encoder(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                token_type_ids=batch["token_type_ids"],
            ).last_hidden_state
        finally:
            if self.gates is not None:
                self.gates.enabled = False
        mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
        aspect = (batch["token_type_ids"].unsqueeze(-1) * mask).to(states.dtype)
        mean_all = (states * mask).sum(1) / mask.sum(1).clamp_min(1)
        mean_aspect = (states * aspect).sum(1) / aspect.sum(1).clamp_min(1)
        return torch.cat([mean_all, mean_aspect], dim=-1)

    def forward(
        self, examples: list[AbsaExample] | dict[str, Tensor], pruned: bool = False
    ) -> tuple[Tensor, Tensor]:
        batch = self.tokenize(examples) if isinstance(examples, list) else examples
        rep = self.represent(batch, pruned=pruned)
        return self.head(self.dropout(rep)), rep

    @torch.no_grad()
    def predict(
        self, examples: list[AbsaExample], batch_size: int = 64, pruned: bool = False
    ) -> list[int]:
        """Predicted label (0 negative, 1 neutral, 2 positive) of each example."""
        was_training = self.training
        self.eval()
        out: list[int] = []
        for i in range(0, len(examples), batch_size):
            logits, _ = self(examples[i : i + batch_size], pruned=pruned)
            out.extend(logits.argmax(-1).tolist())
        self.train(was_training)
        return out


KIND = "text.cvib"
CITATION = """@misc{cvib,
  title = {Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with Variational
           Information Bottleneck and Contrastive Learning}
}"""


def save_absa_model(model: AspectSentimentModel, folder: str | Path, **meta: Any) -> Path:
    """Save ``model`` as an :mod:`rl_shared.artifacts` folder (kind ``text.cvib``).

    ``model.safetensors`` holds the head (``head.*``) and the VIB gates (``gates.*``);
    ``encoder/`` is the fine-tuned encoder as a SentenceTransformer folder; ``config.json``
    records ``vib``, ``max_length`` and ``meta`` (method, training configuration).

    Args:
        model: a trained :class:`AspectSentimentModel`.
        folder: the model folder (replaced atomically when it exists).
        **meta: JSON-serialisable facts kept in the configuration.

    Example:
        >>> import tempfile
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = AspectSentimentModel(load_sentence_transformer("minilm"), vib=True)
        >>> folder = save_absa_model(model, tempfile.mkdtemp() + "/model", method="cvib")
        >>> sorted(p.name for p in folder.iterdir() if p.name != "README.md")
        ['config.json', 'encoder', 'model.safetensors']
    """
    from rl_shared.artifacts import save_model

    tensors = {f"head.{k}": v for k, v in model.head.state_dict().items()}
    if model.gates is not None:
        tensors.update({f"gates.{k}": v for k, v in model.gates.state_dict().items()})
    config = {
        "vib": model.gates is not None,
        "max_length": model.max_length,
        "labels": list(LABELS),
        **meta,
    }
    return save_model(
        folder,
        kind=KIND,
        config=config,
        tensors=tensors,
        citation=CITATION,
        summary="Aspect sentiment classifier (sentence [SEP] aspect) on a sentence encoder"
        + (", with CVIB's VIB gates." if model.gates is not None else "."),
        write=lambda tmp: model.st.save(str(tmp / "encoder")),
    )


def load_absa_model(folder: str | Path) -> AspectSentimentModel:
    """Load a folder written by :func:`save_absa_model`.

    Args:
        folder: the model folder (``config.json``, ``model.safetensors``, ``encoder/``).

    Returns:
        the model in eval mode, with its head, gates (when it has them) and encoder.

    Raises:
        ModelNotFound: the folder is not a saved model (or lacks its ``encoder/``).
        BadInput: the folder holds another kind of model.

    Example:
        >>> import tempfile
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_text.cvib.data import AbsaExample
        >>> model = AspectSentimentModel(load_sentence_transformer("minilm"), max_length=32)
        >>> folder = save_absa_model(model, tempfile.mkdtemp() + "/model")
        >>> again = load_absa_model(folder)
        >>> ex = [AbsaExample("Slow service .", "service", 0, 5)]
        >>> again.max_length, again.gates is None, again.predict(ex) == model.predict(ex)
        (32, True, True)
    """
    from rl_shared.artifacts import CONFIG, load_model
    from rl_shared.models import load_sentence_transformer

    folder = Path(folder)
    try:
        art = load_model(folder, kind=KIND)
    except ModelNotFound as err:
        raise ModelNotFound(
            f"{err}; a CVIB / fine-tuned aspect model is made by `rl text cvib train --out OUT` "
            "(pass OUT/model)"
        ) from None
    if not (folder / "encoder").is_dir():
        raise ModelNotFound(f"{folder} lacks its encoder/ folder; train the model again")
    meta = art.config
    vib, max_length = meta.get("vib"), meta.get("max_length")
    if not isinstance(vib, bool) or not isinstance(max_length, int) or max_length < 1:
        raise MalformedFile(
            folder / CONFIG, None, "'vib' must be true or false and 'max_length' a positive integer"
        )
    st = load_sentence_transformer(folder / "encoder")
    model = AspectSentimentModel(st, vib=vib, max_length=max_length)
    tensors = art.tensors
    try:
        model.head.load_state_dict({k[5:]: v for k, v in tensors.items() if k.startswith("head.")})
        if model.gates is not None:
            model.gates.load_state_dict(
                {k[6:]: v for k, v in tensors.items() if k.startswith("gates.")}
            )
    except RuntimeError as err:
        first = str(err).splitlines()[0]
        raise BadInput(f"the weights in {folder} do not fit its encoder: {first}") from None
    model.eval()
    return model
