"""Syntactic-domain spurious-correlation probe (Shaib et al., "Learning the Wrong Lessons").

| module | what |
|---|---|
| :mod:`rl_text.syntactic_domain.lexicon` | WordNet open-class lexicon with ``morphy`` inflection rules |
| :mod:`rl_text.syntactic_domain.tagger` | rule + lexicon POS tagger (no downloads) |
| :mod:`rl_text.syntactic_domain.templates` | POS templates of instructions |
| :mod:`rl_text.syntactic_domain.correlation` | template-domain NMI and Cramér's V |
| :mod:`rl_text.syntactic_domain.grammar` | synthetic correlated-template benchmark, template swaps |
| :mod:`rl_text.syntactic_domain.probe` | classifiers and the swap-drop sweep |
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "association": "rl_text.syntactic_domain.correlation",
    "cramers_v": "rl_text.syntactic_domain.correlation",
    "normalized_mutual_information": "rl_text.syntactic_domain.correlation",
    "Instruction": "rl_text.syntactic_domain.grammar",
    "make_instructions": "rl_text.syntactic_domain.grammar",
    "swap_template": "rl_text.syntactic_domain.grammar",
    "swapped_set": "rl_text.syntactic_domain.grammar",
    "WordNetLexicon": "rl_text.syntactic_domain.lexicon",
    "BowClassifier": "rl_text.syntactic_domain.probe",
    "correlation_sweep": "rl_text.syntactic_domain.probe",
    "swap_drop": "rl_text.syntactic_domain.probe",
    "LexiconTagger": "rl_text.syntactic_domain.tagger",
    "tokenize": "rl_text.syntactic_domain.tagger",
    "extract_template": "rl_text.syntactic_domain.templates",
    "extract_templates": "rl_text.syntactic_domain.templates",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "BowClassifier",
    "Instruction",
    "LexiconTagger",
    "WordNetLexicon",
    "association",
    "correlation_sweep",
    "cramers_v",
    "extract_template",
    "extract_templates",
    "make_instructions",
    "normalized_mutual_information",
    "swap_drop",
    "swap_template",
    "swapped_set",
    "tokenize",
]
