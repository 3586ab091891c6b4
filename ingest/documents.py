"""Turn files into cleaned ``Document``s, with metadata from the corpus manifest."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ingest.clean import clean_pages
from ingest.loaders import SUPPORTED, load_pages
from ingest.models import DocMeta, Document

MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict[str, DocMeta]:
    """Manifest entries keyed by file name; an absent manifest is an empty one."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    return {entry["file"]: DocMeta(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))}


def doc_id_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"


def _title_from(path: Path, text: str) -> str:
    for line in text.split("\n"):
        words = " ".join(line.replace("**", "").split()).strip("#-* ")
        if len(words) >= 4 and "\t" not in line:
            return words[:120]
    return path.stem.replace("-", " ").replace("_", " ").title()


def discover(paths: list[Path]) -> list[Path]:
    """Expand folders into their supported files, sorted, manifest excluded."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUPPORTED and p.name != "README.md")
        else:
            found.append(path)
    return found


def fingerprint(path: Path, meta: DocMeta | None) -> str:
    digest = hashlib.sha256(path.read_bytes())
    if meta is not None:
        digest.update(meta.model_dump_json().encode())
    return digest.hexdigest()


def load_document(path: Path, meta: DocMeta | None = None) -> Document:
    """Read, clean and describe one file; raises DocumentError naming it."""
    pages = load_pages(path)
    text, page_starts, removed = clean_pages(pages)
    if meta is None:
        meta = DocMeta(doc_id=doc_id_for(path), title=_title_from(path, text), file=path.name)
    return Document(
        meta=meta,
        text=text,
        page_starts=page_starts if path.suffix.lower() == ".pdf" else None,
        sha256=fingerprint(path, meta),
        removed_lines=removed,
    )
