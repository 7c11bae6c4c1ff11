"""Triton kernels of :mod:`rl_shared.attention.simplicial_triton` (imported only when Triton runs).

Inputs are contiguous ``(B, H, N, D)`` with shared strides; ``lse``/``delta`` are
``(B, H, N)`` float32, the log-sum-exp in base 2. The pair scores are
``s[i, j, l] = scale * <q_i, k1_j * k2_l>``; a program walks ``j`` one key at a time and
``l`` in tiles, so a tile of scores is ``dot(q * k1_j, k2_tile^T)``, as the published
2-simplicial kernels do. ``W1 = W2 = 0`` means every pair; otherwise the pairs are the
causal local windows ``i - W1 < j <= i`` and ``i - W2 < l <= i``.
"""

from __future__ import annotations

import triton
import triton.language as tl


@triton.jit
def _keep(rows, j, cols, N, W1: tl.constexpr, W2: tl.constexpr):
    keep = (rows[:, None] < N) & (cols[None, :] < N)
    if W1 > 0:
        keep = keep & (j <= rows[:, None]) & (j > rows[:, None] - W1)
        keep = keep & (cols[None, :] <= rows[:, None]) & (cols[None, :] > rows[:, None] - W2)
    return keep


@triton.jit
def _pair_range(first_row, BLOCK_M: tl.constexpr, N, W: tl.constexpr):
    """Keys that rows first_row .. first_row + BLOCK_M - 1 can pair with."""
    if W > 0:
        return tl.maximum(first_row - W + 1, 0), tl.minimum(first_row + BLOCK_M, N)
    return 0, N


@triton.jit
def forward_kernel(
    Q,
    K1,
    K2,
    V1,
    V2,
    O,
    LSE,
    sm_scale,
    stride_b,
    stride_h,
    stride_n,
    stride_lb,
    stride_lh,
    H,
    N,
    HEAD_DIM: tl.constexpr,
    BLOCK_M: tl.constexpr,
    BLOCK_L: tl.constexpr,
    W1: tl.constexpr,
    W2: tl.constexpr,
):
    pid_m = tl.program_id(0)
    pid_bh = tl.program_id(1)
    base = (pid_bh // H) * stride_b + (pid_bh % H) * stride_h
    lbase = (pid_bh // H) * stride_lb + (pid_bh % H) * stride_lh
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_l = tl.arange(0, BLOCK_L)
    offs_d = tl.arange(0, HEAD_DIM)
    row_ok = rows < N
    q = tl.load(
        Q + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
    ).to(tl.float32)
    m_i = tl.full((BLOCK_M,), float("-inf"), tl.float32)
    l_i = tl.zeros((BLOCK_M,), tl.float32)
    acc = tl.zeros((BLOCK_M, HEAD_DIM), tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    j_lo, j_hi = _pair_range(pid_m * BLOCK_M, BLOCK_M, N, W1)
    l_lo, l_hi = _pair_range(pid_m * BLOCK_M, BLOCK_M, N, W2)
    for j in range(j_lo, j_hi):
        k1 = tl.load(K1 + base + j * stride_n + offs_d).to(tl.float32)
        v1 = tl.load(V1 + base + j * stride_n + offs_d).to(tl.float32)
        qk1 = (q * k1[None, :]).to(Q.dtype.element_ty)
        for l0 in range(l_lo, l_hi, BLOCK_L):
            cols = l0 + offs_l
            k2t = tl.load(
                K2 + base + cols[None, :] * stride_n + offs_d[:, None],
                mask=cols[None, :] < N,
                other=0.0,
            )
            s = tl.dot(qk1, k2t) * qk_scale
            s = tl.where(_keep(rows, j, cols, N, W1, W2), s, float("-inf"))
            m_new = tl.maximum(m_i, tl.max(s, 1))
            m_safe = tl.where(m_new == float("-inf"), 0.0, m_new)
            p = tl.exp2(s - m_safe[:, None])
            alpha = tl.exp2(m_i - m_safe)
            l_i = l_i * alpha + tl.sum(p, 1)
            v2 = tl.load(
                V2 + base + cols[:, None] * stride_n + offs_d[None, :],
                mask=cols[:, None] < N,
                other=0.0,
            )
            acc = acc * alpha[:, None] + tl.dot(p.to(V2.dtype.element_ty), v2) * v1[None, :]
            m_i = m_new
    l_i = tl.where(l_i == 0.0, 1.0, l_i)  # padding rows past N have no pair
    acc = acc / l_i[:, None]
    tl.store(
        O + base + rows[:, None] * stride_n + offs_d[None, :],
        acc.to(O.dtype.element_ty),
        mask=row_ok[:, None],
    )
    tl.store(LSE + lbase + rows, m_i + tl.log2(l_i), mask=row_ok)


@triton.jit
def backward_dq_kernel(
    Q,
    K1,
    K2,
    V1,
    V2,
    DO,
    LSE,
    DELTA,
    DQ,
    sm_scale,
    stride_b,
    stride_h,
    stride_n,
    stride_lb,
    stride_lh,
    H,
    N,
    HEAD_DIM: tl.constexpr,
    BLOCK_M: tl.constexpr,
    BLOCK_L: tl.constexpr,
    W1: tl.constexpr,
    W2: tl.constexpr,
):
    pid_m = tl.program_id(0)
    pid_bh = tl.program_id(1)
    base = (pid_bh // H) * stride_b + (pid_bh % H) * stride_h
    lbase = (pid_bh // H) * stride_lb + (pid_bh % H) * stride_lh
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_l = tl.arange(0, BLOCK_L)
    offs_d = tl.arange(0, HEAD_DIM)
    row_ok = rows < N
    q = tl.load(
        Q + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
    ).to(tl.float32)
    do = tl.load(
        DO + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
    ).to(tl.float32)
    lse = tl.load(LSE + lbase + rows, mask=row_ok, other=0.0)
    delta = tl.load(DELTA + lbase + rows, mask=row_ok, other=0.0)
    dq = tl.zeros((BLOCK_M, HEAD_DIM), tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    j_lo, j_hi = _pair_range(pid_m * BLOCK_M, BLOCK_M, N, W1)
    l_lo, l_hi = _pair_range(pid_m * BLOCK_M, BLOCK_M, N, W2)
    for j in range(j_lo, j_hi):
        k1 = tl.load(K1 + base + j * stride_n + offs_d).to(tl.float32)
        v1 = tl.load(V1 + base + j * stride_n + offs_d).to(tl.float32)
        qk1 = (q * k1[None, :]).to(Q.dtype.element_ty)
        dov1 = (do * v1[None, :]).to(Q.dtype.element_ty)
        for l0 in range(l_lo, l_hi, BLOCK_L):
            cols = l0 + offs_l
            col_ok = cols < N
            k2 = tl.load(
                K2 + base + cols[:, None] * stride_n + offs_d[None, :],
                mask=col_ok[:, None],
                other=0.0,
            )
            v2 = tl.load(
                V2 + base + cols[:, None] * stride_n + offs_d[None, :],
                mask=col_ok[:, None],
                other=0.0,
            )
            s = tl.dot(qk1, tl.trans(k2)) * qk_scale
            p = tl.where(_keep(rows, j, cols, N, W1, W2), tl.exp2(s - lse[:, None]), 0.0)
            dp = tl.dot(dov1, tl.trans(v2))
            ds = p * (dp - delta[:, None])
            dq += tl.dot(ds.to(K2.dtype.element_ty), k2) * k1[None, :]
    dq = dq * sm_scale
    tl.store(
        DQ + base + rows[:, None] * stride_n + offs_d[None, :],
        dq.to(DQ.dtype.element_ty),
        mask=row_ok[:, None],
    )


@triton.jit
def backward_dkv_kernel(
    Q,
    KA,
    KB,
    VA,
    VB,
    DO,
    LSE,
    DELTA,
    DKB,
    DVB,
    sm_scale,
    stride_b,
    stride_h,
    stride_n,
    stride_lb,
    stride_lh,
    H,
    N,
    HEAD_DIM: tl.constexpr,
    BLOCK_M: tl.constexpr,
    BLOCK_L: tl.constexpr,
    WA: tl.constexpr,
    WB: tl.constexpr,
):
    """Gradients of the tiled side (KB, VB); called twice, once per side, the pair roles swapped."""
    pid_l = tl.program_id(0)
    pid_bh = tl.program_id(1)
    base = (pid_bh // H) * stride_b + (pid_bh % H) * stride_h
    lbase = (pid_bh // H) * stride_lb + (pid_bh % H) * stride_lh
    cols = pid_l * BLOCK_L + tl.arange(0, BLOCK_L)
    offs_d = tl.arange(0, HEAD_DIM)
    col_ok = cols < N
    kb = tl.load(
        KB + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
    )
    vb = tl.load(
        VB + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
    )
    dk = tl.zeros((BLOCK_L, HEAD_DIM), tl.float32)
    dv = tl.zeros((BLOCK_L, HEAD_DIM), tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    i_lo = 0
    i_hi = N
    if WB > 0:  # query i pairs with l only when l <= i < l + WB
        i_lo = pid_l * BLOCK_L // BLOCK_M * BLOCK_M
        i_hi = tl.minimum(pid_l * BLOCK_L + BLOCK_L + WB - 1, N)
    for i0 in range(i_lo, i_hi, BLOCK_M):
        rows = i0 + tl.arange(0, BLOCK_M)
        row_ok = rows < N
        q = tl.load(
            Q + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
        ).to(tl.float32)
        do = tl.load(
            DO + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
        ).to(tl.float32)
        lse = tl.load(LSE + lbase + rows, mask=row_ok, other=0.0)
        delta = tl.load(DELTA + lbase + rows, mask=row_ok, other=0.0)
        j_lo, j_hi = _pair_range(i0, BLOCK_M, N, WA)
        for j in range(j_lo, j_hi):
            ka = tl.load(KA + base + j * stride_n + offs_d).to(tl.float32)
            va = tl.load(VA + base + j * stride_n + offs_d).to(tl.float32)
            qka = (q * ka[None, :]).to(Q.dtype.element_ty)
            dova = (do * va[None, :]).to(Q.dtype.element_ty)
            s = tl.dot(qka, tl.trans(kb)) * qk_scale
            p = tl.where(_keep(rows, j, cols, N, WA, WB), tl.exp2(s - lse[:, None]), 0.0)
            dp = tl.dot(dova, tl.trans(vb))
            ds = p * (dp - delta[:, None])
            dk += tl.dot(tl.trans(ds.to(Q.dtype.element_ty)), qka)
            dv += tl.dot(tl.trans(p.to(Q.dtype.element_ty)), dova)
    dk = dk * sm_scale
    tl.store(
        DKB + base + cols[:, None] * stride_n + offs_d[None, :],
        dk.to(DKB.dtype.element_ty),
        mask=col_ok[:, None],
    )
    tl.store(
        DVB + base + cols[:, None] * stride_n + offs_d[None, :],
        dv.to(DVB.dtype.element_ty),
        mask=col_ok[:, None],
    )
