"""Reproduction ``vision.any2seg``: segmentation from any subset of {RGB, depth, event, LiDAR}.

On generated DELIVER-like scenes it trains single-modality Unets, early fusion (smp Unet
on concatenated channels, missing modalities zero-filled; once on all modalities and once
with the same random modality dropout as Any2Seg), Any2Seg (MFF + LSCD with a teacher
trained on all modalities and MiniLM class-prompt embeddings), and Any2Seg without LSCD
and without MFF. Every model is evaluated on all 15 non-empty modality subsets (clean
test scenes) and with all modalities under each adverse condition and sensor failure.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation
    from Any Modalities" (Any2Seg), ECCV 2024, arXiv:2407.11351.
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation" (DELIVER), CVPR 2023.
"""

from __future__ import annotations

from rl_shared.reproduce import Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

PAPER = "Learning Modality-agnostic Representation for Semantic Segmentation from Any Modalities (Any2Seg), ECCV 2024, arXiv:2407.11351"


def run(ctx: RunContext) -> Result:
    """Train every model, evaluate on every subset and condition; tabulate and plot."""
    from rl_vision.reproductions.any2seg_experiment import run as experiment

    return experiment(ctx)


REPRODUCTION = Reproduction(
    name="vision.any2seg",
    summary="Any2Seg (MFF + LSCD) vs single-modality and early-fusion Unets on every modality subset of generated scenes",
    run=run,
    paper=PAPER,
)
