"""Automatic pictures: for a page given no `symbol:` and no `image:`, the symbol that best
fits its words ("I dry my hands with a towel." -> 'dry hands').

Every run of one to three words of the page (its label first, then its sentences; a pair
may skip a word between, "brush my top teeth" -> 'brush teeth') is looked up by its
forgiving key (symbols.loose) in each symbol set, in the library's order. The match with
the most words of substance wins, a thing or an action before a description ('big', 'top'),
then a word the page repeats, a longer name, the earlier sentence and word, the preferred set.
In an action's place ("Brush...", "I paint...") a set's verb comes before a thing of the
same name. A conclusion that praises gets a star. Adult symbols, flags, maps, letters, numbers,
symbols that do not print well and frightening ones (frightening.py) are never chosen, nor the face
of a negative feeling for a page that reassures (a conclusion, a calm choice, an affirmative page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import count

from .. import languages
from . import frightening, symbols

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
DOERS = {"i", "we", "you", "they", "he", "she", "can", "will", "may", "might", "to", "and", "then"}  # before an action
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


@dataclass(frozen=True)
class Match:
    symbol: symbols.Symbol
    score: tuple
    words: str = ""  # the page's words that name it, as written ("dry hands")


@dataclass(frozen=True)
class Candidate:
    """A picture automatic choice could give a page, and why, in words a clinician reads."""

    symbol: symbols.Symbol
    why: str  # "the words 'dry hands'", "a praising conclusion: a star"
    allowed: bool = True  # whether automatic choice may pick it for this page (allowed())


def ranked(
    texts: Sequence[str],
    order: Iterable[symbols.SetOrName] = symbols.SETS,
    *,
    conclusion: bool = False,
    calm: bool = False,
    language: str | None = None,
    avoid: str | None = None,
) -> list[Candidate]:
    """Every picture a page's texts (label first, then its text) name, best first; `avoid` (the
    picture before it) last. A story in another language is read by the sets' names in it
    (in_language); in a language they have no names in (Albanian, Greek...), there is none.
    Frightening ones and a negative feeling on a page that reassures are here too, marked not
    allowed: choose() and the lists a clinician reads leave them out."""
    calming = conclusion or calm or reassures(texts)
    return [replace(c, allowed=allowed(c.symbol, calming)) for c in _ranked(texts, order, conclusion, language, avoid)]


def _ranked(
    texts: Sequence[str], order: Iterable[symbols.SetOrName], conclusion: bool, language: str | None, avoid: str | None
) -> list[Candidate]:
    order = symbols.entries(order)
    before = symbols.find(avoid, order) if avoid else None
    if not symbols.named_in(language, order):
        return []  # no names in the story's language: parts.picture_language_warnings says so
    if symbols.primary(language) != "en":
        found = in_language(texts, order, symbols.primary(language), before)
        return [Candidate(symbol, _why(words, symbol, before)) for symbol, words in found]
    praised = []
    if conclusion and any(PRAISE.search(text) for text in texts):
        star = symbols.find(PRAISE_SYMBOL, order)
        praised = [Candidate(star, f"a praising conclusion: a {PRAISE_SYMBOL}")] if star else []

    def fit(match: Match) -> tuple:  # a new picture first, then one that adds a word ('towel' after 'dry hands')
        substance, plain, *rest = match.score
        return (not _same_picture(match.symbol, before), substance, plain, not _part_of(match.symbol, before), *rest)

    best = sorted(matches(texts, order), key=fit, reverse=True)  # stable: the first of equals stays first
    return praised + [
        Candidate(m.symbol, _why(m.words, m.symbol, before))
        for m in best
        if m.symbol not in [c.symbol for c in praised]
    ]


def choose(
    texts: Sequence[str],
    order: Iterable[symbols.SetOrName] = symbols.SETS,
    avoid: str | None = None,
    conclusion: bool = False,
    language: str | None = None,
    calm: bool = False,
) -> symbols.Symbol | None:
    """The best-fitting symbol for a page's texts: the first of ranked() that is allowed, or None
    when none of its words names one. A conclusion, a calm choice and a page that reassures
    (reassures) never get the face of a negative feeling."""
    found = ranked(texts, order, conclusion=conclusion, calm=calm, language=language, avoid=avoid)
    return next((c.symbol for c in found if c.allowed), None)


def _why(words: str, symbol: symbols.Symbol, before: symbols.Symbol | None) -> str:
    said = f"the word{'s' if ' ' in words else ''} '{words}'"
    return f"{said}; the picture of the page before" if _same_picture(symbol, before) else said


def matches(texts: Sequence[str], order: tuple[symbols.SymbolSet, ...]) -> list[Match]:
    """Every symbol a run of the page's words names, each with its score (higher fits better)."""
    sentences = [s for text in texts for s in re.split(r"[.!?;:]+", text) if s.strip()]
    counts: dict[str, int] = {}
    for sentence in sentences:
        for word in _words(sentence)[0]:
            counts[symbols.stems(word)[0]] = counts.get(symbols.stems(word)[0], 0) + 1
    best: dict[symbols.Symbol, Match] = {}
    indexes = [(symbols.names(symbol_set), symbols.loose_names(symbol_set)) for symbol_set in order]
    for index, sentence in enumerate(sentences):
        words, after_the = _words(sentence)
        plain = [symbols.stems(word)[0] for word in words]  # each word's plain form, as the sets are indexed
        things = [None if quiet(word) else _lookup(form, indexes) for word, form in zip(words, plain, strict=True)]
        for start, run in _runs(len(words)):
            substance = sum(not quiet(words[i]) for i in run)
            first = run[0]  # "Brush...", "I paint...": an action's place; "The paint..." a thing's
            action = first not in after_the and (first == 0 or words[first - 1] in DOERS)
            found = _lookup(" ".join(plain[i] for i in run), indexes, action) if substance else None
            if found is None:
                continue
            symbol, rank = found
            repeated = max(counts.get(plain[i], 0) for i in run if not quiet(words[i]))
            describes = len(run) == 1 and start in after_the and _describes(start, things)
            score = (substance, not describes, repeated, len(run), -index, -start, -rank)
            if symbol not in best or score > best[symbol].score:
                best[symbol] = Match(
                    symbol, score, " … ".join(" ".join(words[i] for i in part) for part in _side_by_side(run))
                )
    return list(best.values())


def _side_by_side(run: list[int]) -> list[list[int]]:
    """A run's words in groups of neighbours: [2, 4] -> [[2], [4]] (a word skipped between)."""
    return [run] if run[-1] - run[0] == len(run) - 1 else [[i] for i in run]


def in_language(
    texts: Sequence[str],
    order: tuple[symbols.SymbolSet, ...],
    language: str,
    before: symbols.Symbol | None,
) -> list[tuple[symbols.Symbol, str]]:
    """Every symbol a run of one to three words names in the sets' names in the story's
    language (the emoji package's; Mulberry's French), with those words: the longest run first,
    then the earliest. That language's grammar is not known here, so only whole names are found
    (a word's plural or particle left off)."""
    indexes = [symbols.names_in(s, language) for s in order if not s.own]
    found: dict[symbols.Symbol, tuple[tuple, int, str]] = {}  # each symbol's best score, when first seen, its words
    seen = count()

    def consider(symbol: symbols.Symbol, score: tuple, words: str) -> None:
        if symbol not in found or score > found[symbol][0]:
            found[symbol] = (score, next(seen), words)

    for index, sentence in enumerate(s for text in texts for s in re.split(r"[.!?;:。！？]+", text) if s.strip()):
        for symbol, length, start, rank, words in _named(sentence, indexes, language):
            consider(symbol, (not _same_picture(symbol, before), length, -index, -start, -rank), words)
    best = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1]), reverse=True)  # of equals, the first seen
    return [(symbol, words) for symbol, (_, _, words) in best]


def _named(sentence: str, indexes: list[dict[str, symbols.Symbol]], language: str) -> Iterator[tuple]:
    """(symbol, its name's length, where it starts, its set's rank, its words) for every name a
    sentence holds in the sets' names in language: in a run of one to three words side by side,
    or anywhere in a language written without spaces."""
    if languages.of(language).spaceless:  # no spaces between words: every name the sentence holds
        for rank, names in enumerate(indexes):
            for key, symbol in names.items():
                if len(key) > 1 and key in sentence:
                    yield symbol, len(key), sentence.index(key), rank, key
        return
    words = re.findall(r"\w+", symbols.normalize(sentence))
    for start, run in _runs(len(words)):
        if len(run) != run[-1] - run[0] + 1:  # runs of words side by side only
            continue
        for key in _forms(" ".join(words[i] for i in run), language):
            if len(key) < (2 if re.search(r"[\u2e80-\ud7ff]", key) else 3):  # 'de', 'a'; but 칫솔, 牙刷
                continue
            hit = next(((rank, names[key]) for rank, names in enumerate(indexes) if key in names), None)
            if hit:
                yield hit[1], len(run), start, hit[0], " ".join(words[i] for i in run)


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


def _describes(start: int, things: list) -> bool:
    """Whether the word at start, after a "the" or "my", describes a thing named next ('my top
    teeth', a 'bright' light): the thing is the picture, unless either names an action."""
    word, after = things[start], things[start + 1] if start + 1 < len(things) else None
    return word is not None and after is not None and not word[0].action and not after[0].action


def _words(sentence: str) -> tuple[list[str], set[int]]:
    """A sentence's words without fillers ("my", "the"), and where a filler came before one."""
    words: list[str] = []
    after_the: set[int] = set()
    for word in re.findall(r"[a-z]+(?:'[a-z]+)?", symbols.normalize(sentence)):
        if word in symbols.FILLERS:
            after_the.add(len(words))
        else:
            words.append(word)
    return words, after_the


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
