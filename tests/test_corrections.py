"""An analyst's corrections file: each action changes the outputs as asked, in the corpus stage
(a rerun with only the file changed analyses no release), stale rows are listed, malformed
files stop the run before anything is published, and entity ids keep finding their entity."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.corpus.corrections import CorrectionsError, check_corrections
from pipeline.publish.report import build_report
from pipeline.publish.sheets import read_corrections
from pipeline.records import Correction
from pipeline.run import extract_corpus
from test_report import DevTools, browser  # noqa: F401 (the headless Chromium fixture)

# Releases written for these tests: two cities' bodies, a person withheld by default, a
# regidora named by her office, and a release about something else. Their datelines place
# them (a release nothing places keeps its municipal bodies to itself).
RELEASES = {
    "a.txt": "Ciudad Juárez.- La directora del Instituto Municipal de las Mujeres, Laura Méndez Ortiz, y la "
             "Secretaría de Seguridad Pública Municipal presentaron la campaña contra la "
             "violencia de género junto con la Red Mesa de Mujeres de Ciudad Juárez.",
    "b.txt": "Ciudad Juárez.- El Instituto Municipal de las Mujeres (IMM) y la Dirección de Salud Municipal "
             "impartieron un taller sobre violencia familiar para prevenir la violencia contra "
             "las mujeres.\n\nLa vecina Rosa Elena Campos Treviño agradeció el apoyo que "
             "recibió tras denunciar la violencia que sufrió.",
    "c.txt": "Ciudad Juárez.- La Dirección de Salud y la Red Mesa de Mujeres firmaron un convenio para atender "
             "a mujeres víctimas de violencia de género, informó la regidora Ana Sofía "
             "Villarreal Ruiz.",
    "d.txt": "Ciudad Juárez.- El alcalde Cruz Pérez Cuéllar entregó el parque rehabilitado a los vecinos de la "
             "colonia Las Flores junto con la Dirección de Obras Públicas y la Secretaría de "
             "Seguridad Pública Municipal.",
}
IMM, RED_MESA = "Instituto Municipal de las Mujeres", "Red Mesa de Mujeres de Ciudad Juárez"
SSPM, SALUD = "Secretaría de Seguridad Pública Municipal", "Dirección de Salud"
REGIDORA, VECINA = "Ana Sofía Villarreal Ruiz", "Rosa Elena Campos Treviño"


def write_releases(folder: Path, releases: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in releases.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_corrections(path: Path, lines: list[list[str]], *, delimiter: str = ",",
                      encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(
            [["action", "target", "value", "note"], *lines])
    return path


class Run:
    """One extraction of the test releases, read back by name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entities = rows(folder / "entities.csv")
        self.mentions = rows(folder / "mentions.csv")
        self.documents = rows(folder / "documents.csv")

    def entity(self, name: str) -> dict[str, str]:
        found = [e for e in self.entities if e["name"] == name]
        assert len(found) == 1, f"expected one entity named {name!r}, got {found}"
        return found[0]

    def doc_id(self, path: str) -> str:
        return next(d["doc_id"] for d in self.documents if d["path"] == path)

    def mention_ids(self, doc_id: str, text: str) -> set[str]:
        return {m["entity_id"] for m in self.mentions
                if m["doc_id"] == doc_id and m["text"] == text}

    def table(self, name: str) -> list[dict[str, str]]:
        return rows(self.folder / name)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_releases(tmp_path_factory.mktemp("releases"), RELEASES)


@pytest.fixture(scope="module")
def base(nlp: Language, releases: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    output = tmp_path_factory.mktemp("base")
    extract_corpus(releases, output, settings=load_settings(), nlp=nlp)
    run = Run(output)
    # The premises the tests build on: two bodies not merged, a withheld person.
    assert run.entity(SALUD)["entity_id"] != run.entity(f"{SALUD} Municipal")["entity_id"]
    assert not any(e["name"] == VECINA for e in run.entities)
    assert any(e["withheld"] == "true" for e in run.entities)
    return run


def corrected(nlp: Language, releases: Path, folder: Path, lines: list[list[str]]) -> Run:
    sheet = write_corrections(folder.with_suffix(".csv"), lines)
    summary = extract_corpus(releases, folder, settings=load_settings(), nlp=nlp,
                             corrections=sheet)
    assert summary.processed == 0  # every release came from the interim store
    return Run(folder)


def test_one_of_each_action_changes_the_outputs_as_asked(nlp: Language, releases: Path,
                                                         base: Run, tmp_path: Path) -> None:
    salud, salud_municipal = base.entity(SALUD), base.entity(f"{SALUD} Municipal")
    red_mesa, sspm = base.entity(RED_MESA), base.entity(SSPM)
    doc_c, doc_d = base.doc_id("c.txt"), base.doc_id("d.txt")
    run = corrected(nlp, releases, tmp_path / "out", [
        ["merge", SALUD, f"{SALUD} Municipal", "one department"],
        ["detach", red_mesa["entity_id"], "c.txt", "another network"],
        ["rename", IMM, "Instituto Municipal de las Mujeres de Juárez", ""],
        ["sector", RED_MESA, "academic", ""],
        ["jurisdiction", SSPM, "Chihuahua", ""],
        ["not_institution", "Dirección General de Obras Públicas", "", "not in this study"],
        ["not_person", "Cruz Pérez Cuéllar", "", ""],
        ["public", VECINA, "", "she spoke in public"],
        ["private", REGIDORA, "", "asked not to be named"],
        ["gbv", "d.txt", "yes", ""],
    ])
    ids = {e["entity_id"]: e for e in run.entities}
    # merge: one entity with both names and both releases
    assert salud["entity_id"] not in ids
    merged = ids[salud_municipal["entity_id"]]
    assert SALUD in merged["aliases"] and merged["n_documents"] == "2"
    assert run.mention_ids(doc_c, SALUD) == {salud_municipal["entity_id"]}
    # detach: in c.txt the network is an entity of its own, and the body keeps a.txt only
    detached = run.mention_ids(doc_c, "Red Mesa de Mujeres")
    assert len(detached) == 1 and red_mesa["entity_id"] not in detached
    assert ids[detached.pop()]["n_documents"] == "1"
    assert ids[red_mesa["entity_id"]]["n_documents"] == "1"
    # rename, sector, jurisdiction: the tables and the network's nodes
    renamed = run.entity("Instituto Municipal de las Mujeres de Juárez")
    assert IMM in renamed["aliases"]
    assert ids[red_mesa["entity_id"]]["sector"] == "academic"
    assert ids[sspm["entity_id"]]["jurisdiction"] == "Chihuahua"
    nodes = {n["entity_id"]: n for n in run.table("nodes.csv")}
    assert nodes[renamed["entity_id"]]["name"] == "Instituto Municipal de las Mujeres de Juárez"
    assert nodes[red_mesa["entity_id"]]["sector"] == "academic"
    # not_institution, not_person: gone from every table
    for name in ("Dirección General de Obras Públicas", "Cruz Pérez Cuéllar"):
        gone = base.entity(name)["entity_id"]
        assert gone not in ids and all(m["entity_id"] != gone for m in run.mentions)
        assert all(gone not in a.values() for a in run.table("affiliations.csv"))
    # public: the withheld neighbour is named; private: the regidora is withheld everywhere
    assert run.entity(VECINA)["withheld"] == "false"
    text = "".join(p.read_text(encoding="utf-8-sig") for p in run.folder.glob("*.csv"))
    assert REGIDORA not in text and "Ana Sofía" not in text
    assert any(m["withheld"] == "true" and "[persona]" in m["sentence"] and m["doc_id"] == doc_c
               for m in run.mentions)
    # gbv: the park release and its event are now GBV-related
    assert next(d for d in run.documents if d["doc_id"] == doc_d)["gbv_related"] == "true"
    assert any(doc_d in e["doc_ids"] and e["gbv_related"] == "true"
               for e in run.table("events.csv"))
    applied = run.table("corrections_applied.csv")
    assert len(applied) == 10 and not run.table("corrections_unmatched.csv")


def test_run_json_records_the_file_and_a_rerun_with_only_it_changed_analyses_nothing(
        nlp: Language, releases: Path, base: Run, tmp_path: Path) -> None:
    output = tmp_path / "out"
    first = write_corrections(tmp_path / "first.csv", [["sector", RED_MESA, "academic", ""]])
    extract_corpus(releases, output, settings=load_settings(), nlp=nlp, corrections=first)
    second = write_corrections(tmp_path / "second.csv", [["sector", RED_MESA, "private", ""]])
    summary = extract_corpus(releases, output, settings=load_settings(), nlp=nlp,
                             corrections=second)
    assert (summary.processed, summary.reused, summary.corrections) == (0, len(RELEASES), 1)
    run = json.loads((output / "run.json").read_text(encoding="utf-8"))
    assert run["corrections"]["sha256"] == hashlib.sha256(second.read_bytes()).hexdigest()
    assert run["corrections"]["applied"] == 1
    assert Run(output).entity(RED_MESA)["sector"] == "private"


def test_a_release_made_gbv_related_ties_its_institutions(nlp: Language, releases: Path,
                                                          base: Run, tmp_path: Path) -> None:
    ends = {base.entity(SSPM)["entity_id"],
            base.entity("Dirección General de Obras Públicas")["entity_id"]}
    assert not any({e["source_id"], e["target_id"]} == ends for e in base.table("edges.csv"))
    run = corrected(nlp, releases, tmp_path / "out", [["gbv", base.doc_id("d.txt"), "sí", ""]])
    assert any({e["source_id"], e["target_id"]} == ends for e in run.table("edges.csv"))


def test_the_report_counts_the_corrections_and_marks_them_in_the_click_panel(
        nlp: Language, releases: Path, base: Run, tmp_path: Path, browser: DevTools) -> None:
    run = corrected(nlp, releases, tmp_path / "out", [
        ["sector", RED_MESA, "academic", ""], ["not_institution", "Comité Ficticio", "", ""]])
    files = build_report(run.folder, tmp_path / "report")
    html = files.html.read_text(encoding="utf-8")
    assert "1 corrección aplicada" in html and "1 no coincide con nada" in html
    browser.open(files.html)
    panel = "document.getElementById('details').textContent"
    for name, marked in ((RED_MESA, True), (IMM, False)):
        key = json.dumps(run.entity(name)["entity_id"])
        browser.evaluate(f"window.prensaRed.select({key})")
        browser.wait_until(f"window.prensaRed.state.focus === {key}")
        text = browser.evaluate(panel)
        assert ("Corregida por el analista: sector corregido" in text) is marked, text
        assert ("(línea 2)" in text) is marked
    assert browser.errors() == []


def test_a_withheld_person_made_public_by_id_needs_her_own_name(
        nlp: Language, releases: Path, base: Run, tmp_path: Path) -> None:
    withheld = next(m["entity_id"] for m in base.mentions  # the neighbour, in release b
                    if m["withheld"] == "true" and m["doc_id"] == base.doc_id("b.txt"))
    run = corrected(nlp, releases, tmp_path / "out", [
        ["public", withheld, "Ana Sofía Villarreal Ruiz", "another person's name"],
        ["public", withheld, VECINA, ""]])
    assert run.entity(VECINA)["withheld"] == "false"
    assert all(e["entity_id"] != withheld for e in run.entities)
    unmatched = run.table("corrections_unmatched.csv")
    assert [u["line"] for u in unmatched] == ["2"] and "not the name" in unmatched[0]["reason"]


def test_corrections_csv_in_the_input_folder_is_picked_up_and_not_read_as_a_release(
        nlp: Language, base: Run, tmp_path: Path) -> None:
    releases = write_releases(tmp_path / "in", RELEASES)
    write_corrections(releases / "corrections.csv", [["not_institution", SSPM, "", ""]])
    summary = extract_corpus(releases, tmp_path / "out", settings=load_settings(), nlp=nlp)
    assert summary.rejected == 0 and summary.corrections == 1
    assert not any(e["name"] == SSPM for e in Run(tmp_path / "out").entities)


def test_stale_corrections_are_listed_with_the_reason_and_a_warning(
        nlp: Language, releases: Path, base: Run, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        run = corrected(nlp, releases, tmp_path / "out", [
            ["not_institution", "Instituto de la Juventud de Tijuana", "", "last year's"],
            ["merge", "org-000000000000", IMM, ""],
            ["gbv", "z.txt", "no", ""],
            ["sector", IMM, "municipal", ""],
        ])
    unmatched = run.table("corrections_unmatched.csv")
    assert [u["line"] for u in unmatched] == ["2", "3", "4"]
    assert "Instituto de la Juventud de Tijuana" in unmatched[0]["reason"]
    assert "org-000000000000" in unmatched[1]["reason"]
    assert any("corrections_unmatched.csv" in r.getMessage() for r in caplog.records)
    assert [a["line"] for a in run.table("corrections_applied.csv")] == ["5"]


@pytest.mark.parametrize(("lines", "line", "reason"), [
    ([["sector", IMM, "municipal", ""], ["borrar", IMM, "", ""]], "3", "unknown"),
    ([["merge", SALUD, "dirección de salud", ""]], "2", "into itself"),
    ([["merge", "A", "B", ""], ["merge", "B", "C", ""], ["merge", "C", "a", ""]], "2", "cycle"),
    ([["gbv", "a.txt", "quizá", ""]], "2", "yes or no"),
    ([["sector", IMM, "religious", ""]], "2", "invalid"),
    ([["jurisdiction", IMM, "Gotham", ""]], "2", "municipality"),
])
def test_a_malformed_file_exits_2_naming_the_line_and_publishes_nothing(
        releases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        lines: list[list[str]], line: str, reason: str) -> None:
    sheet = write_corrections(tmp_path / "corrections.csv", lines)
    output = tmp_path / "out"
    assert main(["extract", "--input", str(releases), "--output", str(output),
                 "--corrections", str(sheet)]) == 2
    error = capsys.readouterr().err
    assert f"line {line}" in error and reason in error and "Traceback" not in error
    assert not (output / "run.json").exists()


def test_a_missing_column_exits_2(releases: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "corrections.csv"
    sheet.write_text("action,target,note\nsector,IMM,\n", encoding="utf-8")
    assert main(["extract", "--input", str(releases), "--output", str(tmp_path / "out"),
                 "--corrections", str(sheet)]) == 2
    assert "missing column(s) value" in capsys.readouterr().err


def test_merges_that_close_a_cycle_once_their_names_are_found_stop_the_run(
        nlp: Language, releases: Path, base: Run, tmp_path: Path) -> None:
    """The file's text shows no cycle (an id and a name), the corpus does."""
    sheet = write_corrections(tmp_path / "corrections.csv", [
        ["merge", base.entity(SALUD)["entity_id"], f"{SALUD} Municipal", ""],
        ["merge", f"{SALUD} Municipal", SALUD, ""],
    ])
    output = tmp_path / "out"
    with pytest.raises(CorrectionsError, match="lines 2, 3|lines 3, 2"):
        extract_corpus(releases, output, settings=load_settings(), nlp=nlp, corrections=sheet)
    assert not (output / "run.json").exists()


def test_ids_stay_the_same_across_runs_and_an_earlier_id_finds_its_entity(
        nlp: Language, tmp_path: Path) -> None:
    """More releases do not change an entity's id; and when another name comes to head an
    entity ("Luna Nueva" joins "Colectivo Luna Nueva de Ciudad Juárez"), the id an earlier
    run gave it still finds it."""
    first = write_releases(tmp_path / "first", {
        "r1.txt": "Ciudad Juárez.- El colectivo Luna Nueva y el Instituto Municipal de las "
                  "Mujeres organizaron una marcha contra la violencia de género."})
    extract_corpus(first, tmp_path / "first-out", settings=load_settings(), nlp=nlp)
    earlier = Run(tmp_path / "first-out")
    second = write_releases(tmp_path / "second", {
        "r1.txt": (first / "r1.txt").read_text(encoding="utf-8"),
        "r2.txt": "Integrantes de Colectivo Luna Nueva de Ciudad Juárez impartieron un taller "
                  "sobre violencia contra las mujeres. Colectivo Luna Nueva de Ciudad Juárez "
                  "invitó a denunciar."})
    old_id = earlier.entity("Luna Nueva")["entity_id"]
    sheet = write_corrections(tmp_path / "corrections.csv", [["sector", old_id, "academic", ""]])
    extract_corpus(second, tmp_path / "second-out", settings=load_settings(), nlp=nlp,
                   corrections=sheet)
    later = Run(tmp_path / "second-out")
    assert later.entity(IMM)["entity_id"] == earlier.entity(IMM)["entity_id"]
    collective = later.entity("Colectivo Luna Nueva de Ciudad Juárez")
    assert collective["entity_id"] != old_id and collective["sector"] == "academic"


def test_a_name_shared_by_two_places_needs_its_jurisdiction(nlp: Language,
                                                            tmp_path: Path) -> None:
    releases = write_releases(tmp_path / "in", {
        "juarez.txt": "El Instituto Municipal de las Mujeres impartió un taller contra la "
                      "violencia de género en Ciudad Juárez.",
        "leon.txt": "León, Gto.- El Instituto Municipal de las Mujeres presentó un programa "
                    "contra la violencia de género en la ciudad.",
    })
    sheet = write_corrections(tmp_path / "corrections.csv", [
        ["sector", IMM, "federal", ""],
        ["sector", f"{IMM} (León)", "academic", ""],
    ])
    extract_corpus(releases, tmp_path / "out", settings=load_settings(), nlp=nlp,
                   corrections=sheet)
    run = Run(tmp_path / "out")
    institutes = {e["jurisdiction"]: e for e in run.entities if e["name"] == IMM}
    assert institutes["León, Guanajuato"]["sector"] == "academic"
    assert institutes["Juárez, Chihuahua"]["sector"] == "municipal"
    unmatched = run.table("corrections_unmatched.csv")
    assert len(unmatched) == 1 and "jurisdiction in brackets" in unmatched[0]["reason"]


def test_a_spreadsheet_saved_file_is_read_semicolons_and_windows_1252(tmp_path: Path) -> None:
    sheet = write_corrections(tmp_path / "excel.csv", [["sector", "Dirección de Ecología",
                                                        "municipal", "sí"]],
                              delimiter=";", encoding="cp1252")
    read = read_corrections(sheet)
    assert read.corrections == (Correction(2, "sector", "Dirección de Ecología", "municipal",
                                           "sí"),)


def test_a_filled_review_sheet_applies_only_its_accepted_rows(tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    sheet.write_text(
        "rank,kind,target,name,label,jurisdiction,suggestion,suggested_value,reason,evidence,"
        "decision\n"
        "1,institution,org-aaaaaaaaaaaa,X,ORG,,not_institution,,r,e,accept\n"
        "2,document,d1,T,DOC,,gbv,no,r,e,reject\n"
        "3,duplicate,org-bbbbbbbbbbbb,Y,ORG,,merge,org-cccccccccccc,r,e,\n"
        "4,document,d2,T,DOC,,gbv,yes,r,e,Accept\n", encoding="utf-8")
    read = read_corrections(sheet)
    assert [(c.line, c.action, c.value) for c in read.corrections] == [
        (2, "not_institution", ""), (5, "gbv", "yes")]
    assert [c.line for c in read.rejected] == [3]
    sheet.write_text(sheet.read_text().replace("Accept", "acept"), encoding="utf-8")
    with pytest.raises(CorrectionsError, match="line 5: decision 'acept'"):
        read_corrections(sheet)


def test_the_file_checks_on_rows_of_my_own() -> None:
    check_corrections([Correction(2, "gbv", "ev-1", "Sí"), Correction(3, "keep", "x"),
                       Correction(4, "jurisdiction", "X", "Mazatlán"),
                       Correction(5, "public", "per-0123456789ab", "Rosa Ruiz")], "f.csv")
    with pytest.raises(CorrectionsError, match="line 2: public on an entity id needs"):
        check_corrections([Correction(2, "public", "per-0123456789ab", "")], "f.csv")
    with pytest.raises(CorrectionsError, match="line 3: .*line 2 merges it"):
        check_corrections([Correction(2, "merge", "A", "B"), Correction(3, "merge", "a", "C")],
                          "f.csv")
