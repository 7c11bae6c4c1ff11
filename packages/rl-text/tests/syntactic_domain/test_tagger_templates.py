from __future__ import annotations

import pytest

from rl_shared.errors import MalformedFile
from rl_text.syntactic_domain.lexicon import WordNetLexicon
from rl_text.syntactic_domain.tagger import LexiconTagger, tokenize
from rl_text.syntactic_domain.templates import extract_template, extract_templates

INDEX = {
    "noun": "  1 licence\nrecipe n 1\nsoup n 2\nteam n 2\nlist n 2\nmatch n 9\nplayer n 3\n"
    "man n 11\ndetail n 4\n",
    "verb": "describe v 4\nlist v 5\nmatch v 10\nsummarize v 2\nwant v 5\nplay v 35\nrun v 41\n",
    "adj": "quick a 7\nnew a 11\nfast a 10\n",
    "adv": "quickly r 4\nfast r 2\n",
}


@pytest.fixture(scope="module")
def tagger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wn")
    for pos, text in INDEX.items():
        lines = [ln if ln.startswith(" ") else ln + " 1 @ 1 0 0" for ln in text.splitlines()]
        (folder / f"index.{pos}").write_text("\n".join(lines) + "\n")
    (folder / "verb.exc").write_text("ran run\n")
    (folder / "noun.exc").write_text("men man\n")
    return LexiconTagger(WordNetLexicon(folder))


def test_lexicon_morphology(tagger):
    lex = tagger.lexicon
    assert lex.senses("recipes") == {"NOUN": 1}
    assert lex.senses("listing") == {"VERB": 5}
    assert lex.senses("men") == {"NOUN": 11}
    assert lex.senses("ran") == {"VERB": 41}
    assert lex.senses("quicker") == {"ADJ": 7}
    assert lex.senses("matches") == {"NOUN": 9, "VERB": 10}


def test_lexicon_errors(tmp_path):
    with pytest.raises(MalformedFile, match="no WordNet"):
        WordNetLexicon(tmp_path)
    (tmp_path / "index.noun").write_text("dog n x 1\n")
    with pytest.raises(MalformedFile, match=r"index\.noun:1"):
        WordNetLexicon(tmp_path)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Describe the new recipe.", "VERB DET ADJ NOUN"),
        ("Please list a soup for me.", "INTJ VERB DET NOUN ADP PRON"),
        ("Can you describe the team quickly?", "AUX PRON VERB DET NOUN ADV"),
        ("I want you to summarize this new match.", "PRON VERB PRON PRT VERB DET ADJ NOUN"),
        ("How would you list some soups?", "ADV AUX PRON VERB DET NOUN"),
        ("My match: describe it in detail.", "PRON NOUN PUNCT VERB PRON ADP NOUN"),
        ("The men ran to the team.", "DET NOUN VERB ADP DET NOUN"),
        ("They match the fast player.", "PRON VERB DET ADJ NOUN"),
        ("The player runs fast.", "DET NOUN VERB ADJ"),
        ("I don't want 3 glorbs.", "PRON AUX PRT VERB NUM NOUN"),
    ],
)
def test_templates_of_known_sentences(tagger, text, tags):
    assert extract_template(text, tagger) == tags


def test_ambiguous_words_follow_context(tagger):
    # "list" and "match" are nouns after a determiner, verbs after "to" / a subject
    assert tagger.tags("the list") == ["DET", "NOUN"]
    assert tagger.tags("to list") == ["PRT", "VERB"]
    assert tagger.tags("we match") == ["PRON", "VERB"]
    assert tagger.tags("a match") == ["DET", "NOUN"]


def test_max_tags_and_batch(tagger):
    texts = ["Describe the new recipe.", "Can you describe the team quickly?"]
    assert extract_templates(texts, tagger, max_tags=2) == ["VERB DET", "AUX PRON"]


def test_tokenize_clitics_and_numbers():
    assert tokenize("It's 3,000 men's.") == ["It", "'s", "3,000", "men", "'s", "."]
