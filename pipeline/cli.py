"""Command line: parses arguments and wires the stages together; no stage logic here."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from pipeline.config import PROCESSED_DIR, RAW_DIR, Settings, SettingsError, load_settings
from pipeline.ingest import InputError
from pipeline.nlp import ModelNotFound

# Errors that come from the user's input or machine, reported in one line with exit status 2.
USER_ERRORS: tuple[type[Exception], ...] = (InputError, ModelNotFound, SettingsError)


def _settings(**flags: object) -> Settings:
    """Shipped and environment settings, then the flags the user actually gave."""
    return replace(load_settings(), **{k: v for k, v in flags.items() if v is not None})


def _progress_bar(unit: str) -> Callable[[int], Callable[[], None]]:
    def start(total: int) -> Callable[[], None]:
        bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)
        return lambda: bar.update(1)
    return start


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.run import extract_corpus  # spaCy loads only for commands that need it

    settings = _settings(model=args.model, batch_size=args.batch_size)
    summary = extract_corpus(args.input, args.output, settings=settings,
                             progress=None if args.quiet else _progress_bar("file"))
    print(summary.line(), file=sys.stderr)
    if summary.documents == 0:
        print(f"error: no release under {args.input} could be processed; "
              f"see {args.output / 'rejects.csv'}", file=sys.stderr)
        return 1
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
    extract.set_defaults(handler=cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.handler(args))
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; outputs already written are complete, the rest were not written",
              file=sys.stderr)
        return 130
