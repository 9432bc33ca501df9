"""Files that must be refused, each with its reason code and a message a witness can act on. The files are
real: encrypted by the tools that encrypt them, made macro-enabled as Word writes macros, cut short, inflated."""

from __future__ import annotations

import io
import zipfile

import msoffcrypto
import odfdo
import pypdf
import pytest
from document_samples import (
    encrypted_pdf,
    image_only_docx,
    libreoffice,
    libreoffice_with_password,
    macro_docx,
    pdf_of_words,
    rezip,
    sample_docx,
    zip_bomb_docx,
)

from documents import DocumentRefused, Limits, Reason, extract_document, extract_document_isolated
from documents.sniff import MAX_RATIO, check_zip_sizes


def refused(data, filename, **options) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        extract_document(data, filename, **options)
    assert caught.value.message == str(caught.value)
    assert len(caught.value.message) > 20
    return caught.value


def test_a_pdf_made_here_reads():
    document = extract_document(pdf_of_words("Evidence on rural bus services"), "bus.pdf")
    assert document.text == "Evidence on rural bus services"
    assert document.page_count == 1


@pytest.mark.parametrize(
    ("data", "filename", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "evidence.docx", "program"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "evidence.pdf", "program"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "scan.pdf", "picture"),
        (bytes(range(256)) * 20, "evidence.txt", "not a document"),
        (b"Plain words, but the name says Word.", "evidence.docx", "named .docx"),
        (b"Plain words in a program's name.", "evidence.exe", ".exe"),
        (b"<html><body>Evidence</body></html>", "evidence.html", ".html"),
    ],
)
def test_wrong_types_are_told_by_content(data, filename, what):
    refusal = refused(data, filename)
    assert refusal.reason is Reason.WRONG_TYPE
    assert what in refusal.message


def test_a_zip_of_something_else_named_docx_is_the_wrong_type():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/holiday.jpg", b"\xff\xd8\xff" + bytes(100))
    assert refused(out.getvalue(), "evidence.docx").reason is Reason.WRONG_TYPE


def test_a_spreadsheet_named_docx_is_the_wrong_type():
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refusal = refused(out.getvalue(), "evidence.docx")
    assert refusal.reason is Reason.WRONG_TYPE
    assert "spreadsheet" in refusal.message


def test_content_decides_when_the_extension_is_another_readable_format():
    document = extract_document(sample_docx(), "evidence.doc")  # a .docx saved under the old name
    assert document.format.value == "docx"


def test_too_large_by_bytes_and_by_path(tmp_path):
    refusal = refused(b"word " * 300, "evidence.txt", max_bytes=1000)
    assert refusal.reason is Reason.TOO_LARGE
    assert "1 KB" in refusal.message
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)  # 30 MB on paper; refused from its size before a byte is read
    refusal = refused(huge, None)
    assert refusal.reason is Reason.TOO_LARGE
    assert "30.0 MB" in refusal.message
    assert "25.0 MB" in refusal.message


def test_password_protected_word_document_is_encrypted():
    plain = io.BytesIO(sample_docx())
    locked = io.BytesIO()
    msoffcrypto.OfficeFile(plain).encrypt("witness-password", locked)
    assert locked.getvalue().startswith(b"\xd0\xcf\x11\xe0")  # Office's compound file, as Word writes it
    refusal = refused(locked.getvalue(), "evidence.docx")
    assert refusal.reason is Reason.ENCRYPTED
    assert "password" in refusal.message


def test_pdf_needing_a_password_is_encrypted():
    locked = encrypted_pdf(pdf_of_words("Confidential evidence"), user_password="witness-password")
    refusal = refused(locked, "evidence.pdf")
    assert refusal.reason is Reason.ENCRYPTED
    assert "password" in refusal.message


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_only_an_owner_password_opens_and_reads(algorithm):
    locked = encrypted_pdf(pdf_of_words("Evidence anyone may open"), user_password="", algorithm=algorithm)
    assert pypdf.PdfReader(io.BytesIO(locked)).is_encrypted
    assert extract_document(locked, "evidence.pdf").text == "Evidence anyone may open"


@pytest.mark.slow
def test_password_protected_opendocument_is_encrypted(tmp_path):
    source = tmp_path / "evidence.docx"
    source.write_bytes(sample_docx())
    locked = libreoffice_with_password(source, tmp_path, "witness-password").read_bytes()
    with zipfile.ZipFile(io.BytesIO(locked)) as archive:
        assert b"encryption-data" in archive.read("META-INF/manifest.xml")  # as LibreOffice encrypts
    refusal = refused(locked, "evidence.odt")
    assert refusal.reason is Reason.ENCRYPTED
    assert "password" in refusal.message


def test_macro_enabled_word_documents_are_refused():
    docm = macro_docx(sample_docx())
    for name in ("evidence.docx", "evidence.docm"):
        refusal = refused(docm, name)
        assert refusal.reason is Reason.MACROS
        assert "macros" in refusal.message
    assert refused(sample_docx(), "evidence.docm").reason is Reason.MACROS  # the name alone says macros


def test_a_vba_part_alone_is_enough_to_refuse():
    sneaky = rezip(sample_docx(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)})
    assert refused(sneaky, "evidence.docx").reason is Reason.MACROS


@pytest.mark.slow
def test_opendocument_with_basic_macros_is_refused(tmp_path):
    source = tmp_path / "evidence.docx"
    source.write_bytes(sample_docx())
    odt = libreoffice(source, "odt", tmp_path).read_bytes()
    with_macros = rezip(odt, add={"Basic/Standard/Module1.xml": b"<script:module/>"})
    assert refused(with_macros, "evidence.odt").reason is Reason.MACROS


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_word_document_is_damaged(cut):
    data = sample_docx()
    assert refused(data[: int(len(data) * cut)], "evidence.docx").reason is Reason.DAMAGED


def test_truncated_and_corrupt_pdfs_are_damaged():
    data = pdf_of_words("Evidence on rural bus services")
    assert refused(data[: len(data) // 2], "evidence.pdf").reason is Reason.DAMAGED
    garbage = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    assert refused(garbage, "evidence.pdf").reason is Reason.DAMAGED


def test_word_document_with_broken_xml_is_damaged():
    broken = rezip(sample_docx(), replace={"word/document.xml": b"<w:document><w:body><w:p>"})
    assert refused(broken, "evidence.docx").reason is Reason.DAMAGED


def test_xml_entity_expansion_is_refused_before_parsing():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    assert refused(rezip(sample_docx(), replace={"word/document.xml": laughs}), "e.docx").reason is Reason.DAMAGED


@pytest.mark.slow
def test_truncated_rtf_is_damaged(tmp_path):
    source = tmp_path / "evidence.docx"
    source.write_bytes(sample_docx())
    rtf = libreoffice(source, "rtf", tmp_path).read_bytes()
    assert refused(rtf[: len(rtf) * 2 // 3], "evidence.rtf").reason is Reason.DAMAGED


async def test_opendocument_space_count_cannot_blow_up_the_text():
    """``<text:s text:c="1000000000"/>`` asks for a billion spaces: read within a 320 MB limit all the same."""
    document = odfdo.Document("text")
    document.body.clear()
    document.body.append(odfdo.Paragraph("Evidence from the Dales"))
    out = io.BytesIO()
    document.save(out)
    content = zipfile.ZipFile(out).read("content.xml")
    hostile = rezip(
        out.getvalue(), replace={"content.xml": content.replace(b"from the", b'from<text:s text:c="1000000000"/>the')}
    )
    read = await extract_document_isolated(hostile, "evidence.odt", limits=Limits(memory_bytes=320 * 1024 * 1024))
    assert read.text == "Evidence from the Dales"  # spaces within a paragraph are tidied to one


def test_zip_bomb_is_refused_from_its_directory():
    bomb = zip_bomb_docx(sample_docx())
    assert len(bomb) < 1024 * 1024  # 64 MB inside, well under 1 MB outside
    refusal = refused(bomb, "evidence.docx")
    assert refusal.reason is Reason.ZIP_BOMB


def test_zip_size_rules():
    def info(size: int, packed: int) -> zipfile.ZipInfo:
        made = zipfile.ZipInfo("part.xml")
        made.file_size, made.compress_size = size, packed
        return made

    check_zip_sizes([info(900_000, 1_000)])  # small parts may compress well
    check_zip_sizes([info(5 * 1024 * 1024, 5 * 1024 * 1024 * 2 // MAX_RATIO)])  # half the ratio allowed
    with pytest.raises(DocumentRefused):
        check_zip_sizes([info(5 * 1024 * 1024, 5 * 1024 * 1024 // (2 * MAX_RATIO))])  # twice the ratio
    with pytest.raises(DocumentRefused):
        check_zip_sizes([info(100 * 1024 * 1024, 50 * 1024 * 1024) for _ in range(3)])  # 300 MB in all


def test_empty_documents():
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    assert refused(blank.getvalue(), "evidence.docx").reason is Reason.EMPTY
    assert refused(b"", "evidence.txt").reason is Reason.EMPTY
    assert refused(b" \r\n\t\r\n", "evidence.txt").reason is Reason.EMPTY
    assert refused(image_only_docx(), "scan.docx").reason is Reason.EMPTY


def test_empty_by_the_callers_word_count():
    refusal = refused(b"-- ... --", "evidence.txt", count_words=lambda text: 0)
    assert refusal.reason is Reason.EMPTY


def test_pdf_with_blank_pages_has_no_text_layer():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    refusal = refused(out.getvalue(), "evidence.pdf")
    assert refusal.reason is Reason.NO_TEXT_LAYER


@pytest.mark.slow
def test_scanned_pdf_has_no_text_layer(tmp_path):
    """A PDF of a page picture, as a scanner makes: LibreOffice prints a Word file holding only an image."""
    source = tmp_path / "scan.docx"
    source.write_bytes(image_only_docx())
    pdf = libreoffice(source, "pdf", tmp_path).read_bytes()
    assert b"/Image" in pdf
    refusal = refused(pdf, "scan.pdf")
    assert refusal.reason is Reason.NO_TEXT_LAYER
    assert "no text layer" in refusal.message
    assert "Word" in refusal.message


def test_text_in_no_readable_encoding_is_refused():
    # 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252, and the bytes are not UTF-8
    refusal = refused(b"Evidence \x81\x8d\x8f\x90\x9d from a reader", "evidence.txt")
    assert refusal.reason is Reason.ENCODING
    assert "UTF-8" in refusal.message


@pytest.mark.slow
def test_old_word_format_is_asked_to_be_saved_as_docx(tmp_path):
    source = tmp_path / "evidence.docx"
    source.write_bytes(sample_docx())
    doc = libreoffice(source, "doc", tmp_path).read_bytes()
    assert doc.startswith(b"\xd0\xcf\x11\xe0")  # Word 97-2003: a compound file with a WordDocument stream
    for name in ("evidence.doc", "evidence.docx"):
        refusal = refused(doc, name)
        assert refusal.reason is Reason.OLD_FORMAT
        assert ".docx" in refusal.message
