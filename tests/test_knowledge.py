"""The domain-knowledge resources parse, are consistent, and the loaders explain bad lines."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline import knowledge
from pipeline.corpus.identities import org_sector
from pipeline.knowledge import (
    KnowledgeError,
    Role,
    fold,
    gazetteer_index,
    infer_sector,
    literal_alternation,
    load_gazetteer,
    load_given_names,
    load_legal_suffixes,
    load_name_connectors,
    load_not_entities,
    load_org_heads,
    load_roles,
    load_sector_rules,
    org_terms,
)


def test_fold() -> None:
    assert fold("  Últimas   Publicaciones ") == "ultimas publicaciones"
    assert fold("Transforma A.C.") == "transforma a c"


@pytest.mark.parametrize("ignore_case", [False, True])
def test_literal_alternation_finds_what_longest_first_alternatives_find(
        ignore_case: bool) -> None:
    # Words and phrases that start one another ("d", "dé", "dé r"), in texts of their
    # letters, spaces and commas: the trie finds what alternatives sorted longest first find.
    # (Sorted shortest first, 5 of these 400 cases would differ.)
    generator = random.Random(7)
    for _ in range(200):
        words = {"".join(generator.choices("drDÉé ", k=generator.randint(1, 5))).strip() or "d"
                 for _ in range(generator.randint(1, 12))}
        text = "".join(generator.choices("drDRÉé  ,", k=300))
        flags = re.IGNORECASE if ignore_case else 0
        plain = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
        expected = [m.span() for m in re.finditer(rf"\b(?:{plain})\b", text, flags)]
        trie = literal_alternation(words, ignore_case=ignore_case)
        assert [m.span() for m in re.finditer(rf"\b{trie}\b", text, flags)] == expected, words


def test_every_resource_parses() -> None:
    assert len(load_gazetteer()) >= 60
    assert len(load_sector_rules()) >= 40
    assert len(load_roles()) >= 60
    assert len(load_not_entities()) >= 80
    assert {"Instituto", "Secretaría", "Fiscalía", "Universidad"} <= set(load_org_heads())
    assert {"A. C.", "A.C.", "S. C.", "I. A. P."} <= set(load_legal_suffixes())
    assert {"de", "de las", "para", "y", "contra"} <= set(load_name_connectors())
    assert {"Centro", "Casa", "Unidad"} <= set(org_terms("venue"))
    assert {"direcciones", "comisiones"} <= set(org_terms("plural"))
    assert {"edilicia", "general"} <= set(org_terms("modifier"))
    assert set(org_terms("unique")) <= set(load_org_heads())
    assert set(org_terms("venue")) <= set(load_org_heads())


def test_gazetteer_ids_unique_and_no_form_names_two_bodies() -> None:
    bodies = load_gazetteer()
    assert len({b.id for b in bodies}) == len(bodies)
    owners: dict[str, str] = {}
    for body in bodies:
        for form in body.forms:
            assert owners.setdefault(fold(form), body.id) == body.id, form


def test_exact_forms_name_a_body_only_as_written() -> None:
    body = gazetteer_index()[fold("Municipio")]
    assert body.id == "gobierno-municipal-juarez" and "Municipio" in body.exact


def test_gazetteer_index_resolves_acronyms_and_aliases() -> None:
    index = gazetteer_index()
    assert index[fold("IMM")].id == "imm-juarez"
    assert index[fold("Instituto Municipal de la Mujer")].id == "imm-juarez"
    assert index[fold("ICHMujeres")].sector == "state"
    assert index[fold("fiscalia general de la republica")].id == "fgr"
    assert fold("Iniciativa Spotlight") not in index  # a programme, not a body


@pytest.mark.parametrize(("name", "sector"), [
    ("Dirección Municipal de Educación", "municipal"),
    ("Comisión Edilicia de Seguridad", "municipal"),
    ("Secretaría de Salud del Estado", "state"),
    ("Fundación Chihuahuense de Apoyo", "civil_society"),
    ("Colectivo Mujeres en Lucha A. C.", "civil_society"),
    ("Consejo Nacional de Población", "federal"),
    ("Fiscalía General de la República", "federal"),
    ("Universidad Nacional de Estudios", "academic"),
    ("Instituto Tecnológico de Parral", "academic"),
    ("Programa de las Naciones Unidas para el Medio Ambiente", "international"),
    ("Comercializadora del Norte S.A. de C.V.", "private"),
    ("Obras Públicas", "municipal"),  # a department named by its function (R2)
    ("Comisión de Hacienda", "municipal"),  # a council commission
    ("Fiscalía de Distrito Zona Sur", "state"),
    ("Centro de Reinserción Social Femenil", "state"),
    ("Tribunal Especializado", "state"),
    ("Fiscalía General de la República", "federal"),
    ("Movimiento de Mujeres de Parral", "civil_society"),
    ("Sala Regional Monterrey", "federal"),
    ("Gobierno de la Ciudad de México", "state"),
    ("Sociedad de Amigos", "other"),
])
def test_infer_sector(name: str, sector: str) -> None:
    assert infer_sector(name) == sector


def test_roles_have_gender_variants() -> None:
    roles = {role.form: role for role in load_roles()}
    assert roles["directora"] == Role("directora", "director", "f")
    assert roles["alcaldesa"] == Role("alcaldesa", "alcalde", "f")
    assert roles["presidenta municipal"].canonical == "presidente municipal"
    assert roles["titular"].gender == "n"


def test_not_entities_are_general_and_disjoint_from_gazetteer() -> None:
    words = load_not_entities()
    assert {"tambien", "ultimas publicaciones", "sala de prensa", "marzo", "miercoles"} <= words
    assert not words & set(gazetteer_index())


def _reload(monkeypatch: pytest.MonkeyPatch, attr: str, path: object,
            loader: str) -> object:
    monkeypatch.setattr(knowledge, attr, path)
    return getattr(knowledge, loader).__wrapped__()  # bypass the cache


@pytest.mark.parametrize(("line", "message"), [
    ("{oops", "not valid JSON"),
    ('{"id": "b", "name": "B", "acronyms": ["IMM"], "aliases": [], "sector": "municipal"}',
     "'IMM' also names 'a'"),
    ('{"id": "b", "name": "B", "acronyms": [], "aliases": [], "sector": "city"}',
     "sector 'city' is invalid"),
    ('{"id": "a", "name": "B", "acronyms": [], "aliases": [], "sector": "state"}',
     "id 'a' is already used"),
    ('{"id": "B c", "name": "B", "acronyms": [], "aliases": [], "sector": "state"}',
     "id 'B c' is invalid"),
])
def test_bad_gazetteer_line_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     line: str, message: str) -> None:
    path = tmp_path / "institutions.jsonl"
    path.write_text('{"id": "a", "name": "A", "acronyms": ["IMM"], "aliases": [], '
                    '"sector": "municipal"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=f"institutions.jsonl:2: .*{message}"):
        _reload(monkeypatch, "GAZETTEER_FILES", (path,), "load_gazetteer")


def test_bad_tsv_lines_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sectors = tmp_path / "sectors.tsv"
    sectors.write_text("# comment\nMunicipal\tmunicipal\nEstatal state\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="sectors.tsv:3: expected 'keyword<TAB>sector'"):
        _reload(monkeypatch, "SECTORS_FILE", sectors, "load_sector_rules")
    roles = tmp_path / "roles.tsv"
    roles.write_text("directora\tdirector\tf\ndirectora\tdirector\tf\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="roles.tsv:2: role 'directora' is listed twice"):
        _reload(monkeypatch, "ROLES_FILE", roles, "load_roles")


def test_given_names_are_folded_single_words(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"maria", "jose", "ruben"} <= load_given_names()
    assert not {"perspectiva", "mujer", "centro"} & load_given_names()
    bad = tmp_path / "given_names.txt"
    bad.write_text("# header\nMaría José\n", encoding="utf-8")
    monkeypatch.setattr(knowledge, "GIVEN_NAMES_FILE", bad)
    load_given_names.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match=r"given_names.txt:2: expected one name"):
            load_given_names()
    finally:
        load_given_names.cache_clear()


@pytest.mark.parametrize(("name", "sector"), [
    ("Gobierno de Sonora", "state"),  # a government head yields to the state it names
    ("DIF Tlaxcala", "state"),
    ("Instituto Sonorense de las Mujeres", "state"),  # a state's adjective
    ("Instituto Chihuahuense de la Juventud", "state"),
    ("Instituto de la Mujer de Tepic", "municipal"),  # a municipality closes the name
    ("Ayuntamiento de Chihuahua", "municipal"),  # a municipal word wins over the state
    ("Regulación Comercial", "municipal"),  # a standard municipal body
    ("Movimiento de Mujeres de Tepic", "civil_society"),  # the kind of body wins
    ("Universidad Autónoma de Zacatecas", "academic"),
    ("Secretaría de Gobernación", "federal"),  # the national gazetteer
    ("Partido Revolucionario Institucional", "other"),
])
def test_sector_of_a_name_from_its_words_and_its_place(name: str, sector: str) -> None:
    assert org_sector(name) == sector
