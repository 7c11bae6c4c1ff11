"""A Skala-style neural exchange-correlation functional with cheap exact constraints.

The XC energy density is a reference functional's (PBE or r2SCAN) times learned
enhancement factors of local meta-GGA features:

* exchange, per spin channel by exact spin scaling ``E_x[n_a, n_b] = (E_x[2n_a] + E_x[2n_b])/2``:
  ``F_x = F_x^ref(s, alpha) (1 + c tanh(q h_x(s, alpha)))`` -- it depends only on the
  scale-invariant s and alpha, so exchange keeps its uniform coordinate scaling;
* correlation: ``e_c = e_c^ref (1 + c tanh(q h_c(s, alpha, rs, zeta^2)))``, symmetric under
  spin swap,

with ``q = x_s + x_alpha^2`` built from ``x_s = s^2/(1+s^2)`` and
``x_alpha = (alpha-1)/(alpha+1)``, which vanishes only for a uniform density: both factors
are exactly 1 there (the LSDA limit is kept, whatever the weights); ``1 + c tanh`` with
``c < 1`` keeps exchange and correlation energies non-positive and bounds the enhancement
(a Lieb-Oxford-style cap). The last layers start at zero, so an untrained model *is* the
reference functional. Skala's coarse-grid non-local interaction is not included.

References:
    Luise et al. 2025, "Accurate and scalable exchange-correlation with deep learning",
    arXiv:2506.14665.
    Kasim & Vinko 2021, "Learning the exchange-correlation functional from nature with fully
    differentiable density functional theory", arXiv:2102.04229.

Example:
    >>> import torch
    >>> model = NeuralXC(base="pbe")
    >>> rho = torch.rand(2, 5, 4, dtype=torch.float64) + 0.1
    >>> bool(torch.allclose(model(rho), PBE()(rho)))  # zero-initialised: equals PBE
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import torch
from torch import Tensor, nn

from rl_chem.core.functionals import (
    _CX,
    _TAU_UNIF,
    DENS_THRESHOLD,
    PBE,
    R2SCAN,
    XCFunctional,
    _opz,
    _pbe_fx,
    _r2scan_fx,
    _rs,
    _s2,
    spin_features,
)
from rl_shared.errors import BadInput, MalformedFile, ModelNotFound

__all__ = ["NeuralXC", "load_functional", "save_functional"]

_BASES: dict[str, tuple[type[PBE] | type[R2SCAN], Callable[[Tensor, Tensor, Tensor], Tensor]]] = {
    "pbe": (PBE, _pbe_fx),
    "r2scan": (R2SCAN, _r2scan_fx),
}


def _mlp(n_in: int, hidden: int, layers: int) -> nn.Sequential:
    mods: list[nn.Module] = []
    width = n_in
    for _ in range(layers):
        mods += [nn.Linear(width, hidden), nn.SiLU()]
        width = hidden
    last = nn.Linear(width, 1)
    nn.init.zeros_(last.weight)
    nn.init.zeros_(last.bias)
    return nn.Sequential(*mods, last)


def _alpha_feature(tau: Tensor, n: Tensor, sigma: Tensor, ds: Tensor | float = 1.0) -> Tensor:
    """(alpha - 1)/(alpha + 1) in [-1, 1): 0 for the uniform gas, -1 for one orbital."""
    tw = sigma / (8.0 * n)
    tu = _TAU_UNIF * n ** (5.0 / 3.0) * ds
    alpha = ((tau - tw) / tu).clamp_min(0.0)
    return (alpha - 1.0) / (alpha + 1.0)


class NeuralXC(XCFunctional):
    """Neural meta-GGA XC functional: a reference functional times constrained enhancements.

    Args:
        base: reference functional it starts from, "pbe" or "r2scan".
        hidden: width of the two small MLPs.
        layers: hidden layers per MLP.
        scale: ``c`` in ``1 + c tanh(.)``, the largest relative change allowed (< 1).

    Shapes:
        rho: ``(2, 5, N)`` spin-resolved rows (see :class:`XCFunctional`); returns ``(N,)``.

    References:
        Skala, "Accurate and scalable exchange-correlation with deep learning", arXiv:2506.14665.

    Example:
        >>> NeuralXC(hidden=8).config()["hidden"]
        8
    """

    xctype = "MGGA"

    def __init__(
        self, base: str = "pbe", hidden: int = 32, layers: int = 2, scale: float = 0.5
    ) -> None:
        super().__init__()
        if base not in _BASES:
            raise BadInput(f"base must be one of {sorted(_BASES)}, got {base!r}")
        if not 0.0 < scale < 1.0:
            raise BadInput(f"scale must lie in (0, 1) to keep energies negative, got {scale}")
        self.base, self.hidden, self.layers, self.scale = base, hidden, layers, scale
        self.name = f"neural-{base}"
        self._ref: PBE | R2SCAN = _BASES[base][0]()
        self._ref_fx = _BASES[base][1]
        self.net_x = _mlp(2, hidden, layers)
        self.net_c = _mlp(4, hidden, layers)
        self.double()

    def config(self) -> dict[str, Any]:
        """The constructor arguments, JSON-serialisable."""
        return {
            "kind": "NeuralXC",
            "base": self.base,
            "hidden": self.hidden,
            "layers": self.layers,
            "scale": self.scale,
        }

    def _enh(self, net: nn.Module, feats: Tensor) -> Tensor:
        """``1 + c tanh(q h(x))`` with ``q = x0 + x1^2``, zero exactly at the uniform gas.

        ``x0 = s^2/(1+s^2)`` and ``x1 = (alpha-1)/(alpha+1)`` both vanish for a uniform
        density, so the factor is 1 there whatever the weights.
        """
        q = feats[..., 0] + feats[..., 1] ** 2
        return 1.0 + self.scale * torch.tanh(q * net(feats).squeeze(-1))

    def precompute(self, rho: Tensor) -> dict[str, Tensor]:
        """Everything that does not depend on the weights: reference energies and features.

        Shapes:
            rho: ``(2, 5, N)``; returns ``ex (2, N)``, ``fx (2, N, 2)``, ``ec (N,)``,
            ``fc (N, 4)``, ``mask (N,)``.
        """
        f = spin_features(rho)
        ex, fx = [], []
        for s in range(2):
            ns = rho[s, 0]
            m = ns > 0.5 * DENS_THRESHOLD
            n2 = torch.where(m, 2.0 * ns, torch.ones_like(ns))
            g = rho[s, 1:4]
            sig2 = 4.0 * (g * g).sum(0)
            tau2 = 2.0 * rho[s, 4]
            s2 = _s2(n2, sig2)
            e = 0.5 * _CX * n2 ** (4.0 / 3.0) * self._ref_fx(n2, sig2, tau2)
            ex.append(torch.where(m, e, torch.zeros_like(e)))
            fx.append(torch.stack([s2 / (1.0 + s2), _alpha_feature(tau2, n2, sig2)], -1))
        n, zeta, sigma = f["n"], f["zeta"], f["sigma"]
        s2 = _s2(n, sigma)
        ds = 0.5 * (_opz(zeta, 5.0 / 3.0) + _opz(-zeta, 5.0 / 3.0))
        fc = torch.stack(
            [
                s2 / (1.0 + s2),
                _alpha_feature(f["tau"], n, sigma, ds),
                torch.log1p(_rs(n)) / math.log(11.0),
                zeta * zeta,
            ],
            -1,
        )
        ec = torch.where(f["mask"], self._ref.correlation(f), torch.zeros_like(n))
        return {"ex": torch.stack(ex), "fx": torch.stack(fx), "ec": ec, "fc": fc}

    def energy_density(self, pre: dict[str, Tensor]) -> Tensor:
        """XC energy per volume from :meth:`precompute` output (the only weight-dependent part)."""
        ex = (pre["ex"] * self._enh(self.net_x, pre["fx"])).sum(0)
        return ex + pre["ec"] * self._enh(self.net_c, pre["fc"])

    def exchange(self, rho: Tensor) -> Tensor:
        """Exchange energy per volume alone (``(N,)``), for checking exact spin scaling."""
        pre = self.precompute(rho)
        return (pre["ex"] * self._enh(self.net_x, pre["fx"])).sum(0)

    def forward(self, rho: Tensor) -> Tensor:
        return self.energy_density(self.precompute(rho))


KIND = "chem.skala.neural-xc"
CITATION = """@article{luise2025skala,
  title   = {Accurate and scalable exchange-correlation with deep learning},
  author  = {Luise, Giulia and others},
  journal = {arXiv preprint arXiv:2506.14665},
  year    = {2025}
}"""


def save_functional(model: NeuralXC, path: str | Path, step: int = 0, **extra: Any) -> Path:
    """Write ``model`` as a model folder (:func:`rl_shared.artifacts.save_model`).

    Args:
        model: the functional.
        path: the folder (``OUT/model`` for a training run); an existing model is replaced.
        step: the training step the weights come from.
        **extra: more JSON-serialisable facts for the configuration (e.g. ``val_mae``).

    Example:
        >>> import tempfile
        >>> folder = save_functional(NeuralXC(hidden=4), tempfile.mkdtemp() + "/model")
        >>> load_functional(folder).hidden
        4
    """
    from rl_shared.artifacts import save_model

    config = {k: v for k, v in model.config().items() if k != "kind"}
    return save_model(
        path,
        kind=KIND,
        config={**config, "training": {"step": step, **extra}},
        tensors=model,
        citation=CITATION,
        summary=f"Skala-style neural meta-GGA XC functional over {model.base} for PySCF "
        "(`rl_chem.RKS(mol, xc=folder)`).",
    )


def load_functional(path: str | Path) -> NeuralXC:
    """Load a functional saved by :func:`save_functional`.

    Args:
        path: a model folder, or a training output folder holding ``model/``.

    Raises:
        ModelNotFound: neither ``path`` nor ``path/model`` is a saved model.
        BadInput: the folder holds another kind of model.

    Example:
        >>> import tempfile
        >>> out = tempfile.mkdtemp()
        >>> _ = save_functional(NeuralXC(base="r2scan", hidden=4), out + "/model")
        >>> f = load_functional(out)  # a training output folder: its model/ is read
        >>> f.base, f.hidden
        ('r2scan', 4)
    """
    from rl_shared.artifacts import CONFIG, load_model
    from rl_shared.io import read_json

    p = Path(path)
    if not p.exists():
        raise ModelNotFound(
            f"no saved functional at {path}; train one with `rl chem skala train --out DIR` "
            "and pass DIR/model"
        )
    if not (p / CONFIG).exists() and (p / "model" / CONFIG).exists():
        p = p / "model"
    if not p.is_dir() or not (p / CONFIG).exists():
        raise ModelNotFound(
            f"{path} holds no neural functional (expected {CONFIG} and model.safetensors); "
            "train one with `rl chem skala train --out DIR` and pass DIR/model"
        )
    read_json(p / CONFIG)  # a folder, an empty file, bytes that are not UTF-8: file and line
    art = load_model(p, kind=KIND)
    config = p / CONFIG
    args: dict[str, Any] = {}
    for key, kind in (("base", str), ("hidden", int), ("layers", int), ("scale", float)):
        value = art.config.get(key)
        ok = isinstance(value, kind) and not isinstance(value, bool)
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or (kind is int and isinstance(value, int) and value < 1):
            raise MalformedFile(
                config, None, f"config.{key} is {value!r}, not a valid {key} of NeuralXC"
            )
        args[key] = value
    try:
        model = NeuralXC(**args)
    except BadInput as err:
        raise MalformedFile(config, None, f"{err}") from None
    model = cast(NeuralXC, art.load_into(model))
    if not all(bool(torch.isfinite(t).all()) for t in model.state_dict().values()):
        raise BadInput(f"the weights in {p} hold NaN or infinity; retrain the functional")
    return model
