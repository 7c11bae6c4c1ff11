"""The STS datasets this package reads, registered under the entry-point group ``rl.datasets``.

``stsb`` is the STS Benchmark with its machine translations (``sts/stsb``:
``stsb-{lang}-{train,dev,test}.csv``); ``sick`` is SICK-R (``sts/sick``). Loaders for them
are :func:`rl_text.sts.load_stsb` and :func:`rl_text.sts.load_sick`.

Example:
    >>> sorted(d.name for d in DATASETS)
    ['sick', 'stsb']
"""

from __future__ import annotations

from rl_shared.data import Dataset

__all__ = ["DATASETS", "SICK", "STSB"]

STSB = Dataset(
    "stsb",
    "sts/stsb",
    ("stsb-en-train.csv", "stsb-en-dev.csv", "stsb-en-test.csv"),
    "STS Benchmark (5,749 / 1,500 / 1,379 pairs, scores 0-5) and its 10 machine translations",
    hint="put stsb-en-train.csv, stsb-en-dev.csv and stsb-en-test.csv (STSb-multi-mt CSVs, "
    "no header) there",
    used_by=("text.2dmse",),
)

SICK = Dataset(
    "sick",
    "sts/sick",
    ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"),
    "SICK-R relatedness (4,500 / 500 / 4,927 pairs, scores 1-5), SemEval-2014 Task 1",
    hint="put SICK_train.txt, SICK_trial.txt and SICK_test_annotated.txt (tab-separated, "
    "with header) there",
)

DATASETS: list[Dataset] = [STSB, SICK]
