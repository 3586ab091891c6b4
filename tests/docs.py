"""Build small PDF and DOCX documents inside tests (no binary fixtures in git)."""

from __future__ import annotations

from pathlib import Path


def make_pdf(path: Path, pages: list[list[str]], font_size: int = 10) -> Path:
    """One PDF page per list of lines.  Consecutive lines with tabs are drawn as a
    real table (ruled cells, wrapped text), the way office software exports one."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=font_size)
        i = 0
        while i < len(lines):
            if "\t" not in lines[i]:
                pdf.multi_cell(0, 6, lines[i], new_x="LMARGIN", new_y="NEXT")
                i += 1
                continue
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            with pdf.table(padding=2) as table:
                for cells in rows:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
    pdf.output(str(path))
    return path


def make_docx(path: Path, heading: str, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path
