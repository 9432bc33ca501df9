"""Real documents made for the tests: Word files by python-docx, other formats by LibreOffice from them, and
hostile or broken files made from those by the means their makers use."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pypdf
import pytest

QUESTIONS = (
    "How has the lockdown affected social connection in your community?",
    "What has helped people stay in touch?",
    "What should the Government do next?",
)


def sample_docx() -> bytes:
    """A witness's submission: a title, an introduction, answers under headings, bullets, a numbered list,
    a table, and a closing paragraph."""
    document = docx.Document()
    document.add_heading("Written evidence from Northfield Age Concern", 1)
    document.add_paragraph("Northfield Age Concern supports eleven hundred older people across West Yorkshire.")
    document.add_heading("Question 1", 2)
    document.add_paragraph("Isolation has deepened for people who live alone, above all those without broadband.")
    document.add_paragraph("Volunteer phone trees", style="List Bullet")
    document.add_paragraph("Doorstep befriending visits", style="List Bullet")
    document.add_heading("Question 2", 2)
    document.add_paragraph("Three things helped most:")
    document.add_paragraph("Weekly telephone calls from trained volunteers", style="List Number")
    document.add_paragraph("Printed newsletters delivered by hand", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, (area, members) in enumerate((("Area", "Members"), ("Leeds", "1,200"), ("Bradford", "850"))):
        table.cell(row, 0).text = area
        table.cell(row, 1).text = members
    document.add_heading("Question 3", 2)
    document.add_paragraph("Fund digital inclusion schemes through local charities, not national portals.")
    return save_docx(document)


def numbered_paragraphs_docx(count: int = 40) -> bytes:
    """A submission in committee style: every paragraph numbered by hand, 1 to ``count``."""
    document = docx.Document()
    document.add_heading("Submission from the Centre for Neighbourhood Research", 1)
    for number in range(1, count + 1):
        document.add_paragraph(f"{number}. Paragraph {number} of our evidence on neighbourhood ties and volunteering.")
    return save_docx(document)


def long_docx(paragraphs: int = 30) -> tuple[bytes, list[str]]:
    """A submission running over several pages, with a running header and footer, and its paragraphs."""
    words = [
        "community",
        "volunteers",
        "isolation",
        "broadband",
        "library",
        "transport",
        "council",
        "funding",
        "older",
        "carers",
        "neighbours",
        "loneliness",
        "digital",
        "schemes",
        "parish",
        "visits",
    ]
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Social connection inquiry"
    document.sections[0].footer.paragraphs[0].text = "Northfield Age Concern: written evidence"
    document.add_heading("A long submission", 1)
    texts = []
    for number in range(paragraphs):
        count = 40 + (number * 37) % 70
        text = " ".join(words[(number * 7 + k * k) % len(words)] for k in range(count)).capitalize() + "."
        texts.append(text)
        document.add_paragraph(text)
    return save_docx(document), texts


def image_only_docx() -> bytes:
    """A Word file holding one picture of a page and no text: what a scanner's 'save as Word' can give."""
    document = docx.Document()
    document.add_picture(io.BytesIO(grey_png(600, 800)))
    return save_docx(document)


def grey_png(width: int, height: int) -> bytes:
    """A greyscale PNG with dark bands like lines of print on a page."""
    rows = []
    for y in range(height):
        dark = (y // 12) % 3 == 0 and 60 < y < height - 60
        rows.append(b"\x00" + bytes((40 if dark and 50 < x < width - 50 else 235) for x in range(width)))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def save_docx(document) -> bytes:
    """The python-docx document as .docx bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The zip container ``data`` with members added or replaced, as an editor saving it would write it."""
    add, replace = add or {}, replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, replace.get(info.filename, source.read(info.filename)))
        for name, body in add.items():
            target.writestr(name, body)
    return out.getvalue()


def macro_docx(data: bytes) -> bytes:
    """``data`` made macro-enabled as Word saves a .docm: a vbaProject.bin part, its relationship and the
    macro-enabled main content type."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").decode()
        rels = source.read("word/_rels/document.xml.rels").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    ).replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/></Relationships>',
    )
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the header of the compound file Word writes there
    return rezip(
        data,
        add={"word/vbaProject.bin": vba},
        replace={"[Content_Types].xml": types.encode(), "word/_rels/document.xml.rels": rels.encode()},
    )


def zip_bomb_docx(data: bytes, unpacked: int = 64 * 1024 * 1024) -> bytes:
    """``data`` with a hidden part of ``unpacked`` zero bytes, which deflate packs a thousand to one."""
    out = io.BytesIO(data)
    block = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
        target.open("word/media/padding.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(unpacked // len(block)):
            member.write(block)
    return out.getvalue()


def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice is not installed (scripts/bootstrap.sh installs it)")
    return soffice


def libreoffice(source: Path, target_format: str, outdir: Path, profile: Path | None = None) -> Path:
    """``source`` converted by LibreOffice (headless, with a profile of its own) to ``target_format``."""
    soffice = _soffice()
    profile = profile or outdir / f"profile-{source.stem}-{target_format}"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target_format]
    done = subprocess.run(
        [*command, "--outdir", str(outdir), str(source)], capture_output=True, text=True, timeout=300, check=False
    )
    converted = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    assert converted.exists(), f"LibreOffice did not convert {source.name}: {done.stdout} {done.stderr}"
    return converted


def simple_pdf(content: bytes, *, deflated: bool = False) -> bytes:
    """A one-page PDF drawing ``content`` (a content stream, packed with Flate when ``deflated``) in
    Helvetica, written object by object as the PDF specification lays it out."""
    flate = b" /Filter /FlateDecode" if deflated else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), flate, content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_of_words(words: str) -> bytes:
    """A one-page PDF whose text layer holds ``words``."""
    return simple_pdf(f"BT /F1 12 Tf 72 760 Td ({words}) Tj ET".encode("latin-1"))


def inflating_pdf(unpacked: int) -> bytes:
    """A valid one-page PDF whose content stream is small packed and ``unpacked`` bytes inflated."""
    packer = zlib.compressobj(1)
    line = b"BT /F1 12 Tf 72 760 Td (Evidence) Tj ET\n"
    block = line + b" " * (1024 * 1024 - len(line))
    packed = b"".join(packer.compress(block) for _ in range(unpacked // len(block))) + packer.flush()
    return simple_pdf(packed, deflated=True)


def encrypted_pdf(data: bytes, user_password: str, algorithm: str = "AES-256") -> bytes:
    """``data`` encrypted by pypdf: opening it needs ``user_password`` (none when empty)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="secretariat-owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SAVE_WITH_PASSWORD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub SaveWithPassword(source As String, target As String, password As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  Dim save(1) As New com.sun.star.beans.PropertyValue
  save(0).Name = &quot;FilterName&quot;
  save(0).Value = &quot;writer8&quot;
  save(1).Name = &quot;Password&quot;
  save(1).Value = password
  document.storeToURL(ConvertToURL(target), save())
  document.close(True)
End Sub
</script:module>
"""


def libreoffice_with_password(source: Path, outdir: Path, password: str) -> Path:
    """``source`` saved by LibreOffice as an OpenDocument text protected by ``password``, as its Save dialog
    does: a Basic macro in a profile of its own calls storeToURL with a Password (the command line's
    --convert-to has no way to give one)."""
    soffice = _soffice()
    profile = outdir / "profile-password"
    libreoffice(source, "odt", outdir / "plain", profile)  # the first start lays out the profile and its Basic
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.exists(), "LibreOffice did not create its Basic library in the profile"
    module.write_text(SAVE_WITH_PASSWORD)
    target = outdir / f"{source.stem}-locked.odt"
    call = f'macro:///Standard.Module1.SaveWithPassword("{source}","{target}","{password}")'
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", call],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert target.exists(), f"LibreOffice did not save {target.name}: {done.stdout} {done.stderr}"
    return target
