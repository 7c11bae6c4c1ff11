"""EHR admissions as sets of medical codes: the MIMIC-III demo loader and a synthetic generator.

An admission is the set of its diagnosis (``dx:``), procedure (``px:``) and drug
(``rx:``) codes plus a binary outcome. :func:`load_mimic_demo` reads the MIMIC-III
Clinical Database Demo tables as shipped in ``$RL_DATA_DIR/ehr/mimic-iii-demo`` and
tolerates that copy's known deviations: UPPERCASE headers (matched case-insensitively),
CRLF line endings, and 2-digit-year dates in ``ADMISSIONS.csv`` (admissions are ordered
and timed by their ICU stays' full ``YYYY-MM-DD`` times instead). Malformed rows raise
``MalformedFile`` naming the file and line. :func:`make_synthetic_ehr` plants a
concept-correlation graph (codes of one latent condition co-occur) and an outcome that
depends on pairs of conditions, at any size.

References:
    Zhu & Razavian, Variationally Regularized Graph-based Representation Learning for
    Electronic Health Records (VGNN), arXiv:1912.03761.
    Johnson et al., MIMIC-III, a freely accessible critical care database (demo v1.4).

Example:
    >>> data = make_synthetic_ehr(200, num_codes=40, seed=0)
    >>> data.multi_hot().shape, bool(0.0 < data.labels.mean() < 0.5)
    ((200, 40), True)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import numpy as np

from rl_shared.data import Dataset, github
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.io import read_csv

__all__ = ["MIMIC_DEMO", "EHRData", "load_mimic_demo", "make_synthetic_ehr"]

MIMIC_DEMO_SOURCE = github(
    "tianxu08/mimic-iii-dataset",
    "16908ad5c9699b34837131dfd595b11e82133e76",
    """
    23959 1022b5f2e4b3c9b3cefc57afa01b303301bdfa1b71391e8008d99f28304a5336 ADMISSIONS.csv
    50759 2d3d53b2639e344ce13c598c8754ac0a17adb00815e69da3e73973c438ec1c9c DIAGNOSES_ICD.csv
    1327746 bab26991a1dfb10a929ed6c1a711c0d532290a3661f7d513e90d8bfa35c9eb1e D_ICD_DIAGNOSES.csv
    293795 363b746e38720fa14be764dd2aead47b0b52f690236be2082608f67a26f0dbe9 D_ICD_PROCEDURES.csv
    13632 59dd50f2e2a571e369d3d262158b696e5ca5e7e24418196f56fba49605daa30b ICUSTAYS.csv
    25805 136454b9c13b6e1fe49cede8a7eedae5447ffd7c33abe14d458c6370f8eb943b LICENSE.txt
    6319 cea03db33b5fdabfc7527deac37ee9f86190ae112ddb897319cebcd1407dc61d PATIENTS.csv
    1678244 a26b4df00cc89ba73933cc8160b102c3602af7c58c0b4e7044902e9e17e7fb9a PRESCRIPTIONS.csv
    14019 b700b8a223efa8024853ee800f57ed261acd09eb95e4b131cb267e6822f16ee6 PROCEDURES_ICD.csv
    """,
    licence="ODbL 1.0",
    citation="Johnson et al. 2019, MIMIC-III Clinical Database Demo v1.4 (PhysioNet)",
)

MIMIC_DEMO = Dataset(
    name="mimic-iii-demo",
    path="ehr/mimic-iii-demo",
    files=(
        "ADMISSIONS.csv",
        "DIAGNOSES_ICD.csv",
        "PROCEDURES_ICD.csv",
        "PRESCRIPTIONS.csv",
        "ICUSTAYS.csv",
    ),
    description="MIMIC-III Clinical Database Demo v1.4: 100 patients, 129 admissions",
    hint="put the MIMIC-III demo CSVs (ADMISSIONS, DIAGNOSES_ICD, PROCEDURES_ICD, "
    "PRESCRIPTIONS, ICUSTAYS) there",
    used_by=("graph.vgnn",),
    source=MIMIC_DEMO_SOURCE,
)


@dataclass
class EHRData:
    """Admissions as code-index sets with a binary outcome.

    Args:
        codes: per admission, sorted unique indices into ``vocab``.
        labels: outcome per admission, ``[A]`` of 0/1.
        vocab: code names.
        adjacency: the planted code-correlation graph (synthetic data only), ``[V, V]``.

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761.

    Example:
        >>> data = EHRData([[0, 2], [1]], np.array([1, 0]), ["a", "b", "c"])
        >>> data.multi_hot().tolist()
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """

    codes: list[list[int]]
    labels: np.ndarray
    vocab: list[str]
    adjacency: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.codes)

    def multi_hot(self) -> np.ndarray:
        """``[A, V]`` 0/1 matrix of codes per admission."""
        out = np.zeros((len(self.codes), len(self.vocab)), dtype=np.float32)
        for i, c in enumerate(self.codes):
            out[i, c] = 1.0
        return out

    def subset(self, index: list[int] | np.ndarray) -> EHRData:
        """The admissions at ``index`` (same vocabulary)."""
        return EHRData(
            [self.codes[i] for i in index], self.labels[index], self.vocab, self.adjacency
        )


def _read(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV with uppercased header keys, each with its 1-based physical line number.

    Read through :mod:`rl_shared.io` (UTF-8, not a folder, not empty); every row must have the
    header's number of fields; blank lines are skipped.
    """
    if not path.exists():
        raise MalformedFile(path, None, "file is missing; the MIMIC-III demo table is required")
    rows = []
    header: list[str] | None = None
    for line, row in read_csv(path):
        if header is None:
            header = [h.strip().upper() for h in row]
            missing = [c for c in required if c not in header]
            if missing:
                raise MalformedFile(path, line, f"header lacks column(s) {', '.join(missing)}")
            continue
        if len(row) != len(header):
            raise MalformedFile(path, line, f"has {len(row)} fields, header has {len(header)}")
        rows.append((line, dict(zip(header, row))))
    return rows


def _int(path: Path, line: int, row: dict[str, str], col: str) -> int:
    try:
        return int(row[col].strip())
    except ValueError:
        raise MalformedFile(path, line, f"{col} {row[col]!r} is not an integer") from None


def load_mimic_demo(
    folder: Path | None = None,
    outcome: str = "mortality",
    sources: tuple[str, ...] = ("diagnoses", "procedures", "prescriptions"),
    readmission_days: int = 30,
) -> EHRData:
    """Admissions of the MIMIC-III demo as code sets with an outcome.

    Args:
        folder: folder of the CSVs (default: the registered ``mimic-iii-demo`` dataset).
        outcome: ``"mortality"`` (``HOSPITAL_EXPIRE_FLAG``) or ``"readmission"`` (another
            ICU admission of the same patient within ``readmission_days`` of this
            admission's last ICU discharge; ICU times carry full years in this copy).
        sources: which tables give codes: diagnoses, procedures, prescriptions.
        readmission_days: window of the readmission outcome.

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761.
        Johnson et al., MIMIC-III, a freely accessible critical care database (demo v1.4).

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "ADMISSIONS.csv").write_text("SUBJECT_ID,HADM_ID,HOSPITAL_EXPIRE_FLAG\\n1,10,1\\n")
        >>> _ = (d / "DIAGNOSES_ICD.csv").write_text("HADM_ID,ICD9_CODE\\n10,486\\n")
        >>> load_mimic_demo(d, sources=("diagnoses",)).vocab
        ['dx:486']
    """
    if outcome not in ("mortality", "readmission"):
        raise UnknownName("outcome", outcome, ["mortality", "readmission"])
    folder = folder or MIMIC_DEMO.locate()
    adm_path = folder / "ADMISSIONS.csv"
    admissions: dict[int, tuple[int, int]] = {}  # hadm -> (subject, died)
    for line, row in _read(adm_path, ("SUBJECT_ID", "HADM_ID", "HOSPITAL_EXPIRE_FLAG")):
        flag = row["HOSPITAL_EXPIRE_FLAG"].strip()
        if flag not in ("0", "1"):
            raise MalformedFile(adm_path, line, f"HOSPITAL_EXPIRE_FLAG {flag!r} is not 0 or 1")
        hadm = _int(adm_path, line, row, "HADM_ID")
        if hadm in admissions:
            raise MalformedFile(adm_path, line, f"HADM_ID {hadm} is listed twice")
        admissions[hadm] = (_int(adm_path, line, row, "SUBJECT_ID"), int(flag))
    codes: dict[int, set[str]] = defaultdict(set)
    tables = {
        "diagnoses": ("DIAGNOSES_ICD.csv", "ICD9_CODE", "dx:"),
        "procedures": ("PROCEDURES_ICD.csv", "ICD9_CODE", "px:"),
        "prescriptions": ("PRESCRIPTIONS.csv", "DRUG", "rx:"),
    }
    for source in sources:
        if source not in tables:
            raise UnknownName("code source", source, list(tables))
        file, col, prefix = tables[source]
        path = folder / file
        for line, row in _read(path, ("HADM_ID", col)):
            hadm = _int(path, line, row, "HADM_ID")
            value = row[col].strip().lower()
            if hadm in admissions and value:
                codes[hadm].add(prefix + value)
    hadms = sorted(admissions)
    if not hadms:
        raise MalformedFile(adm_path, None, "holds no admission, only a header")
    icu = folder / "ICUSTAYS.csv"
    if outcome == "mortality":
        labels = np.array([admissions[h][1] for h in hadms], dtype=np.int64)
        if icu.exists():  # not needed for mortality, but a broken table is refused all the same
            _readmissions(icu, admissions, hadms, readmission_days)
    else:
        labels = _readmissions(icu, admissions, hadms, readmission_days)
    vocab = sorted(set().union(*codes.values())) if codes else []
    if not vocab:
        raise BadInput(
            f"{folder}: no admission of {adm_path.name} has a code in the "
            f"{', '.join(tables[s][0] for s in sources)} tables; nothing to learn from"
        )
    index = {c: i for i, c in enumerate(vocab)}
    return EHRData([sorted(index[c] for c in codes[h]) for h in hadms], labels, vocab)


def _readmissions(
    path: Path, admissions: dict[int, tuple[int, int]], hadms: list[int], days: int
) -> np.ndarray:
    spans: dict[int, list[datetime]] = defaultdict(list)
    for line, row in _read(path, ("HADM_ID", "INTIME", "OUTTIME")):
        hadm = _int(path, line, row, "HADM_ID")
        for col in ("INTIME", "OUTTIME"):
            if not row[col].strip():
                continue
            try:
                spans[hadm].append(datetime.strptime(row[col].strip(), "%Y-%m-%d %H:%M:%S"))
            except ValueError:
                raise MalformedFile(
                    path, line, f"{col} {row[col]!r} is not YYYY-MM-DD HH:MM:SS"
                ) from None
    by_subject: dict[int, list[int]] = defaultdict(list)
    for h in hadms:
        if spans[h]:
            by_subject[admissions[h][0]].append(h)
    labels = np.zeros(len(hadms), dtype=np.int64)
    pos = {h: i for i, h in enumerate(hadms)}
    for stays in by_subject.values():
        stays.sort(key=lambda h: min(spans[h]))
        for a, b in pairwise(stays):
            gap = (min(spans[b]) - max(spans[a])).total_seconds() / 86400
            labels[pos[a]] = int(0 <= gap <= days)
    return labels


def make_synthetic_ehr(
    num_admissions: int,
    num_codes: int = 100,
    num_conditions: int = 10,
    codes_per_condition: float = 4.0,
    noise_codes: float = 2.0,
    seed: int = 0,
) -> EHRData:
    """Synthetic admissions with a planted code-correlation graph and outcome model.

    Each condition owns a block of codes (edges of the planted graph join codes of one
    condition). An admission has 1–3 conditions, draws each owned code with probability
    ``codes_per_condition / block size``, plus Poisson(``noise_codes``) random codes. The
    outcome is Bernoulli(sigmoid(·)) of a sum of per-condition effects and of effects of
    condition *pairs*, so the code interactions carry signal a linear model misses.

    Args:
        num_admissions: admissions to draw.
        num_codes: vocabulary size.
        num_conditions: latent conditions (blocks of the planted graph).
        codes_per_condition: expected codes drawn per present condition.
        noise_codes: expected unrelated codes per admission.
        seed: numpy seed.

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761.

    Example:
        >>> data = make_synthetic_ehr(30, num_codes=12, num_conditions=3, seed=1)
        >>> len(data), data.adjacency.shape
        (30, (12, 12))
    """
    if num_admissions < 1 or num_codes < num_conditions or num_conditions < 2:
        raise BadInput("need num_admissions >= 1 and num_codes >= num_conditions >= 2")
    rng = np.random.default_rng(seed)
    owner = np.sort(rng.integers(0, num_conditions, num_codes))
    owner[:num_conditions] = np.arange(num_conditions)  # every condition owns a code
    owner = np.sort(owner)
    adjacency = (owner[:, None] == owner[None, :]).astype(np.float32)
    np.fill_diagonal(adjacency, 0.0)
    main = rng.normal(0, 0.7, num_conditions)
    pair = np.triu(
        rng.normal(0, 1.0, (num_conditions, num_conditions))
        * (rng.random((num_conditions,) * 2) < 0.3),
        1,
    )
    codes, logits = [], []
    for _ in range(num_admissions):
        conds = rng.choice(num_conditions, size=rng.integers(1, 4), replace=False)
        present = np.zeros(num_conditions, dtype=bool)
        present[conds] = True
        owned = present[owner]
        p = np.where(
            owned, codes_per_condition / np.bincount(owner, minlength=num_conditions)[owner], 0.0
        )
        chosen = set(np.flatnonzero(rng.random(num_codes) < np.minimum(p, 1.0)).tolist())
        chosen |= set(rng.integers(0, num_codes, rng.poisson(noise_codes)).tolist())
        if not chosen:
            chosen = {int(rng.choice(np.flatnonzero(owned)))}
        codes.append(sorted(chosen))
        x = present.astype(float)
        logits.append(main @ x + 2.0 * (x @ pair @ x))
    logit = np.asarray(logits)
    logit = logit - np.quantile(logit, 0.85)  # about 15-20% prevalence
    labels = (rng.random(num_admissions) < 1 / (1 + np.exp(-3 * logit))).astype(np.int64)
    vocab = [f"code{i:03d}" for i in range(num_codes)]
    return EHRData(codes, labels, vocab, adjacency)
