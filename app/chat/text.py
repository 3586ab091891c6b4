"""Words, stems and verbatim quote matching shared by the chat modules.

Question words and sentences are compared as Snowball stems without stop
words, weighted by how rare a stem is in the index (``Vocabulary``), so
"young carers" outweighs "Lambeth".  ``locate`` finds a quote inside a
source after folding whitespace, typographic quotes, dashes and Markdown
emphasis, and returns the source's own verbatim substring: a quote we
return is always cut from the source, never from what a model typed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import Stemmer

from ingest.chunking import sentences

_stemmer = Stemmer.Stemmer("english")
_WORD = re.compile(r"[a-z0-9]+(?:[.'’][a-z0-9]+)*")
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing done down during each either else etc for from further had has have having he her
here hers him his how i if in into is it its itself just let me more most much my no nor not now of off on once only
or other our ours out over own per please same shall she should so some such than that the their theirs them then
there these they this those through to too under until up upon us very was we were what when where which while who
whom whose why will with within would yes yet you your tell say says said give show list find know any anything
""".split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens; possessive 's dropped, inner dots kept (RI.49, 2.6)."""
    out = []
    for token in _WORD.findall(text.lower().replace("’", "'")):
        if token.endswith("'s"):
            token = token[:-2]
        out.append(token.strip("."))
    return [t for t in out if t]


def stems(text: str, keep_stop: bool = False) -> list[str]:
    """Stems of the content words of ``text``, in order."""
    tokens = [w for w in words(text) if keep_stop or w not in STOP_WORDS]
    return _stemmer.stemWords(tokens)


class Vocabulary:
    """Document frequencies of stems over the index's chunks, for idf weights."""

    def __init__(self, texts: Iterable[str]):
        self.df: Counter[str] = Counter()
        self.n = 0
        for text in texts:
            self.n += 1
            self.df.update(set(stems(text)))

    def idf(self, stem: str) -> float:
        return math.log((self.n + 1) / (self.df.get(stem, 0) + 0.5))

    def known(self, stem: str) -> bool:
        return stem in self.df

    def weights(self, terms: Iterable[str]) -> dict[str, float]:
        return {t: self.idf(t) for t in dict.fromkeys(terms)}


def coverage(weights: dict[str, float], text_stems: Iterable[str]) -> float:
    """Share of the question's idf mass present in a text (0..1)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = set(text_stems)
    return sum(w for t, w in weights.items() if t in present) / total


# --------------------------------------------------------------------------- verbatim quotes

_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"',
                       "„": '"', "″": '"', "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
                       "\u00a0": " "})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\])\s*")


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased with whitespace runs as one space and emphasis marks gone,
    plus the original index of every kept character."""
    out: list[str] = []
    where: list[int] = []
    space = True
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch == "*":
            continue
        if ch.isspace():
            if space:
                continue
            ch, space = " ", True
        else:
            space = False
        out.append(ch.lower())
        where.append(i)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def _clean_quote(quote: str) -> str:
    quote = quote.strip().strip('"\'“”‘’').strip()
    parts = [p for p in _ELLIPSIS.split(quote) if p.strip()]
    return max(parts, key=len) if parts else ""  # "a ... b": the longest piece must be verbatim


def locate(quote: str, source: str) -> str | None:
    """The verbatim substring of ``source`` that ``quote`` reproduces, or None."""
    folded, where = _folded(source)
    exact, _ = _folded(_clean_quote(quote))
    for wanted in (exact, exact.strip(" .,;:")):  # with its closing full stop if the source has it
        if len(wanted) < 4 or not any(c.isalnum() for c in wanted):
            return None
        at = folded.find(wanted)
        if at >= 0:
            return source[where[at]:where[at + len(wanted) - 1] + 1]
    return None


def units(text: str) -> list[tuple[int, int]]:
    """Quotable spans of a chunk or row: sentences inside each tab-separated cell."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for cell in text.split("\t"):
        end = cursor + len(cell)
        spans.extend(sentences(text, cursor, end))
        cursor = end + 1
    return spans


def join_short(text: str, spans: list[tuple[int, int]], short: int = 8) -> list[tuple[int, int]]:
    """Consecutive short lines ("464 children were Looked After" / "(compared to 404 …)") read as one unit."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            if (gap.count("\n") == 1 and not gap.strip() and len(text[prev_start:prev_end].split()) < short * 2
                    and len(text[start:end].split()) < short):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


def readable(text: str, limit: int | None = None) -> str:
    """Source text for an answer line: no Markdown emphasis or HTML tags, one line, cut at a word."""
    text = re.sub(r"<[^>]{1,200}>", " ", text.replace("**", ""))
    text = " ".join(text.replace("\t", " | ").split())
    text = re.sub(r"^(?:[-*•·]\s+)+", "", text)
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-") + " …"
    return text
