"""What a file really is, told from its content: the checks made before any parser reads it.

The name's extension must be one of the formats read (or a Word name such as ``.doc`` whose content may still
be a ``.docx``), and the content decides the format. Zip containers (Word and OpenDocument) are checked from
their directory before a byte is unpacked: member count, unpacked sizes and compression ratios (zip bombs),
encrypted members, macros (``vbaProject.bin``, a macro-enabled content type, OpenDocument Basic or scripts),
OpenDocument encryption (``encryption-data`` in the manifest), and XML parts that declare a DOCTYPE (entity
expansion). Compound (OLE) files are told apart: an encrypted Word file (``EncryptionInfo`` and
``EncryptedPackage`` streams) from a Word 97-2003 ``.doc`` and from anything else.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from pathlib import Path, PurePath

import olefile

from ._text import decode_text
from .errors import ACCEPTED, ASK_FOR_TEXT, DocumentRefused, Reason
from .model import DocumentFormat

log = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 25 * MB  # the Commons asks for written evidence under 25 MB
MAX_MEMBERS = 5_000
MAX_UNPACKED = 256 * MB  # all members of a zip container, unpacked
MAX_RATIO = 100  # a member over RATIO_FLOOR may unpack to at most this many times its packed size
RATIO_FLOOR = 1 * MB

EXTENSIONS = {
    ".docx": DocumentFormat.DOCX,
    ".dotx": DocumentFormat.DOCX,
    ".odt": DocumentFormat.ODT,
    ".ott": DocumentFormat.ODT,
    ".rtf": DocumentFormat.RTF,
    ".txt": DocumentFormat.TXT,
    ".text": DocumentFormat.TXT,
    ".md": DocumentFormat.MD,
    ".markdown": DocumentFormat.MD,
    ".pdf": DocumentFormat.PDF,
}
MACRO_EXTENSIONS = frozenset({".docm", ".dotm"})
WORD_NAMES = frozenset({".doc", ".dot", ".wbk"})  # old Word names; the content decides
TEXT_FORMATS = frozenset({DocumentFormat.TXT, DocumentFormat.MD})

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml."
ODF_TEXT = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OTHER_FILES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"GIF8", "a picture"),
    (b"II*\x00", "a picture"),
    (b"MM\x00*", "a picture"),
    (b"Rar!", "an archive"),
    (b"7z\xbc\xaf", "an archive"),
    (b"\x1f\x8b", "an archive"),
    (b"%!PS", "a PostScript file"),
)


def read_source(
    source: bytes | bytearray | memoryview | str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """The bytes of ``source`` (bytes, or a path whose size is checked before it is read), within ``max_bytes``."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        _check_size(len(data), max_bytes)
        return data
    path = Path(source)
    _check_size(path.stat().st_size, max_bytes)
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    _check_size(len(data), max_bytes)
    return data


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise DocumentRefused(
            Reason.TOO_LARGE,
            f"The file is {_human(size)}; the most that can be taken is {_human(max_bytes)}. "
            "Please send a smaller file: without pictures, or as a Word document or plain text.",
        )
    if size == 0:
        raise DocumentRefused(
            Reason.EMPTY, "The file is empty: it has nothing in it. Please check you sent the right file."
        )


def _human(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, round(size / 1024))} KB"


def sniff(data: bytes, filename: str | None = None) -> DocumentFormat:
    """The format of ``data``, from its content; refuses what is not a readable document."""
    extension = PurePath(filename).suffix.lower() if filename else ""
    if extension in MACRO_EXTENSIONS:
        raise DocumentRefused(Reason.MACROS, f"Documents with macros ({extension}) cannot be taken. {ASK_FOR_TEXT}")
    if extension and extension not in EXTENSIONS and extension not in WORD_NAMES:
        raise DocumentRefused(Reason.WRONG_TYPE, f"Files of type {extension} cannot be taken. Please send {ACCEPTED}.")
    found = _content_format(data)
    if found in TEXT_FORMATS:
        if extension in WORD_NAMES:
            raise DocumentRefused(Reason.OLD_FORMAT, f"This file is not a Word document. {ASK_FOR_TEXT}")
        if extension and EXTENSIONS[extension] not in TEXT_FORMATS:
            raise DocumentRefused(Reason.WRONG_TYPE, f"This file is named {extension} but its content is not.")
        return EXTENSIONS.get(extension, DocumentFormat.TXT)
    if extension and extension not in WORD_NAMES and EXTENSIONS[extension] is not found:
        log.info("a file named %s holds a %s document", extension, found.value)
    return found


def _content_format(data: bytes) -> DocumentFormat:
    if b"%PDF-" in data[:1024]:
        return DocumentFormat.PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(data)
    if data.startswith(CFB_MAGIC):
        raise _compound_refusal(data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return DocumentFormat.RTF
    for magic, what in OTHER_FILES:
        if data.startswith(magic):
            raise DocumentRefused(Reason.WRONG_TYPE, f"This file is {what}, not a document. Please send {ACCEPTED}.")
    try:
        decode_text(data)
    except DocumentRefused as refusal:
        if refusal.reason is Reason.WRONG_TYPE:
            raise DocumentRefused(
                Reason.WRONG_TYPE, f"This file is not a document that can be read. Please send {ACCEPTED}."
            ) from refusal
        raise
    return DocumentFormat.TXT


def _zip_format(data: bytes) -> DocumentFormat:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise DocumentRefused(Reason.DAMAGED, f"The file is damaged or incomplete. {ASK_FOR_TEXT}") from error
    with archive:
        check_zip_sizes(infos)
        if any(info.flag_bits & 0x1 for info in infos):
            raise DocumentRefused(Reason.ENCRYPTED, "The file is protected by a password. Please send it unprotected.")
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names:
            found = _ooxml_format(archive, names)
        elif "mimetype" in names:
            found = _odf_format(archive, names)
        else:
            raise DocumentRefused(Reason.WRONG_TYPE, f"This file is a zip archive, not a document. Send {ACCEPTED}.")
        _check_xml_parts(archive, infos)
        return found


def check_zip_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip container whose directory promises more than a document holds (a zip bomb)."""
    bomb = DocumentRefused(Reason.ZIP_BOMB, f"The file unpacks to far more than a document could hold. {ASK_FOR_TEXT}")
    if len(infos) > MAX_MEMBERS:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            log.warning(
                "zip member %r unpacks %d times its size",
                info.filename[:100],
                info.file_size // max(1, info.compress_size),
            )
            raise bomb
    if total > MAX_UNPACKED:
        log.warning("zip container unpacks to %d bytes", total)
        raise bomb


def _ooxml_format(archive: zipfile.ZipFile, names: set[str]) -> DocumentFormat:
    types = _read(archive, "[Content_Types].xml").decode("utf-8", "replace")
    if "macroEnabled" in types or "vbaProject" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise DocumentRefused(
            Reason.MACROS, f"This Word document contains macros, which cannot be taken. {ASK_FOR_TEXT}"
        )
    if WORD_MAIN + "document.main+xml" in types or WORD_MAIN + "template.main+xml" in types:
        return DocumentFormat.DOCX
    if "spreadsheetml" in types:
        raise DocumentRefused(Reason.WRONG_TYPE, f"This file is a spreadsheet, not a document. Please send {ACCEPTED}.")
    if "presentationml" in types:
        raise DocumentRefused(Reason.WRONG_TYPE, f"This file is a presentation. Please send {ACCEPTED}.")
    raise DocumentRefused(Reason.WRONG_TYPE, f"This file is not a Word document. Please send {ACCEPTED}.")


def _odf_format(archive: zipfile.ZipFile, names: set[str]) -> DocumentFormat:
    mimetype = _read(archive, "mimetype").decode("ascii", "replace").strip()
    if mimetype not in ODF_TEXT:
        what = "an OpenDocument file" if mimetype.startswith("application/vnd.oasis") else "a zip archive"
        raise DocumentRefused(Reason.WRONG_TYPE, f"This file is {what}, not a text document. Please send {ACCEPTED}.")
    if "META-INF/manifest.xml" in names and b"encryption-data" in _read(archive, "META-INF/manifest.xml"):
        raise DocumentRefused(Reason.ENCRYPTED, "The file is protected by a password. Please send it unprotected.")
    if any(name.startswith(("Basic/", "Scripts/")) and not name.endswith("/") for name in names):
        raise DocumentRefused(Reason.MACROS, f"This document contains macros, which cannot be taken. {ASK_FOR_TEXT}")
    if "content.xml" not in names:
        raise DocumentRefused(Reason.DAMAGED, f"The file is damaged or incomplete. {ASK_FOR_TEXT}")
    return DocumentFormat.ODT


def _check_xml_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse XML parts that declare a DOCTYPE: no Word or OpenDocument part has one, and entity expansion
    is the oldest way to make a small file consume all memory."""
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        content = _read(archive, info.filename)
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            content = content.decode("utf-16", "replace").encode("utf-8")
        if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
            raise DocumentRefused(Reason.DAMAGED, f"The file has parts that no document has. {ASK_FOR_TEXT}")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        raise DocumentRefused(Reason.DAMAGED, f"The file is damaged or incomplete. {ASK_FOR_TEXT}") from error


def _compound_refusal(data: bytes) -> DocumentRefused:
    """The refusal for a compound (OLE) file: encrypted Word, old Word, or something else."""
    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except Exception as error:  # olefile raises OSError and its own errors for damaged files
        log.info("compound file not readable: %s", error)
        return DocumentRefused(Reason.DAMAGED, f"The file is damaged or incomplete. {ASK_FOR_TEXT}")
    if {"EncryptionInfo", "EncryptedPackage"} <= streams:
        return DocumentRefused(
            Reason.ENCRYPTED,
            "The Word document is protected by a password. Please remove the password and send it again.",
        )
    if "WordDocument" in streams:
        return DocumentRefused(
            Reason.OLD_FORMAT,
            "The document is in the old Word 97-2003 format (.doc). Please save it as a Word document (.docx) "
            "and send it again.",
        )
    return DocumentRefused(Reason.WRONG_TYPE, f"This file is not a document that can be read. Please send {ACCEPTED}.")
