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


# Where a word stands in its sentence when that puts in doubt that it shows the page (English):
TRIGGER = (
    "in what sets it off"  # "When I have finished, ...", "... when the plane goes up": the main clause is the page
)
COMPARISON = "in a comparison"  # "I swam like a fish": no fish
COMPOUND = "part of a compound"  # "the sand timer", "a blood test": a kind of thing neither word shows alone
JOINED = "part of a hyphenated word"  # "a pea-sized blob"
PHRASAL = "with a particle that changes what it means"  # "do up", "change into", "cut it out"
PARTICLE = "the particle of the verb before it"  # "do up my buttons": never 'up button'
COORDINATED = "one of the things it names together"  # "the nurse wears gloves and a mask"
IDIOM = "in a saying that means something else"  # "butterflies in my tummy" (choice.py marks it: senses.idioms)
# Per language: the words that start a clause saying when or on what condition the main clause
# happens, the particles that make a phrasal verb, and the words a comparison starts with.
SUBORDINATORS = {
    "en": "when whenever while if unless until because",
    "es": "cuando si mientras porque",
    "fr": "quand lorsque lorsqu si parce",  # "parce que"
}
PARTICLES = {"en": "up down off out away back over into"}
COMPARES = {"en": "like", "es": "como", "fr": "comme"}
JOINS = {"en": "and or"}
NUMBERS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})  # English
MODALS = frozenset({"can", "can't", "cannot", "will", "won't", "may", "might", "must", "should", "could", "would"})
OBJECTS = {"en": "it them me him her us"}  # "cut it out": the verb's particle after its object


@dataclass(frozen=True)
class Word:
    text: str  # as written, lower case
    lemma: str
    role: str | None  # THING, ACTION, QUALITY or None when the words around it do not say
    place: str | None = None  # where it stands, when that puts its picture in doubt (TRIGGER...); None: no doubt


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
    """A sentence's words, each with its lemma, its role and where it stands (places)."""
    pieces = list(WORD.finditer(sentence.lower()))
    tokens, gaps = [], []  # each word, and what is written between it and the word before (", ", "-")
    for number, piece in enumerate(pieces):
        for part, token in enumerate(_split_elision(piece.group(), language)):
            tokens.append(token)
            gaps.append("" if part or not number else sentence[pieces[number - 1].end() : piece.start()])
    found = roles(tokens, language)
    return [
        Word(token, lemma(token, language), role, place)
        for token, role, place in zip(tokens, found, places(tokens, gaps, found, language), strict=True)
    ]


def places(tokens: list[str], gaps: list[str], found: list[str | None], language: str = "en") -> list[str | None]:
    """Where each of a sentence's words stands, when that puts in doubt that it shows the page
    (in English; in Spanish and French the clauses only, TRIGGER and COMPARISON):

    - TRIGGER: in a clause that says when or on what condition ("When I have finished, ...",
      "... when the plane goes up", "if", "while", "until"), to its comma or the sentence's end;
    - COMPARISON: after 'like' that is no verb ("I swam like a fish", "it feels like a hug");
    - COMPOUND: two nouns side by side, the first naming the second more closely ("the sand
      timer", "a blood test", "the shopping list"): neither alone shows the kind of thing they
      name together (a describing form in -ed is no noun: "my weighted blanket");
    - JOINED: a word joined to another by a hyphen ("pea-sized");
    - PHRASAL and PARTICLE: a verb and the particle after it, or after its object ("do up",
      "change into", "cut it out");
    - COORDINATED: two things joined by 'and' or 'or' ("gloves and a mask"): neither alone is the page.
    """
    reading = _Reading(tokens, gaps, found, language)
    found_places: list[str | None] = [None] * len(tokens)
    english = (reading.joined(), reading.compounds(), reading.coordinated(), reading.phrasal())
    for marks in (reading.clauses(), *(english if language == "en" else ())):
        for place, what in marks:
            found_places[place] = found_places[place] or what  # the first reason stands
    return found_places


class _Reading:
    """A sentence's words as places() reads them: each kind of place is a list of (word, place)."""

    def __init__(self, tokens: list[str], gaps: list[str], found: list[str | None], language: str):
        self.tokens, self.gaps, self.found, self.language = tokens, gaps, found, language
        self.subjects, self.determiners = _set(SUBJECTS, language), _set(DETERMINERS, language)
        self.objects, self.links = _set(OBJECTS, language), _set(LINKS, language)
        # the little words, never a thing of a compound nor a verb of a particle ("do up" is one)
        self.little = (self.subjects - {"do", "let's", "don't"}) | self.determiners | self.objects
        count = len(tokens)
        # which clause each word is in: a comma or a dash between words ends one
        self.clause = [
            sum("," in gap or "\u2014" in gap or " - " in gap for gap in gaps[: i + 1]) for i in range(count)
        ]

    def _to_clause_end(self, start: int, what: str) -> list[tuple[int, str]]:
        return [(j, what) for j in range(start, len(self.tokens)) if self.clause[j] == self.clause[start]]

    def clauses(self) -> list[tuple[int, str]]:
        """TRIGGER from 'when', 'if'... to the clause's end; COMPARISON from 'like' or a second 'as'."""
        found: list[tuple[int, str]] = []
        for i, token in enumerate(self.tokens):
            before = self.tokens[i - 1] if i else ""
            if token in _set(SUBORDINATORS, self.language) and before not in self.determiners:  # not "a while"
                found += self._to_clause_end(i, TRIGGER)
            like = token in _set(COMPARES, self.language) and i and before not in self.subjects | {"would", "i'd"}
            if like or (token == "as" and "as" in self.tokens[max(0, i - 3) : i]):  # "as quiet as a mouse"
                found += self._to_clause_end(i, COMPARISON)
        return found

    def joined(self) -> list[tuple[int, str]]:
        """JOINED: both words a hyphen joins ("pea-sized")."""
        return [(j, JOINED) for i, gap in enumerate(self.gaps) if i and gap == "-" for j in (i - 1, i)]

    def compounds(self) -> list[tuple[int, str]]:
        """COMPOUND: two things side by side, the first a noun that names the second more closely."""
        tokens, found, language = self.tokens, self.found, self.language
        marks: list[tuple[int, str]] = []
        for i in range(len(tokens) - 1):
            first, second = tokens[i], tokens[i + 1]
            # "sand timer", "shopping list"; a plural only after a verb ("look at my feelings chart"): "the bubbles pop"
            after_verb = any(
                found[j] == ACTION or tokens[j] in self.links or "VERB" in kinds(tokens[j]) for j in range(i)
            )
            modifier = first == lemma(first, language) or first.endswith("ing") or after_verb
            if (
                found[i] == found[i + 1] == THING
                and self.gaps[i + 1].strip() == ""
                and modifier
                and first not in self.little
                and (not kinds(first, language) or "NOUN" in kinds(first, language))  # "PE kit": lemminflect lacks it
                and "NOUN" in kinds(second, language)
                and "ADV" not in kinds(second, language)  # "a new food today"
                and second not in self.little | NUMBERS  # "my buttons one at a time"
            ):
                marks += [(i, COMPOUND), (i + 1, COMPOUND)]
        return marks

    def coordinated(self) -> list[tuple[int, str]]:
        """COORDINATED: two things 'and' or 'or' join in one clause ("gloves and a mask")."""
        tokens, found = self.tokens, self.found
        marks: list[tuple[int, str]] = []
        for i, token in enumerate(tokens):
            if token in _set(JOINS, self.language) and 0 < i < len(tokens) - 1 and found[i - 1] == THING:
                after = range(i + 1, min(i + 4, len(tokens)))
                j = next((j for j in after if found[j] != QUALITY and tokens[j] not in self.determiners), i)
                if j > i and found[j] == THING and self.clause[j] == self.clause[i - 1]:
                    marks += [(i - 1, COORDINATED), (j, COORDINATED)]
        return marks

    def phrasal(self) -> list[tuple[int, str]]:
        """PHRASAL and PARTICLE: a verb and the particle after it, or after its object ("cut it out")."""
        tokens, found = self.tokens, self.found
        marks: list[tuple[int, str]] = []
        for i, token in enumerate(tokens):
            if token in _set(PARTICLES, self.language) and i:
                verb = i - 2 if i >= 2 and tokens[i - 1] in self.objects else i - 1  # "cut it out"
                verbal = found[verb] != THING and "VERB" in kinds(tokens[verb], self.language)  # not "the train into"
                if verbal and tokens[verb] not in self.little and self.clause[verb] == self.clause[i]:
                    marks += [(verb, PHRASAL), (i, PARTICLE)]
        return marks


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
        elif (before in subjects and not _no_verb(before, token, language)) or (
            found and found[-1] == THING and lemma(token, language) != token
        ):
            role = ACTION  # "I wet", "a light shines", "the bell rings"
        elif before in prepositions or before == "to" or (found and found[-1] == ACTION):
            role = THING  # "with soap", "con jabón", "into bed", "to church"; "I put soap": the object
        elif place == 0 and language == "en":
            role = ACTION  # "Brush my teeth", "Wet my hands", "Toothbrush": a label, a calm choice
        elif before in links:
            role = QUALITY
        else:
            role = None
        found.append(role)
    return found


def _no_verb(before: str, word: str, language: str) -> bool:
    """Whether a word after "to" is no verb ("we go to church"), as lemminflect knows it."""
    return before == "to" and language == "en" and bool(kinds(word)) and "VERB" not in kinds(word)


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
