"""A page's words as automatic choice reads them: each word's lemma from a maintained lemmatiser
(English: lemminflect, which knows each word's parts of speech: teeth -> tooth, scared -> scare,
never 'scar', playing -> play, sitting -> sit, where simplemma gives 'playe' and 'sitting'; other
languages: simplemma, with dictionaries for Spanish, French, German, Portuguese...: manos -> mano)
and its role in its sentence, told from the words around it:

- a thing after a determiner or a possessive ("the light", "my brush", "une pièce"), a
  preposition ("with soap", "con jabón") or a verb whose object it is ("I put soap"); the
  subject that starts a sentence ("Snow is cold"); a noun after a thing ("the school nurse");
- an action after a subject, a modal or "to" ("I wet", "can hold", "je coupe"), or after a
  thing that is its subject ("a light shines", "the bell rings"); the first word of an English
  label or calm choice ("Brush my teeth", "Wet my hands");
- a quality: a word that is only ever one ("the pretty flowers", lemminflect's parts of speech),
  one between a determiner and the thing it describes ("a light bag"), or after a verb that
  links it ("my bag is light", "I feel hot").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .sets import installed

THING, ACTION, QUALITY = "thing", "action", "quality"
# Per language: determiners and possessives (a thing follows), subjects and modals (an action
# follows), and the verbs that link a quality ("is light").
DETERMINERS = {
    "en": "a an the my your his her their our its some this that these those every each any no",
    "es": "el la los las un una unos unas mi mis tu tus su sus nuestro nuestra del al este esta ese esa",
    "fr": "le la les l un une des mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs du au aux ce cette",
}
SUBJECTS = {
    "en": "i we you they he she can can't cannot will won't may might must should could would to let's don't do",
    "es": "yo tú nosotros nosotras ellos ellas me te se nos puedo puedes podemos voy vamos quiero",
    "fr": "je j tu il elle on nous vous ils elles me m te t se s peux peut pouvons vais va allons veux",
}
LINKS = {
    "en": "is are am was were be feel feels felt look looks seem seems so too very get gets got grow grows become"
    " becomes turn turns",
    "es": "es son está están estoy soy muy",
    "fr": "est sont suis es très trop",
}
# Words between things that are never the thing described ("a sticker for...", "the phone still").
BETWEEN = {
    "en": "for with by on in at to from of into onto under over near after before and or but so when until while"
    " because then than still too very now again here there away back up down out off",
    "es": "de en con por para y o pero que cuando bajo sobre",
    "fr": "de d en avec par pour et ou mais que qui quand sous sur dans à",
}
# Prepositions: a word after one is a thing ("with soap", "con jabón", "dans le coffre").
PREPOSITIONS = {
    "en": "with into onto on in at from of under over near by for behind inside",
    "es": "con en por para sin bajo sobre",
    "fr": "avec en dans sur sous par pour chez",
}
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class Word:
    text: str  # as written, lower case
    lemma: str
    role: str | None  # THING, ACTION, QUALITY or None when the words around it do not say


@lru_cache(maxsize=65536)
def version() -> str:
    """The lemmatisers' versions: the sets' name indexes are keyed by lemmas (kept.py keeps them)."""
    return f"{installed('lemminflect')}, {installed('simplemma')}"


def lemma(word: str, language: str = "en") -> str:
    """A word's dictionary form in language (teeth -> tooth, manos -> mano); the word itself
    when the lemmatiser does not know the language or the word."""
    word = word.lower().removesuffix("'s")
    if language == "en":
        return _english(word)
    import simplemma  # here, not at the top: loading it costs a story that chooses no picture

    try:
        return simplemma.lemmatize(word, lang=language).lower()
    except ValueError:  # a language simplemma has no dictionary for
        return word


def _english(word: str) -> str:
    """The lemma of an English word: a verb's for a form in -ing or -ed (playing -> play), else
    a noun's (leaves -> leave, glasses -> glass), a verb's, an adjective's."""
    found = _parts_of_speech(word)
    first = ("VERB", "NOUN") if word.endswith(("ing", "ed")) else ("NOUN", "VERB")
    for kind in (*first, "ADJ", "ADV", "AUX"):
        if kind in found:
            return found[kind][0].lower()
    return next(iter(found.values()))[0].lower() if found else word


def _parts_of_speech(word: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's lemmas of an English word by part of speech: {'NOUN': ('tooth',)}."""
    from lemminflect import getAllLemmas  # here, not at the top: loading it costs a story that chooses no picture

    return getAllLemmas(word)


@lru_cache(maxsize=8192)
def kinds(word: str, language: str = "en") -> frozenset[str]:
    """The parts of speech an English word may be (NOUN, VERB, ADJ...); none known in another language."""
    return frozenset(_parts_of_speech(word)) if language == "en" else frozenset()


def describing(word: str, language: str = "en") -> bool:
    """Whether a word is only ever a quality ('pretty', 'big', 'loud'), never a thing or an action."""
    return "ADJ" in kinds(word, language) and kinds(word, language) <= {"ADJ", "ADV"}


def _set(table: dict[str, str], language: str) -> set[str]:
    return set(table.get(language, "").split())


def read(sentence: str, language: str = "en") -> list[Word]:
    """A sentence's words, each with its lemma and its role."""
    tokens = [token for piece in WORD.findall(sentence.lower()) for token in _split_elision(piece, language)]
    return [
        Word(token, lemma(token, language), role) for token, role in zip(tokens, roles(tokens, language), strict=True)
    ]


def roles(tokens: list[str], language: str = "en") -> list[str | None]:
    """The role of each of a sentence's words (lower case, in order), told by the words around it."""
    determiners, subjects, links, between, prepositions = (
        _set(table, language) for table in (DETERMINERS, SUBJECTS, LINKS, BETWEEN, PREPOSITIONS)
    )
    little = determiners | subjects | links | between
    found: list[str | None] = []
    for place, token in enumerate(tokens):
        before = tokens[place - 1] if place else ""
        after = tokens[place + 1] if place + 1 < len(tokens) else ""
        if token in little:
            role = None
        elif language == "en" and token in {"have", "has", "had"}:
            role = ACTION  # never drawn, but what follows is what is had: "dentists have sunglasses"
        elif describing(token, language):
            role = QUALITY  # "the pretty flowers", "my hair grows long", "so loud"
        elif before in determiners or (place >= 2 and tokens[place - 2] in determiners and found[-1] == QUALITY):
            role = QUALITY if language == "en" and _describes(token, after, little, language) else THING
        elif place <= 1 and after and (after in links or (after not in little and lemma(after, language) != after)):
            role = THING  # "Snow is cold", "Spring rain taps on the window": the subject
        elif found and found[-1] == THING and lemma(token, language) == token and "NOUN" in kinds(token, language):
            role = THING  # "the school nurse", "the sand timer": the thing a noun before it names more closely
        elif before in subjects or (found and found[-1] == THING and lemma(token, language) != token):
            role = ACTION  # "I wet", "a light shines", "the bell rings"
        elif before in prepositions or (found and found[-1] == ACTION):
            role = THING  # "with soap", "con jabón", "into bed"; "I put soap": the object
        elif place == 0 and language == "en":
            role = ACTION  # "Brush my teeth", "Wet my hands", "Toothbrush": a label, a calm choice
        elif before in links:
            role = QUALITY
        else:
            role = None
        found.append(role)
    return found


def _describes(word: str, after: str, little: set[str], language: str) -> bool:
    """Whether a word after a determiner describes the word after it ("a light bag", "the big
    chair"): neither is inflected (a plural or a verb's form: "the bubbles pop", "a light shines")
    and the one after is a word of substance."""
    if not after or after in little or len(after) < 3 or (language == "en" and "ADJ" not in kinds(word)):
        return False
    return lemma(word, language) == word and lemma(after, language) == after and not after.endswith(("ed", "ing", "ly"))


def _split_elision(token: str, language: str) -> list[str]:
    """ "l'école" -> ["l", "école"] in French; "don't" stays whole in English."""
    if language == "fr" and "'" in token:
        head, _, tail = token.partition("'")
        return [head, tail]
    return [token]
