"""Whole-set outputs: the tables of one run appear in the output folder together or not at all.

>>> with OutputSet(folder) as outputs:  # doctest: +SKIP
...     write_tables(..., outputs.staging)           # every file goes to a staging folder
...     outputs.publish(documents=n, rejected=r, model=m, source=input_path)

Entering takes the folder's lock (a second run is refused, naming the run that holds it),
finishes or undoes a publish that a killed run left half done (see below), and removes what
killed runs left (``.staging-*`` folders, ``.*.tmp`` files). :meth:`publish` replaces the
previous set by the staged one under a journal, ``.publish.json``, written first: it names the
folder the previous set is moved aside to (``.previous-*``), the files of both sets and the
SHA-256 of the new ``run.json``. Then every file of the previous set moves aside (its
``run.json`` first), the new files move in, and the new ``run.json`` last: it names the set,
with each file's SHA-256, so that readers (:func:`verify`) can tell a whole set from a mixed or
interrupted one. A failure or a signal at any step puts the previous set back at once; after a
kill, the next run does it, or, when the new ``run.json`` was in place, completes the new set.
Either way the folder holds one whole set, and the log says which. Files of the previous set
that the new one lacks (per-year slices of years no longer there) stay aside and go with it.
A run that processed nothing publishes nothing: the previous set stays, and its rejects go to
``rejects-failed-run.csv``. Files the pipeline does not write are never touched.
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
from pipeline.publish.export import ensure_folder
from pipeline.sources.ingest import read_run

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1  # bump when a table's columns change meaning, so old sets are refused
LOCK_FILE = ".prensa-red.lock"
FAILED_REJECTS = "rejects-failed-run.csv"
_STAGING_PREFIX = ".staging-"
_ASIDE_PREFIX = ".previous-"  # the previous set, while a publish replaces it
JOURNAL = ".publish.json"
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


def _move(source: Path, destination: Path) -> None:
    """One step of a publish: a rename inside the output folder."""
    os.replace(source, destination)


def _remove(path: Path) -> None:
    """One step of a publish: a file or a folder goes."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _created(run: dict[str, Any] | None) -> str:
    return f"the run of {run.get('created', '?')}" if run else "no earlier run"


class OutputSet:
    """One run's output folder: its lock, its staging folder, and publishing the set.

    ``state`` says what the folder holds: "unchanged" (its previous set, untouched), "published"
    (this run's set, whole) or "restored" (a publish failed and put the previous set back).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.staging = folder  # replaced by the staging folder on entry
        self.state = "unchanged"
        self._lock: folder_lock.FolderLock | None = None

    def __enter__(self) -> OutputSet:
        ensure_folder(self.folder)
        self._take_lock()
        try:
            self._recover()
            self._remove_leftovers()
            self.staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=self.folder))
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._release()

    def _release(self) -> None:
        if self.staging != self.folder:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

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

    def _recover(self) -> None:
        """Finish or undo the publish a killed run left half done (its journal is there)."""
        try:
            journal = json.loads((self.folder / JOURNAL).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except ValueError:  # a journal is written whole: this one is not ours
            raise OutputError(f"{self.folder / JOURNAL} is not a publish journal; move it away "
                              "and rerun") from None
        run_file = self.folder / RUN_FILE
        if run_file.is_file() and _sha256(run_file) == journal["run"]:
            self._finish(journal)
            logger.warning("%s: a run was stopped just after publishing its tables; they are "
                           "whole (%s), and the previous set it had moved aside is removed",
                           self.folder, _created(read_run(self.folder)))
        else:
            self._roll_back(journal)
            logger.warning("%s: a run was stopped while publishing its tables; the previous set "
                           "is restored whole (%s)", self.folder,
                           _created(read_run(self.folder)))

    def _finish(self, journal: dict[str, Any]) -> None:
        _remove(self.folder / journal["aside"])
        _remove(self.folder / JOURNAL)

    def _roll_back(self, journal: dict[str, Any]) -> None:
        """Undo a publish at whatever step it stopped: the new files out (a name of the old
        set still here is the old file until it has moved aside), the old ones back."""
        aside = self.folder / journal["aside"]
        for name in journal["new"]:
            if name not in journal["old"] or (aside / name).exists():
                _remove(self.folder / name)
        for name in journal["old"]:
            if (aside / name).exists():
                _move(aside / name, self.folder / name)
        _remove(aside)
        _remove(self.folder / JOURNAL)

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
        """Replace the previous set by the staged one, ``run.json`` last; return True.

        ``facts`` are further entries of ``run.json`` (those whose value is None are left out).

        With no document processed, nothing is published (return False): the previous set
        stays and the staged rejects become ``rejects-failed-run.csv``.

        Raises:
            OutputError: a step failed; the previous set is back in place, whole.
        """
        if documents == 0:
            staged_rejects = self.staging / "rejects.csv"
            if staged_rejects.is_file():
                os.replace(staged_rejects, self.folder / FAILED_REJECTS)
            return False
        names = sorted(p.name for p in self.staging.iterdir() if p.is_file())
        files = {name: {"sha256": _sha256(self.staging / name),
                     "bytes": (self.staging / name).stat().st_size} for name in names}
        run = {"generator": RUN_GENERATOR, "schema_version": SCHEMA_VERSION,
               "version": __version__,
               "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "model": model, "input": str(source), "documents": documents,
               "rejected": rejected,
               **{name: value for name, value in (facts or {}).items() if value is not None},
               "files": files}
        (self.staging / RUN_FILE).write_text(json.dumps(run, indent=2, ensure_ascii=False)
                                             + "\n", encoding="utf-8")
        previous = read_run(self.folder)
        old = {name for name in previous["files"] if Path(name).name == name} \
            if previous else set()
        old |= {p.name for p in self.folder.iterdir() if _PER_YEAR.match(p.name)}
        old = {name for name in old | set(names) | {FAILED_REJECTS}
               if (self.folder / name).is_file()}
        journal = {"aside": self.staging.name.replace(_STAGING_PREFIX, _ASIDE_PREFIX),
                   "old": [RUN_FILE] * (self.folder / RUN_FILE).is_file() + sorted(old),
                   "new": [*names, RUN_FILE], "run": _sha256(self.staging / RUN_FILE)}
        (self.staging / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
        try:
            _move(self.staging / JOURNAL, self.folder / JOURNAL)
            (self.folder / journal["aside"]).mkdir()
            for name in journal["old"]:  # run.json first: from here on readers refuse the set
                _move(self.folder / name, self.folder / journal["aside"] / name)
            for name in journal["new"]:  # run.json last: the set is whole
                _move(self.staging / name, self.folder / name)
        except BaseException as exc:
            self._undo(journal, previous, exc)
            raise
        self.state = "published"
        try:
            self._finish(journal)
        except OSError as exc:  # the set is whole; the next run removes the rest
            logger.warning("%s: the previous set could not be removed (%s); the next run "
                           "removes it", self.folder, exc.strerror or exc)
        return True

    def _undo(self, journal: dict[str, Any], previous: dict[str, Any] | None,
              exc: BaseException) -> None:
        """Put the previous set back after a failed step; raise OutputError for a failure of
        the file system (a signal goes on as it is, with ``state`` saying what happened)."""
        try:
            if (self.folder / JOURNAL).is_file():  # else it never landed: nothing moved
                self._roll_back(journal)
        except OSError as failure:
            raise OutputError(f"publishing into {self.folder} failed ({exc}) and so did "
                              f"putting the previous set back ({failure}); the next run "
                              "restores it") from None
        self.state = "restored"
        if isinstance(exc, OSError):
            raise OutputError(f"publishing into {self.folder} failed ({exc.strerror or exc}); "
                              f"it keeps the previous set whole ({_created(previous)})") from None
