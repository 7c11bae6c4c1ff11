"""cMIM: contrastive Mutual Information Machine (Livne, arXiv:2411.10548).

The paper folder of rl-shared: :class:`MIMAutoencoder` (the encoder-decoder with the
"informative embedding"), the MIM and cMIM objectives, their training loop
(:func:`train_mim`, on any device through accelerate), and the ``shared.cmim`` reproduction
(linear probes over batch sizes on scikit-learn's digits). Members that apply cMIM to their
data (rl-chem's SMILES model) import the components from here.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "MIMAutoencoder": "rl_shared.cmim.model",
    "CMIMLoss": "rl_shared.cmim.losses",
    "cmim_contrastive": "rl_shared.cmim.losses",
    "mim_loss": "rl_shared.cmim.losses",
    "train_mim": "rl_shared.cmim.train",
}
__all__ = ["CMIMLoss", "MIMAutoencoder", "cmim_contrastive", "mim_loss", "train_mim"]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
