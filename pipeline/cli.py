"""Command line: parses arguments and wires the stages together; no stage logic here."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path

from pipeline.config import PROCESSED_DIR, RAW_DIR, REPORTS_DIR, Settings, load_settings
from pipeline.errors import InputError, UserError


class Terminated(BaseException):
    """SIGTERM, raised where the run is, so that it unwinds as on Ctrl-C: the output folder's
    lock, the staging folder and the store's lease are released, a publish is undone."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _settings(**flags: object) -> Settings:
    """Shipped and environment settings, then the flags the user actually gave."""
    return replace(load_settings(), **{k: v for k, v in flags.items() if v is not None})


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.progress import ProgressBar, logs_above_the_bar
    from pipeline.publish.outputs import FAILED_REJECTS
    from pipeline.run import RunState, counted, extract_corpus  # spaCy loads only here

    settings = _settings(model=args.model, batch_size=args.batch_size, processes=args.processes,
                         workers=args.workers, scheduler=args.scheduler,
                         scheduler_timeout=args.scheduler_timeout, interim=args.interim,
                         include_private_persons=args.include_private_persons)
    args.state = RunState()  # what the run did to --output, if a signal stops it (main)
    with ProgressBar("release", announce=lambda n: f"{counted(n, 'release')} to read under "
                     f"{args.input}") as bar, logs_above_the_bar():
        summary = extract_corpus(args.input, args.output, settings=settings,
                                 progress=None if args.quiet else bar,
                                 since=args.since, until=args.until, by_year=args.by == "year",
                                 rebuild=args.rebuild, corrections=args.corrections,
                                 state=args.state)
    print(summary.line(), file=sys.stderr)
    if summary.documents == 0:
        print(f"error: no release under {args.input} could be processed, so nothing was "
              f"published ({args.output} keeps the results it had); why: "
              f"{args.output / FAILED_REJECTS}", file=sys.stderr)
        return 1
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from pipeline.publish.explain import explain  # pandas loads only here

    print(explain(args.input, args.first, args.second))
    return 0


def cmd_explore(args: argparse.Namespace) -> int:
    from pipeline.publish.explore import serve  # Datasette loads only here

    return serve(args.input, host=args.host, port=args.port)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; expected YYYY-MM-DD, "
                                         "e.g. 2023-11-25") from None


def cmd_scrape(args: argparse.Namespace) -> int:
    from itertools import count

    from pipeline.sources.scrape import ScrapeError, read_url_list, scrape_site, scrape_urls
    from pipeline.sources.sites import load_site

    settings = _settings(delay=args.delay, timeout=args.timeout, retries=args.retries,
                         max_bytes=args.max_bytes, user_agent=args.user_agent,
                         backoff=args.backoff, discover_limit=args.limit)
    if (args.from_id is None) != (args.to_id is None):
        raise ScrapeError("--from-id and --to-id go together; give both, or --pages")
    discover_only = [flag for flag, value in (("--since", args.since), ("--until", args.until),
                     ("--limit", args.limit), ("--match", args.match)) if value is not None]
    if discover_only and args.discover is None:
        raise ScrapeError(f"{', '.join(discover_only)}: only with --discover URL")
    counter = count(1)
    progress = None if args.quiet else (
        lambda outcome, url: print(f"[{next(counter)}] {outcome}: {url}", file=sys.stderr))
    if args.discover is not None:
        from pipeline.sources.discover import discover_site

        summary = discover_site(args.discover, args.out, settings, since=args.since,
                                until=args.until, match=args.match, progress=progress)
    elif args.urls is not None:
        summary = scrape_urls(read_url_list(args.urls), args.out, settings, progress=progress)
    else:
        site = load_site(args.site)
        site = site.with_base_url(args.base_url) if args.base_url else site
        ids = None if args.from_id is None else (args.from_id, args.to_id)
        summary = scrape_site(site, args.out, settings, pages=args.pages, ids=ids,
                              progress=progress)
    print(summary.line(), file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.publish.report import build_report  # pandas and matplotlib load only for reports

    files = build_report(args.input, args.output, jurisdiction=args.jurisdiction)
    places = f" and {len(files.place_networks)} network-<municipio>.png" \
        if files.place_networks else ""
    print(f"wrote {files.html} with {files.network_png.name}, {files.timeline_png.name}, "
          f"{files.top_institutions_png.name}{places} beside it", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from pipeline.evaluate import format_report
    from pipeline.evaluate.summary import format_oracle, report_figures
    from pipeline.publish.tables import evaluate_tables, load_tables
    from pipeline.run import extract_corpus

    if not args.gold.is_file():
        raise InputError(f"gold file {args.gold} does not exist; give --gold GOLD.jsonl")
    with tempfile.TemporaryDirectory(prefix="prensa-red-eval-") as scratch:
        output = args.output or Path(scratch) / "tables"
        # A store of its own: the annotated corpus never prunes the results of data/raw.
        # Scoring compares every person with the annotations, so nobody is withheld.
        settings = _settings(model=args.model, interim=str(Path(scratch) / "interim"),
                             include_private_persons=True)
        extract_corpus(args.input, output, settings=settings)
        report = evaluate_tables(load_tables(output), args.gold, aliases=args.aliases)
        oracle = _review_oracle(args, output, Path(scratch), settings, report_figures(report)) \
            if args.review_oracle else None
    if args.json:
        figures = report_figures(report) | ({"review_oracle": oracle} if oracle else {})
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(format_report(report) + (format_oracle(oracle) if oracle else ""))
    return 0


def _review_oracle(args: argparse.Namespace, output: Path, scratch: Path, settings: Settings,
                   before: dict[str, object]) -> dict[str, object]:
    """The review sheet's top ``--review-oracle`` rows answered from the gold, applied as
    corrections to a second run on the same store (no release analysed again), scored."""
    from pipeline.evaluate import load_gold, predicted_docs_from_tables
    from pipeline.evaluate.oracle import Gold, answer
    from pipeline.evaluate.predicted import document_keys
    from pipeline.evaluate.summary import report_figures
    from pipeline.publish.review import review_rows
    from pipeline.publish.sheets import write_review
    from pipeline.publish.tables import evaluate_tables, load_tables
    from pipeline.run import extract_corpus

    if args.review_oracle < 1:
        raise InputError(f"--review-oracle {args.review_oracle} is invalid; give the number "
                         "of rows to answer, e.g. 20")
    rows = review_rows(output, threshold=settings.gbv_threshold,
                       include_private_persons=True)[:args.review_oracle]
    tables = load_tables(output)
    gold = Gold(load_gold(args.gold, aliases=args.aliases), predicted_docs_from_tables(
        tables.documents, tables.mentions, tables.entities, tables.dates),
        document_keys(tables.documents))
    answered = answer(rows, gold)
    write_review(scratch / "review-oracle.csv", answered)
    extract_corpus(args.input, scratch / "corrected", settings=settings,
                   corrections=scratch / "review-oracle.csv")
    after = evaluate_tables(load_tables(scratch / "corrected"), args.gold, aliases=args.aliases)
    return {"k": args.review_oracle, "rows": len(answered),
            "accepted": sum(r.decision == "accept" for r in answered),
            "before": before, "after": report_figures(after),
            "answers": [{"rank": r.rank, "kind": r.kind, "suggestion": r.suggestion,
                         "target": r.target, "name": r.name,
                         "suggested_value": r.suggested_value, "decision": r.decision}
                        for r in answered]}


def cmd_review(args: argparse.Namespace) -> int:
    from pipeline.publish.review import write_review_sheet

    settings = _settings()
    rows = write_review_sheet(args.input, args.output, threshold=settings.gbv_threshold,
                              include_private_persons=bool(args.include_private_persons))
    print(f"wrote {args.output} with {rows} rows to review, most worth checking first; mark "
          "each decision accept or reject and pass it to extract --corrections",
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prensa-red",
        description="Turn Spanish municipal press releases into data on who works with whom "
                    "on gender-violence prevention.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="extract people, institutions, dates and the network from releases",
        description="Read releases (.txt, .html, .jsonl; a file or a folder, recursively) and "
                    "write documents, mentions, entities, dates, edges, graphs and rejects.")
    extract.add_argument("--input", type=Path, default=RAW_DIR,
                         help=f"release file or folder (default: {RAW_DIR})")
    extract.add_argument("--output", type=Path, default=PROCESSED_DIR,
                         help=f"folder for the tables and graphs (default: {PROCESSED_DIR})")
    extract.add_argument("--model", help="spaCy model (default: es_core_news_md, _lg, _sm, "
                                         "whichever is installed; env PIPELINE_MODEL)")
    extract.add_argument("--batch-size", type=int, help="documents per spaCy batch")
    extract.add_argument("--processes", type=int,
                         help="spaCy worker processes (default 0: one per core, at most 4, "
                              "from 200 releases on; else 1)")
    extract.add_argument("--workers", type=int, metavar="N",
                         help="run the per-document stage on a local Dask cluster of N workers")
    extract.add_argument("--scheduler", metavar="ADDRESS",
                         help="run it on the workers of a running Dask scheduler "
                              "(tcp://HOST:8786); they must reach the interim store")
    extract.add_argument("--scheduler-timeout", type=float, metavar="SECONDS",
                         help="seconds the scheduler has to answer as one (default 5)")
    extract.add_argument("--interim", metavar="DIR",
                         help="store of per-document results reused by later runs: a folder "
                              "or an fsspec URL (default: data/interim)")
    extract.add_argument("--rebuild", action="store_true",
                         help="process every release again, ignoring stored results")
    extract.add_argument("--include-private-persons", action="store_true", default=None,
                         help="name every person, also those no release gives a public role "
                              "or an institution (default: withheld; README \"Privacy\")")
    extract.add_argument("--corrections", type=Path, metavar="FILE",
                         help="an analyst's corrections (CSV: action,target,value,note; or a "
                              "filled review sheet), applied without analysing any release "
                              "again (default: corrections.csv in the input folder, if any)")
    extract.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                         help="network files: only events dated on or after this day")
    extract.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD",
                         help="network files: only events dated on or before this day")
    extract.add_argument("--by", choices=["year"],
                         help="also write one network slice per year (edges-2023.csv, "
                              "nodes-2023.csv, graph-2023.gexf, graph-2023.graphml)")
    extract.set_defaults(handler=cmd_extract)

    # explain speaks Spanish, as its readers do.
    explain = commands.add_parser(
        "explain", help="show the events and sentences behind a link between two institutions",
        description="Muestra los eventos que comparten dos instituciones (fecha, tipo, título, "
                    "direcciones) y las oraciones que nombran a las dos, según las tablas de "
                    "`extract`. Un nombre que puede ser varias instituciones termina con la "
                    "lista de ellas (estado de salida 2).")
    for position in ("first", "second"):
        explain.add_argument(position, help="institución: su nombre como lo muestra el informe "
                                            "(«Instituto Municipal de las Mujeres (Juárez, "
                                            "Chihuahua)»), una sigla o un alias («DIF», «Red "
                                            "Mesa») o su entity_id")
    explain.add_argument("--input", type=Path, default=PROCESSED_DIR,
                         help=f"carpeta con las tablas de extract (por omisión: {PROCESSED_DIR})")
    explain.set_defaults(handler=cmd_explain)

    explore = commands.add_parser(
        "explore", help="open prensa-red.sqlite in Datasette, in the browser (offline)",
        description="Serve the database `extract` wrote with Datasette on HOST:PORT, with "
                    "Spanish titles, column descriptions and canned queries; Ctrl+C stops it.")
    explore.add_argument("--input", type=Path, default=PROCESSED_DIR,
                         help=f"folder with the extract tables (default: {PROCESSED_DIR})")
    explore.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default: 127.0.0.1, this computer only)")
    explore.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    explore.set_defaults(handler=cmd_explore)

    scrape = commands.add_parser(
        "scrape", help="fetch press releases from the web into a raw folder",
        description="Fetch a press room's releases (--site), any press room's newest releases "
                    "found from its sitemaps and feeds (--discover) or any list of article URLs "
                    "(--urls) into OUT/<host>/<name>.html, with OUT/manifest.csv and "
                    "OUT/failures.csv. A rerun skips pages the manifest already lists.")
    source = scrape.add_mutually_exclusive_group(required=True)
    source.add_argument("--site", metavar="NAME",
                        help="a press-room adapter, e.g. juarez (resources/sites/NAME.toml)")
    source.add_argument("--urls", type=Path, metavar="FILE",
                        help="text file with one URL a line (# starts a comment)")
    source.add_argument("--discover", metavar="URL",
                        help="a press room's home page: its robots.txt sitemaps and announced "
                             "feeds give the article URLs, fetched newest first")
    scrape.add_argument("--out", type=Path, default=RAW_DIR,
                        help=f"folder for pages and ledgers (default: {RAW_DIR})")
    scrape.add_argument("--pages", type=int, default=1,
                        help="--site: listing pages to read, newest first (default: 1)")
    scrape.add_argument("--from-id", type=int, metavar="N", help="--site: first article id to walk")
    scrape.add_argument("--to-id", type=int, metavar="M", help="--site: last article id to walk")
    scrape.add_argument("--base-url", metavar="URL",
                        help="--site: another host for the adapter (a mirror, a local server)")
    scrape.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                        help="--discover: only articles whose sitemap lastmod or feed date is "
                             "on or after this day")
    scrape.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD",
                        help="--discover: only articles dated on or before this day")
    scrape.add_argument("--limit", type=int, metavar="N",
                        help="--discover: fetch at most the N newest articles (default: "
                             "setting discover_limit, 200)")
    scrape.add_argument("--match", metavar="PATTERN",
                        help="--discover: only articles whose path matches this regular "
                             "expression, e.g. '/noticias?/'")
    scrape.add_argument("--delay", type=float, help="seconds between requests to one host")
    scrape.add_argument("--timeout", type=float,
                        help="seconds one response may take, from connecting to its last byte")
    scrape.add_argument("--retries", type=int, help="retries on timeouts, 429 and 5xx")
    scrape.add_argument("--backoff", type=float, help="seconds before the first retry (doubles)")
    scrape.add_argument("--max-bytes", type=int, help="refuse responses larger than this")
    scrape.add_argument("--user-agent", help="User-Agent header, with a way to contact you")
    scrape.set_defaults(handler=cmd_scrape)

    report = commands.add_parser(
        "report", help="write report.html and PNG figures from the processed tables",
        description="Read the tables of `extract` and write a self-contained report.html "
                    "(summary, top institutions, interactive network, timeline) with "
                    "network.png, timeline.png and top_institutions.png beside it, and a "
                    "network-<municipio>.png per municipality when there are several.")
    report.add_argument("--input", type=Path, default=PROCESSED_DIR,
                        help=f"folder with the extracted tables (default: {PROCESSED_DIR})")
    report.add_argument("--output", type=Path, default=REPORTS_DIR,
                        help=f"folder for the report and figures (default: {REPORTS_DIR})")
    report.add_argument("--jurisdiction", metavar="MUNICIPIO",
                        help='only the events of one municipality, e.g. "Juárez, Chihuahua" '
                             "(or Juárez when no other municipality has that name)")
    report.set_defaults(handler=cmd_report)

    evaluate = commands.add_parser(
        "evaluate", help="extract a hand-annotated corpus and score it against the gold file",
        description="Run `extract` on --input, then print precision, recall and F1 for PER "
                    "and ORG, cross-document identity, institution pairs (edges), event and "
                    "publication dates and GBV, with the errors by class and each document's "
                    "false positives and negatives (protocol: the corpus README).")
    evaluate.add_argument("--gold", type=Path, required=True, help="gold annotations (JSONL)")
    evaluate.add_argument("--input", type=Path, required=True, help="the annotated releases")
    evaluate.add_argument("--aliases", type=Path, metavar="FILE",
                          help="canonical names of bodies the gold names differently (default: "
                               "aliases.json beside the gold file, when there is one)")
    evaluate.add_argument("--output", type=Path,
                          help="keep the extracted tables here (default: a temporary folder)")
    evaluate.add_argument("--model", help="spaCy model (as for extract)")
    evaluate.add_argument("--review-oracle", type=int, metavar="K",
                          help="also answer the review sheet's top K rows from the gold, apply "
                               "the accepted ones as corrections and score again")
    evaluate.add_argument("--json", action="store_true",
                          help="print the figures (and the oracle's before and after) as one "
                               "JSON object")
    evaluate.set_defaults(handler=cmd_evaluate)

    review = commands.add_parser(
        "review", help="rank what an analyst should check first, as a corrections sheet",
        description="Read the tables of `extract` and write a review sheet (CSV): institutions "
                    "with weak evidence, likely duplicates, bodies of another city, people "
                    "whose privacy decision rests on thin evidence and releases near the GBV "
                    "threshold, ranked by how much of the network each could change times how "
                    "doubtful it is. Mark decision accept or reject; the sheet is then a "
                    "corrections file for extract --corrections.")
    review.add_argument("--input", type=Path, default=PROCESSED_DIR,
                        help=f"folder with the extracted tables (default: {PROCESSED_DIR})")
    review.add_argument("--output", type=Path, default=REPORTS_DIR / "review.csv",
                        help=f"the sheet to write (default: {REPORTS_DIR / 'review.csv'})")
    review.add_argument("--include-private-persons", action="store_true",
                        help="review tables that name every person (extract "
                             "--include-private-persons)")
    review.set_defaults(handler=cmd_review)
    return parser


def _stopped(args: argparse.Namespace) -> str:
    """What a command stopped by a signal leaves: for extract, the state of its outputs."""
    state = getattr(args, "state", None)
    if state is None:
        return "nothing half-written is left"
    return {"published": f"this run's tables were already published whole in {args.output}; "
                         "the interim store is tidied by the next run",
            "restored": f"{args.output} keeps its previous tables whole (the publish under way "
                        "was undone)"}.get(
        state.outputs, f"nothing was published ({args.output} keeps its previous tables "
                            "whole)")


def main(argv: list[str] | None = None) -> int:
    """Run one command; every exit status comes with a line on stderr saying why: 0 the
    summary, 1 nothing could be processed (or a fault of the code, after its traceback), 2 a
    usage error, 130 Ctrl-C, 143 SIGTERM."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if on_main_thread else None
    try:
        return int(args.handler(args))
    except UserError as exc:  # the user's input, not the code: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted; {_stopped(args)}", file=sys.stderr)
        return 130
    except Terminated:
        print(f"terminated (SIGTERM); {_stopped(args)}", file=sys.stderr)
        return 143
    except Exception:
        traceback.print_exc()
        print("error: prensa-red failed on a fault of its own (the traceback above); please "
              "report it", file=sys.stderr)
        return 1
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
