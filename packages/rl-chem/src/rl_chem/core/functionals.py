"""Reference exchange-correlation functionals written in torch: SPW92 LDA, PBE and r2SCAN.

Each functional maps spin-resolved meta-GGA features on grid points to the XC energy per
unit volume; :class:`rl_chem.core.numint.TorchNumInt` turns that into PySCF potentials by
autograd. The formulas and parameters follow libxc's Maple sources (``lda_c_pw`` with the
"modified" PW92 parameters, ``gga_x_pbe``/``gga_c_pbe``, ``mgga_x_r2scan``/``mgga_c_r2scan``)
so that SCF energies agree with PySCF+libxc to 1e-6 Eh.

References:
    Perdew & Wang 1992, "Accurate and simple analytic representation of the electron-gas
    correlation energy", PRB 45, 13244.
    Perdew, Burke & Ernzerhof 1996, "Generalized gradient approximation made simple", PRL 77, 3865.
    Furness, Kaplan, Ning, Perdew & Sun 2020, "Accurate and numerically efficient r2SCAN
    meta-generalized gradient approximation", J. Phys. Chem. Lett. 11, 8208, arXiv:2008.03374.

Example:
    >>> import torch
    >>> rho = torch.zeros(2, 5, 1, dtype=torch.float64)
    >>> rho[:, 0] = 0.5  # uniform, unpolarised: n = 1 bohr^-3
    >>> round(float(LDA()(rho)[0]), 6)  # Slater exchange + PW92 correlation, Eh / bohr^3
    -0.809759
"""

from __future__ import annotations

import abc
import math

import torch
from torch import Tensor, nn

__all__ = [
    "LDA",
    "PBE",
    "R2SCAN",
    "XCFunctional",
    "lda_exchange",
    "pw92_correlation",
    "spin_features",
]

DENS_THRESHOLD = 1e-14
ZETA_THRESHOLD = 1e-12
_CX = -0.75 * (3.0 / math.pi) ** (1.0 / 3.0)  # unpolarised Slater: e_x = _CX n^{4/3}
_KF = (3.0 * math.pi**2) ** (1.0 / 3.0)
_TAU_UNIF = 0.3 * (3.0 * math.pi**2) ** (2.0 / 3.0)  # tau_unif = _TAU_UNIF n^{5/3}
_GAMMA = (1.0 - math.log(2.0)) / math.pi**2
_BETA_PBE = 0.06672455060314922


class XCFunctional(nn.Module, metaclass=abc.ABCMeta):
    """Base class: a torch module from spin-resolved features to XC energy per volume.

    Subclasses set ``xctype`` ("LDA", "GGA" or "MGGA"), which tells PySCF which density
    derivatives to put on the grid, and implement ``forward``.

    Shapes:
        rho: ``(2, 5, N)`` rows ``[n_sigma, d/dx, d/dy, d/dz, tau_sigma]`` per spin, with
        ``tau = 1/2 sum_i |grad phi_i|^2`` (PySCF's convention); returns ``(N,)`` in Eh/bohr^3.

    Example:
        A Slater-exchange-only functional:

        >>> class Slater(XCFunctional):
        ...     xctype, name = "LDA", "slater"
        ...     def forward(self, rho):
        ...         return lda_exchange(rho[0, 0]) + lda_exchange(rho[1, 0])
        >>> rho = torch.zeros(2, 5, 1, dtype=torch.float64)
        >>> rho[:, 0] = 0.5
        >>> round(float(Slater()(rho)[0]), 6)
        -0.738559
    """

    xctype: str = "MGGA"
    name: str = "xc"

    @abc.abstractmethod
    def forward(self, rho: Tensor) -> Tensor:
        """Exchange-correlation energy density per grid point."""


def spin_features(rho: Tensor) -> dict[str, Tensor]:
    """Density, spin polarisation, gradients and kinetic-energy densities from ``rho``.

    Args:
        rho: spin-resolved rows, see :class:`XCFunctional`.

    Shapes:
        rho: ``(2, 5, N)``; every returned tensor is ``(N,)`` or ``(2, N)``.

    Returns a dict with ``n`` (clamped total), ``mask`` (total above threshold), ``na_nb``
    ``(2, N)``, ``zeta``, ``sigma_s`` ``(2, N)`` (|grad n_sigma|^2), ``sigma`` (|grad n|^2),
    ``tau_s`` ``(2, N)`` and ``tau``.

    Example:
        >>> rho = torch.zeros(2, 5, 2, dtype=torch.float64)
        >>> rho[0, 0], rho[1, 0] = 0.3, 0.1
        >>> f = spin_features(rho)
        >>> f["n"].tolist(), round(float(f["zeta"][0]), 6), tuple(f["sigma_s"].shape)
        ([0.4, 0.4], 0.5, (2, 2))
    """
    ns = rho[:, 0]
    n_raw = ns[0] + ns[1]
    mask = n_raw > DENS_THRESHOLD
    n = torch.where(mask, n_raw, torch.ones_like(n_raw))
    ns = torch.where(mask, ns, 0.5 * torch.ones_like(ns))
    zeta = ((ns[0] - ns[1]) / n).clamp(-1.0 + ZETA_THRESHOLD, 1.0 - ZETA_THRESHOLD)
    g = rho[:, 1:4]
    sigma_s = (g * g).sum(1)
    gt = g[0] + g[1]
    sigma = (gt * gt).sum(0)
    tau_s = rho[:, 4]
    return {
        "n": n,
        "mask": mask,
        "na_nb": ns,
        "zeta": zeta,
        "sigma_s": sigma_s,
        "sigma": sigma,
        "tau_s": tau_s,
        "tau": tau_s[0] + tau_s[1],
    }


def _opz(z: Tensor, p: float) -> Tensor:
    return (1.0 + z).clamp_min(ZETA_THRESHOLD) ** p


def _phi(z: Tensor) -> Tensor:
    return 0.5 * (_opz(z, 2.0 / 3.0) + _opz(-z, 2.0 / 3.0))


def _f_zeta(z: Tensor) -> Tensor:
    return (_opz(z, 4.0 / 3.0) + _opz(-z, 4.0 / 3.0) - 2.0) / (2.0 ** (4.0 / 3.0) - 2.0)


def lda_exchange(n_spin: Tensor) -> Tensor:
    """Slater exchange energy per volume of one spin channel, by spin scaling.

    Args:
        n_spin: spin density n_sigma (bohr^-3).

    Shapes:
        n_spin: any; returns the same shape: ``0.5 * e_x^unif(2 n_sigma)``.

    Example:
        >>> round(float(lda_exchange(torch.tensor(0.5, dtype=torch.float64))), 6)
        -0.369279
    """
    return 0.5 * _CX * (2.0 * n_spin.clamp_min(0.0)) ** (4.0 / 3.0)


# PW92 with libxc's "modified" parameters (used by PBE and r2SCAN), columns: ec0, ec1, -alpha_c
_PW_A = (0.0310907, 0.01554535, 0.0168869)
_PW_ALPHA1 = (0.21370, 0.20548, 0.11125)
_PW_BETA = (
    (7.5957, 3.5876, 1.6382, 0.49294),
    (14.1189, 6.1977, 3.3662, 0.62517),
    (10.357, 3.6231, 0.88026, 0.49671),
)
_PW_FZ20 = 1.709920934161365617563962776245


def _pw_g(k: int, rs: Tensor) -> tuple[Tensor, Tensor]:
    """PW92 G(rs) of column ``k`` and its derivative with respect to rs."""
    a, a1 = _PW_A[k], _PW_ALPHA1[k]
    b1, b2, b3, b4 = _PW_BETA[k]
    srs = rs.sqrt()
    q = b1 * srs + b2 * rs + b3 * rs * srs + b4 * rs * rs
    dq = 0.5 * b1 / srs + b2 + 1.5 * b3 * srs + 2.0 * b4 * rs
    log = torch.log1p(1.0 / (2.0 * a * q))
    g = -2.0 * a * (1.0 + a1 * rs) * log
    dg = -2.0 * a * a1 * log + (1.0 + a1 * rs) * dq / (q * q + q / (2.0 * a))
    return g, dg


def pw92_correlation(rs: Tensor, zeta: Tensor, with_drs: bool = False):
    """PW92 correlation energy per electron (and optionally its rs-derivative at fixed zeta).

    Args:
        rs: Wigner-Seitz radius (bohr).
        zeta: spin polarisation in (-1, 1).
        with_drs: also return d eps_c / d rs.

    Shapes:
        rs, zeta: ``(N,)``; returns ``(N,)`` (or a pair).

    References:
        Perdew & Wang 1992, PRB 45, 13244 (libxc's "modified" parameters).

    Example:
        >>> rs = torch.tensor([1.0, 2.0], dtype=torch.float64)
        >>> [round(v, 4) for v in pw92_correlation(rs, torch.zeros(2, dtype=torch.float64)).tolist()]
        [-0.0598, -0.0448]
    """
    g0, d0 = _pw_g(0, rs)
    g1, d1 = _pw_g(1, rs)
    g2, d2 = _pw_g(2, rs)
    fz = _f_zeta(zeta)
    z4 = zeta**4
    ec = g0 + z4 * fz * (g1 - g0 + g2 / _PW_FZ20) - fz * g2 / _PW_FZ20
    if not with_drs:
        return ec
    dec = d0 + z4 * fz * (d1 - d0 + d2 / _PW_FZ20) - fz * d2 / _PW_FZ20
    return ec, dec


def _rs(n: Tensor) -> Tensor:
    return (3.0 / (4.0 * math.pi * n)) ** (1.0 / 3.0)


def _spin_exchange(rho: Tensor, fx) -> Tensor:
    """Sum over spins of ``0.5 * e_x^LDA(2n_s) F_x(2n_s, 4 sigma_s, 2 tau_s)`` with masks."""
    out = torch.zeros_like(rho[0, 0])
    for s in range(2):
        ns = rho[s, 0]
        m = ns > 0.5 * DENS_THRESHOLD
        n2 = torch.where(m, 2.0 * ns, torch.ones_like(ns))
        g = rho[s, 1:4]
        sig2 = 4.0 * (g * g).sum(0)
        tau2 = 2.0 * rho[s, 4]
        ex = 0.5 * _CX * n2 ** (4.0 / 3.0) * fx(n2, sig2, tau2)
        out = out + torch.where(m, ex, torch.zeros_like(ex))
    return out


def _s2(n: Tensor, sigma: Tensor) -> Tensor:
    return sigma / (4.0 * _KF**2 * n ** (8.0 / 3.0))


class LDA(XCFunctional):
    """Local spin-density approximation: Slater exchange + PW92 correlation (libxc SPW92).

    Matches libxc's ``"LDA_X,LDA_C_PW_MOD"``.

    Shapes:
        - rho: (2, 5, N), spin-resolved rows ``[n_sigma, d/dx, d/dy, d/dz, tau_sigma]`` on
          ``N`` grid points (see :class:`XCFunctional`); only the spin densities
          ``rho[:, 0]`` are read
        - output: (N,), the XC energy per volume (Eh/bohr^3), zero where the total density
          is below threshold

    References:
        Perdew & Wang 1992, PRB 45, 13244.

    Example:
        >>> LDA().xctype
        'LDA'
    """

    xctype = "LDA"
    name = "lda"
    libxc_code = "LDA_X,LDA_C_PW_MOD"

    def forward(self, rho: Tensor) -> Tensor:
        f = spin_features(rho)
        ex = lda_exchange(f["na_nb"]).sum(0)
        ec = f["n"] * pw92_correlation(_rs(f["n"]), f["zeta"])
        return torch.where(f["mask"], ex + ec, torch.zeros_like(ex))


def _pbe_fx(n: Tensor, sigma: Tensor, tau: Tensor) -> Tensor:
    kappa, mu = 0.8040, 0.2195149727645171
    return 1.0 + kappa - kappa / (1.0 + mu * _s2(n, sigma) / kappa)


def _pbe_h(rs: Tensor, zeta: Tensor, t2: Tensor, ec_lda: Tensor) -> Tensor:
    phi3 = _phi(zeta) ** 3
    a = _BETA_PBE / (_GAMMA * torch.expm1(-ec_lda / (_GAMMA * phi3)))
    f1 = t2 + a * t2 * t2
    return _GAMMA * phi3 * torch.log1p(_BETA_PBE * f1 / (_GAMMA * (1.0 + a * f1)))


def _t2(n: Tensor, zeta: Tensor, sigma: Tensor) -> Tensor:
    ks2 = 4.0 * _KF * n ** (1.0 / 3.0) / math.pi
    return sigma / (4.0 * _phi(zeta) ** 2 * ks2 * n * n)


class PBE(XCFunctional):
    """PBE exchange and correlation, as libxc's ``"GGA_X_PBE,GGA_C_PBE"``.

    Shapes:
        - rho: (2, 5, N), spin-resolved rows ``[n_sigma, d/dx, d/dy, d/dz, tau_sigma]`` on
          ``N`` grid points (see :class:`XCFunctional`); the spin densities and their
          gradients ``rho[:, :4]`` are read
        - output: (N,), the XC energy per volume (Eh/bohr^3), zero where the total density
          is below threshold

    References:
        Perdew, Burke & Ernzerhof 1996, "Generalized gradient approximation made simple".

    Example:
        >>> PBE().xctype
        'GGA'
    """

    xctype = "GGA"
    name = "pbe"
    libxc_code = "PBE"

    def forward(self, rho: Tensor) -> Tensor:
        f = spin_features(rho)
        ex = _spin_exchange(rho, _pbe_fx)
        return torch.where(f["mask"], ex + self.correlation(f), torch.zeros_like(ex))

    @staticmethod
    def correlation(f: dict[str, Tensor]) -> Tensor:
        """PBE correlation energy per volume from :func:`spin_features` output."""
        n, zeta = f["n"], f["zeta"]
        rs = _rs(n)
        ec_lda = pw92_correlation(rs, zeta)
        return n * (ec_lda + _pbe_h(rs, zeta, _t2(n, zeta, f["sigma"]), ec_lda))


# r2SCAN switching-function coefficients c_0..c_7 (rSCAN SI)
_FX_C = (1.0, -0.667, -0.4445555, -0.663086601049, 1.451297044490, -0.887998041597,
         0.234528941479, -0.023185843322)  # fmt: skip
_FC_C = (1.0, -0.64, -0.4352, -1.535685604549, 3.061560252175, -1.915710236206,
         0.516884468372, -0.051848879792)  # fmt: skip
_ETA, _DP2 = 1e-3, 0.361
_K1, _H0X, _A1 = 0.065, 1.174, 4.9479
_MU_GE = 10.0 / 81.0


def _f_alpha(a: Tensor, coef: tuple[float, ...], c1: float, c2: float, d: float) -> Tensor:
    """r2SCAN interpolation f(alpha): exp branch (a<=0), polynomial (<=2.5), exp tail."""
    neg = torch.exp(-c1 * a.clamp_max(0.0) / (1.0 - a.clamp_max(0.0)))
    am = a.clamp(0.0, 2.5)
    poly = sum(c * am**i for i, c in enumerate(coef))
    al = a.clamp_min(2.5)
    big = -d * torch.exp(c2 / (1.0 - al))
    return torch.where(a <= 0.0, neg, torch.where(a <= 2.5, poly, big))


_C2X = -sum(i * c for i, c in enumerate(_FX_C)) * (1.0 - _H0X)  # sum_{i} i c_i; f(1) = 0
_DFC2 = sum(i * c for i, c in enumerate(_FC_C))


def _r2scan_fx(n: Tensor, sigma: Tensor, tau: Tensor) -> Tensor:
    n53 = n ** (5.0 / 3.0)
    tw = sigma / (8.0 * n)
    alpha = (tau - tw) / (_TAU_UNIF * n53 + _ETA * tw)
    p = _s2(n, sigma)
    cn = 20.0 / 27.0 + _ETA * 5.0 / 3.0
    x = (cn * _C2X * torch.exp(-p * p / _DP2**4) + _MU_GE) * p
    h1x = 1.0 + _K1 - _K1 / (1.0 + x / _K1)
    fa = _f_alpha(alpha, _FX_C, 0.667, 0.8, 1.24)
    gx = -torch.expm1(-_A1 / p.clamp_min(1e-30) ** 0.25)
    return (h1x + fa * (_H0X - h1x)) * gx


class R2SCAN(XCFunctional):
    """r2SCAN meta-GGA exchange and correlation, as libxc's ``"MGGA_X_R2SCAN,MGGA_C_R2SCAN"``.

    Shapes:
        - rho: (2, 5, N), spin-resolved rows ``[n_sigma, d/dx, d/dy, d/dz, tau_sigma]`` on
          ``N`` grid points (see :class:`XCFunctional`); every row is read
        - output: (N,), the XC energy per volume (Eh/bohr^3), zero where the total density
          is below threshold

    References:
        Furness et al. 2020, "Accurate and numerically efficient r2SCAN meta-generalized
        gradient approximation", arXiv:2008.03374.

    Example:
        >>> R2SCAN().xctype
        'MGGA'
    """

    xctype = "MGGA"
    name = "r2scan"
    libxc_code = "R2SCAN"

    def forward(self, rho: Tensor) -> Tensor:
        f = spin_features(rho)
        ex = _spin_exchange(rho, _r2scan_fx)
        return torch.where(f["mask"], ex + self.correlation(f), torch.zeros_like(ex))

    @staticmethod
    def correlation(f: dict[str, Tensor]) -> Tensor:
        """r2SCAN correlation energy per volume from :func:`spin_features` output."""
        n, zeta, sigma = f["n"], f["zeta"], f["sigma"]
        rs = _rs(n)
        s2 = _s2(n, sigma)
        phi3 = _phi(zeta) ** 3
        ds = 0.5 * (_opz(zeta, 5.0 / 3.0) + _opz(-zeta, 5.0 / 3.0))
        tw = sigma / (8.0 * n)
        alpha = (f["tau"] - tw) / (_TAU_UNIF * n ** (5.0 / 3.0) * ds + _ETA * tw)
        # eps_c^1: PW92 + H1 with the r2SCAN gradient-expansion correction Delta y
        e1, de1 = pw92_correlation(rs, zeta, with_drs=True)
        b1c, b2c, b3c = 0.0285764, 0.0889, 0.125541
        srs = rs.sqrt()
        den = 1.0 + b2c * srs + b3c * rs
        elda0 = -b1c / den
        delda0 = b1c * (0.5 * b2c / srs + b3c) / (den * den)
        gc = (1.0 - 2.363 * (2.0 ** (1.0 / 3.0) - 1.0) * _f_zeta(zeta)) * (1.0 - zeta**12)
        e0_lsda, de0_lsda = elda0 * gc, delda0 * gc
        w1 = torch.expm1(-e1 / (_GAMMA * phi3))
        beta = 0.066724550603149220 * (1.0 + 0.1 * rs) / (1.0 + 0.1778 * rs)
        y = beta * _t2(n, zeta, sigma) / (_GAMMA * w1)
        dy = (
            _DFC2
            / (27.0 * _GAMMA * ds * phi3 * w1)
            * (20.0 * rs * (de0_lsda - de1) - 45.0 * _ETA * (e0_lsda - e1))
            * s2
            * torch.exp(-s2 * s2 / _DP2**4)
        )
        g = (1.0 + 4.0 * (y - dy)) ** -0.25
        eps1 = e1 + _GAMMA * phi3 * torch.log1p(w1 * (1.0 - g))
        # eps_c^0 (SCAN's alpha = 0 limit)
        ginf = (1.0 + 4.0 * 0.12802585262625815 * s2) ** -0.25
        h0 = b1c * torch.log1p(torch.expm1(-elda0 / b1c) * (1.0 - ginf))
        eps0 = (elda0 + h0) * gc
        fa = _f_alpha(alpha, _FC_C, 0.64, 1.5, 0.7)
        return n * (eps1 + fa * (eps0 - eps1))
