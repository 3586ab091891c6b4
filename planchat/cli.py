"""The ``planchat`` command line: ingest, inspect and query the index."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

import click

from planchat.errors import PlanchatError
from planchat.settings import get_settings, offline_environment


class _Group(click.Group):
    """Turn planchat's own errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlanchatError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail.")
def main(verbose: bool) -> None:
    """planchat: ask questions of a council's strategy and plan documents."""
    offline_environment()
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Re-process documents even when unchanged.")
def ingest(paths: tuple[Path, ...], force: bool) -> None:
    """Ingest PATHS (files or folders; default: the corpus folder) into the index."""
    from tqdm import tqdm

    from ingest.pipeline import ingest as run

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=f"{stage:>6}", unit="item", leave=True, file=sys.stderr)
        bar.n = done
        bar.refresh()

    report = run(list(paths) or None, progress=progress, force=force)
    for bar in bars.values():
        bar.close()
    click.echo(
        f"added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}, "
        f"unchanged {len(report.unchanged)}; {report.chunks or 'no new'} chunks; "
        f"generation {report.generation}; {report.seconds:.1f}s"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json: bool) -> None:
    """Documents, chunks, last ingest and index location."""
    from index.store import IndexStore

    store = IndexStore.open()
    docs = store.documents()
    run = store.last_run()
    info = {
        "index": str(store.folder),
        "documents": [{"doc_id": d.doc_id, "title": d.title, "chunks": d.chunk_count, "file": d.file} for d in docs],
        "chunks": store.chunk_count(),
        "last_ingest": run.finished_at.isoformat() + "Z" if run else None,
    }
    if as_json:
        click.echo(json.dumps(info, indent=1))
        return
    click.echo(f"index:       {info['index']}")
    click.echo(f"last ingest: {info['last_ingest']}")
    click.echo(f"documents:   {len(docs)}   chunks: {info['chunks']}")
    for d in info["documents"]:
        click.echo(f"  {d['doc_id']:<45} {d['chunks']:>5} chunks  {d['title']}")


@main.command()
@click.argument("query")
@click.option("-k", "--top", default=5, show_default=True, help="Number of chunks.")
@click.option("--doc", "docs", multiple=True, help="Restrict to a document id (repeatable).")
def search(query: str, top: int, docs: tuple[str, ...]) -> None:
    """Show the top chunks for QUERY with document, section, offsets and score."""
    from index.search import search as run
    from index.store import IndexStore

    store = IndexStore.open()
    for n, hit in enumerate(run(store, query, k=top, doc_ids=list(docs) or None), start=1):
        c = hit.chunk
        page = f" p.{c.page}" if c.page else ""
        click.secho(f"{n}. {c.doc_id}{page} [{c.start}:{c.end}] score {hit.score:.4f} ({c.kind})", bold=True)
        click.echo(f"   section: {c.section_label or '-'}")
        click.echo("   " + c.text.replace("\t", " | ")[:300])


@main.command()
@click.option("--host", default=None, help="Bind address (default PLANCHAT_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default PLANCHAT_PORT, 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the chat and the API at a local URL."""
    import uvicorn

    from app.main import create_app

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    click.echo(f"planchat serving at http://{host}:{port}/  (API docs at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


# --------------------------------------------------------------------------- exact record queries

_FORMATS = click.Choice(["table", "json", "csv"])
_KINDS = click.Choice(["action", "kpi", "risk", "contract"])


def _clip(text: str | None, width: int) -> str:
    text = " ".join((text or "-").split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _print_records(records: list, fmt: str, quote: bool = False) -> None:
    from index.records import records_csv

    if fmt == "json":
        click.echo(json.dumps([r.model_dump(mode="json") for r in records], indent=1, ensure_ascii=False))
        return
    if fmt == "csv":
        click.echo(records_csv(records), nl=False)
        return
    click.secho(f"{'REF':<9} {'DUE':<12} {'BY':<10} {'SECTION':<30} {'TITLE':<60} SOURCE", bold=True)
    for r in records:
        page = f" p.{r.page}" if r.page else ""
        where = f"{r.doc_id}{page} line {r.line} [{r.start}:{r.end}]"
        by = r.due_date.isoformat() if r.due_date else "-"
        ref = (r.ref or "-") + ("*" if r.ref_inferred else "")
        click.echo(f"{_clip(ref, 9):<9} {_clip(r.due_raw, 12):<12} {by:<10} {_clip(r.section, 30):<30} "
                   f"{_clip(r.title, 60):<60} {where}")
        if quote:
            click.echo("          \u201c" + _clip(r.source.replace("\t", " | "), 300) + "\u201d")
    inferred = " (* ref inferred from the sequence)" if any(r.ref_inferred for r in records) else ""
    click.echo(f"{len(records)} record(s){inferred}")


@main.command()
@click.option("--by", "by", help="Due on or before this date; a month means its last day (Sep-25 = 2025-09-30).")
@click.option("--after", help="Due on or after this date; a month means its first day.")
@click.option("--in", "month", help="Due within this month (2025-09 or Sep-25).")
@click.option("--overdue", is_flag=True, help="Due before --as-of (default today).")
@click.option("--as-of", "as_of", help="Reference day for --overdue.")
@click.option("--doc", help="Part of a document id, e.g. roadmap.")
@click.option("--owner", help="Part of an owner's name, any case.")
@click.option("--kind", type=_KINDS, help="Record kind.")
@click.option("--origin", type=click.Choice(["table", "prose"]), help="Plan table rows or dated prose commitments.")
@click.option("--section", help="Part of the section or priority.")
@click.option("--limit", type=click.IntRange(1), help="At most this many records.")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@click.option("--quote", is_flag=True, help="Print each record's verbatim source row.")
def due(by, after, month, overdue, as_of, doc, owner, kind, origin, section, limit, fmt, quote) -> None:
    """Records due in a window, by due date then ref (exact, from the record store).

    Without --by/--after/--in/--overdue every dated record is listed."""
    from index.records import RecordQuery, query_records
    from index.store import IndexStore

    from pydantic import ValidationError

    window = by or after or month or overdue
    try:
        query = RecordQuery(due_before=by, due_after=after if window else date.min, due_in=month, overdue=overdue,
                            as_of=as_of, doc=doc, owner=owner, kind=kind, origin=origin, section=section, limit=limit)
    except ValidationError as exc:
        raise click.UsageError("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from exc
    store = IndexStore.open()
    try:
        _print_records(query_records(store, query), fmt, quote)
    finally:
        store.close()


@main.command()
@click.argument("name")
@click.option("--kind", type=_KINDS, help="Record kind.")
@click.option("--doc", help="Part of a document id.")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@click.option("--quote", is_flag=True, help="Print each record's verbatim source row.")
def owner(name: str, kind: str | None, doc: str | None, fmt: str, quote: bool) -> None:
    """Records owned by NAME (any part of the name, any case: "Cathy", "onaboye")."""
    from index.records import RecordQuery, query_records
    from index.store import IndexStore

    store = IndexStore.open()
    try:
        _print_records(query_records(store, RecordQuery(owner=name, kind=kind, doc=doc)), fmt, quote)
    finally:
        store.close()


@main.command("eval")
@click.option("--subset", type=click.Choice(["full", "fast"]), default="full", show_default=True,
              help="The whole golden set, or its smoke subset.")
@click.option("--url", default=None,
              help="Score a running server (e.g. http://127.0.0.1:8000) instead of the app in process.")
@click.option("--gate", is_flag=True,
              help="Exit 1 on a breach of evals/thresholds.toml or a regression from evals/baseline.json.")
@click.option("--runs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Passes of the LLM judge, when one is configured.")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the report (default evals/reports); a timestamped subfolder is written.")
@click.option("--save-baseline", is_flag=True, help="Store this run's headline figures as the baseline of its subset.")
def eval_command(subset: str, url: str | None, gate: bool, runs: int, out_dir: Path | None,
                 save_baseline: bool) -> None:
    """Score the assistant on the golden set and write a report (Markdown, JSON, charts)."""
    from tqdm import tqdm

    from evals.report import console_summary
    from evals.suite import REPORTS_DIR, EvalOptions, run_eval

    options = EvalOptions(subset=subset, url=url, gate=gate, runs=runs, save_baseline=save_baseline,
                          out_dir=out_dir or REPORTS_DIR)
    bar: tqdm | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        bar = bar or tqdm(total=total, desc="questions", unit="q", file=sys.stderr)
        bar.n = done
        bar.refresh()
        if done == total:
            bar.close()

    report, folder = run_eval(options, get_settings(), notify=lambda m: click.echo(m, err=True), progress=progress)
    click.echo(console_summary(report, folder))
    if report.gate is not None and not report.gate.passed:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
