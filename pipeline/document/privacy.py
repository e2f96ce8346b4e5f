"""Privacy by default, in each release: who it shows in a public role, and a keyed token in
place of everyone else's name.

Press coverage of gender violence names victims, relatives and witnesses. A release shows a
person by name only when it gives them a public role (:func:`public_people`); every other
person's name becomes a token, ``⟦p<16 hex>⟧``, the HMAC-SHA256 of the person's identity key
under a secret key: in the mention (text and canonical), in every mention's sentence, in the
title and in the affiliations (:func:`withhold_private_people`). The per-document results, and
any store of them, then hold no private name, and a token cannot be confirmed from a list of
names without the key. The corpus stage (:mod:`pipeline.corpus.privacy`) names the people
another release shows in a public role and withholds the rest.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from pipeline.config import RESOURCES_DIR, Settings
from pipeline.document.name_mask import (
    RUN,
    NameMask,
    is_headline,
    name_evidence,
    name_spans,
    strong_name_evidence,
)
from pipeline.document.resolve import name_words, normalize_form
from pipeline.document.rules import load_context_words
from pipeline.errors import UserError
from pipeline.knowledge import data_lines, fold, load_roles
from pipeline.records import Affiliation, DocumentResult, Mention

PUBLIC_ROLES_FILE = RESOURCES_DIR / "public_roles.tsv"
# One word for every name rule downstream (no inner punctuation or space), so a token never
# merges with a name or another token as a shorter form would.
TOKEN = re.compile(r"⟦p[0-9a-f]{16}⟧")
WITHHELD = "[persona]"  # a withheld person in a sentence, a title, or events.csv's people
_KEY_HEX = 64  # 32 random bytes
_WINDOW = 200  # characters looked at before a name for a kinship phrase
_CLAUSE_END = re.compile(r"[.;:\n]")  # a kinship phrase stays inside its clause


class PrivacyKeyError(UserError):
    """The key file exists but holds no key."""


def person_token(name: str, key: bytes) -> str:
    """The token that stands for the person whose canonical name is ``name``.

    >>> person_token("Ana Ruiz", b"k") == person_token("ANA  RUÍZ", b"k")
    True
    """
    digest = hmac.new(key, normalize_form(name).encode(), hashlib.sha256).hexdigest()
    return f"⟦p{digest[:16]}⟧"


def is_token(text: str) -> bool:
    return TOKEN.fullmatch(text) is not None


def load_or_create_key(path: Path) -> bytes:
    """The secret key in ``path``, created (random, readable by its owner only) on first use.

    Created through a temporary file and a hard link, so two runs starting together end with
    one key and never read half of one.

    Raises:
        PrivacyKeyError: the file cannot be made or read, or holds no key.
    """
    try:
        if not path.exists():
            _create_key(path)
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError as exc:
        raise PrivacyKeyError(f"privacy key file {path}: {exc.strerror or exc}; set "
                              "privacy_key (PIPELINE_PRIVACY_KEY) to a file you can write"
                              ) from None
    if not re.fullmatch(f"[0-9a-f]{{{_KEY_HEX}}}", text):
        raise PrivacyKeyError(f"privacy key file {path} holds no key ({_KEY_HEX} hex digits); "
                              "restore it, or delete it to make a new one (stored results are "
                              "then processed again)")
    return bytes.fromhex(text)


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(_KEY_HEX // 2) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another run made it first: use theirs
    finally:
        temporary.unlink()


def privacy_key_for(settings: Settings) -> bytes | None:
    """The key the per-document stage withholds private people with (``privacy_key``
    file, created on first use); None when the settings include private persons."""
    if settings.include_private_persons:
        return None
    return load_or_create_key(Path(settings.privacy_key))


@cache
def load_public_roles() -> frozenset[str]:
    """Folded canonical roles of ``public_roles.tsv``."""
    return frozenset(fold(line) for _, line in data_lines(PUBLIC_ROLES_FILE))


@cache
def _canonical_roles() -> dict[str, str]:
    return {fold(role.form): fold(role.canonical) for role in load_roles()}


def is_public(affiliation: Affiliation) -> bool:
    """A public office, or a role in a named institution; never a kinship word."""
    role = fold(affiliation.role)
    if role in load_context_words().kin:
        return False
    return _canonical_roles().get(role, role) in load_public_roles() or bool(affiliation.org)


def _kin_phrase(text: str, person: Mention) -> str:
    """The kinship phrase that introduces ``person`` ("la hija de la directora del IMM, "),
    folded, else ""."""
    before = text[max(0, person.start_char - _WINDOW):person.start_char]
    clause = fold(_CLAUSE_END.split(before)[-1])
    if not re.search(r",\s*$", before):
        return ""
    kin = load_context_words().kin
    words = clause.split()
    for i, word in enumerate(words[:-1]):
        if word in kin and words[i + 1] in ("de", "del"):
            return " ".join(words[i:])
    return ""


def borrowed_roles(text: str, mentions: Iterable[Mention],
                   affiliations: Iterable[Affiliation]) -> set[Affiliation]:
    """The affiliations whose role is another person's, named in the kinship phrase that
    introduces their holder (body ``text``): "la hija de la directora del IMM, Ana Ruiz"."""
    affiliations = list(affiliations)
    borrowed = set()
    for person in (m for m in mentions if m.label == "PER"):
        if phrase := _kin_phrase(text, person):
            borrowed.update(a for a in affiliations if a.person == person.canonical
                            and f" {fold(a.role)} " in f" {phrase} ")
    return borrowed


def public_people(affiliations: Iterable[Affiliation]) -> set[str]:
    """Canonical names of the people these affiliations give a public role."""
    return {a.person for a in affiliations if is_public(a)}


def _name_runs(name: str) -> set[str]:
    """``name`` and its runs of two words or more that neither open nor close on a particle:
    "Rosa Elena Gutiérrez Pando" → "Gutiérrez Pando", "Rosa Elena", "Elena Gutiérrez"…, the
    ways a release refers to a person again where the model may not see a name."""
    words = name.split()
    return {name} | {" ".join(words[i:j]) for i in range(len(words))
                     for j in range(i + 2, len(words) + 1)
                     if name_words(words[i]) and name_words(words[j - 1])}


def person_shaped(mention: Mention) -> bool:
    """An institution's mention that has the shape of a person's name, and is a person for
    privacy: read as a sentence's words are (:func:`name_spans`), the whole of it is a name,
    with a given name or a patronymic in it, or two surnames ("Rosalinda Quiñónez Barrientos"
    labelled ORG; not "Casa Amiga", nor "Acción Femenil", whose unknown words are no
    evidence, nor "Colectivo Luna Nueva": a lone surname may be a common word). A gazetteer's
    institution never is."""
    if mention.label != "ORG" or mention.origin.startswith("ruler:gaz:"):
        return False
    run = RUN.fullmatch(mention.text)
    words = mention.text.split()
    return run is not None and (any(map(strong_name_evidence, words))
                                or sum(map(name_evidence, words)) >= 2) \
        and name_spans(run, evidence_only=False) == [(0, len(mention.text))]


def _people_first(result: DocumentResult) -> tuple[list[Mention], list[Affiliation]]:
    """The release's mentions with the institutions that are people's names as people, and its
    affiliations without those as institutions."""
    people = {m.canonical for m in result.mentions if person_shaped(m)}
    if not people:
        return list(result.mentions), list(result.affiliations)
    mentions = [replace(m, label="PER") if m.canonical in people and m.label == "ORG" else m
                for m in result.mentions]
    return mentions, [replace(a, org="") if a.org in people else a for a in result.affiliations]


def without_names(text: str, mentions: Iterable[Mention]) -> str:
    """``text`` (an error message) with every possible name as "[persona]": the release's
    people and whatever has a name's shape (:mod:`pipeline.document.name_mask`)."""
    people = {m.text for m in mentions if m.label == "PER"}
    return NameMask(kept=(), private={form: WITHHELD for name in people
                                      for form in _name_runs(name)},
                    replacement=lambda name: WITHHELD)(text)


def withhold_private_people(result: DocumentResult, text: str, key: bytes) -> DocumentResult:
    """``result`` with every person it gives no public role replaced by their token, and
    without the roles a kinship phrase borrows (:func:`borrowed_roles`); institutions with a
    person's shape are people (:func:`person_shaped`).

    In the title and every sentence, each surface form of such a person (and its capitals,
    for titles in upper case) becomes the token, and so does every other span that may be a
    person's name (:class:`NameMask`): privacy by allow-list, whatever the model found. The
    release's public people, institutions and dates are kept, so "Fundación Ana Ruiz" or
    "Ana María Ruiz" is never cut by the private "Ana Ruiz".
    """
    mentions, affiliations = _people_first(result)
    borrowed = borrowed_roles(text, mentions, affiliations)
    affiliations = [a for a in affiliations if a not in borrowed]
    public = public_people(affiliations)
    tokens = {m.canonical: person_token(m.canonical, key) for m in mentions
              if m.label == "PER" and m.canonical not in public}
    kept: set[str] = set()
    private: dict[str, str] = {}
    for mention in mentions:
        if mention.label == "PER" and mention.canonical in tokens:
            names = {mention.text} | _name_runs(mention.canonical)
            private.update({form: tokens[mention.canonical] for name in names
                            for form in (name, name.upper())})
        elif mention.label == "PER":
            kept.update(form for name in {mention.text} | _name_runs(mention.canonical)
                        for form in (name, name.upper()))
        else:
            kept.add(mention.text)
    mask = NameMask(kept=kept, private=private,
                    replacement=lambda name: person_token(name, key))
    sentences: dict[str, str] = {}

    def redacted(mention: Mention) -> Mention:
        if mention.sentence not in sentences:
            sentences[mention.sentence] = mask(mention.sentence)
        sentence = sentences[mention.sentence]
        if mention.label == "PER" and mention.canonical in tokens:
            token = tokens[mention.canonical]
            return replace(mention, text=token, canonical=token, sentence=sentence)
        return replace(mention, sentence=sentence)

    # A headline's capitals tell no name: the names its body shows are masked in it too.
    title_mask = mask.with_names_of(text) if is_headline(result.title, title=True) else mask
    return replace(result, title=title_mask(result.title, title=True),
                   mentions=tuple(map(redacted, mentions)), text=mask.in_place(result.text),
                   affiliations=tuple(replace(a, person=tokens.get(a.person, a.person))
                                      for a in affiliations))
