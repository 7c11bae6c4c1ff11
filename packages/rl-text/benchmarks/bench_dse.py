"""Time one query against N candidates: cross-encoder vs DSE student with cached embeddings.

Both start from all-MiniLM-L6-v2 (speed does not depend on training): the cross-encoder
reads every (query, candidate) pair; the student encodes the query once and runs its pair
head over the cached candidate embeddings. Same process, candidates = unique STS-B train
sentences. Prints both times and the ratio. Target: ≥ 100× at 10,000 candidates. (Accuracy,
the other half of the target, is measured by ``rl reproduce text.dse``.)

Run: RL_DATA_DIR=../shared/data python packages/rl-text/benchmarks/bench_dse.py [--candidates 10000]
"""

from __future__ import annotations

import argparse
import time

import torch
from sentence_transformers.cross_encoder import CrossEncoder

from rl_shared.models import load_sentence_transformer, resolve
from rl_shared.runtime import seed_everything
from rl_shared.sts import load_stsb
from rl_text.dse import DistilledSentenceEmbedding, PairHead


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    seed_everything(0)
    train = load_stsb("train")
    pool = list(dict.fromkeys(train.sentences1 + train.sentences2))[: args.candidates]
    query = load_stsb("test").sentences1[0]
    student = DistilledSentenceEmbedding(load_sentence_transformer("minilm"), PairHead(384))
    cross = CrossEncoder(str(resolve("minilm")), num_labels=1, device="cpu", local_files_only=True)
    cached = student.encode(pool)
    with torch.inference_mode():
        start = time.perf_counter()
        cross.predict([(query, c) for c in pool], batch_size=128, show_progress_bar=False)
        t_cross = time.perf_counter() - start
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            student.rank(query, cached)
            times.append(time.perf_counter() - start)
    t_student = min(times)
    print(f"candidates            {len(pool)}")
    print(f"cross-encoder         {t_cross:.2f} s")
    print(f"DSE student (cached)  {t_student * 1e3:.2f} ms")
    print(f"speed-up              {t_cross / t_student:.0f}x  (target >= 100x)")


if __name__ == "__main__":
    main()
