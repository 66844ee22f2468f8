"""The ``vndoc`` command line. Each command is a thin wrapper over a function.

Exit codes: 0 ok; 1 bad input or usage (a wrong option, or every input of a
batch failed); 2 partial failure in a batch (some inputs stored, the failed
ones listed one per line).

Text that comes from documents, file names and queries is printed escaped,
never read as Rich markup ("[/vbpq]" in a title is text).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from extractors.errors import PipelineError
from pipeline.settings import Settings, get_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="vndoc: document intelligence over official Vietnamese texts.",
)
# Click exits 2 on a usage error; vndoc keeps 2 for a partly failed batch.
# (Newer typer versions carry their own copy of click: set both.)
for _usage_error in {click.exceptions.UsageError, getattr(
    getattr(getattr(typer, "_click", None), "exceptions", None), "UsageError", click.UsageError
)}:
    _usage_error.exit_code = 1
err = Console(stderr=True)
out = Console(highlight=False)


def _settings(data_dir: Path | None = None, store: str | None = None) -> Settings:
    s = get_settings()
    changes: dict[str, object] = {}
    if data_dir is not None:
        changes["data_dir"] = data_dir
    if store is not None:
        changes["store"] = store
    return s.model_copy(update=changes) if changes else s


def _store(data_dir: Path | None = None, store: str | None = None, *, admin: bool = False):  # type: ignore[no-untyped-def]
    from pipeline.store import open_store

    return open_store(_settings(data_dir, store), admin=admin)


def _one_line(text: object) -> str:
    """Text for one output line: markup escaped, line breaks shown as \\n."""
    s = str(text).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")
    return escape(s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _fail(e: PipelineError) -> typer.Exit:
    err.print(f"[red]error[/red] {_one_line(e)}", soft_wrap=True)
    return typer.Exit(1)


DataDir = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--data-dir", help="Data directory (default: $VNDOC_DATA_DIR or ./data)."),
]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (recursive).")],
    workers: Annotated[Optional[int], typer.Option(  # noqa: UP045
        help="Extraction processes (default: one per CPU core).", min=1, max=64)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    data_dir: DataDir = None,
    store: Annotated[Optional[str], typer.Option(help="local | elasticsearch")] = None,  # noqa: UP045
    nice: Annotated[int, typer.Option(
        min=0, max=19,
        help="Lower the ingest's CPU priority by this much (0: not at all), so that "
             "an API server on the same machine answers first.")] = 10,
) -> None:
    """Ingest files and folders into the store.

    Example:
        vndoc ingest corpus/ --workers 2
    """
    if nice and hasattr(os, "nice"):
        # The extraction processes start later and inherit it. A server beside
        # the ingest keeps the cores it needs; alone, the ingest is as fast.
        os.nice(nice)
    from pipeline.ingest.limits import Limits
    from pipeline.ingest.load import SUPPORTED_SUFFIXES
    from pipeline.ingest.run import ingest as run_ingest

    settings = _settings(data_dir, store)
    try:
        st = _store(data_dir, store)
    except PipelineError as e:
        raise _fail(e) from e
    show = sys.stderr.isatty() and not quiet
    try:
        with Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.description}"), console=err, disable=not show, transient=True,
        ) as progress:
            task = progress.add_task("", total=None)
            report = run_ingest(
                paths, st, workers=workers or os.cpu_count() or 1,
                limits=Limits.from_settings(settings),
                on_total=lambda n: progress.update(task, total=n),
                on_progress=lambda src: progress.update(
                    task, advance=1, description=_one_line(Path(src).name[:40])
                ),
            )
    finally:
        st.close()
    for f in report.failures:
        # Messages quote file content and names ("[Content_Types].xml", a name
        # with a line break): no markup, and one line per failure to grep.
        err.print(f"[red]failed[/red] {_one_line(f.error)}", soft_wrap=True)
    for note in report.notes:
        err.print(f"[yellow]warning[/yellow] {_one_line(note)}", soft_wrap=True)
    for w in report.warnings:
        err.print(f"[yellow]warning[/yellow] {_one_line(w)}", soft_wrap=True)
    err.print(report.summary())
    if report.seen == 0:
        err.print("[red]error[/red] no supported files in the paths given "
                  f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})", soft_wrap=True)
        raise typer.Exit(1)
    if report.failures and len(report.failures) == report.seen:
        raise typer.Exit(1)  # nothing was stored: bad input, not a partial batch
    if report.failures or report.warnings:
        raise typer.Exit(2)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files to extract; '-' reads stdin.")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl | json")] = "jsonl",
) -> None:
    """Print what vndoc extracts from each document, one JSON object per line.

    Example:
        vndoc extract corpus/seeds/*.txt --format jsonl
    """
    from pipeline.ingest.limits import Limits
    from pipeline.ingest.load import RawDocument
    from pipeline.ingest.run import Failure, _safe_process, process_raw

    failed = 0
    for p in paths:
        if str(p) == "-":
            raw = RawDocument(source="<stdin>", text=sys.stdin.read(), format="txt")
            try:
                result: object = process_raw(raw)
            except PipelineError as e:
                result = Failure("<stdin>", e.message)
        else:
            result = _safe_process(str(p), Limits.from_settings(get_settings()))
        if isinstance(result, Failure):
            err.print(f"[red]failed[/red] {_one_line(result.error)}", soft_wrap=True)
            failed += 1
            continue
        data = result.to_json()  # type: ignore[attr-defined]
        indent = 1 if format == "json" else None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")
    if failed:
        raise typer.Exit(2 if failed < len(paths) else 1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words, with or without diacritics.")],
    issuer: Annotated[Optional[str], typer.Option(help="Filter by issuer.")] = None,  # noqa: UP045
    doc_type: Annotated[Optional[str], typer.Option(help="Filter by type.")] = None,  # noqa: UP045
    size: Annotated[int, typer.Option(help="Hits to show (1-1000).", min=1, max=1000)] = 10,
    data_dir: DataDir = None,
) -> None:
    """Full-text search that ignores diacritics.

    Example:
        vndoc search "tai chinh bac ninh"
    """
    from pipeline.store.base import SearchQuery

    st = _store(data_dir)
    try:
        res = st.search(SearchQuery(q=query, issuer=issuer, doc_type=doc_type, size=size))
    finally:
        st.close()
    out.print(f"{res.total} documents")
    for i, h in enumerate(res.hits, 1):
        label = " · ".join(x for x in (h.doc_type, h.number_symbol, h.issue_date) if x)
        out.print(f"[bold]{i}. {_one_line(h.title or h.source)}[/bold]  "
                  f"[dim]{_one_line(label)} {h.id}[/dim]")
        for s in h.snippets:
            shown = escape(s).replace("<mark>", "[reverse]").replace("</mark>", "[/reverse]")
            out.print("   " + shown)


@app.command()
def reindex(
    data_dir: DataDir = None,
    store: Annotated[Optional[str], typer.Option(help="local | elasticsearch")] = None,  # noqa: UP045
) -> None:
    """Rebuild the search index from the system of record.

    Example:
        vndoc reindex
    """
    st = _store(data_dir, store, admin=True)
    try:
        n = st.reindex()
    except PipelineError as e:
        raise _fail(e) from e
    finally:
        st.close()
    err.print(f"reindexed {n} documents")


@app.command("es-setup")
def es_setup(
    roles: Annotated[
        bool, typer.Option("--roles", help="Also print the roles of the keys vndoc uses.")
    ] = False,
) -> None:
    """Create vndoc's Elasticsearch index templates and indices (an admin key).

    Run it once per index prefix, with VNDOC_ES_* settings holding a key that
    may manage index templates and indices; `vndoc serve` and `vndoc ingest`
    then run with a key that only reads and writes documents. Idempotent.

    Example:
        VNDOC_ES_URL=https://localhost:9200 VNDOC_ES_API_KEY=<admin key> vndoc es-setup --roles
    """
    from pipeline.store.elastic import ElasticStore
    from pipeline.store.es_client import role_descriptors

    settings = get_settings()
    try:
        st = ElasticStore.from_settings(settings, setup=True)
    except PipelineError as e:
        raise _fail(e) from e
    try:
        server = st.server
        for kind, index in st.indices().items():
            out.print(f"{st.alias(kind)} -> {index}")
    finally:
        st.close()
    err.print(
        f"Elasticsearch {server.version} at {server.url}: templates and indices ready "
        f"({settings.es_index_prefix}-*)"
    )
    if roles:
        sys.stdout.write(
            json.dumps(role_descriptors(settings.es_index_prefix), indent=2) + "\n"
        )


@app.command()
def schema() -> None:
    """Print the JSON Schema of `vndoc extract` output.

    Example:
        vndoc schema > extracted-document.schema.json
    """
    from importlib import resources

    text = resources.files("extractors.data").joinpath("extracted-document.schema.json")
    sys.stdout.write(text.read_text("utf-8"))


@app.command("eval")
def eval_(
    gold_dirs: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(help="Folders of gold JSON files (default corpus/gold)."),
    ] = None,
    prefer: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(help="Read this format instead of the text copy, e.g. --prefer .pdf"),
    ] = None,
    details: Annotated[bool, typer.Option("--details", help="List every miss.")] = False,
    floors: Annotated[
        Optional[Path], typer.Option(help="JSON file of minimum figures; exit 1 below.")  # noqa: UP045
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print figures as JSON.")] = False,
    predictions: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Score the outputs saved in this folder instead of extracting."),
    ] = None,
    save_predictions: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Write each document's output into this folder."),
    ] = None,
) -> None:
    """Precision, recall and F1 per field against hand-checked gold.

    Figures come overall and by kind (official/news) and length (over 5,000
    characters is "long"), with the review edits staff would need per 10 tasks.

    Example:
        vndoc eval corpus/gold --details
        vndoc eval corpus/pdf/gold --prefer .pdf --prefer .docx
        vndoc eval eval/set --save-predictions out/  # later: --predictions out/
    """
    from pipeline.eval.evaluate import check_floors, load_floors
    from pipeline.eval.run import run_eval

    try:
        wanted = load_floors(floors) if floors is not None else {}
        report = run_eval(
            gold_dirs or [Path("corpus/gold")],
            prefer=tuple(prefer or ()),
            predictions=predictions,
            save_to=save_predictions,
        )
    except PipelineError as e:
        raise _fail(e) from e
    if json_out:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(report.render_table() + "\n")
        if details:
            sys.stdout.write(report.render_details() + "\n")
    if floors is not None:
        bad = check_floors(report, wanted)
        for b in bad:
            err.print(f"[red]below floor[/red] {b}")
        if bad:
            raise typer.Exit(1)


@app.command("export-gold")
def export_gold(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write gold/ and docs/ into.")],
    data_dir: DataDir = None,
    store: Annotated[Optional[str], typer.Option(help="local | elasticsearch")] = None,  # noqa: UP045
) -> None:
    """Write the documents staff reviewed as gold (the corpus gold format), with
    their texts, so that `vndoc eval OUT_DIR/gold` scores the extractors on them.

    Example:
        vndoc export-gold gold-2024 && vndoc eval gold-2024/gold
    """
    from pipeline.eval.review import export_gold as write_gold

    try:
        st = _store(data_dir, store)
    except PipelineError as e:
        raise _fail(e) from e
    try:
        n = write_gold(st, out_dir)
    finally:
        st.close()
    err.print(f"wrote {n} reviewed documents to {escape(str(out_dir))}/gold "
              f"(texts in {escape(str(out_dir))}/docs)")


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Bind address.")] = None,  # noqa: UP045
    port: Annotated[Optional[int], typer.Option(help="Port.")] = None,  # noqa: UP045
    data_dir: DataDir = None,
    workers: Annotated[Optional[int], typer.Option(  # noqa: UP045
        min=1, max=32, help="Server processes on the port (default VNDOC_SERVER_WORKERS, 1).",
    )] = None,
) -> None:
    """Serve the API and the web page (default http://127.0.0.1:8000).

    With --workers N, N processes answer on the same port (uvicorn's
    workers): each opens the store; writes from any of them go through
    SQLite's and the search index's locks, and every process reads what the
    others committed.

    Example:
        vndoc serve --port 8000 --workers 2
    """
    import os

    import uvicorn

    # The one import of search_api from pipeline: the CLI is the entry point above
    # both layers (the exception the layers contract in pyproject.toml names).
    from search_api.app import create_app

    if data_dir is not None:
        os.environ["VNDOC_DATA_DIR"] = str(data_dir)
    s = _settings(data_dir)
    try:
        s.check_secrets()  # refuse before binding the port, with the message alone
    except PipelineError as e:
        raise _fail(e) from e
    n = workers or s.server_workers
    # Several processes: uvicorn imports the factory in each (by its name).
    target: Any = "search_api.app:create_app" if n > 1 else create_app
    uvicorn.run(
        target, factory=True, host=host or s.host, port=port or s.port,
        log_level="info", timeout_keep_alive=75, workers=n,
    )


def _today(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError as e:
        raise typer.BadParameter(f"--today must be YYYY-MM-DD, got {value!r}") from e


@app.command()
def tasks(
    owner: Annotated[Optional[str], typer.Option(help="Agency, any alias or former name.")] = None,  # noqa: UP045
    role: Annotated[str, typer.Option(help="lead | cooperating | any")] = "any",
    status: Annotated[
        Optional[str], typer.Option(help="open | done | overdue | due_soon | no_deadline")  # noqa: UP045
    ] = None,
    q: Annotated[Optional[str], typer.Option(help="Words of the task.")] = None,  # noqa: UP045
    today: Annotated[Optional[str], typer.Option(help="Status as of YYYY-MM-DD.")] = None,  # noqa: UP045
    format: Annotated[str, typer.Option("--format", help="table | json | csv | xlsx")] = "table",
    out_file: Annotated[Optional[Path], typer.Option("--out", help="File for csv/xlsx.")] = None,  # noqa: UP045
    data_dir: DataDir = None,
) -> None:
    """The task register, filtered.

    Example:
        vndoc tasks --owner "so tai chinh bac ninh" --status overdue --today 2024-07-01
    """
    from extractors.textnorm import normalize_query
    from pipeline.query.export import STATUS_VI, to_csv, to_xlsx
    from pipeline.query.resolve import resolve_owner
    from pipeline.store.base import TaskQuery

    day = _today(today)
    st = _store(data_dir)
    try:
        names = resolve_owner(st, normalize_query(owner)) if owner else None
        rows = st.tasks(TaskQuery(
            owner_names=tuple(names) if names is not None else None,
            role=role, status=status, today=day,  # type: ignore[arg-type]
            q=normalize_query(q) if q else None,
        ))
    except PipelineError as e:
        raise _fail(e) from e
    finally:
        st.close()
    if format in ("csv", "xlsx"):
        data = to_csv(rows, day) if format == "csv" else to_xlsx(rows, day)
        if out_file is None:
            if format == "xlsx":
                raise typer.BadParameter("--out FILE is required for xlsx")
            sys.stdout.write(data.decode("utf-8-sig"))
        else:
            out_file.write_bytes(data)
            err.print(f"wrote {len(rows)} tasks to {out_file}")
        return
    if format == "json":
        items = [{"id": t.id, "owners": t.owners, "cooperating": t.cooperating,
                  "text": t.text, "deadline": t.deadline, "status": t.status(day),
                  "doc_id": t.doc_id} for t in rows]
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        return
    if names is not None:
        out.print(f"[dim]owner: {escape('; '.join(names)) or '(no matching agency)'}[/dim]")
    for i, t in enumerate(rows, 1):
        stat = STATUS_VI[t.status(day)]
        out.print(f"[bold]{i}.[/bold] {escape('; '.join(t.owners))} [dim]({stat}"
                  f"{', hạn ' + t.deadline if t.deadline else ''})[/dim]")
        out.print(f"   {escape(t.text)}")
    err.print(f"{len(rows)} tasks")


@app.command()
def refs(
    query: Annotated[str, typer.Argument(help='e.g. "nghi dinh 35/2022", "ND 35/2022"')],
    data_dir: DataDir = None,
) -> None:
    """Which documents cite a legal reference, at which pinpoint, in what words.

    Example:
        vndoc refs "nghi dinh 35/2022"
    """
    from extractors.textnorm import normalize_query
    from pipeline.query.resolve import lookup_refs

    st = _store(data_dir)
    try:
        keys, cites = lookup_refs(st, normalize_query(query))
    finally:
        st.close()
    if not keys:
        err.print(f"no stored document cites {escape(repr(query))}")
        raise typer.Exit(1)
    out.print(f"[bold]{escape(', '.join(keys))}[/bold]: {len(cites)} citations")
    for c in cites:
        where = f" {c.pinpoint}" if c.pinpoint else ""
        name = c.doc_number or c.doc_title or c.doc_id
        out.print(escape(f"- {name} ({c.doc_date or '?'}){where}"))
        out.print(f"  [dim]{escape(c.context)}[/dim]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Câu hỏi, có hoặc không dấu.")],
    today: Annotated[Optional[str], typer.Option(help="Answer as of YYYY-MM-DD.")] = None,  # noqa: UP045
    page: Annotated[int, typer.Option(help="Page of the answer's list (20 a page).")] = 1,
    data_dir: DataDir = None,
) -> None:
    """Answer a question in Vietnamese from the register and the references.

    Example:
        vndoc ask "Ai chủ trì việc giám sát, đánh giá đầu tư?"
    """
    from pipeline.query.ask import answer

    st = _store(data_dir)
    try:
        a = answer(st, question, today=_today(today), page=page)
    finally:
        st.close()
    out.print(" · ".join(f"[cyan]{escape(c.label)}[/cyan]" for c in a.chips) or "[dim]—[/dim]")
    out.print(f"[bold]{escape(a.answer)}[/bold]")
    for e in a.evidence:
        name = e.doc_number or e.doc_title or e.doc_id
        out.print(f"- {escape(e.text)} [dim]({escape(name)})[/dim]")
    if a.next_page:
        out.print(f"[dim]… trang sau: --page {a.next_page}[/dim]")


@app.command("eval-ask")
def eval_ask(
    files: Annotated[
        Optional[list[Path]], typer.Argument(help="Question sets (tests/ask/README.md).")  # noqa: UP045
    ] = None,
    details: Annotated[bool, typer.Option("--details", help="List every miss.")] = False,
    data_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Score over this store instead of a fresh one of the set's corpus."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print figures as JSON.")] = False,
) -> None:
    """How many questions of a labelled set are answered right.

    Example:
        vndoc eval-ask tests/ask/questions.yaml --details
    """
    from pipeline.eval.questions import eval_files

    paths = files or [Path("tests/ask/questions.yaml")]
    st = None
    try:
        if data_dir is not None:
            st = _store(data_dir)
        reports = eval_files(paths, store=st)
    except PipelineError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", soft_wrap=True)
        raise typer.Exit(1) from e
    finally:
        if st is not None:
            st.close()
    for r in reports:
        if json_out:
            sys.stdout.write(json.dumps(r.to_json(), ensure_ascii=False, indent=1) + "\n")
        else:
            sys.stdout.write(r.render(details=details) + "\n")


def main() -> None:
    try:
        app()
    except PipelineError as e:
        err.print(f"[red]error[/red] {_one_line(e)}", soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
