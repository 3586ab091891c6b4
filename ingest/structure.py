"""Find headings, section paths and tables in cleaned text.

Converted plans carry no markup we can trust, so structure is inferred from
line shapes: a table is a run of tab-separated lines, its header is the first
row when that row reads like labels (short cells, no figures) and any later
row equal to it is the header repeated after a page break; a heading is a
short line that does not read like a sentence.  Major headings (level 1) are
those listed in the document's contents, numbered like "Priority Two:" or
"Appendix 2:", or written in capitals; every other heading nests under the
last major one.  The chunker and the record extractor both read this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKUP = re.compile(r"\*\*|^\s*(?:[-*\u2022]\s+)?#+\s*|^\s*[-*\u2022]\s+")
_CONTINUED = re.compile(r"\s*\(?\bcontinued\)?\s*$", re.I)
_MAJOR = re.compile(r"^(priority|appendix|part|chapter|section|objective|theme|annex)\b[\w\s.]{0,12}[:.\-\u2013]", re.I)
_FIGURE = re.compile(r"^[\d\s,.%£$€()*+\-\u2013/]+$")
_PAGE_NO = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class Line:
    number: int  # 0-based line number in the cleaned text
    start: int
    end: int
    text: str

    @property
    def cells(self) -> list[str]:
        return [cell.strip() for cell in self.text.split("\t")]


@dataclass
class Row:
    line: Line
    cells: list[str]
    group: str | None = None  # label of a sub-header row above it ("Education")


@dataclass
class Table:
    section: tuple[str, ...]
    header: Line | None
    rows: list[Row] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return self.header.cells if self.header else []


@dataclass
class Heading:
    section: tuple[str, ...]
    line: Line
    level: int


@dataclass
class Paragraph:
    section: tuple[str, ...]
    lines: list[Line]


Block = Heading | Paragraph | Table


def split_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for number, raw in enumerate(text.split("\n")):
        lines.append(Line(number, offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def heading_text(raw: str) -> str:
    """Display form of a heading: markup and a trailing 'continued' removed."""
    return _CONTINUED.sub("", " ".join(_MARKUP.sub("", raw).split())).strip()


def looks_like_header(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return False
    return all(
        len(c) <= 80 and len(c.split()) <= 10 and not _FIGURE.match(c) and not c.endswith(".") for c in filled
    )


def _is_heading(raw: str) -> bool:
    if "\t" in raw:
        return False
    stripped = raw.strip()
    if re.match(r"^[-*\u2022]\s+(?!#)", stripped):  # a bullet item, unless a marked heading
        return False
    text = heading_text(raw)
    if not (3 <= len(text) <= 100) or len(text.split()) > 12 or not re.search(r"[A-Za-z]{2}", text):
        return False
    if not (text[0].isupper() or text[0].isdigit()) or text[-1] in ".,;:" or text.count(". ") > 0:
        return False
    return True


def _contents_entries(lines: list[Line]) -> set[str]:
    """Titles listed in a contents table ("Foreword<TAB>3") or a contents list."""
    entries = set()
    for line in lines:
        cells = line.cells
        if len(cells) == 2 and cells[0] and _PAGE_NO.match(cells[1]):
            entries.add(heading_text(cells[0]).lower())
    return entries


def _level(text: str, contents: set[str]) -> int:
    if text.lower() in contents or _MAJOR.match(text):
        return 1
    letters = re.sub(r"[^A-Za-z]", "", text)
    if len(text.split()) >= 2 and letters.isupper():
        return 1
    return 2


def parse(text: str) -> list[Block]:
    """Blocks of the document in order, each with the section path it sits in."""
    lines = split_lines(text)
    contents = _contents_entries(lines)
    known_headers: set[str] = set()
    blocks: list[Block] = []
    major: str | None = None
    minor: str | None = None
    paragraph: list[Line] = []
    table: Table | None = None
    last_table: Table | None = None

    def section() -> tuple[str, ...]:
        return tuple(s for s in (major, minor) if s)

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Paragraph(section(), paragraph.copy()))
            paragraph.clear()

    gap = False  # a blank line since the last table row
    for line in lines:
        if not line.text.strip():
            flush_paragraph()
            gap = True
            continue
        if "\t" in line.text:
            flush_paragraph()
            cells = line.cells
            key = "\t".join(cells)
            if table is not None and gap and key not in known_headers and looks_like_header(cells) \
                    and (table.header is None or len(cells) != len(table.columns) or cells[0] != table.columns[0]):
                last_table, table = table, None  # a new table right after another, only a blank line between
            gap = False
            if table is None:
                header = line if (key in known_headers or looks_like_header(cells)) else None
                if header is None and last_table and last_table.header and last_table.section == section() \
                        and len(cells) == len(last_table.columns):
                    header = last_table.header  # a table continued over a page without its header
                table = Table(section(), header)
                blocks.append(table)
                if header is line:
                    known_headers.add(key)
                    continue
            elif key in known_headers:
                continue  # the header repeated after a page break
            elif table.header and cells[0] == table.columns[0] and looks_like_header(cells):
                table.header = line  # the header repeated with small differences
                known_headers.add(key)
                continue
            if table.header and cells[0] and not any(cells[1:]) and len(table.columns) > 1:
                group = cells[0]
                table.rows.append(Row(line, cells, group))
                continue
            group = table.rows[-1].group if table.rows else None
            table.rows.append(Row(line, cells, group))
            continue
        if table is not None:
            last_table, table = table, None
        if _is_heading(line.text):
            flush_paragraph()
            text = heading_text(line.text)
            if _level(text, contents) == 1:
                if text != major:
                    major, minor = text, None
            else:
                minor = text
            blocks.append(Heading(section(), line, _level(text, contents)))
            continue
        paragraph.append(line)
    flush_paragraph()
    return blocks
