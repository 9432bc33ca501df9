"""What every export shares: core properties, A4, British English, heading styles, page numbers in the footer,
a table of contents Word refreshes, and text that XML cannot hold stripped before it breaks anything."""

from __future__ import annotations

import dataclasses
import re

import pytest
from export_samples import (
    CHAIR,
    COMMITTEE,
    CREATED,
    all_xml,
    part_xml,
    reopen,
    styled,
    texts,
    transcript_doc,
    volume_doc,
)
from export_samples import minutes_doc as seed_minutes

from exports import build_evidence_volume, build_minutes, build_transcript
from exports._docx import TOC_INSTRUCTION, clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BUILDERS = {
    "minutes": lambda **kw: build_minutes(seed_minutes(), **kw),
    "transcript": lambda **kw: build_transcript(transcript_doc(), **kw),
    "evidence": lambda **kw: build_evidence_volume(volume_doc(), **kw).data,
}
TITLES = {
    "minutes": "Formal minutes: Social connection during the lockdown",
    "transcript": "Oral evidence: Social connection during the lockdown",
    "evidence": "Written evidence: What can we learn from the COVID-19 crisis about social connection with isolated "
    "groups?",
}


@pytest.fixture(params=sorted(BUILDERS))
def built(request) -> tuple[str, bytes]:
    return request.param, BUILDERS[request.param](created=CREATED)


def test_core_properties(built):
    kind, data = built
    props = reopen(data).core_properties
    assert props.title == TITLES[kind]
    assert props.author == COMMITTEE
    assert props.last_modified_by == COMMITTEE
    assert props.created == CREATED
    assert props.modified == CREATED
    assert props.language == "en-GB"


def test_a4_pages_in_british_english(built):
    _, data = built
    document = reopen(data)
    [section] = document.sections
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    styles = part_xml(data, "word/styles.xml")
    assert re.search(r'<w:rPrDefault>.*?<w:lang w:val="en-GB"', styles, re.S)
    assert '<w:themeFontLang w:val="en-GB"' in part_xml(data, "word/settings.xml")


def test_styles_name_fonts_every_reader_has(built):
    """Arial (and Courier New) are on Windows and macOS, and Linux has metric-compatible fonts for them; a theme
    font or a font the reader lacks would be substituted by one of other widths, and the pages would differ."""
    _, data = built
    styles = part_xml(data, "word/styles.xml")
    fonts = re.findall(r"<w:rFonts [^>]*>", styles)
    named = {name for element in fonts for name in re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', element)}
    assert named == {"Arial", "Courier New"}
    assert "Theme=" not in styles and "w:cstheme=" not in styles
    theme = part_xml(data, "word/theme/theme1.xml")
    assert re.findall(r'<a:latin typeface="([^"]*)"', theme) == ["Arial", "Arial"]


def test_footer_numbers_the_pages(built):
    _, data = built
    footer = reopen(data).sections[0].footer.paragraphs[0]._p
    instructions = [t.text.strip() for t in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "".join(t.text for t in footer.iter(f"{W}t")).startswith("Page ")


def test_table_of_contents_field_is_refreshed_by_word(built):
    _, data = built
    document = reopen(data)
    body = document.element.body
    [instruction] = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert instruction == TOC_INSTRUCTION == 'TOC \\o "1-3" \\h \\z \\u'
    begin = next(body.iter(f"{W}fldChar"))
    assert begin.get(f"{W}fldCharType") == "begin"
    assert begin.get(f"{W}dirty") == "true"
    assert any("Update Field" in text for text in texts(document))
    settings = document.settings.element
    update = settings.find(f"{W}updateFields")
    assert update is not None
    assert update.get(f"{W}val") == "true"
    children = [child.tag for child in settings]
    assert children.index(f"{W}updateFields") < children.index(f"{W}compat")  # the schema's order


def test_contents_entries_link_to_the_headings(built):
    _, data = built
    document = reopen(data)
    body = document.element.body
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    links = [(h.get(f"{W}anchor"), "".join(t.text for t in h.iter(f"{W}t"))) for h in body.iter(f"{W}hyperlink")]
    heading_texts = [text for style, text in styled(document) if style in ("Heading 1", "Heading 2", "Heading 3")]
    assert [text for _, text in links] == heading_texts
    assert {anchor for anchor, _ in links} == bookmarks
    assert len(bookmarks) == len(heading_texts)


def test_headings_use_word_heading_styles_with_outline_levels(built):
    _, data = built
    document = reopen(data)
    used = {style for style, _ in styled(document) if style.startswith("Heading")}
    assert "Heading 1" in used
    for name in used:
        outline = document.styles[name].element.pPr.find(f"{W}outlineLvl")
        assert int(outline.get(f"{W}val")) == int(name[-1]) - 1


def test_same_record_same_document(built):
    kind, data = built
    assert all_xml(BUILDERS[kind](created=CREATED)) == all_xml(data)


POISON = "\x00\x01\x08\x0b\x0c\x1f\x7f\x9f\ud800\udfff\ufffe\uffff"
_NOT_POISONED = {"kind", "capacity", "publication", "timezone_name"}


def _poisoned(value):
    """``value`` with characters XML cannot hold put inside every string it carries."""
    if isinstance(value, str):
        return value[:1] + POISON + value[1:]
    if isinstance(value, list):
        return [_poisoned(item) for item in value]
    if dataclasses.is_dataclass(value):
        changes = {
            f.name: _poisoned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in _NOT_POISONED
        }
        return dataclasses.replace(value, **changes)
    return value


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_characters_xml_cannot_hold_do_not_break_an_export(kind):
    builders = {
        "minutes": lambda: build_minutes(_poisoned(seed_minutes())),
        "transcript": lambda: build_transcript(_poisoned(transcript_doc())),
        "evidence": lambda: build_evidence_volume(_poisoned(volume_doc())).data,
    }
    data = builders[kind]()
    document = reopen(data)
    xml = all_xml(data)

    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", xml)
    assert CHAIR in xml or "British Future" in xml
    assert document.core_properties.author == COMMITTEE
    assert all(style for style, _ in styled(document))


def test_poisoned_evidence_is_still_redacted():
    result = build_evidence_volume(_poisoned(volume_doc()))
    xml = all_xml(result.data)
    assert "rhys.evans@example.org" not in xml
    assert "Jane Bloggs" not in xml
    assert "Hidden Witness" not in xml


def test_clean():
    assert clean("a\x00b\x0bc\ud800d\ufffee\uffff\x7f\x85f") == "abcdef"
    assert clean("line\r\nnext\rlast\ttab") == "line\nnext\nlast\ttab"
    assert clean("Cymraeg: ŵ ŷ — “quotes” 😀 \U0010fffd") == "Cymraeg: ŵ ŷ — “quotes” 😀 \U0010fffd"
    assert clean(None) == ""
