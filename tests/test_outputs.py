"""Whole-set outputs: staging, run.json, the folder lock and what killed runs leave behind."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.cli import main
from pipeline.config import RUN_FILE
from pipeline.errors import OutputError
from pipeline.publish import export, outputs
from pipeline.publish.outputs import (
    FAILED_REJECTS,
    LOCK_FILE,
    OutputLocked,
    OutputsError,
    OutputSet,
    verify,
)


def publish(folder: Path, tables: dict[str, str], *, documents: int = 1) -> bool:
    """Publish one set of single-column tables, as a run of extract would."""
    with OutputSet(folder) as outputs:
        for name, value in tables.items():
            export.write_csv(outputs.staging / name, ["value"], [{"value": value}])
        return outputs.publish(documents=documents, rejected=0, model="es_test-0",
                               source=folder.parent)


def test_publish_moves_the_set_in_and_writes_run_json_last(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert publish(folder, {"documents.csv": "uno", "rejects.csv": ""})
    run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    assert sorted(run["files"]) == ["documents.csv", "rejects.csv"]
    assert (run["schema_version"], run["model"], run["documents"]) == (1, "es_test-0", 1)
    assert verify(folder)["created"] == run["created"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "documents.csv", "rejects.csv", RUN_FILE]  # no staging folder, no lock, no .tmp


def test_files_of_the_previous_set_this_one_lacks_go_and_user_files_stay(tmp_path: Path
                                                                          ) -> None:
    folder = tmp_path / "out"
    publish(folder, {"documents.csv": "viejo", "edges-2022.csv": "a", "edges-2023.csv": "b"})
    (folder / "mis-notas.txt").write_text("del analista", encoding="utf-8")
    (folder / "graph-2021.gexf").write_text("<gexf/>", encoding="utf-8")  # an older version's
    publish(folder, {"documents.csv": "nuevo", "edges-2023.csv": "c"})
    assert sorted(p.name for p in folder.iterdir()) == [
        "documents.csv", "edges-2023.csv", "mis-notas.txt", RUN_FILE]
    assert "nuevo" in (folder / "documents.csv").read_text(encoding="utf-8-sig")
    verify(folder)


def test_a_run_that_processed_nothing_leaves_the_previous_set(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    publish(folder, {"documents.csv": "bueno", "rejects.csv": ""})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert not publish(folder, {"documents.csv": "", "rejects.csv": "vacio.txt"}, documents=0)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != FAILED_REJECTS}
    assert after == before
    assert "vacio.txt" in (folder / FAILED_REJECTS).read_text(encoding="utf-8-sig")
    verify(folder)
    publish(folder, {"documents.csv": "otra vez"})  # the next whole set removes it
    assert not (folder / FAILED_REJECTS).exists()


def test_an_exception_before_publishing_leaves_the_previous_set(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    publish(folder, {"documents.csv": "bueno"})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(RuntimeError), OutputSet(folder) as outputs:
        export.write_csv(outputs.staging / "documents.csv", ["value"], [{"value": "a medias"}])
        raise RuntimeError("the run fails while writing")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize(("damage", "message"), [
    (lambda f: (f / "documents.csv").write_text("otra corrida\n"), "documents.csv was changed"),
    (lambda f: (f / "documents.csv").unlink(), "documents.csv is missing"),
    (lambda f: (f / RUN_FILE).unlink(), f"has no {RUN_FILE}"),
    (lambda f: (f / RUN_FILE).write_text(
        (f / RUN_FILE).read_text().replace('"schema_version": 1', '"schema_version": 0')),
     "schema version 0"),
], ids=["table_changed", "table_missing", "no_run_json", "other_schema_version"])
def test_a_set_that_is_not_whole_is_one_line_saying_to_rerun(tmp_path: Path, damage: object,
                                                             message: str) -> None:
    folder = tmp_path / "out"
    publish(folder, {"documents.csv": "uno", "mentions.csv": "dos"})
    damage(folder)  # type: ignore[operator]
    with pytest.raises(OutputsError, match=message) as caught:
        verify(folder)
    assert "rerun `python -m pipeline extract --output" in str(caught.value)
    assert "\n" not in str(caught.value)


HOLD = """
import sys, time
from pathlib import Path
from pipeline.errors import OutputError
from pipeline.publish import export, outputs
from pipeline.publish.outputs import OutputSet
with OutputSet(Path(sys.argv[1])) as outputs:
    export.write_csv(outputs.staging / "documents.csv", ["value"], [{"value": "a medias"}])
    with export.atomic_path(Path(sys.argv[1]) / "edges.csv") as temporary:
        temporary.write_text("a medias")
        print("ready", flush=True)
        time.sleep(120)
"""


@pytest.fixture()
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process in the middle of a run into ``tmp_path/out``."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "out")],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    yield process
    process.kill()
    process.wait()


def test_a_second_run_is_refused_naming_the_run_that_holds_the_folder(
        tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(OutputLocked) as caught, OutputSet(tmp_path / "out"):
        pass
    message = str(caught.value)
    assert f"pid {holder.pid} on host " in message and "started 20" in message
    assert "choose another --output" in message
    assert (tmp_path / "out" / LOCK_FILE).is_file()  # still the holder's


def test_a_killed_run_leaves_the_previous_set_and_its_lock_is_taken_over(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "out"
    publish(folder, {"documents.csv": "completo"})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    os.kill(process.pid, signal.SIGKILL)  # killed mid-write: no cleanup of its own
    process.wait()
    leftovers = sorted(p.name for p in folder.iterdir() if p.name not in before)
    assert LOCK_FILE in leftovers and any(n.startswith(".staging-") for n in leftovers)
    assert any(n.startswith(".edges.csv.") and n.endswith(".tmp") for n in leftovers)
    verify(folder)  # the published set is still whole
    with caplog.at_level(logging.WARNING):
        publish(folder, {"documents.csv": "siguiente"})
    assert f"taking over the lock of a run that ended without releasing it (pid " \
           f"{process.pid}" in caplog.text
    assert sorted(p.name for p in folder.iterdir()) == ["documents.csv", RUN_FILE]


def test_bad_input_second_extract_into_a_held_folder_exits_2(
        tmp_path: Path, holder: subprocess.Popen[str], nlp: Language,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("pipeline.engine.local_nlp", lambda model=None: nlp)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nota.txt").write_text(
        "El Instituto Municipal de las Mujeres presentó una campaña contra la violencia.",
        encoding="utf-8")
    assert main(["-q", "extract", "--input", str(tmp_path / "in"),
                 "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {tmp_path / 'out'} is being written by another extract "
                          f"run (pid {holder.pid} on host ")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out" / "documents.csv").exists()  # the holder's files untouched


OLD = {"documents.csv": "viejo", "mentions.csv": "viejo", "edges-2022.csv": "a"}
NEW = {"documents.csv": "nuevo", "mentions.csv": "nuevo", "edges-2023.csv": "b",
       "events.csv": "nuevo"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """The number of steps (renames and removals) of a publish over a previous set, and the
    step that moves the new run.json in."""
    folder = tmp_path / "count"
    publish(folder, OLD)
    calls: list[tuple[str, Path]] = []
    move, remove = outputs._move, outputs._remove
    monkeypatch.setattr(outputs, "_move", lambda a, b: (calls.append(("move", b)), move(a, b)))
    monkeypatch.setattr(outputs, "_remove", lambda p: (calls.append(("remove", p)), remove(p)))
    publish(folder, NEW)
    monkeypatch.undo()
    commit = next(i for i, (kind, path) in enumerate(calls, 1)
                  if kind == "move" and path == folder / RUN_FILE)
    return len(calls), commit


def _failing_at(step: int, error: BaseException) -> tuple[object, object]:
    count = iter(range(1, 1000))
    move, remove = outputs._move, outputs._remove

    def failing(action):  # type: ignore[no-untyped-def]
        def run(*args):  # type: ignore[no-untyped-def]
            if next(count) == step:
                raise error
            return action(*args)
        return run
    return failing(move), failing(remove)


@pytest.mark.parametrize("error", [OSError(30, "Read-only file system"), KeyboardInterrupt()],
                         ids=["oserror", "ctrl-c"])
def test_a_failure_at_any_step_of_publishing_leaves_one_whole_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """A failure or Ctrl-C at every step of a publish: the folder holds the previous set
    whole (put back at once), or, past the new run.json, the new set whole."""
    total, commit = _steps(tmp_path, monkeypatch)
    assert total >= 10  # journal, 4 old files aside, 5 new in, then the cleanup
    for step in range(1, total + 1):
        folder = tmp_path / f"step-{step}"
        publish(folder, OLD)
        before = _snapshot(folder)
        move, remove = _failing_at(step, error)
        monkeypatch.setattr(outputs, "_move", move)
        monkeypatch.setattr(outputs, "_remove", remove)
        outcome = None
        with OutputSet(folder) as target:
            for name, value in NEW.items():
                export.write_csv(target.staging / name, ["value"], [{"value": value}])
            try:
                target.publish(documents=1, rejected=0, model="es_test-0", source=tmp_path)
            except (OutputError, KeyboardInterrupt) as caught:
                outcome = caught
        monkeypatch.undo()
        if step <= commit:
            assert target.state == "restored", step
            if isinstance(error, OSError):
                assert isinstance(outcome, OutputError), step
                assert "it keeps the previous set whole (the run of" in str(outcome), step
            else:
                assert isinstance(outcome, KeyboardInterrupt), step
            assert _snapshot(folder) == before, step  # nothing half-written, no leftovers
        else:  # the new set is whole; what is left aside goes with the next run
            assert target.state == "published", step
            assert outcome is None or isinstance(outcome, KeyboardInterrupt), step
            with OutputSet(folder):
                pass
            assert sorted(_snapshot(folder)) == sorted([*NEW, RUN_FILE]), step
            assert "nuevo" in (folder / "documents.csv").read_text("utf-8-sig"), step
        verify(folder)

CRASHING_PUBLISH = """
import os, sys
from pathlib import Path
from pipeline.publish import export, outputs
from pipeline.publish.outputs import OutputSet

step, count = int(sys.argv[2]), iter(range(1, 1000))
def crashing(action):
    def run(*args):
        if next(count) == step:
            os._exit(9)  # killed: no cleanup, no rollback of its own
        return action(*args)
    return run
outputs._move, outputs._remove = crashing(outputs._move), crashing(outputs._remove)
with OutputSet(Path(sys.argv[1])) as target:
    for name, value in {new!r}.items():
        export.write_csv(target.staging / name, ["value"], [{{"value": value}}])
    target.publish(documents=1, rejected=0, model="es_test-0", source=Path(sys.argv[1]))
"""


def test_a_run_killed_at_any_step_of_publishing_is_recovered_by_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A kill at every step of a publish: the next run finds the journal and restores the
    previous set whole, or completes the new one, and its log says which."""
    total, commit = _steps(tmp_path, monkeypatch)
    for step in range(1, total + 1):
        folder = tmp_path / f"killed-{step}"
        publish(folder, OLD)
        before = _snapshot(folder)
        done = subprocess.run([sys.executable, "-c", CRASHING_PUBLISH.format(new=NEW),
                               str(folder), str(step)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 9, done.stderr
        caplog.clear()
        with caplog.at_level(logging.WARNING), OutputSet(folder):
            pass
        after = _snapshot(folder)
        if step <= commit:
            assert after == before, step
            if step > 1:  # the journal had landed: the next run had something to undo
                assert "the previous set is restored whole (the run of" in caplog.text, step
        else:
            assert sorted(after) == sorted([*NEW, RUN_FILE]), step
            assert "a run was stopped just after publishing its tables; they are whole" \
                in caplog.text, step
        verify(folder)
