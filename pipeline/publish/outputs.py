"""Whole-set outputs: the tables of one run appear in the output folder together or not at all.

>>> with OutputSet(folder) as outputs:  # doctest: +SKIP
...     write_tables(..., outputs.staging)           # every file goes to a staging folder
...     outputs.publish(documents=n, rejected=r, model=m, source=input_path)

Entering takes the folder's lock (a second run is refused, naming the run that holds it) and
removes what killed runs left (``.staging-*`` folders, ``.*.tmp`` files). :meth:`publish`
moves the staged files in, removes the files of the previous set that this one lacks (per-year
slices of years no longer there), and writes ``run.json`` last: it names the set, with each
file's SHA-256, so that readers (:func:`verify`) can tell a whole set from a mixed or
interrupted one. A run that processed nothing publishes nothing: the previous set stays, and
its rejects go to ``rejects-failed-run.csv``. Files the pipeline does not write are never
touched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline import __version__, folder_lock
from pipeline.config import RUN_FILE, RUN_GENERATOR
from pipeline.errors import InputError, OutputError
from pipeline.publish.export import atomic_path, ensure_folder
from pipeline.sources.ingest import read_run

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1  # bump when a table's columns change meaning, so old sets are refused
LOCK_FILE = ".prensa-red.lock"
FAILED_REJECTS = "rejects-failed-run.csv"
_STAGING_PREFIX = ".staging-"
_LEFTOVERS = re.compile(r"^\..+\.tmp$")  # export.atomic_path's temporary files
# Files of earlier sets that predate run.json: the per-year network slices.
_PER_YEAR = re.compile(r"^(?:(?:edges|nodes)-\d{4}\.csv|graph-\d{4}\.(?:gexf|graphml))$")


class OutputLocked(OutputError):
    """Another run is writing into the output folder."""


class OutputsError(InputError):
    """An output folder whose tables are not one whole set of a run; rerun extract.

    ``state`` says what is wrong with ``path``, for messages in other words (``explain``
    speaks Spanish): ``no-run`` (no run.json), ``schema`` (another schema version),
    ``missing`` or ``changed`` (a file of the set).
    """

    def __init__(self, message: str, *, path: Path, state: str) -> None:
        super().__init__(message)
        self.path = path
        self.state = state


def _rerun(folder: Path) -> str:
    return f"rerun `python -m pipeline extract --output {folder}`"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(folder: Path) -> dict[str, Any]:
    """The run that wrote ``folder``'s tables, after checking they are its whole set.

    Raises:
        OutputsError: no ``run.json``, another schema version, or a listed file missing or
            changed; the one-line message says to rerun extract.
    """
    run = read_run(folder)
    if run is None:
        raise OutputsError(f"{folder} has no {RUN_FILE}: its tables are from an interrupted "
                           f"run or an older version; {_rerun(folder)}", path=folder,
                           state="no-run")
    if run.get("schema_version") != SCHEMA_VERSION:
        raise OutputsError(f"{folder} was written with schema version "
                           f"{run.get('schema_version')}, this version reads "
                           f"{SCHEMA_VERSION}; {_rerun(folder)}", path=folder, state="schema")
    for name, facts in sorted(run["files"].items()):
        path = folder / name
        if not path.is_file() or _sha256(path) != facts.get("sha256"):
            state = "missing" if not path.is_file() else "changed"
            said = "is missing" if state == "missing" else "was changed"
            raise OutputsError(f"{path} {said} since the run of {run.get('created', '?')} "
                               f"that wrote {folder / RUN_FILE}; {_rerun(folder)}",
                               path=path, state=state)
    return run


class OutputSet:
    """One run's output folder: its lock, its staging folder, and publishing the set."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.staging = folder  # replaced by the staging folder on entry
        self._lock: folder_lock.FolderLock | None = None

    def __enter__(self) -> OutputSet:
        ensure_folder(self.folder)
        self._take_lock()
        self._remove_leftovers()
        self.staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=self.folder))
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        assert self._lock is not None
        self._lock.release()

    def _take_lock(self) -> None:
        try:
            self._lock = folder_lock.hold(self.folder / LOCK_FILE)
        except OSError as exc:
            raise OutputError(f"cannot write into {self.folder} ({exc.strerror}); choose "
                              "another --output") from None
        except folder_lock.FolderBusy as busy:
            raise OutputLocked(f"{self.folder} is being written by another extract run "
                               f"({busy.holder}); wait for it to end, or choose another "
                               "--output") from None
        if self._lock.taken_over:
            logger.warning("%s: taking over the lock of a run that ended without releasing "
                           "it (%s)", self.folder, self._lock.taken_over)

    def _remove_leftovers(self) -> None:
        """What killed runs left: staging folders and temporary files (the lock is ours)."""
        for path in self.folder.iterdir():
            if path.is_dir() and path.name.startswith(_STAGING_PREFIX):
                shutil.rmtree(path, ignore_errors=True)
                logger.info("removed %s, left by an interrupted run", path)
            elif path.is_file() and _LEFTOVERS.match(path.name):
                path.unlink(missing_ok=True)
                logger.info("removed %s, left by an interrupted run", path)

    def publish(self, *, documents: int, rejected: int, model: str, source: Path,
                facts: dict[str, Any] | None = None) -> bool:
        """Move the staged set into the folder and write ``run.json``; return True.

        ``facts`` are further entries of ``run.json`` (those whose value is None are left out).

        With no document processed, nothing is published (return False): the previous set
        stays and the staged rejects become ``rejects-failed-run.csv``.
        """
        if documents == 0:
            staged_rejects = self.staging / "rejects.csv"
            if staged_rejects.is_file():
                os.replace(staged_rejects, self.folder / FAILED_REJECTS)
            return False
        names = sorted(p.name for p in self.staging.iterdir() if p.is_file())
        files = {name: {"sha256": _sha256(self.staging / name),
                        "bytes": (self.staging / name).stat().st_size} for name in names}
        previous = read_run(self.folder)
        (self.folder / RUN_FILE).unlink(missing_ok=True)  # the set is changing from here on
        for name in names:
            os.replace(self.staging / name, self.folder / name)
        stale = {name for name in previous["files"] if Path(name).name == name} \
            if previous else set()
        stale |= {p.name for p in self.folder.iterdir() if _PER_YEAR.match(p.name)}
        for name in sorted(stale - set(names) | {FAILED_REJECTS}):
            (self.folder / name).unlink(missing_ok=True)
        run = {"generator": RUN_GENERATOR, "schema_version": SCHEMA_VERSION,
               "version": __version__,
               "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "model": model, "input": str(source), "documents": documents,
               "rejected": rejected,
               **{name: value for name, value in (facts or {}).items() if value is not None},
               "files": files}
        with atomic_path(self.folder / RUN_FILE) as temporary:
            temporary.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        return True
