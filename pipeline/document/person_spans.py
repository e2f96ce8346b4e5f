"""People's spans in one release, mended before resolution.

The model cuts names ("Carmen Ramírez" for "María del Carmen Ramírez"), runs on into a verb
("Enrique Galindo destacó") or an institution ("… del Infonavit"), takes places and things
for people ("Baja California Sur", the gymnasium "Benito Juárez") and misses people that a
role introduces ("la presidenta Claudia Sheinbaum"). :func:`fix_person_spans` mends what the
release's own words show; the vocabulary is that of the resources (given names, places,
roles, sector keywords, place nouns).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from pipeline.document.places import load_places
from pipeline.document.names import institution_words, is_common_word, is_no_name_word
from pipeline.document.people import LINK, inside, role_pattern
from pipeline.document.rules import ROLE_PERSON, load_context_words, role_forms, single_heads
from pipeline.knowledge import fold, literal_alternation, load_given_names, load_not_entities
from pipeline.records import Mention

_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})
_CAPITALISED_WORD = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+")
# "María del | Carmen Ramírez": a given name and a particle the model left out.
_GIVEN_BEFORE = re.compile(r"([A-ZÁÉÍÓÚÑ][a-záéíóúñü]+) (?:de(?:l| la| los| las)?) $")
# "Salas | Corral." or "Mora | de la O," at a clause's end: a last surname the model left out.
_SURNAME_AFTER = re.compile(r" ((?:(?:de|del|de la|de los) )?([A-ZÁÉÍÓÚÑ][a-záéíóúñü]*))"
                            r"(?=[.,;:]|\s*$)")
# A person's name as written: two to four capitalised words, "de la" and a line break allowed.
_NAME = (r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+(?:de\s+la\s+|de\s+los\s+|del\s+|de\s+)?"
         r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+){1,3}")
_NAME_AFTER_ROLE = re.compile(rf"(?:\s+(?:de|del|de\s+la)\s+[a-záéíóúñ]+)?,?\s+({_NAME})")
_NAME_BEFORE = re.compile(rf"({_NAME}),\s*(?P<article>(?:el|la)\s+)?$")
_RIGHT_AFTER = re.compile(r",?\s+")  # between a role and the name it introduces
_QUOTES = "\"“”«»'‘’"
# "el Josué Neri Santos", "en el Lienzo Charro …": an article before a name makes it a place.
_ARTICLE = re.compile(r"(?:^|[^\wÁÉÍÓÚÑáéíóúñü])(\w+)\s+(?:el|la|los|las)\s+$",
                      re.IGNORECASE)
_BULLET = re.compile(r"\s*[-–•*]\s*")
_LOWER_WORD = re.compile(r"(?<![\wÁÉÍÓÚÑáéíóúñü])[a-záéíóúñü]+(?![\wÁÉÍÓÚÑáéíóúñü])")


def _line(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def _in_place_list(mention: Mention, text: str) -> bool:
    """A bulleted line holding only the name, in a list that a line naming places opens
    ("las colonias … de la siguiente manera:", then "- Riberas del Bravo", "- Felipe
    Ángeles")."""
    start, end = _line(text, mention.start_char)
    if not _BULLET.fullmatch(text[start:mention.start_char]) or text[mention.end_char:end].strip():
        return False
    while start > 0:
        start, end = _line(text, start - 1)
        line = text[start:end]
        if line.strip() and not _BULLET.match(line):
            return line.rstrip().endswith(":") and bool(
                set(fold(line).split()) & load_context_words().place)
    return False


def _names_a_thing(mention: Mention, text: str) -> bool:
    """A person's name used as the name of a place or thing: in quotes after a capitalised
    word ("Gimnasio … “Benito Juárez”"), after an article ("remodelar el Josué Neri
    Santos", not "de la Cruz"), or in a list of places."""
    before = text[max(0, mention.start_char - 40):mention.start_char]
    quoted = before.rstrip().endswith(tuple(_QUOTES)) and \
        bool(re.search(r"[A-ZÁÉÍÓÚÑ][\w.]*\s*[" + _QUOTES + r"]\s*$", before))
    article = _ARTICLE.search(before)
    return quoted or (article is not None and fold(article[1]) not in ("de", "y")) or \
        _in_place_list(mention, text)


def _not_a_person(mention: Mention, text: str) -> bool:
    """A place ("Baja California Sur"), a name with an acronym ("DIF Capitalino") or an
    institution's word ("Continúa Salud Municipal"), a person's name naming a thing."""
    places = load_places()
    words = fold(mention.text).split()
    if not words:
        return True
    if (fold(mention.text) in places.by_form or fold(mention.text) in places.state_by_form) \
            and words[0] not in load_given_names():
        return True
    return any(sum(c.isupper() for c in w) >= 2 for w in mention.text.split()) or \
        bool(set(words) & institution_words()) or _names_a_thing(mention, text)


def _respan(mention: Mention, start: int, end: int, text: str) -> Mention:
    return replace(mention, text=text[start:end], start_char=start, end_char=end)


def _institution_tail(words: list[str], text: str, orgs: list[Mention]) -> int:
    """Where "… del Infonavit" begins in a person's words: "de"/"del" and one word that is an
    institution of the release or an acronym it defines in brackets; else len(words)."""
    known = {fold(m.text) for m in orgs}
    for i in range(1, len(words) - 1):
        tail = words[i + 1:]
        if words[i] in ("del", "de") and len(tail) == 1 and (
                fold(tail[0]) in known or f"({tail[0]})" in text):
            return i
    return len(words)


def _fix_person(mention: Mention, text: str, others: list[Mention]) -> Mention:
    """Trailing lower-case words ("Enrique Galindo destacó") and an institution ("Aldo
    Michel Clares del Infonavit") off; a given name and particle before it ("María del
    Carmen Ramírez") and a last surname before a stop on."""
    words = mention.text.split()
    words = words[:_institution_tail(words, text, [m for m in others if m.label == "ORG"])]
    while len(words) > 1 and (words[-1].islower() or words[-1] in _PARTICLES):
        words.pop()
    start, end = mention.start_char, mention.start_char + len(" ".join(words))
    if " ".join(words) != mention.text[:end - start]:
        return mention  # irregular spacing: leave the model's span
    before = _GIVEN_BEFORE.search(text, max(0, start - 30), start)
    if before and fold(before[1]) in load_given_names() and not inside(before.start(), others):
        start = before.start()
    after = _SURNAME_AFTER.match(text, end)
    if after and len(words) >= 2 and not inside(after.start(1), others) \
            and (len(after[2]) > 1 or after[1] != after[2]) \
            and fold(after[2]) not in load_places().by_form and \
            fold(after[2]) not in load_places().state_by_form and \
            after[2] not in single_heads() and fold(after[2]) not in institution_words():
        end = after.end(1)
    return _respan(mention, start, end, text)


def _person_in_head(org: Mention, text: str) -> list[Mention]:
    """"la directora del Instituto Elvira Urrutia Castro": after a role, a head word and a
    person's full name taken as one institution are a short form and a person."""
    words = org.text.split()
    role = list(role_pattern().finditer(text, max(0, org.start_char - 40), org.start_char))
    if len(words) < 3 or words[0] not in single_heads() or not role or not LINK.fullmatch(
            text[role[-1].end():org.start_char]) or fold(words[1]) not in load_given_names() \
            or not all(_CAPITALISED_WORD.fullmatch(w) for w in words[1:]):
        return [org]
    cut = org.start_char + len(words[0])
    person_start = cut + len(text[cut:org.end_char]) - len(text[cut:org.end_char].lstrip())
    return [replace(org, text=words[0], end_char=cut, origin=f"ruler:short:{fold(words[0])}"),
            replace(org, label="PER", text=text[person_start:org.end_char],
                    start_char=person_start, origin=ROLE_PERSON)]


def _sentence_of(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 1, text.rfind("\n", 0, start) + 1)  # stripped
    right = min(i for i in (text.find(". ", end), text.find("\n", end), len(text)) if i >= 0)
    return text[left:right + 1].strip()


def _next_word(text: str, start: int) -> int:
    """Where the word after the one at ``start`` begins."""
    word = re.compile(r"\S+\s+").match(text, start)
    return word.end() if word else start


def _name_start(text: str, start: int, end: int, lower_words: set[str]) -> int:
    """Where the name in ``text[start:end]`` (capitalised words before or after a role)
    begins: at its known given name, when one stands among its words ("Llegó | Laura
    Montañez"); else after the words the release writes in lower case ("Asistió | Kirstjen
    Nielsen")."""
    words = text[start:end].split()
    given = next((i for i, word in enumerate(words[:-1]) if fold(word) in load_given_names()),
                 None)
    drop = given if given is not None else next(
        (i for i, word in enumerate(words) if not is_common_word(word, lower_words)), 0)
    for _ in range(min(drop, len(words) - 2)):
        start = _next_word(text, start)
    return start


def _reads_as_name(name: str, lower_words: set[str]) -> bool:
    """No word of it is a common word of the release, a word no name has or a word never an
    entity: "Kirstjen Nielsen", not "Gestión Social" nor "Entre Nosotras"."""
    return not any(is_no_name_word(word) or is_common_word(word, lower_words)
                   or fold(word) in load_not_entities()
                   for word in name.split() if word not in _PARTICLES)


@cache
def _person_noun_pattern() -> re.Pattern[str]:
    """Roles (``roles.tsv``) and kinship words (``context_words.tsv``): "directora",
    "madre"."""
    words = {*role_forms(), *load_context_words().kin}
    return re.compile(rf"\b{literal_alternation(words, ignore_case=True)}\b", re.IGNORECASE)


def _people_beside_roles(text: str, doc_id: str, taken: list[Mention]) -> list[Mention]:
    """People the model missed that a role or a kinship word introduces or follows: "la
    presidenta Claudia Sheinbaum", "Laura Montañez, suplente de …", "Yolanda Ríos, madre del
    alcalde". A name that opens with no known given name counts only right beside the role
    ("la secretaria Kirstjen Nielsen", "Tonantzin Ibarra, madre del gobernador"), not
    after its complement ("la coordinadora del proyecto Entre Nosotras") nor before the
    article of a role that opens a new clause ("al sector Buenos Aires, el alcalde …")."""
    found: list[Mention] = []
    lower_words = set(_LOWER_WORD.findall(text))
    orgs = [m for m in taken if m.label == "ORG"]
    for match in _person_noun_pattern().finditer(text):
        if inside(match.start(), taken):
            continue
        spans = []
        if after := _NAME_AFTER_ROLE.match(text, match.end()):
            spans.append((after.span(1), _RIGHT_AFTER.fullmatch(text, match.end(),
                                                                after.start(1)) is not None))
        if before := _NAME_BEFORE.search(text, max(0, match.start() - 60), match.start()):
            spans.append((before.span(1), not before["article"]))
        for (start, end), right_after in spans:
            start = _name_start(text, start, end, lower_words)
            word_ends = [start + word.end() for word in re.finditer(r"\S+", text[start:end])]
            end = word_ends[_institution_tail(text[start:end].split(), text, orgs) - 1]
            name = " ".join(text[start:end].split())
            overlapping = [m for m in taken + found if m.start_char < end and start < m.end_char]
            if (fold(name.split()[0]) in load_given_names()
                    or right_after and _reads_as_name(name, lower_words)) and all(
                    m.label == "PER" and m not in found and start <= m.start_char
                    and m.end_char <= end for m in overlapping):  # a part ("Claudia") at most
                found.append(Mention(doc_id, "PER", text[start:end], start, end,
                                     _sentence_of(text, start, end), ROLE_PERSON))
    return found


def fix_person_spans(text: str, mentions: Iterable[Mention]) -> list[Mention]:
    """The model's people with their spans mended and non-people dropped; people a role
    shows inside an institution's span (:func:`_person_in_head`) or beside it
    (:func:`_people_beside_roles`)."""
    ordered = sorted(mentions, key=lambda m: m.start_char)
    split = [part for m in ordered
             for part in (_person_in_head(m, text) if m.label == "ORG" else [m])]
    others = [m for m in split if m.label != "PER"]
    people = [fixed for m in split if m.label == "PER"
              for fixed in (_fix_person(m, text, others),) if not _not_a_person(fixed, text)]
    doc_id = ordered[0].doc_id if ordered else ""
    added = _people_beside_roles(text, doc_id, others + people) if ordered else []
    people = [p for p in people if not any(a.start_char <= p.start_char
                                           and p.end_char <= a.end_char for a in added)]
    people += added
    return sorted(others + people, key=lambda m: (m.start_char, m.end_char))
