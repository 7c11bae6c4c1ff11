"""CVIB: aspect-based sentiment (SemEval-2014) by fine-tuning or VIB self-pruning + contrastive.

| module | what |
|---|---|
| :mod:`rl_text.cvib.data` | ``.seg`` and SemEval XML loaders, the disagreeing-aspect split |
| :mod:`rl_text.cvib.vib` | VIB gates over attention heads and feed-forward units |
| :mod:`rl_text.cvib.losses` | self-pruning contrastive loss (zero at identical representations) |
| :mod:`rl_text.cvib.model` | encoder + aspect representation + head; save / load |
| :mod:`rl_text.cvib.train` | fine-tune / CVIB training, accuracy and macro-F1 |
| :mod:`rl_text.cvib.cli` | ``rl text cvib train|evaluate`` |
| :mod:`rl_text.cvib.reproduction` | the ``text.cvib`` reproduction |

References:
    "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with Variational
    Information Bottleneck and Contrastive Learning" (CVIB); Dai et al., "Compressing Neural
    Networks using the Variational Information Bottleneck", arXiv:1802.10399.

Example:
    >>> from rl_text.cvib import accuracy_macro_f1
    >>> accuracy_macro_f1([0, 1, 2], [0, 1, 1])["accuracy"]
    0.6667
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "LABELS": "rl_text.cvib.data",
    "AbsaExample": "rl_text.cvib.data",
    "disagreeing_subset": "rl_text.cvib.data",
    "load_absa": "rl_text.cvib.data",
    "load_absa_data": "rl_text.cvib.data",
    "load_seg": "rl_text.cvib.data",
    "load_semeval14": "rl_text.cvib.data",
    "load_xml": "rl_text.cvib.data",
    "self_pruning_contrastive_loss": "rl_text.cvib.losses",
    "AspectSentimentModel": "rl_text.cvib.model",
    "load_absa_model": "rl_text.cvib.model",
    "save_absa_model": "rl_text.cvib.model",
    "AbsaTrainConfig": "rl_text.cvib.train",
    "accuracy_macro_f1": "rl_text.cvib.train",
    "evaluate_absa": "rl_text.cvib.train",
    "train_absa": "rl_text.cvib.train",
    "EncoderGates": "rl_text.cvib.vib",
    "VIBGate": "rl_text.cvib.vib",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "LABELS",
    "AbsaExample",
    "AbsaTrainConfig",
    "AspectSentimentModel",
    "EncoderGates",
    "VIBGate",
    "accuracy_macro_f1",
    "disagreeing_subset",
    "evaluate_absa",
    "load_absa",
    "load_absa_data",
    "load_absa_model",
    "load_seg",
    "load_semeval14",
    "load_xml",
    "save_absa_model",
    "self_pruning_contrastive_loss",
    "train_absa",
]
