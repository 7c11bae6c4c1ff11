import importlib.util
import itertools
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np

from rl_retrieval.core.sharded_encoding import encode_sharded
from rl_shared.runtime import shard_bounds

WORKER = Path(__file__).with_name("sharded_worker.py")
_spec = importlib.util.spec_from_file_location("sharded_worker", WORKER)
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)


def test_shard_bounds_cover_everything_once():
    for n in (0, 1, 7, 10):
        for world in (1, 2, 3, 4):
            slices = [shard_bounds(n, world, r) for r in range(world)]
            assert slices[0][0] == 0 and slices[-1][1] == n
            assert all(a[1] == b[0] for a, b in itertools.pairwise(slices))


def test_two_ranks_encode_disjoint_shards_and_merge_in_order(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc-per-node",
        "2",
        "--master-addr",
        "127.0.0.1",
        "--master-port",
        str(port),
        str(WORKER),
        str(tmp_path),
    ]
    env = dict(os.environ, RL_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(2)]
    texts = [f"document number {i}" * (i % 3 + 1) for i in range(11)]
    assert ranks[0]["seen"] == texts[:6] and ranks[1]["seen"] == texts[6:]
    single = encode_sharded(texts, worker.fake_encode, tmp_path / "single.npy")
    for r in ranks:
        np.testing.assert_array_equal(np.array(r["emb"]), single)
    assert sorted(p.name for p in tmp_path.glob("emb.npy*")) == ["emb.npy"]  # shards removed
    # DenseRetriever: each rank encodes its half once, all ranks get the whole matrix, and
    # the shared cache holds it under the content hash with no shard left beside it
    assert ranks[0]["dense_seen"] == texts[:6] and ranks[1]["dense_seen"] == texts[6:]
    for r in ranks:
        np.testing.assert_array_equal(np.array(r["dense"]), single)
    cache = Path(ranks[0]["cache"])
    assert ranks[1]["cache"] == str(cache) and cache.is_file()
    assert str(cache).startswith(str(tmp_path / "cache"))
    assert sorted(p.name for p in cache.parent.iterdir()) == [cache.name]
