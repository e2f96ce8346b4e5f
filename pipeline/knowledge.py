"""Domain knowledge read from ``pipeline/resources/``: gazetteer, ORG vocabulary, sectors, roles.

The files are data reviewed like code (formats in ``resources/KNOWLEDGE.md`` and in each TSV/TXT
header). Every loader is cached and fails with ``KnowledgeError`` naming ``file:line`` and what
to fix, so a bad edit to a resource stops the run at once instead of silently matching less.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal, get_args

from pipeline.config import RESOURCES_DIR

Sector = Literal[
    "municipal", "state", "federal", "international", "civil_society", "academic", "private",
    "other",
]
SECTORS: frozenset[str] = frozenset(get_args(Sector))
OrgTermKind = Literal["head", "legal_suffix", "connector", "modifier", "venue", "plural", "prefix",
                      "unique", "act"]
Gender = Literal["m", "f", "n"]

# The gazetteer: local bodies, then the bodies of national reach (same format).
GAZETTEER_FILES = (RESOURCES_DIR / "institutions.jsonl", RESOURCES_DIR / "national_bodies.jsonl")
ORG_PATTERNS_FILE = RESOURCES_DIR / "org_patterns.jsonl"
SECTORS_FILE = RESOURCES_DIR / "sectors.tsv"
ROLES_FILE = RESOURCES_DIR / "roles.tsv"
NOT_ENTITIES_FILE = RESOURCES_DIR / "not_entities.txt"
GIVEN_NAMES_FILE = RESOURCES_DIR / "given_names.txt"

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class KnowledgeError(ValueError):
    """A resource file has a line the pipeline cannot use."""


@dataclass(frozen=True, slots=True)
class Institution:
    """A known body: canonical name, acronyms, other names and sector.

    ``exact`` forms are matched only as written: short forms that are also common words in
    lower case ("Municipio" is the city government, "municipio" any municipality).
    """

    id: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    sector: Sector
    # Where its names mean this body: a municipality ("Juárez, Chihuahua") or a state
    # ("Chihuahua"); "" = anywhere. "Instituto Municipal de las Mujeres" is Juárez's only in
    # Juárez's releases.
    jurisdiction: str = ""
    exact: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every surface form of the body: name, acronyms, aliases, exact forms."""
        return (self.name, *self.acronyms, *self.aliases, *self.exact)


@dataclass(frozen=True, slots=True)
class Role:
    """A role word ("directora") with its canonical key ("director") and gender."""

    form: str
    canonical: str
    gender: Gender


class _FoldTable(dict[int, str]):
    """``str.translate`` table of :func:`fold`, filled per character on first sight: lower
    case, accents dropped (NFKD, combining marks removed), punctuation, symbols, separators
    and controls as spaces."""

    def __missing__(self, code: int) -> str:
        folded = "".join(
            " " if unicodedata.category(c)[0] in "PSZC" else c
            for c in unicodedata.normalize("NFKD", chr(code).casefold())
            if not unicodedata.combining(c))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: the lookup key.

    >>> fold("Instituto Municipal de las Mujeres (IMM).")
    'instituto municipal de las mujeres imm'
    """
    return " ".join(text.translate(_FOLD_TABLE).split())


@lru_cache(maxsize=1 << 14)
def fold_word(word: str) -> str:
    """:func:`fold` of one token's text, cached: the rules fold the same words again and
    again. The common words stay in the cache; a release's new names leave it. Room for
    65,536 words (about 12 MB) took some 3,500 releases with ever-new names to fill."""
    return fold(word)


def literal_alternation(words: Iterable[str], *, ignore_case: bool = False) -> str:
    """A regex that matches any of ``words`` literally, the longest first where one is the
    start of another, written as a trie so that the regex engine does not try every word at
    every position. ``ignore_case``: for a pattern compiled with ``re.IGNORECASE`` (the
    words are merged in lower case).

    >>> literal_alternation(["director", "directora", "regidor"])
    '(?:director(?:a)?|regidor)'
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word.lower() if ignore_case else word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def written(node: dict[str, dict]) -> str:
        branches = []
        for run, child in sorted(node.items()):
            if not run:
                continue
            # Letters with one way on and no word ending among them are one literal: one call
            # and one escape, not one per letter (a release's names make hundreds of them).
            while len(child) == 1 and "" not in child:
                (char, child), = child.items()
                run += char
            branches.append(re.escape(run) + written(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        # Where a word ends inside a longer one, the longer is tried first, as it would be
        # among alternatives sorted longest first.
        return f"(?:{body})?" if "" in node else body

    return written(trie)


def data_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank, non-comment lines, stripped of the newline only."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"resource file {path} does not exist; reinstall the package") \
            from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.rstrip("\r")


def kind_lines(path: Path, kinds: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The entries of a ``kind<TAB>entry`` file as written, in file order, by kind (every
    kind listed)."""
    found: dict[str, list[str]] = {kind: [] for kind in kinds}
    for number, line in data_lines(path):
        kind, _, entry = line.partition("\t")
        if kind not in found or not entry.strip():
            raise KnowledgeError(f"{path}:{number}: expected "
                                 f"'{'|'.join(found)}<TAB>word', got {line!r}")
        found[kind].append(entry.strip())
    return {kind: tuple(entries) for kind, entries in found.items()}


def kind_words(path: Path, kinds: Iterable[str]) -> dict[str, frozenset[str]]:
    """The :func:`fold`-ed words of a ``kind<TAB>word`` file, by kind (every kind listed)."""
    return {kind: frozenset(map(fold, entries))
            for kind, entries in kind_lines(path, kinds).items()}


def _json_lines(path: Path) -> Iterator[tuple[str, dict[str, object]]]:
    """Each line of a JSONL file as ``(file:line, object)``."""
    for number, line in data_lines(path):
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KnowledgeError(f"{where}: not valid JSON ({exc.msg}); "
                                 "each line must be one JSON object") from None
        if not isinstance(record, dict):
            raise KnowledgeError(f"{where}: expected a JSON object, got {type(record).__name__}")
        yield where, record


def _text(where: str, record: dict[str, object], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _texts(where: str, record: dict[str, object], key: str) -> tuple[str, ...]:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: {key!r} must be a list of non-empty strings, "
                             f"got {value!r}")
    return tuple(v.strip() for v in value)


def _sector(where: str, value: str) -> Sector:
    if value not in SECTORS:
        raise KnowledgeError(f"{where}: sector {value!r} is invalid; "
                             f"value must be one of {', '.join(sorted(SECTORS))}")
    return value  # type: ignore[return-value]


@cache
def load_gazetteer() -> tuple[Institution, ...]:
    """Known institutions from ``institutions.jsonl`` and ``national_bodies.jsonl``; ids
    unique, no form shared by two bodies."""
    bodies: list[Institution] = []
    owner: dict[str, tuple[str, str]] = {}  # folded form → (id, file:line)
    records = (item for path in GAZETTEER_FILES for item in _json_lines(path))
    for where, record in records:
        body = Institution(
            id=_text(where, record, "id"),
            name=_text(where, record, "name"),
            acronyms=_texts(where, record, "acronyms"),
            aliases=_texts(where, record, "aliases"),
            sector=_sector(where, _text(where, record, "sector")),
            jurisdiction=_text(where, record, "jurisdiction") if "jurisdiction" in record
            else "",
            exact=_texts(where, record, "exact"),
        )
        if not _ID.fullmatch(body.id):
            raise KnowledgeError(f"{where}: id {body.id!r} is invalid; use lower-case words "
                                 "joined by '-', e.g. 'imm-juarez'")
        if any(b.id == body.id for b in bodies):
            raise KnowledgeError(f"{where}: id {body.id!r} is already used; ids must be unique")
        # A form naming two bodies would make resolution guess; the file must decide instead.
        for form in body.forms:
            first = owner.setdefault(fold(form), (body.id, where))
            if first[0] != body.id:
                raise KnowledgeError(f"{where}: {form!r} also names {first[0]!r} ({first[1]}); "
                                     "a form may name one body only")
        bodies.append(body)
    return tuple(bodies)


@cache
def gazetteer_index() -> dict[str, Institution]:
    """Known institutions by :func:`fold`-ed name, acronym or alias.

    >>> gazetteer_index()[fold("IMM")].name
    'Instituto Municipal de las Mujeres'
    """
    return {fold(form): body for body in load_gazetteer() for form in body.forms}


@cache
def lower_case_names() -> frozenset[str]:
    """Folded gazetteer forms written in lower case, without their article: the press's
    names for a body ("el tricolor" → "tricolor"), names even when written so."""
    articles = ("el ", "la ", "los ", "las ")
    return frozenset(fold(form.removeprefix(next((a for a in articles
                                                    if form.startswith(a)), "")))
                     for body in load_gazetteer() for form in body.forms if form[:1].islower())


@cache
def gazetteer_ids() -> dict[str, Institution]:
    """Known institutions by id ("imm-juarez")."""
    return {body.id: body for body in load_gazetteer()}


@cache
def _org_terms() -> dict[OrgTermKind, tuple[str, ...]]:
    terms: dict[OrgTermKind, list[str]] = {kind: [] for kind in get_args(OrgTermKind)}
    for where, record in _json_lines(ORG_PATTERNS_FILE):
        kind = _text(where, record, "kind")
        if kind not in terms:
            raise KnowledgeError(f"{where}: kind {kind!r} is invalid; "
                                 f"value must be one of {', '.join(terms)}")
        terms[kind].append(_text(where, record, "text"))  # type: ignore[index]
    return {kind: tuple(values) for kind, values in terms.items()}


def load_org_heads() -> tuple[str, ...]:
    """Institutional head words ("Instituto", "Secretaría", …) that open an ORG name."""
    return _org_terms()["head"]


def load_legal_suffixes() -> tuple[str, ...]:
    """Legal-form suffixes ("A. C.", "I. A. P.", …) that close an ORG name."""
    return _org_terms()["legal_suffix"]


def load_name_connectors() -> tuple[str, ...]:
    """Lower-case words allowed between capitalised words of a name ("de las", "para", …)."""
    return _org_terms()["connector"]


def org_terms(kind: OrgTermKind) -> tuple[str, ...]:
    """The ``org_patterns.jsonl`` words of one kind (see ``resources/KNOWLEDGE.md``):
    ``org_terms("venue")`` → ("Centro", "Casa", …)."""
    return _org_terms()[kind]


@cache
def load_sector_rules() -> tuple[tuple[tuple[str, ...], Sector], ...]:
    """``(folded keyword words, sector)`` pairs in file order; the first match wins."""
    rules: list[tuple[tuple[str, ...], Sector]] = []
    for number, line in data_lines(SECTORS_FILE):
        where = f"{SECTORS_FILE}:{number}"
        parts = line.split("\t")
        if len(parts) != 2 or not fold(parts[0]):
            raise KnowledgeError(f"{where}: expected 'keyword<TAB>sector', got {line!r}")
        rules.append((tuple(fold(parts[0]).split()), _sector(where, parts[1].strip())))
    return tuple(rules)


def infer_sector(name: str) -> Sector:
    """The sector of the first rule whose keyword occurs in ``name`` as whole words, else other.

    >>> infer_sector("Secretaría de Seguridad Pública Municipal")
    'municipal'
    """
    words = fold(name).split()
    for keyword, sector in load_sector_rules():
        size = len(keyword)
        if any(tuple(words[i:i + size]) == keyword for i in range(len(words) - size + 1)):
            return sector
    return "other"


@cache
def load_roles() -> tuple[Role, ...]:
    """Role words from ``roles.tsv``; each form appears once."""
    roles: list[Role] = []
    for number, line in data_lines(ROLES_FILE):
        where = f"{ROLES_FILE}:{number}"
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 3 or not all(parts) or parts[2] not in ("m", "f", "n"):
            raise KnowledgeError(f"{where}: expected 'form<TAB>canonical<TAB>m|f|n', "
                                 f"got {line!r}")
        if any(role.form == parts[0].lower() for role in roles):
            raise KnowledgeError(f"{where}: role {parts[0]!r} is listed twice")
        roles.append(Role(parts[0].lower(), parts[1].lower(), parts[2]))  # type: ignore[arg-type]
    return tuple(roles)


@cache
def _role_keys() -> dict[str, str]:
    return {fold(role.form): fold(role.canonical) for role in load_roles()}


def canonical_role(role: str) -> str:
    """The folded canonical key of a role as written ("Directora" → "director"); the folded
    word itself when ``roles.tsv`` does not list it."""
    folded = fold(role)
    return _role_keys().get(folded, folded)


@cache
def folded_lines(path: Path) -> frozenset[str]:
    """The data lines of a one-item-a-line resource file, :func:`fold`-ed."""
    return frozenset(fold(line) for _, line in data_lines(path))


@cache
def load_not_entities() -> frozenset[str]:
    """:func:`fold`-ed phrases that are never a PER or ORG on their own."""
    return frozenset(fold(line) for _, line in data_lines(NOT_ENTITIES_FILE))


def load_single_words(path: Path) -> frozenset[str]:
    """:func:`fold`-ed lines of a list of one word a line (given names, surnames)."""
    words = set()
    for number, line in data_lines(path):
        if len(line.split()) != 1:
            raise KnowledgeError(f"{path}:{number}: expected one name a line, got {line!r}; "
                                 "write compound names as their words")
        words.add(fold(line))
    return frozenset(words)


@cache
def load_given_names() -> frozenset[str]:
    """:func:`fold`-ed given names ("maria", "jose"): the usual first word of a person's name."""
    return load_single_words(GIVEN_NAMES_FILE)
