"""The ``planchat`` command line: ingest, inspect and query the index."""

from __future__ import annotations

import json
import logging
import sys
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


if __name__ == "__main__":  # pragma: no cover
    main()
