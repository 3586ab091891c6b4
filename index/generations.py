"""Atomic index generations.

Each ingest writes a complete new generation folder (Chroma, BM25, SQLite)
next to the serving one, then flips the ``CURRENT`` pointer with an atomic
rename.  A failed ingest deletes its half-built folder and the previous
generation keeps serving; readers notice a flip by the pointer's content.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

POINTER = "CURRENT"
KEEP = 2  # the serving generation and the one before it (readers may still hold it)


def active(root: Path) -> Path | None:
    pointer = root / POINTER
    if not pointer.exists():
        return None
    folder = root / pointer.read_text().strip()
    return folder if folder.is_dir() else None


def prepare(root: Path) -> Path:
    """A fresh generation folder, seeded with a copy of the active one."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
    current = active(root)
    if current is not None:
        shutil.copytree(current, folder)
    else:
        folder.mkdir()
    return folder


def publish(root: Path, folder: Path) -> None:
    tmp = root / f"{POINTER}.tmp"
    tmp.write_text(folder.name)
    tmp.replace(root / POINTER)
    _prune(root, folder)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _prune(root: Path, keep: Path) -> None:
    generations = sorted(p for p in root.glob("gen-*") if p.is_dir())
    for old in generations[:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
