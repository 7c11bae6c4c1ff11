"""Triton kernels of :mod:`rl_shared.attention.flash` (imported only when Triton runs).

All of q, k, v, o, do are contiguous ``(B, H, N, D)`` and share strides; ``lse`` and
``delta`` are ``(B, H, N)`` float32. The log-sum-exp is kept in base 2 (``exp2`` is the
fast path on GPUs). A program handles one block of rows of one (sequence, head); for a
packed batch the sequence's rows are ``cu[s] .. cu[s + 1]`` of batch 0.
"""

from __future__ import annotations

import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _sequence(CU, pid_bh, H, N, stride_b, stride_lb, VARLEN: tl.constexpr):
    """(offset of this batch row, offset of its lse row, first token, length, head)."""
    seq = pid_bh // H
    head = pid_bh % H
    if VARLEN:
        start = tl.load(CU + seq)
        length = tl.load(CU + seq + 1) - start
        return 0, 0, start, length, head
    return seq * stride_b, seq * stride_lb, 0, N, head


@triton.jit
def forward_kernel(
    Q,
    K,
    V,
    O,
    LSE,
    CU,
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
    BLOCK_N: tl.constexpr,
    CAUSAL: tl.constexpr,
    VARLEN: tl.constexpr,
):
    pid_m = tl.program_id(0)
    boff, loff, start, length, head = _sequence(
        CU, tl.program_id(1), H, N, stride_b, stride_lb, VARLEN
    )
    base = boff + head * stride_h + start * stride_n
    lbase = loff + head * stride_lh + start
    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)
    row_ok = offs_m < length
    q = tl.load(
        Q + base + offs_m[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
    )
    m_i = tl.full((BLOCK_M,), float("-inf"), tl.float32)
    l_i = tl.zeros((BLOCK_M,), tl.float32)
    acc = tl.zeros((BLOCK_M, HEAD_DIM), tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    hi = length
    if CAUSAL:
        hi = tl.minimum(length, (pid_m + 1) * BLOCK_M)
    for start_n in range(0, hi, BLOCK_N):
        cols = start_n + offs_n
        col_ok = cols < length
        kt = tl.load(
            K + base + cols[None, :] * stride_n + offs_d[:, None], mask=col_ok[None, :], other=0.0
        )
        qk = tl.dot(q, kt) * qk_scale
        keep = col_ok[None, :]
        if CAUSAL:
            keep = keep & (cols[None, :] <= offs_m[:, None])
        qk = tl.where(keep, qk, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(qk, 1))
        p = tl.exp2(qk - m_new[:, None])
        alpha = tl.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        v = tl.load(
            V + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
        )
        acc = acc * alpha[:, None] + tl.dot(p.to(v.dtype), v)
        m_i = m_new
    acc = acc / l_i[:, None]
    tl.store(
        O + base + offs_m[:, None] * stride_n + offs_d[None, :],
        acc.to(O.dtype.element_ty),
        mask=row_ok[:, None],
    )
    tl.store(LSE + lbase + offs_m, m_i + tl.log2(l_i), mask=row_ok)


@triton.jit
def backward_dkdv_kernel(
    Q,
    K,
    V,
    DO,
    LSE,
    DELTA,
    DK,
    DV,
    CU,
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
    BLOCK_N: tl.constexpr,
    CAUSAL: tl.constexpr,
    VARLEN: tl.constexpr,
):
    pid_n = tl.program_id(0)
    boff, loff, start, length, head = _sequence(
        CU, tl.program_id(1), H, N, stride_b, stride_lb, VARLEN
    )
    base = boff + head * stride_h + start * stride_n
    lbase = loff + head * stride_lh + start
    cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)
    col_ok = cols < length
    k = tl.load(
        K + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
    )
    v = tl.load(
        V + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
    )
    dk = tl.zeros((BLOCK_N, HEAD_DIM), tl.float32)
    dv = tl.zeros((BLOCK_N, HEAD_DIM), tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    lo = 0
    if CAUSAL:
        lo = (pid_n * BLOCK_N) // BLOCK_M * BLOCK_M
    for start_m in range(lo, length, BLOCK_M):
        rows = start_m + tl.arange(0, BLOCK_M)
        row_ok = rows < length
        q = tl.load(
            Q + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
        )
        do = tl.load(
            DO + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
        )
        lse = tl.load(LSE + lbase + rows, mask=row_ok, other=0.0)
        delta = tl.load(DELTA + lbase + rows, mask=row_ok, other=0.0)
        qk = tl.dot(q, tl.trans(k)) * qk_scale
        keep = row_ok[:, None] & col_ok[None, :]
        if CAUSAL:
            keep = keep & (cols[None, :] <= rows[:, None])
        p = tl.where(keep, tl.exp2(qk - lse[:, None]), 0.0)
        dv += tl.dot(tl.trans(p.to(do.dtype)), do)
        dp = tl.dot(do, tl.trans(v))
        ds = p * (dp - delta[:, None])
        dk += tl.dot(tl.trans(ds.to(q.dtype)), q)
    dk = dk * sm_scale
    tl.store(
        DK + base + cols[:, None] * stride_n + offs_d[None, :],
        dk.to(DK.dtype.element_ty),
        mask=col_ok[:, None],
    )
    tl.store(
        DV + base + cols[:, None] * stride_n + offs_d[None, :],
        dv.to(DV.dtype.element_ty),
        mask=col_ok[:, None],
    )


@triton.jit
def backward_dq_kernel(
    Q,
    K,
    V,
    DO,
    LSE,
    DELTA,
    DQ,
    CU,
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
    BLOCK_N: tl.constexpr,
    CAUSAL: tl.constexpr,
    VARLEN: tl.constexpr,
):
    pid_m = tl.program_id(0)
    boff, loff, start, length, head = _sequence(
        CU, tl.program_id(1), H, N, stride_b, stride_lb, VARLEN
    )
    base = boff + head * stride_h + start * stride_n
    lbase = loff + head * stride_lh + start
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)
    row_ok = rows < length
    q = tl.load(
        Q + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
    )
    do = tl.load(
        DO + base + rows[:, None] * stride_n + offs_d[None, :], mask=row_ok[:, None], other=0.0
    )
    lse = tl.load(LSE + lbase + rows, mask=row_ok, other=0.0)
    delta = tl.load(DELTA + lbase + rows, mask=row_ok, other=0.0)
    dq = tl.zeros((BLOCK_M, HEAD_DIM), tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    hi = length
    if CAUSAL:
        hi = tl.minimum(length, (pid_m + 1) * BLOCK_M)
    for start_n in range(0, hi, BLOCK_N):
        cols = start_n + offs_n
        col_ok = cols < length
        k = tl.load(
            K + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
        )
        v = tl.load(
            V + base + cols[:, None] * stride_n + offs_d[None, :], mask=col_ok[:, None], other=0.0
        )
        qk = tl.dot(q, tl.trans(k)) * qk_scale
        keep = row_ok[:, None] & col_ok[None, :]
        if CAUSAL:
            keep = keep & (cols[None, :] <= rows[:, None])
        p = tl.where(keep, tl.exp2(qk - lse[:, None]), 0.0)
        dp = tl.dot(do, tl.trans(v))
        ds = p * (dp - delta[:, None])
        dq += tl.dot(ds.to(k.dtype), k)
    dq = dq * sm_scale
    tl.store(
        DQ + base + rows[:, None] * stride_n + offs_d[None, :],
        dq.to(DQ.dtype.element_ty),
        mask=row_ok[:, None],
    )
