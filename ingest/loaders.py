"""Read source files into page texts: .txt, .md, .pdf (pypdf) and .docx.

Each loader returns the text of every page (one "page" for formats without
pages) and raises ``DocumentError`` naming the file when it cannot.
"""

from __future__ import annotations

import io
from pathlib import Path

from planchat.errors import DocumentError

SUPPORTED = {".txt", ".md", ".pdf", ".docx"}


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(str(path), "binary content, not text")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(str(path), "unreadable encoding: the file is not UTF-8 text")


def _load_text(path: Path, data: bytes) -> list[str]:
    return [_decode(path, data).replace("\r\n", "\n").replace("\r", "\n")]


_PDF_ERRORS: tuple[type[Exception], ...] = (ValueError, KeyError, TypeError, OSError, IndexError, ZeroDivisionError)


def _pdf_page_text(page) -> str:
    """Page text with tables as tab-separated rows.

    A text layer that already separates cells by tabs is kept as it is;
    otherwise drawn tables are rebuilt from pypdf's layout mode (plain text
    if layout mode fails on the page).
    """
    from ingest.pdf_tables import rebuild
    from pypdf.errors import PyPdfError

    plain = page.extract_text() or ""
    if "\t" in plain:
        return plain
    try:
        return rebuild(page.extract_text(extraction_mode="layout") or "")
    except (PyPdfError, *_PDF_ERRORS):
        return plain


def _load_pdf(path: Path, data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return [_pdf_page_text(page).replace("\r\n", "\n") for page in reader.pages]
    except (PyPdfError, *_PDF_ERRORS) as exc:
        raise DocumentError(str(path), f"corrupt or unreadable PDF ({exc.__class__.__name__}: {exc})") from exc


def _load_docx(path: Path, data: bytes) -> list[str]:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(str(path), f"corrupt or unreadable DOCX ({exc.__class__.__name__})") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.append("")
            for row in block.rows:
                lines.append("\t".join(cell.text.replace("\n", " ").strip() for cell in row.cells))
            lines.append("")
    return ["\n".join(lines)]


_LOADERS = {".txt": _load_text, ".md": _load_text, ".pdf": _load_pdf, ".docx": _load_docx}


def load_pages(path: Path) -> list[str]:
    """Page texts of ``path``; raises DocumentError when empty or unreadable."""
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        raise DocumentError(str(path), f"unsupported file type {suffix!r}; use one of {sorted(SUPPORTED)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise DocumentError(str(path), "empty file")
    pages = _LOADERS[suffix](path, data)
    if not any(page.strip() for page in pages):
        raise DocumentError(str(path), "no extractable text (a scanned PDF needs OCR first)")
    return pages
