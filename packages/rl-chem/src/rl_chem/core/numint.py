"""PySCF numerical integrator whose XC energy comes from a torch module, potentials by autograd.

Why a ``NumInt`` replacement rather than ``libxc.define_xc_``: ``define_xc_`` expects
libxc-format derivatives (with respect to sigma = |grad n|^2, three components for spin)
and keeps the libxc string in ``mf.xc``; a ``NumInt`` subclass receives PySCF's
"effective" density rows ``[n, grad n, tau]`` directly, so autograd of one scalar gives
exactly the ``vxc`` (and ``fxc`` by double backward) PySCF contracts with the AO
products, the torch module (and its device/dtype) travels with the mean-field object, and
``mf.xc`` can name the functional. DM21 and Skala integrate the same way. Everything else
(``kernel()``, ``e_tot``, ``converged``, ``mo_energy``, DIIS, gradients of the SCF
machinery) is PySCF's own.

References:
    Luise et al. 2025, "Accurate and scalable exchange-correlation with deep learning"
    (Skala), arXiv:2506.14665.

Example:
    >>> from pyscf import gto
    >>> mol = gto.M(atom="He 0 0 0", basis="sto-3g", verbose=0)
    >>> mf = RKS(mol, xc="lda")
    >>> round(float(mf.kernel()), 5), mf.converged
    (-2.77147, True)
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import torch
from pyscf import dft, lib
from pyscf.dft import libxc as _libxc
from pyscf.dft import numint as _numint

from rl_chem.core.functionals import LDA, PBE, R2SCAN, XCFunctional
from rl_shared.errors import RLError
from rl_shared.runtime import threads

__all__ = ["RKS", "UKS", "DerivativeNotAvailable", "TorchNumInt", "eval_xc_torch", "get_functional"]

_NVAR = {"LDA": 1, "GGA": 4, "MGGA": 5}
REFERENCE: dict[str, type[LDA] | type[PBE] | type[R2SCAN]] = {
    "lda": LDA,
    "pbe": PBE,
    "r2scan": R2SCAN,
}


def get_functional(xc: str | XCFunctional) -> XCFunctional:
    """The torch functional named by ``xc``: "lda", "pbe", "r2scan", a module, or a model folder.

    Args:
        xc: a reference name (case-insensitive), an :class:`XCFunctional`, or the path of a
            saved neural-functional model folder (see :mod:`rl_chem.skala.model`).

    Example:
        >>> get_functional("PBE").name
        'pbe'
    """
    if isinstance(xc, XCFunctional):
        return xc
    key = str(xc).strip().lower()
    if key in REFERENCE:
        return REFERENCE[key]().double()
    from pathlib import Path

    from rl_shared.errors import UnknownName

    if Path(str(xc)).exists():
        from rl_chem.skala.model import load_functional

        return load_functional(xc)
    raise UnknownName("functional", str(xc), [*REFERENCE, "<saved model folder>"])


def eval_xc_torch(
    functional: XCFunctional,
    rho: np.ndarray,
    spin: int,
    deriv: int = 1,
    device: torch.device | None = None,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Energy per particle and its first/second derivatives in PySCF's ``eval_xc_eff`` layout.

    The density rows are moved to ``device`` (where the functional's weights are), the
    functional and its autograd derivatives run there, and the results come back as NumPy
    float64 arrays for PySCF.

    Args:
        functional: the torch XC functional.
        rho: PySCF density rows; restricted ``(nvar, N)`` (or ``(N,)`` for LDA) of the
            total density, unrestricted ``(2, nvar, N)``.
        spin: 0 restricted, 1 unrestricted.
        deriv: 0, 1 or 2.
        device: where to evaluate; default the device of the functional's weights (the CPU
            for the parameter-free reference functionals).

    Shapes:
        returns ``exc (N,)``, ``vxc`` like ``rho`` with a leading nvar axis, ``fxc``
        ``(nvar, nvar, N)`` or ``(2, nvar, 2, nvar, N)``.

    Example:
        Restricted LDA at a uniform density of 1 bohr^-3 on two points:

        >>> exc, vxc, fxc = eval_xc_torch(get_functional("lda"), np.full((1, 2), 1.0), spin=0)
        >>> round(float(exc[0]), 6), vxc.shape, fxc is None
        (-0.809759, (1, 2), True)
        >>> _, vxc, fxc = eval_xc_torch(get_functional("pbe"), np.full((4, 3), 0.5), 0, deriv=2)
        >>> vxc.shape, fxc.shape
        ((4, 3), (4, 4, 3))
    """
    nvar = _NVAR[functional.xctype]
    r = np.asarray(rho, dtype=np.float64)
    if spin == 0:
        r = r.reshape(1, -1, r.shape[-1])
    else:
        r = r.reshape(2, -1, r.shape[-1])
    if functional.xctype == "MGGA" and r.shape[1] == 6:  # drop the Laplacian row
        r = r[:, [0, 1, 2, 3, 5]]
    r = r[:, :nvar]
    n_grid = r.shape[-1]
    first = next(functional.parameters(), torch.empty(0, dtype=torch.float64))
    dtype, device = first.dtype, device if device is not None else first.device
    x = torch.tensor(r, dtype=dtype, device=device).requires_grad_(deriv > 0)
    full = torch.zeros(2, 5, n_grid, dtype=dtype, device=device)
    if spin == 0:
        full = full + torch.cat([0.5 * x[0], full[0, nvar:]]).expand(2, 5, n_grid)
    else:
        full = torch.cat([x, full[:, nvar:]], dim=1)
    with torch.set_grad_enabled(deriv > 0):
        e = functional(full)
    n_tot = r[:, 0].sum(0)
    e_np = e.detach().cpu().double().numpy()
    exc = np.where(n_tot > 1e-300, e_np / np.where(n_tot > 1e-300, n_tot, 1.0), 0.0)
    if deriv == 0:
        return exc, None, None
    (v,) = torch.autograd.grad(e.sum(), x, create_graph=deriv > 1)
    vxc = v.detach().cpu().double().numpy()
    fxc = None
    if deriv > 1:
        ns = x.shape[0]
        rows = []
        for s in range(ns):
            for k in range(nvar):
                (h,) = torch.autograd.grad(v[s, k].sum(), x, retain_graph=True, allow_unused=True)
                rows.append(torch.zeros_like(x) if h is None else h)
        hess = torch.stack(rows).reshape(ns, nvar, ns, nvar, n_grid)
        fxc = hess.detach().cpu().double().numpy()
        if spin == 0:
            fxc = fxc[0, :, 0]
    if spin == 0:
        vxc = vxc[0]
    return exc, vxc, fxc


class DerivativeNotAvailable(RLError, NotImplementedError):
    """A derivative order or evaluation path the torch functionals do not provide.

    It is also a ``NotImplementedError``, the type PySCF's own ``NumInt`` raises for an
    unsupported derivative order, so PySCF code that catches that keeps working.

    Example:
        >>> ni = TorchNumInt(get_functional("lda"))
        >>> try:
        ...     ni.eval_xc_eff("lda", np.ones((1, 3)), deriv=3)
        ... except NotImplementedError as err:
        ...     print(type(err).__name__)
        DerivativeNotAvailable
    """


class _LibxcProxy(types.SimpleNamespace):
    """Stands in for ``pyscf.dft.libxc`` so PySCF's queries on ``mf.xc`` see a pure functional."""

    def __init__(self, functional: XCFunctional, num_threads: int = 1) -> None:
        super().__init__()
        self.num_threads = num_threads
        self._functional = functional

    def __getattr__(self, name: str) -> Any:
        return getattr(_libxc, name)

    def is_hybrid_xc(self, xc_code: Any) -> bool:
        return False

    def is_nlc(self, xc_code: Any) -> bool:
        return False

    def xc_type(self, xc_code: Any) -> str:
        return self._functional.xctype

    def hybrid_coeff(self, xc_code: Any, spin: int = 0) -> float:
        return 0.0

    def rsh_coeff(self, xc_code: Any) -> tuple[float, float, float]:
        return (0.0, 0.0, 0.0)

    def nlc_coeff(self, xc_code: Any) -> tuple:
        return ()

    def is_gga(self, xc_code: Any) -> bool:
        return self._functional.xctype == "GGA"

    def is_meta_gga(self, xc_code: Any) -> bool:
        return self._functional.xctype == "MGGA"

    def needs_laplacian(self, xc_code: Any) -> bool:
        return False

    def max_deriv_order(self, xc_code: Any) -> int:
        return 2

    def test_deriv_order(self, xc_code: Any, deriv: int, raise_error: bool = False) -> bool:
        if deriv > 2 and raise_error:
            raise DerivativeNotAvailable(
                f"torch functionals provide derivatives up to order 2, not {deriv}"
            )
        return deriv <= 2

    def xc_reference(self, xc_code: Any) -> list[str]:
        return [f"rl_chem torch functional {self._functional.name}"]


class TorchNumInt(_numint.NumInt):
    """``pyscf.dft.numint.NumInt`` whose ``eval_xc_eff`` evaluates a torch functional.

    Args:
        functional: the torch module (see :class:`rl_chem.core.functionals.XCFunctional`).
        num_threads: torch threads per grid block; PySCF's blocks are small, so one thread
            avoids oversubscribing the cores PySCF's own OpenMP loops use.
        device: where the functional is evaluated (each block's density rows are moved
            there, the results back to NumPy); ``None`` keeps the functional where it is.
            A functional on another device is copied there, the caller's is left alone.

    Example:
        >>> ni = TorchNumInt(get_functional("pbe"))
        >>> ni._xc_type("anything"), ni.device.type
        ('GGA', 'cpu')
    """

    def __init__(self, functional: XCFunctional, num_threads: int = 1, device: Any = None) -> None:
        super().__init__()
        self.num_threads = num_threads
        first = next(functional.parameters(), None)
        here = first.device if first is not None else torch.device("cpu")
        self.device = torch.device(device) if device is not None else here
        if first is not None and self.device != here:
            import copy

            functional = copy.deepcopy(functional).to(self.device)
        self.functional = functional
        self.libxc = _LibxcProxy(functional)

    def eval_xc_eff(self, xc_code, rho, deriv=1, omega=None, xctype=None, verbose=None, spin=None):
        rho = np.asarray(rho)
        if spin is None:
            nd = 2 if self.functional.xctype == "LDA" else 3
            spin = int(rho.ndim == nd and rho.shape[0] == 2)
        if deriv > 2:
            raise DerivativeNotAvailable(
                f"torch functionals provide derivatives up to order 2, not {deriv}"
            )
        with threads(self.num_threads):
            exc, vxc, fxc = eval_xc_torch(self.functional, rho, spin, deriv, self.device)
        return [exc, vxc, fxc, None]

    def eval_xc(self, xc_code, rho, spin=0, relativity=0, deriv=1, omega=None, verbose=None):
        raise DerivativeNotAvailable(
            "torch functionals are evaluated through eval_xc_eff (PySCF >= 2.2), not the older eval_xc"
        )


# A non-hybrid libxc name for PySCF's own look-ups that parse ``xc`` (the auxiliary basis
# table): torch functionals have no exact exchange, so what PySCF picks for any semi-local
# functional (the J-fit basis) is what it would pick for them.
_SEMILOCAL_XC = "PBE"


class _TorchKS:
    """Mixin of the mean-field classes :func:`RKS`/:func:`UKS` return.

    ``mf.xc`` names a torch functional (``"torch:pbe"``) that libxc cannot parse, so the
    PySCF methods that parse it are overridden here; the rest is PySCF's own.
    """

    def density_fit(self, auxbasis: Any = None, with_df: Any = None, only_dfj: bool = False):
        """Density-fitted copy, choosing the default auxiliary basis as for a semi-local xc.

        Args:
            auxbasis: as in PySCF's ``density_fit``; ``None`` takes PySCF's default for a
                semi-local functional in the orbital basis (J-fit, or even-tempered).
            with_df: a prebuilt ``pyscf.df.DF`` object (``auxbasis`` is then ignored).
            only_dfj: fit the Coulomb matrix only.

        Returns:
            a PySCF density-fitting mean-field object that still evaluates the torch functional.

        Example:
            >>> from pyscf import gto
            >>> mol = gto.M(atom="H 0 0 0; H 0 0 0.74", basis="def2-svp", verbose=0)
            >>> mf = RKS(mol, xc="pbe").density_fit()
            >>> mf.with_df.auxbasis, mf.xc, type(mf).__name__
            ('def2-universal-jfit', 'torch:pbe', 'DFRKS')
        """
        if with_df is None:
            from pyscf import df
            from pyscf.df.addons import predefined_auxbasis

            mol = self.mol  # type: ignore[attr-defined]
            if auxbasis is None and isinstance(mol.basis, str):
                auxbasis = predefined_auxbasis(mol, mol.basis, _SEMILOCAL_XC)
            with_df = df.DF(mol, auxbasis)
            with_df.max_memory = self.max_memory  # type: ignore[attr-defined]
            with_df.stdout = self.stdout  # type: ignore[attr-defined]
            with_df.verbose = self.verbose  # type: ignore[attr-defined]
        parent: Any = super()  # the PySCF class this mixin is combined with
        return parent.density_fit(with_df=with_df, only_dfj=only_dfj)


def _attach(mf, functional: XCFunctional, device: Any = None):
    mf._numint = TorchNumInt(functional, device=device)
    mf.xc = f"torch:{functional.name}"
    mf.nlc = ""
    cls = type(mf)
    return lib.set_class(mf, (_TorchKS, cls), name=cls.__name__)


def RKS(mol, xc: str | XCFunctional = "pbe", device: Any = None, **kwargs):
    """Restricted Kohn-Sham with a torch XC functional: a ``pyscf.dft.RKS`` object.

    Args:
        mol: a ``pyscf.gto.Mole``.
        xc: "lda", "pbe", "r2scan", an :class:`XCFunctional` or a saved model folder.
        device: where the functional is evaluated (see :class:`TorchNumInt`).
        **kwargs: set as attributes of the mean-field object (``conv_tol=1e-9``, ...).

    Example:
        >>> from pyscf import gto
        >>> mf = RKS(gto.M(atom="H 0 0 0; H 0 0 0.74", basis="sto-3g", verbose=0), xc="pbe")
        >>> mf.xc, round(float(mf.kernel()), 4)
        ('torch:pbe', -1.1521)
    """
    mf = _attach(dft.RKS(mol), get_functional(xc), device)
    for k, v in kwargs.items():
        setattr(mf, k, v)
    return mf


def UKS(mol, xc: str | XCFunctional = "pbe", device: Any = None, **kwargs):
    """Unrestricted Kohn-Sham with a torch XC functional: a ``pyscf.dft.UKS`` object.

    Args:
        mol: a ``pyscf.gto.Mole`` (``spin`` = N_alpha - N_beta).
        xc: as in :func:`RKS`.
        device: as in :func:`RKS`.
        **kwargs: set as attributes of the mean-field object.

    Example:
        >>> from pyscf import gto
        >>> mf = UKS(gto.M(atom="H 0 0 0", basis="sto-3g", spin=1, verbose=0), xc="lda")
        >>> round(float(mf.kernel()), 5)
        -0.43572
    """
    mf = _attach(dft.UKS(mol), get_functional(xc), device)
    for k, v in kwargs.items():
        setattr(mf, k, v)
    return mf
