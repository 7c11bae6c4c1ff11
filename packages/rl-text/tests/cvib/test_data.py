from __future__ import annotations

import pytest

from rl_shared.errors import BadInput, MalformedFile
from rl_text.cvib.data import AbsaExample, disagreeing_subset, load_absa, load_seg, load_xml

SEG = "The $T$ is great but slow .\nscreen\n1\nThe screen is great but $T$ .\nslow\n-1\n"

XML = """<?xml version="1.0" encoding="UTF-8"?>
<sentences>
    <sentence id="1">
        <text>The food was good but the service was awful.</text>
        <aspectTerms>
            <aspectTerm term="food" polarity="positive" from="4" to="8"/>
            <aspectTerm term="service" polarity="negative" from="26" to="33"/>
        </aspectTerms>
    </sentence>
    <sentence id="2">
        <text>Prices are fair.</text>
        <aspectTerms>
            <aspectTerm term="Prices" polarity="conflict" from="0" to="6"/>
        </aspectTerms>
    </sentence>
    <sentence id="3">
        <text>No aspects here.</text>
    </sentence>
</sentences>
"""


def test_seg_round_trip(tmp_path):
    path = tmp_path / "a.seg"
    path.write_text(SEG)
    data = load_seg(path)
    assert [(e.sentence, e.aspect, e.label) for e in data] == [
        ("The screen is great but slow .", "screen", 2),
        ("The screen is great but slow .", "slow", 0),
    ]
    assert data[0].sentence[data[0].start :].startswith("screen")
    assert data[0].marked == "The [ screen ] is great but slow ."
    assert load_absa(path) == data


def test_seg_accepts_crlf_bom_and_trailing_blank(tmp_path):
    path = tmp_path / "a.seg"
    path.write_bytes(b"\xef\xbb\xbf" + SEG.replace("\n", "\r\n").encode() + b"\r\n\r\n")
    assert len(load_seg(path)) == 2


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("No marker .\nx\n1\n", 1, "exactly one $T$"),
        ("A $T$ .\nx\n2\n", 3, "polarity must be -1, 0 or 1"),
        ("A $T$ .\nx\n1\nB $T$ .\n\n0\n", 5, "aspect term is empty"),
        ("A $T$ .\nx\n1\nB $T$ .\n", 4, "not a multiple of 3"),
    ],
)
def test_seg_errors_name_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "bad.seg"
    path.write_text(text)
    with pytest.raises(MalformedFile) as err:
        load_seg(path)
    assert err.value.line == line
    assert f"bad.seg:{line}" in str(err.value)
    assert words in str(err.value)


def test_seg_missing_and_empty(tmp_path):
    with pytest.raises(BadInput, match="no file at"):
        load_seg(tmp_path / "none.seg")
    (tmp_path / "e.seg").write_text("\n\n")
    with pytest.raises(MalformedFile, match="empty"):
        load_seg(tmp_path / "e.seg")


def test_xml_reads_terms_and_skips_conflict(tmp_path):
    path = tmp_path / "toy.xml"
    path.write_text(XML)
    data = load_xml(path)
    assert [(e.aspect, e.polarity, e.start) for e in data] == [
        ("food", "positive", 4),
        ("service", "negative", 26),
    ]
    assert load_absa(path) == data


def test_xml_bad_offsets_name_line(tmp_path):
    path = tmp_path / "toy.xml"
    path.write_text(XML.replace('from="26" to="33"', 'from="25" to="33"'))
    with pytest.raises(MalformedFile) as err:
        load_xml(path)
    assert err.value.line == 7 and "not the term 'service'" in str(err.value)  # its aspectTerm


def test_xml_bad_polarity_and_missing_attribute(tmp_path):
    path = tmp_path / "toy.xml"
    path.write_text(XML.replace('polarity="negative"', 'polarity="awful"'))
    with pytest.raises(MalformedFile, match="unknown polarity 'awful'"):
        load_xml(path)
    path.write_text(XML.replace(' from="4"', ""))
    with pytest.raises(MalformedFile, match="lacks from"):
        load_xml(path)


def test_xml_not_well_formed(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(XML.replace("</text>\n        <aspectTerms>", "\n        <aspectTerms>", 1))
    with pytest.raises(MalformedFile) as err:
        load_xml(path)
    assert "broken.xml:" in str(err.value) and err.value.line is not None


def test_disagreeing_subset():
    def ex(sentence, aspect, label):
        return AbsaExample(sentence, aspect, label, sentence.index(aspect))

    data = [
        ex("good a good b bad c", "a", 2),
        ex("good a good b bad c", "b", 2),
        ex("good a good b bad c", "c", 0),
        ex("x y", "x", 2),  # single aspect: not counted
        ex("p q", "p", 2),
        ex("p q", "q", 0),  # tie: no majority
    ]
    assert [e.aspect for e in disagreeing_subset(data)] == ["c"]
