"""The Word document every export is written into: A4, British English, real heading styles, page numbers
in the footer, core properties, a table of contents field that Word refreshes on opening.

Paragraphs and tables are built as WordprocessingML elements directly (python-docx's paragraph API looks
styles up by name on every call, which made a 1,000-submission volume several times slower); python-docx
still creates the package, styles, footer and properties. Every string passes through :func:`clean`.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

from ._normalise import visible

log = logging.getLogger(__name__)

FONT = "Arial"  # on Linux, LibreOffice draws it with the metric-compatible Liberation Sans
MONOSPACE_FONT = "Courier New"  # Liberation Mono on Linux
LANGUAGE = "en-GB"
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = (
    "Page numbers are added when Word updates this table on opening; if it does not, right-click the table "
    "and choose Update Field (or press F9)."
)
NUMBERED_STYLE = "Numbered Paragraph"
NOTE_STYLE = "Record Note"
LABEL_STYLE = "Question Label"

# XML 1.0 allows tab, line feed, carriage return and everything from U+0020 except surrogates and U+FFFE/F.
# C1 control characters (U+007F-U+009F) are legal but meaningless in a document: they go too.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_W = qn("w:p")[: -len("p")]  # "{namespace}"
_THEME_LATIN = re.compile(r'(<a:latin typeface=)"[^"]*"')


def clean(text: object) -> str:
    """``text`` as a string XML can hold and a reader sees whole: control characters, lone surrogates,
    U+FFFE/U+FFFF, invisible characters and bidirectional controls removed, line endings made ``\\n``."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return visible(_NOT_XML.sub("", value))


def one_line(text: object) -> str:
    """``text`` cleaned, on one line, its runs of white space made single spaces."""
    return " ".join(clean(text).split())


def lines(text: str) -> list[str]:
    """The non-empty lines of ``text`` (each becomes a paragraph), cleaned and stripped."""
    return [line.strip() for line in clean(text).split("\n") if line.strip()]


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


def _el(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """A child element ``w:tag`` with ``w:`` attributes."""
    child = etree.SubElement(parent, _W + tag)
    for name, value in attributes.items():
        child.set(_W + name, value)
    return child


class DocxWriter:
    """A document being written, top to bottom."""

    def __init__(self, *, title: str, author: str, subject: str, created: datetime, keywords: str = "") -> None:
        self.document = Document()
        self._body = self.document.element.body
        self._setup_page()
        self._setup_styles()
        self._setup_footer()
        self._sect_pr = self._body.sectPr
        self._body.remove(self._sect_pr)  # content is appended to the body; to_bytes() puts this back last
        self._setup_settings()
        self._set_properties(clean(title), clean(author), clean(subject), created, clean(keywords))
        self._style_ids = {style.name: style.style_id for style in self.document.styles}
        self._headings: list[tuple[int, str, str]] = []  # level, text, bookmark
        self._toc_end: etree._Element | None = None
        self._toc_filled = False

    # -- content ---------------------------------------------------------------------------------

    def heading(self, text: str, level: int, *, page_break_before: bool = False) -> None:
        """A heading in Word's ``Heading 1``-``Heading 3`` style (shown in the navigation pane and contents),
        with a bookmark the table of contents links to."""
        p = self.paragraph(style=f"Heading {level}", page_break_before=page_break_before)
        bookmark_id = str(len(self._headings) + 1)
        name = f"_Toc{bookmark_id.zfill(8)}"
        _el(p, "bookmarkStart", id=bookmark_id, name=name)
        self._run(p, Run(text))
        _el(p, "bookmarkEnd", id=bookmark_id)
        self._headings.append((level, one_line(text), name))

    def paragraph(
        self,
        *runs: Run | str,
        style: str | None = None,
        align: str | None = None,
        page_break_before: bool = False,
        keep_with_next: bool = False,
    ) -> etree._Element:
        """A paragraph of ``runs`` (plain strings are unemphasised runs)."""
        p = etree.SubElement(self._body, _W + "p")
        if style or align or page_break_before or keep_with_next:
            ppr = _el(p, "pPr")
            if style:
                _el(ppr, "pStyle", val=self._style_id(style))
            if keep_with_next:
                _el(ppr, "keepNext")
            if page_break_before:
                _el(ppr, "pageBreakBefore")
            if align:
                _el(ppr, "jc", val=align)
        for run in runs:
            self._run(p, run if isinstance(run, Run) else Run(run))
        return p

    def numbered(self, number: int, text: str) -> None:
        """A numbered paragraph (``12.`` then the text on a hanging indent), numbered by the caller."""
        p = self.paragraph(style=NUMBERED_STYLE)
        self._run(p, Run(f"{number}."))
        _el(_el(p, "r"), "tab")
        self._run(p, Run(text))

    def note(self, text: str) -> None:
        """A note of the record in italics (``Q15 was struck from the record: ...``)."""
        self.paragraph(Run(text, italic=True), style=NOTE_STYLE)

    def label(self, text: str) -> None:
        """A bold label that stays with what follows (a question above its answer)."""
        self.paragraph(Run(text, bold=True), style=LABEL_STYLE)

    def page_break(self) -> None:
        """Start a new page."""
        _el(_el(self.paragraph(), "r"), "br", type="page")

    def table(self, headers: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
        """A bordered table with a header row that repeats on each page."""
        tbl = etree.SubElement(self._body, _W + "tbl")
        tbl_pr = _el(tbl, "tblPr")
        _el(tbl_pr, "tblStyle", val=self._style_id("Table Grid"))
        _el(tbl_pr, "tblW", w=str(int(sum(widths_cm) * 567)), type="dxa")
        _el(tbl_pr, "tblLayout", type="fixed")
        _el(tbl_pr, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0", noHBand="0")
        grid = _el(tbl, "tblGrid")
        twips = [str(int(width * 567)) for width in widths_cm]
        for width in twips:
            _el(grid, "gridCol", w=width)
        self._row(tbl, headers, twips, header=True)
        for row in rows:
            self._row(tbl, row, twips, header=False)
        self.paragraph()  # Word needs a paragraph between a table and what follows

    def toc(self) -> None:
        """A table of contents field (headings 1-3, hyperlinked) that Word refreshes on opening.

        Until it is refreshed (and in readers that never do) it shows the instruction to update it and the
        headings of the document, each linked to its heading, without page numbers.
        """
        p = self.paragraph()
        self._field(p, TOC_INSTRUCTION, TOC_PLACEHOLDER, dirty=True, end=False)
        self._toc_end = self.paragraph()
        _el(_el(self._toc_end, "r"), "fldChar", fldCharType="end")

    def to_bytes(self) -> bytes:
        """The finished .docx file."""
        self._fill_toc()
        self._body.append(self._sect_pr)
        stream = io.BytesIO()
        try:
            self.document.save(stream)
        finally:
            self._body.remove(self._sect_pr)
        return stream.getvalue()

    def _fill_toc(self) -> None:
        """The table of contents as Word would show it before its page numbers are known."""
        if self._toc_end is None or self._toc_filled:
            return
        self._toc_filled = True
        for level, text, bookmark in self._headings:
            if level > 3:
                continue
            p = self.paragraph(style=f"toc {level}")
            link = _el(p, "hyperlink", anchor=bookmark, history="1")
            self._run(link, Run(text))
            self._toc_end.addprevious(p)

    # -- building blocks -------------------------------------------------------------------------

    def _style_id(self, name: str) -> str:
        return self._style_ids[name]

    def _run(self, p: etree._Element, run: Run) -> None:
        text = clean(run.text)
        if not text:
            return
        r = _el(p, "r")
        if run.bold or run.italic:
            rpr = _el(r, "rPr")
            if run.bold:
                _el(rpr, "b")
            if run.italic:
                _el(rpr, "i")
        for index, piece in enumerate(text.replace("\n", "\t").split("\t")):
            if index:
                _el(r, "tab")
            if piece:
                t = _el(r, "t")
                t.text = piece
                if piece[0] == " " or piece[-1] == " ":
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def _row(self, tbl: etree._Element, cells: list[str], twips: list[str], *, header: bool) -> None:
        tr = _el(tbl, "tr")
        if header:
            _el(_el(tr, "trPr"), "tblHeader")
        for text, width in zip(cells, twips, strict=True):
            tc = _el(tr, "tc")
            _el(_el(tc, "tcPr"), "tcW", w=width, type="dxa")
            p = _el(tc, "p")
            _el(_el(p, "pPr"), "spacing", before="40", after="40")
            self._run(p, Run(text, bold=header))

    def _field(
        self, p: etree._Element, instruction: str, placeholder: str, *, dirty: bool = False, end: bool = True
    ) -> None:
        """A complex field: begin, instruction, separate, the shown result, end."""
        begin = _el(_el(p, "r"), "fldChar", fldCharType="begin")
        if dirty:
            begin.set(_W + "dirty", "true")
        instr = _el(_el(p, "r"), "instrText")
        instr.text = f" {instruction} "
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _el(_el(p, "r"), "fldChar", fldCharType="separate")
        self._run(p, Run(placeholder))
        if end:
            _el(_el(p, "r"), "fldChar", fldCharType="end")

    # -- set-up ----------------------------------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)

    def _setup_styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(defaults, FONT)
        for fonts in styles.element.iter(qn("w:rFonts")):  # the template's other styles: theme fonts, Courier
            _set_fonts(fonts.getparent(), MONOSPACE_FONT if fonts.get(qn("w:ascii")) == "Courier" else FONT)
        self._setup_theme_fonts()
        defaults.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
        for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12)):
            style = styles[name]
            _set_fonts(style.element.get_or_add_rPr(), FONT)
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor(0, 0, 0)
        for border in styles["Title"].element.iter(qn("w:bottom")):
            border.set(qn("w:color"), "000000")
            border.attrib.pop(qn("w:themeColor"), None)
        styles["Subtitle"].font.italic = False
        subtitle_ppr = styles["Subtitle"].element.pPr
        if subtitle_ppr is not None and subtitle_ppr.find(qn("w:numPr")) is not None:
            subtitle_ppr.remove(subtitle_ppr.find(qn("w:numPr")))
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            styles[name].paragraph_format.space_before = Pt(18 if name == "Heading 1" else 12)
            styles[name].paragraph_format.space_after = Pt(6)
        styles["Normal"].paragraph_format.space_after = Pt(6)
        self._add_paragraph_style(NUMBERED_STYLE, left=Cm(1), first_line=Cm(-1))
        self._add_paragraph_style(NOTE_STYLE, left=Cm(0), first_line=Cm(0))
        label = self._add_paragraph_style(LABEL_STYLE, left=Cm(0), first_line=Cm(0))
        label.paragraph_format.keep_with_next = True
        label.paragraph_format.space_before = Pt(12)
        for level in (1, 2, 3):
            entry = self._add_paragraph_style(f"toc {level}", left=Cm(0.6 * (level - 1)), first_line=Cm(0))
            entry.paragraph_format.space_after = Pt(2)
            entry.font.bold = level == 1

    def _setup_theme_fonts(self) -> None:
        """Make the theme's heading and body fonts :data:`FONT` too (the template's are Calibri and Cambria),
        for any style that still names a theme font, such as those of ``stylesWithEffects.xml``."""
        for rel in self.document.part.rels.values():
            if rel.reltype.endswith("/theme"):
                part = rel.target_part
                part._blob = _THEME_LATIN.sub(rf'\g<1>"{FONT}"', part.blob.decode("utf-8")).encode("utf-8")

    def _add_paragraph_style(self, name: str, *, left: Cm, first_line: Cm):
        style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.document.styles["Normal"]
        style.quick_style = True
        style.paragraph_format.left_indent = left
        style.paragraph_format.first_line_indent = first_line
        if left and first_line:
            style.paragraph_format.tab_stops.add_tab_stop(left)
        return style

    def _setup_footer(self) -> None:
        p = self.document.sections[0].footer.paragraphs[0]
        _el(p._p.get_or_add_pPr(), "jc", val="center")
        self._run(p._p, Run("Page "))
        self._field(p._p, "PAGE", "1")
        self._run(p._p, Run(" of "))
        self._field(p._p, "NUMPAGES", "1")

    def _setup_settings(self) -> None:
        settings = self.document.settings.element
        update = etree.Element(qn("w:updateFields"))
        update.set(qn("w:val"), "true")
        settings.find(qn("w:compat")).addprevious(update)
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), LANGUAGE)

    def _set_properties(self, title: str, author: str, subject: str, created: datetime, keywords: str) -> None:
        when = created.astimezone(UTC).replace(tzinfo=None) if created.tzinfo else created
        props = self.document.core_properties
        props.title, props.author, props.subject, props.keywords = title, author, subject, keywords
        props.last_modified_by, props.language, props.revision = author, LANGUAGE, 1
        props.comments, props.category = "", ""
        props.created = props.modified = when


def _set_fonts(rpr: etree._Element, font: str) -> None:
    """Name ``font`` for every script in ``rpr``, dropping theme fonts (which Word would use instead)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.Element(qn("w:rFonts"))
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), font)
