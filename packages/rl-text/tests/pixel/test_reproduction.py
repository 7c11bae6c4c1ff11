from __future__ import annotations

from rl_shared.data import list_datasets
from rl_shared.reproduce import list_reproductions


def test_reproductions_and_datasets_of_issue_7_are_registered() -> None:
    repros = list_reproductions()
    for name in ("text.pixel", "text.gfun", "text.binary-pv", "text.disambiguated-skipgram"):
        assert name in repros, name
    assert set(repros["text.gfun"].datasets) == {"stsb", "stsb-genre"}
    datasets = list_datasets()
    assert datasets["stsb-genre"].path == "sts/stsb-genre"
    assert datasets["wordnet"].path == "wordnet/nltk_data/corpora/wordnet"
