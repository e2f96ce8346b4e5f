"""The body of a release as ``texts.csv`` exports it: the text that every offset of
``mentions.csv`` and ``dates.csv`` points into, with each private person's name masked in place.

Privacy by default (:mod:`pipeline.document.privacy`) withholds the people a release gives no
public role. Their names are masked character for character (``█``), so that the text keeps its
length and every offset still points at the words it pointed at: wherever the model found the
person, and wherever the same name, or two or more of its words, is written again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.document.privacy import is_token
from pipeline.knowledge import literal_alternation
from pipeline.records import Mention

MASK = "█"


def _runs(name: str) -> set[str]:
    """``name`` and its runs of two or more capitalised words: "Ana María Ruiz Pérez" →
    "Ruiz Pérez", "Ana María", "María Ruiz"…, the ways a release may write it again."""
    words = name.split()
    return {name} | {" ".join(words[i:j]) for i in range(len(words))
                     for j in range(i + 2, len(words) + 1)
                     if words[i][:1].isupper() and words[j - 1][:1].isupper()}


def masked_body(text: str, found: Sequence[Mention], shown: Sequence[Mention]) -> str:
    """``text`` with the names of the people withheld masked: ``found`` are a release's
    mentions as extraction found them, ``shown`` the same mentions (same order and offsets)
    after privacy, where a withheld person's name is a token.

    >>> found = [Mention("d", "PER", "Ana Ruiz", 0, 8, "", "ner")]
    >>> shown = [Mention("d", "PER", "⟦p0123456789abcdef⟧", 0, 8, "", "ner",
    ...                  canonical="⟦p0123456789abcdef⟧")]
    >>> masked_body("Ana Ruiz llegó; Ana Ruiz habló con la Fiscalía.", found, shown)
    '████████ llegó; ████████ habló con la Fiscalía.'
    """
    private = [before for before, after in zip(found, shown, strict=True)
               if after.label == "PER" and is_token(after.canonical)]
    return masked_people(text, private)


def masked_people(text: str, people: Sequence[Mention]) -> str:
    """``text`` with the names of ``people`` (mentions as found, with their offsets) masked in
    place, where they were found and wherever they are written again."""
    if not people:
        return text
    chars = list(text)
    for mention in people:
        chars[mention.start_char:mention.end_char] = MASK * (mention.end_char
                                                             - mention.start_char)
    forms = {form for mention in people
             for name in (mention.text, mention.canonical) if name and not is_token(name)
             for form in _runs(name)}
    if forms:
        pattern = re.compile(rf"(?<!\w){literal_alternation(forms)}(?!\w)")
        for match in pattern.finditer(text):
            chars[match.start():match.end()] = MASK * (match.end() - match.start())
    return "".join(chars)
