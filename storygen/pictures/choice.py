"""Automatic pictures: for a page given no `symbol:` and no `image:`, the symbol that surely
shows what it means ("I dry my hands with a towel." -> 'dry hands'), or none: when unsure, no
picture rather than a wrong one (issue 25: a literal child believes the picture).

Each sentence is read word by word (words.py: each word's lemma and its role, a thing, an action
or a quality). Every run of one to three words (a pair may skip a word between, "brush my top
teeth" -> 'brush teeth') is looked up by its lemmas in each symbol set, in the library's order.
A name of two or more words says what it means; one word alone is taken only when it surely
does: a word of several senses shows the sense the page's other words give it (senses.py: "fire
drill" shows no fire, "the bell rings" a bell), or nothing when none does; otherwise a thing or
an action (a quality only if it is a feeling), never a word too general to show alone (a hand,
'rest'). The match with the most words of substance wins, then a thing or an action before a
setting (the doctor, the school: unless the page says it twice), a sense the page gave, a thing
before an action, a word the page repeats, a longer name, the earlier sentence and word, the
preferred set. In an action's place ("Brush...", "I paint...") a set's verb comes before a thing
of the same name. A conclusion that praises gets a star. Adult symbols, flags, maps, letters,
numbers, symbols that do not print well and frightening ones (frightening.py) are never chosen,
nor the face of a negative feeling for a page that reassures (a conclusion, a calm choice, an
affirmative page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .. import languages
from . import frightening, senses, symbols, words

# Words that say little on their own: who does it, when, how much, the little words between,
# and verbs too general to draw (put, get, hold). A run may hold them ("turn on tap", "put in
# bin"); a run of them alone is never looked up.
QUIET_WORDS = """i we you he she it they me us them myself am is are was were be been being will can may might
    could would should must do did have had get got let on in at of for into onto with to from by off
    up down out over under around along between through about after before while when then if and or
    but so too very not no all each every some this that these those there here how what who where
    sometimes now today first next last again one other also just really both many much more most okay
    ok yes please help say said know feel go come make try want need like use same new thing way time
    lot put hold turn take give keep pick look squeeze back away together wide still slowly fast day
    usually great side top bottom front middle a an the my your his her their our its"""
QUIET = set(QUIET_WORDS.split())
NEVER = ("Alphabet", "Number", "Country Flags", "Country Maps")  # a flag for "turkey", a 1 for "one"
PRAISE = re.compile(r"\b(great|good|well done|proud|did it|hooray|yay|amazing|brilliant|super)\b", re.IGNORECASE)
PRAISE_SYMBOL = "star"  # the reward a child knows from sticker charts
# A page reassures when it praises, says something is all right ("Worried feelings are okay.") or
# tells the child what they can do ("When I feel angry, I can go to the quiet corner."): its
# picture is never a sad, worried or angry face.
AFFIRMS = re.compile(
    r"\b(?:is|are|it's|that's|feel|feels)\s+(?:very\s+|all\s+)?(?:okay|ok|fine|alright|all right|normal|safe)\b"
    r"|\b(?:i|we)\s+(?:can|could|will\s+try|am\s+learning|are\s+learning)\b",
    re.IGNORECASE,
)


ROLE_NAMES = {words.THING: "a thing", words.ACTION: "an action", words.QUALITY: "a feeling"}


@dataclass(frozen=True)
class Match:
    symbol: symbols.Symbol
    score: tuple
    why: str = ""


def choose(
    texts: Sequence[str],
    order: Iterable[symbols.SetOrName] = symbols.SETS,
    avoid: str | None = None,
    conclusion: bool = False,
    language: str | None = None,
    calm: bool = False,
) -> symbols.Symbol | None:
    """The best-fitting symbol for a page's texts (label first, then its text), or None when
    none of its words names one; `avoid` (the picture before it) only when nothing else fits.
    A story in another language is read by the sets' names in it (in_language); in a language
    they have no names in (Albanian, Greek...), none is chosen. A conclusion, a calm choice and
    a page that reassures (reassures) never get the face of a negative feeling."""
    order = symbols.entries(order)
    calming = conclusion or calm or reassures(texts)
    before = symbols.find(avoid, order) if avoid else None
    if not symbols.named_in(language, order):
        return None  # no names in the story's language: parts.picture_language_warnings says so
    if symbols.primary(language) != "en":
        return in_language(texts, order, symbols.primary(language), before, calming)
    if conclusion and any(PRAISE.search(text) for text in texts):
        return symbols.find(PRAISE_SYMBOL, order)

    def fit(match: Match) -> tuple:  # a new picture first, then one that adds a word ('towel' after 'dry hands')
        substance, *rest = match.score
        return (not _same_picture(match.symbol, before), substance, not _part_of(match.symbol, before), *rest)

    found = max((m for m in matches(texts, order) if allowed(m.symbol, calming)), key=fit, default=None)
    return found.symbol if found else None


def matches(texts: Sequence[str], order: tuple[symbols.SymbolSet, ...]) -> list[Match]:
    """Every symbol a run of the page's words surely names, each with its score (higher fits
    better) and why: a name of two or more words, a word's sense the sense table tells by the
    page's other words, or a word in the role of a thing or an action whose sense is not in doubt."""
    sentences = [words.read(symbols.normalize(s)) for text in texts for s in re.split(r"[.!?;:]+", text) if s.strip()]
    page = {word.lemma for sentence in sentences for word in sentence}
    counts = Counter(word.lemma for sentence in sentences for word in sentence if not quiet(word.text))
    best: dict[symbols.Symbol, Match] = {}
    indexes = [(symbols.names(symbol_set), symbols.loose_names(symbol_set)) for symbol_set in order]
    for index, sentence in enumerate(sentences):
        kept = _kept(sentence)
        for start, run in _runs(len(kept)):
            found = _named(kept, run, page, indexes, order)
            if found is None:
                continue
            symbol, rank, why = found
            substance = sum(not quiet(kept[i].text) for i in run)
            level = senses.level(kept[start].lemma) if len(run) == 1 else 2
            repeated = max(counts.get(kept[i].lemma, 0) for i in run)
            strength = level + (repeated > 1)  # a setting said twice is what the page is about
            thing = kept[start].role == words.THING
            score = (substance, strength, "sense" in why, thing, repeated, len(run), -index, -start, -rank)
            if symbol not in best or score > best[symbol].score:
                best[symbol] = Match(symbol, score, why)
    return list(best.values())


def _named(
    kept: list[words.Word], run: list[int], page: set[str], indexes: Indexes, order: tuple[symbols.SymbolSet, ...]
) -> tuple[symbols.Symbol, int, str] | None:
    """The symbol a run of a sentence's words surely names, its set's rank and why; None when
    it names none, or when unsure (a quality, a word of several senses none of which the page
    tells, a word too general to show on its own)."""
    if all(quiet(kept[i].text) for i in run):
        return None
    key = " ".join(kept[i].lemma for i in run)
    first = kept[run[0]]
    known, sense = senses.decide(key, page, first.role)
    if known:
        symbol = symbols.find(sense.symbol, order) if sense and sense.symbol else None
        return (symbol, 0, f"'{key}' in the sense the page gives it") if symbol and usable(symbol) else None
    if len(run) == 1 and (first.lemma in senses.alone_never() or not _shown(first)):
        return None
    found = _lookup(key, indexes, action=first.role == words.ACTION)
    if found is None:
        return None
    why = f"the name '{key}'" if len(run) > 1 else f"'{first.text}', {ROLE_NAMES.get(first.role, 'a word')}"
    return (*found, why)


def _shown(word: words.Word) -> bool:
    """Whether a word alone may be a page's picture: a thing or an action; of the qualities, a
    feeling ("I feel worried"), never a description ("a light bag", "cold and squishy")."""
    return word.role in (words.THING, words.ACTION) or (word.role == words.QUALITY and word.lemma in senses.feelings())


def _kept(sentence: list[words.Word]) -> list[words.Word]:
    """A sentence's words without fillers ("my", "the"): the sets' names leave them out."""
    return [word for word in sentence if word.text not in symbols.FILLERS]


def in_language(
    texts: Sequence[str],
    order: tuple[symbols.SymbolSet, ...],
    language: str,
    before: symbols.Symbol | None,
    calming: bool = False,
) -> symbols.Symbol | None:
    """The symbol named by the longest run of one to three words in the sets' names in the
    story's language (the emoji package's; Mulberry's French), earliest first: that language's
    grammar is not known here, so only whole names are found (a word's plural or particle left off)."""
    indexes = [symbols.names_in(s, language) for s in order if not s.own]
    page = {
        form
        for text in texts
        for token in re.findall(r"\w+", text.lower())
        for form in (token, words.lemma(token, language))
    }
    found: list[tuple[tuple, symbols.Symbol]] = []
    for index, sentence in enumerate(s for text in texts for s in re.split(r"[.!?;:。！？]+", text) if s.strip()):
        if languages.of(language).spaceless:  # no spaces between words: every name the sentence holds
            found += _held_in(sentence, index, indexes)
        else:
            found += _named_in_words(sentence, index, indexes, language, page, order)
    scored = [
        ((not _same_picture(symbol, before), *score), symbol) for score, symbol in found if allowed(symbol, calming)
    ]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def _held_in(sentence: str, index: int, indexes: list[dict[str, symbols.Symbol]]) -> list[tuple[tuple, symbols.Symbol]]:
    """Every name a sentence written without spaces holds, longest first."""
    return [
        ((len(key), -index, -sentence.index(key), -rank), symbol)
        for rank, names in enumerate(indexes)
        for key, symbol in names.items()
        if len(key) > 1 and key in sentence
    ]


def _named_in_words(
    sentence: str,
    index: int,
    indexes: list[dict[str, symbols.Symbol]],
    language: str,
    page: set[str],
    order: tuple[symbols.SymbolSet, ...],
) -> list[tuple[tuple, symbols.Symbol]]:
    """Every symbol a run of a sentence's words side by side surely names (_sure_in), the
    longest first, then a thing before a setting, then the earliest."""
    tokens = re.findall(r"\w+", symbols.normalize(sentence))
    roles = words.roles(tokens, language) if language in words.DETERMINERS else None
    found: list[tuple[tuple, symbols.Symbol]] = []
    for start, run in _runs(len(tokens)):
        named = (
            _named_in(" ".join(tokens[i] for i in run), indexes, language) if len(run) == run[-1] - run[0] + 1 else None
        )
        shown = named and _sure_in(named[1], len(run), roles[start] if roles else False, page, order)
        if named and shown:
            found.append(((len(run), senses.level(symbols.loose(shown.name)), -index, -start, -named[0]), shown))
    return found


def _named_in(run: str, indexes: list[dict[str, symbols.Symbol]], language: str) -> tuple[int, symbols.Symbol] | None:
    """The symbol a run of words names in the story's language, with its set's rank."""
    for key in _forms(run, language):
        if len(key) >= (2 if re.search(r"[\u2e80-\ud7ff]", key) else 3):  # not 'de', 'a'; but 칫솔, 牙刷
            found = next(((rank, names[key]) for rank, names in enumerate(indexes) if key in names), None)
            if found:
                return found
    return None


def _sure_in(
    symbol: symbols.Symbol, size: int, role: str | bool | None, page: set[str], order: tuple[symbols.SymbolSet, ...]
) -> symbols.Symbol | None:
    """The symbol a name found in another language's words surely shows, or None: a name of two
    words, or one word in a thing's place ("la cloche") or, for a verb, an action's ("je coupe"),
    in the sense the page gives it (the sense table, by the symbol's English name: "la souris"
    and "je clique" are a computer mouse); never a word too general to show alone ('when' for
    "quand"). role is False in a language whose determiners are not known here: the word is
    taken as it is."""
    plain = symbols.loose(symbol.name)
    if quiet(plain):
        return None
    if size > 1 or role is False:
        return symbol
    known, sense = senses.decide(plain, page, role if isinstance(role, str) else None)
    if known:
        return symbols.find(sense.symbol, order) if sense and sense.symbol else None
    if plain in senses.alone_never():
        return None
    return symbol if role == words.THING or (role == words.ACTION and symbol.action) else None


def _forms(words: str, language: str) -> list[str]:
    """words, then with an ending of its last word left off: a plural (manos, mains), a Korean
    particle (칫솔을)."""
    return [words] + [words[: -len(end)] for end in languages.of(language).endings if words.endswith(end)]


Indexes = list[tuple[dict[str, symbols.Symbol], dict[str, symbols.Symbol]]]  # each set's names, exact and loose


def _lookup(key: str, indexes: Indexes, action: bool = False) -> tuple[symbols.Symbol, int] | None:
    """The symbol a run of words (its words' plain forms) names in the first set (in order)
    that has it, and that set's rank; in an action's place, the set's verb of that name first
    ('to paint', the brush, not the paint pot)."""
    for rank, (exact, forgiving) in enumerate(indexes):
        verb = exact.get(f"to {key}") if action else None
        symbol = verb or forgiving.get(key)
        if symbol is not None:
            return (symbol, rank) if usable(symbol) else None
    return None


def _runs(count: int) -> Iterable[tuple[int, list[int]]]:
    """(where it starts, the places of its words) for every run of one to three of a sentence's
    count words, and every pair with a word or two between ("brush top teeth" -> "brush teeth")."""
    for start in range(count):
        for size in (1, 2, 3):
            if start + size <= count:
                yield start, list(range(start, start + size))
        for gap in (2, 3):
            if start + gap < count:
                yield start, [start, start + gap]


@lru_cache(maxsize=8192)
def quiet(word: str) -> bool:
    return word in QUIET or symbols.stems(word)[0] in QUIET


def usable(symbol: symbols.Symbol) -> bool:
    """A symbol automatic choice may pick: not adult, printable, not a letter, number, flag or map,
    nothing frightening (a negative feeling's face is decided by the page: allowed)."""
    return (
        not symbol.adult
        and symbol.qualified not in symbols.MISPRINTED
        and not symbol.category.startswith(NEVER)
        and len(symbol.name) > 1
        and frightening.category(symbol) in (None, frightening.NEGATIVE_FEELING)
    )


def allowed(symbol: symbols.Symbol, calming: bool) -> bool:
    """usable, and on a page that reassures or calms, not the face of a negative feeling."""
    return usable(symbol) and not (calming and frightening.category(symbol) == frightening.NEGATIVE_FEELING)


def reassures(texts: Sequence[str]) -> bool:
    """Whether a page praises, says something is all right, or tells the child what they can do."""
    return any(PRAISE.search(text) or AFFIRMS.search(text) for text in texts)


def _part_of(symbol: symbols.Symbol, other: symbols.Symbol | None) -> bool:
    """Whether a symbol's name only repeats words of the other's ('dry' of 'dry hands')."""
    return other is not None and set(symbols.loose(symbol.name).split()) <= set(symbols.loose(other.name).split())


def _same_picture(symbol: symbols.Symbol, other: symbols.Symbol | None) -> bool:
    return other is not None and (symbol.set, symbol.file) == (other.set, other.file)
