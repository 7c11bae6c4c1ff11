"""cMIM on molecules: SMILES encoder-decoders trained with MIM, cMIM or InfoNCE (arXiv:2411.10548).

:class:`SmilesMIM` is a GRU encoder-decoder over SMILES tokens; :func:`train_smiles_model`
trains it with one of the three objectives; :func:`probe_rmse` scores its frozen
"informative" embeddings with a ridge probe (ESOL, FreeSolv). The fixed-size MIM/cMIM
components are :mod:`rl_shared.cmim`'s. Commands: ``rl chem cmim train|evaluate``;
reproduction ``chem.cmim``.

Example:
    >>> from rl_chem.cmim import Vocab
    >>> len(Vocab.build(["CCO"]))
    6
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "SmilesMIM": "rl_chem.cmim.model",
    "Vocab": "rl_chem.cmim.model",
    "randomize_smiles": "rl_chem.cmim.model",
    "smiles_cmim_term": "rl_chem.cmim.losses",
    "smiles_mim_loss": "rl_chem.cmim.losses",
    "embed_smiles": "rl_chem.cmim.train",
    "load_smiles_model": "rl_chem.cmim.train",
    "probe_rmse": "rl_chem.cmim.train",
    "save_smiles_model": "rl_chem.cmim.train",
    "train_smiles_model": "rl_chem.cmim.train",
    "MOLECULES": "rl_chem.cmim.data",
    "read_smiles_csv": "rl_chem.cmim.data",
}
__all__ = [
    "MOLECULES",
    "SmilesMIM",
    "Vocab",
    "embed_smiles",
    "load_smiles_model",
    "probe_rmse",
    "randomize_smiles",
    "read_smiles_csv",
    "save_smiles_model",
    "smiles_cmim_term",
    "smiles_mim_loss",
    "train_smiles_model",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
