"""Find the releases under an input path and read them, bytes untouched.

A path is a file or a folder read recursively. ``.txt``, ``.html``/``.htm`` and ``.jsonl``
(one release per line: ``text``, optionally ``id``, ``url``, ``title``, ``published``) are
read; a folder's manifest (:mod:`pipeline.sources.manifests`) gives its files their URL,
publication date, title and outlet (the scraper's ``manifest.csv`` also the HTTP charset).
Whatever one file holds, it yields releases or rejects and never stops the reading: a field
of the wrong type, a second release with an id already seen, a file name that is not UTF-8.
The pipeline's own output folders (the one being written, any that holds a ``run.json``)
are not inputs. Inputs stay inside the input folder: a symbolic link that leads out of it, or
round in a loop, is a reject, and so is a PDF or a zip archive (a .docx) whatever its name.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.config import RUN_FILE, RUN_GENERATOR
from pipeline.errors import InputError
from pipeline.records import RawDocument, Reject
from pipeline.sources.decoding import UTF8, decode_utf8, log_decoding
from pipeline.sources.manifests import Manifests, is_manifest

logger = logging.getLogger(__name__)

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "json"}
# Metadata beside the releases, never read as releases nor rejected: the scraper's ledgers,
# manifests (manifest.*), an annotated corpus's gold and aliases, an analyst's corrections
# (picked up by extract), README files.
LEDGERS = {"failures.csv", "discovered.csv", "gold.jsonl", "aliases.json", "corrections.csv"}
# Binary formats a renamed file may hide, never read as text: (signature, the bytes it may
# appear in (a PDF reader looks for it in the first KiB), what the file is).
_ZIP = "a zip archive (a .docx, .xlsx, .odt or .zip)"
_SIGNATURES = ((b"%PDF-", 1024, "a PDF document"), (b"PK\x03\x04", 4, _ZIP),
               (b"PK\x05\x06", 4, _ZIP))


def is_metadata(path: Path) -> bool:
    return path.name.lower() in LEDGERS or is_manifest(path) or \
        path.stem.lower() == "readme"


def doc_id_for(key: str) -> str:
    """A stable, file-name-safe id: the first 16 hex digits of the key's SHA-1.

    A file name that is not UTF-8 reaches Python with its bytes escaped; the id hashes
    those bytes, so two such names never share an id.
    """
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def printable(name: str) -> str:
    """``name`` with the bytes of a file name that is not UTF-8 shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_run(folder: Path) -> dict[str, Any] | None:
    """The ``run.json`` that marks ``folder`` as a prensa-red output folder, else None."""
    try:
        run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ours = isinstance(run, dict) and run.get("generator") == RUN_GENERATOR \
        and isinstance(run.get("files"), dict)
    return run if ours else None


def _run_files(folder: Path) -> set[Path] | None:
    """The files of the output set in ``folder`` (its run.json and the files it lists)."""
    run = read_run(folder)
    return None if run is None else {folder / RUN_FILE, *(folder / name for name in run["files"])}


def list_inputs(root: Path, *, output: Path | None = None) -> list[Path]:
    """Every file to consider under ``root`` (or ``root`` itself), hidden ones skipped, and
    output folders: ``output`` and any folder that holds a prensa-red ``run.json``. When
    ``root`` itself is an output folder, only the files of its output set are skipped."""
    if not root.exists():
        raise InputError(f"input path {root} does not exist; pass a release file or a folder")
    if root.is_file():
        return [root]
    # Symbolic links are listed whatever they lead to, so that one that leaves the folder or
    # loops becomes a reject rather than vanishing (rglob does not enter linked folders).
    paths = [p for p in root.rglob("*")
             if (p.is_symlink() or p.is_file()) and not is_metadata(p)
             and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    top = root.absolute()
    folders = {p.parent.absolute() for p in paths if p.name == RUN_FILE}
    written = output.absolute() if output is not None else None
    if written is not None and written != top and written.is_relative_to(top):
        folders.add(written)
    skipped_folders: list[Path] = []
    skipped_files: set[Path] = set()
    for folder in folders:
        files = _run_files(folder)
        if folder == top:
            skipped_files |= files or set()
        elif files is not None or folder == written:
            skipped_folders.append(folder)
            logger.info("not reading %s: it is an output folder of the pipeline", folder)
    return sorted(p for p in paths if p.absolute() not in skipped_files
                  and not any(p.absolute().is_relative_to(f) for f in skipped_folders))


def count_releases(paths: Iterable[Path]) -> int:
    """About how many releases ``paths`` hold: a .jsonl file's non-blank lines (counted in
    its bytes, without parsing), one for any other file; a file that cannot be read counts
    one (reading it will say why)."""
    total = 0
    for path in paths:
        if path.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            total += 1
    return total


_NO_TEXT = 'each line needs an object with a "text" string'
_TYPE_NAMES = {dict: "an object", list: "a list", bool: "a boolean", int: "a number",
               float: "a number"}


def _read_jsonl(rel: str, data: bytes) -> Iterator[RawDocument | Reject]:
    """The releases of a .jsonl file, one line at a time (a large file is never held as
    releases all at once); a file with none (an annotation file, a manifest) is one reject,
    not one per line. A file that is UTF-8 apart from a few stray bytes is read with those
    bytes repaired (see :mod:`pipeline.sources.decoding`)."""
    decoded = decode_utf8(data)
    del data  # the decoded text is all that is read from here on
    if decoded is None:
        yield Reject(rel, "ingest", "a .jsonl file must be UTF-8, and this one mostly is not; "
                     "convert it to UTF-8")
        return
    log_decoding(decoded, printable(rel), guessed=False)
    leading: list[Reject] = []  # the lines before the first release, held back
    released = False
    for item in _jsonl_records(rel, _lines(decoded.text), decoded.encoding):
        if released:
            yield item
        elif isinstance(item, RawDocument):
            released = True
            yield from leading
            yield item
        else:
            leading.append(item)
    if released:
        return
    if leading and all(r.reason.startswith(("not valid JSON", _NO_TEXT)) for r in leading):
        yield Reject(rel, "ingest", f'no line is a release (an object with a "text" string); '
                     f"{len(leading)} lines skipped")
    else:
        yield from leading


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, split at line feeds only (JSON Lines: a U+2028 inside a string is
    no line break), one at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield text[start:end]
        start = end + 1


def _wrong_type(record: dict[str, object]) -> str | None:
    """Why a release's optional fields cannot be used, or None: ``url``, ``title`` and
    ``published`` are strings or null; ``id`` is a string or a number."""
    for field in ("id", "url", "title", "published"):
        value = record.get(field)
        allowed: tuple[type, ...] = (str, int, float) if field == "id" else (str,)
        if value is not None and (isinstance(value, bool) or not isinstance(value, allowed)):
            kind = _TYPE_NAMES.get(type(value), type(value).__name__)
            expected = "a string or a number" if field == "id" else "a string or null"
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            return f'"{field}" must be {expected}, got {kind} ({shown}); the line is skipped'
    return None


def _jsonl_records(rel: str, lines: Iterable[str], decoding: str) -> Iterator[RawDocument | Reject]:
    for number, line in enumerate(lines, 1):
        where = f"{rel}#L{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(where, "ingest", f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Reject(where, "ingest", _NO_TEXT)
            continue
        problem = _wrong_type(record)
        if problem:
            yield Reject(where, "ingest", problem)
            continue
        given_id = record.get("id")
        key = f"{rel}#id={given_id}" if given_id not in (None, "") else where
        yield RawDocument(doc_id=doc_id_for(record.get("url") or key), path=where, fmt="json",
                          data=record["text"].encode("utf-8"), url=record.get("url") or None,
                          title=record.get("title") or None,
                          published_raw=record.get("published") or None,
                          decoding=None if decoding == UTF8 else decoding)


def _unique(items: Iterable[RawDocument | Reject]) -> Iterator[RawDocument | Reject]:
    """Releases whose doc_id is new; a later one with an id already seen (the same jsonl
    ``id`` twice in a file, the same URL saved twice) is a reject naming the first."""
    first: dict[str, str] = {}
    for item in items:
        if isinstance(item, RawDocument):
            if item.doc_id in first:
                what = f"the URL {item.url}" if item.url else "its id"
                yield Reject(item.path, "ingest", f"a second release with {what}, already read "
                             f"from {first[item.doc_id]}; ids and URLs must be unique, so this "
                             "one is skipped")
                continue
            first[item.doc_id] = item.path
        yield item


def _linked(path: Path, rel: str, folder: Path) -> Path | Reject | None:
    """Where the symbolic link ``path`` leads inside ``folder`` (resolved), a Reject when it
    leads out of it, nowhere or round in a loop, or None for a linked folder inside it (its
    files are read where they are)."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return Reject(rel, "ingest", "a symbolic link to a file that does not exist; not read")
    except (OSError, RuntimeError):  # ELOOP, or pathlib's own "Symlink loop"
        return Reject(rel, "ingest", "a symbolic link that loops back on itself; not read")
    if not target.is_relative_to(folder):
        return Reject(rel, "ingest", "a symbolic link to a file outside the input folder; not "
                      "read (copy the file into the input folder to read it)")
    if target.is_dir():
        logger.info("%s: a link to a folder inside the input folder, whose files are read "
                    "where they are", rel)
        return None
    return target


def _binary_kind(data: bytes) -> str | None:
    """What a binary file is, by its first bytes, else None."""
    return next((kind for signature, window, kind in _SIGNATURES
                 if signature in data[:window]), None)


def _read_file(path: Path, rel: str, manifests: Manifests,
               folder: Path | None) -> Iterable[RawDocument | Reject]:
    fmt = FORMATS.get(path.suffix.lower())
    source = path
    if folder is not None and path.is_symlink():
        target = _linked(path, rel, folder)
        if not isinstance(target, Path):
            return [] if target is None else [target]
        source = target  # read where it leads, so the link cannot be swapped in between
    if fmt is None:
        return [Reject(rel, "ingest", f"unsupported file type {path.suffix or '(none)'!r}; "
                       "expected .txt, .html, .htm or .jsonl")]
    try:
        data = source.read_bytes()
    except OSError as exc:
        return [Reject(rel, "ingest", f"cannot read file: {exc.strerror}")]
    if kind := _binary_kind(data):
        return [Reject(rel, "ingest", f"{kind}, not text, although named {rel.rsplit('/')[-1]}; "
                       "save its text as .txt (or the page as .html) to read it")]
    if fmt == "json":
        return _read_jsonl(rel, data)
    entry = manifests.entry(path)
    return [RawDocument(doc_id=doc_id_for(entry.url or rel), path=rel, fmt=fmt, data=data,
                        url=entry.url, title=entry.title, published_raw=entry.published,
                        charset=entry.charset, published_source="manifest",
                        title_source="manifest", source=entry.source)]


def _read_all(root: Path, paths: list[Path]) -> Iterator[RawDocument | Reject]:
    manifests = Manifests(root)
    folder = None if root.is_file() else root.resolve()  # a file named itself may be a link
    for path in paths:
        escaped = path.name if root.is_file() else path.relative_to(root).as_posix()
        rel = printable(escaped)
        if rel != escaped:
            logger.warning("%s: the file name is not valid UTF-8; the tables show it with "
                           "U+FFFD in place of the bytes", rel)
        try:
            for item in _read_file(path, escaped, manifests, folder):
                yield _printable_path(item, escaped, rel)
        except Exception as exc:  # a fault of this code for this file: the others go on
            yield Reject.fault(escaped, "ingest", exc)


def _printable_path(item: RawDocument | Reject, escaped: str, rel: str
                    ) -> RawDocument | Reject:
    if rel == escaped:
        return item
    return replace(item, path=rel + item.path[len(escaped):])


def read_inputs(root: Path, paths: list[Path] | None = None) -> Iterator[RawDocument | Reject]:
    """Yield one :class:`RawDocument` per release under ``root``, or a :class:`Reject`."""
    yield from _unique(_read_all(root, list_inputs(root) if paths is None else paths))
