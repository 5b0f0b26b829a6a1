"""Automatic pictures: for a page given no `symbol:` and no `image:`, the symbol that surely
shows what it means ("I dry my hands with a towel." -> 'dry hands'), or none: when unsure, no
picture rather than a wrong one (issue 25: a literal child believes the picture).

Each sentence is read word by word (words.py: each word's lemma and its role, a thing, an action
or a quality). Every run of one to three words (a pair may skip a word between, "brush my top
teeth" -> 'brush teeth') is looked up by its lemmas in each symbol set, in the library's order.
A name of two or more words says what it means; one word alone is taken only when it surely
does: a word of several senses shows the sense the page's other words give it (senses.py: "fire
drill" shows no fire, "the bell rings" a bell), or nothing when none does (its default sense is
the table's guess, not the page's word); otherwise a thing or an action (a quality only if it is
a feeling) whose picture is of its kind ("rock gently" is no stone) and named by the word itself,
not by another form of it ('register' is no ®) nor a short code of a picture that shows more
('chart', a chart with a yen sign), never a word too general to show alone (a hand, 'rest', the
night). Where a word stands may put it in doubt (words.places): in the part of a sentence that
says when or on what condition ("When I have finished, ..."), in a comparison ("like a fish") or
a saying ("butterflies in my tummy"), one word of a compound ("the sand timer"), of a hyphenated
word, of two things joined by 'and' ("gloves and a mask"), a verb whose particle changes it ("do
up", "change into"). The match with the most words of substance wins, then a thing or an action before a
setting (the doctor, the school: unless the page says it twice), a sense the page gave, a thing
before an action, a word the page repeats, a longer name, the earlier sentence and word, the
preferred set. In an action's place ("Brush...", "I paint...") a set's verb comes before a thing
of the same name. A conclusion that praises gets a star. Adult symbols, flags, maps, letters,
numbers, symbols that do not print well and frightening ones (frightening.py) are never chosen,
nor a negative feeling's face for a page that reassures (a conclusion, a calm choice, praise).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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
# Praise, in English and in the story's other languages (a conclusion in Spanish or French gets a star too)
PRAISE = re.compile(
    r"\b(great|good|well done|proud|did it|hooray|yay|amazing|brilliant|super|brave"
    r"|bravo|muy bien|genial|lo consegu[ií]|lo logr[eé]|orgullos[oa]|valiente"
    r"|bien jou[ée]|j'ai r[ée]ussi|courageu(?:x|se)|fi[eè]re?)\b",
    re.IGNORECASE,
)
PRAISE_SYMBOL = "star"  # the reward a child knows from sticker charts
# A page reassures when it praises, says something is all right ("Worried feelings are okay.") or
# tells the child what they can do ("When I feel angry, I can go to the quiet corner."): its
# picture is never a sad, worried or angry face.
AFFIRMS = re.compile(
    r"\b(?:is|are|it's|that's|feel|feels)\s+(?:very\s+|all\s+)?(?:okay|ok|fine|alright|all right|normal|safe)\b"
    r"|\b(?:i|we)\s+(?:can|could|will\s+try|am\s+learning|are\s+learning)\b",
    re.IGNORECASE,
)


# Why the default sense of a word of several senses (the sense table's, with no cue) is not sure:
# the page does not say which sense it means; the table only tells which picture it would be.
GUESSED = "a word of several senses; its default, no word of the page tells it"

ROLE_NAMES: dict[str | bool | None, str] = {
    words.THING: "a thing",
    words.ACTION: "an action",
    words.QUALITY: "a feeling",
}


@dataclass(frozen=True)
class Match:
    symbol: symbols.Symbol
    score: tuple
    words: str = ""  # the page's words that name it, as written ("dry hands", "brush … teeth")
    reason: str = ""  # how they were read ("a thing", "in the sense its page gives it")
    sure: bool = True  # whether they surely show the page: an unsure match is ranked, never chosen


@dataclass(frozen=True)
class Candidate:
    """A picture automatic choice could give a page, and why, in words a clinician reads."""

    symbol: symbols.Symbol
    why: str  # "the words 'dry hands'", "the word 'light', in the sense its page gives it"
    allowed: bool = True  # whether automatic choice may pick it for this page (allowed(): never what frightens)
    sure: bool = True  # whether its words surely show the page: choose() picks only a sure one, a clinician may


def ranked(
    texts: Sequence[str],
    order: Iterable[symbols.SetOrName] = symbols.SETS,
    *,
    conclusion: bool = False,
    calm: bool = False,
    language: str | None = None,
    avoid: str | None = None,
) -> list[Candidate]:
    """Every picture a page's texts (label first, then its text) name, best first: those that
    surely show it, then the others; `avoid` (the picture before it) last. A story in another
    language is read by the sets' names in it (in_language); in a language they have no names in
    (Albanian, Greek...), there is none. Frightening ones, a negative feeling on a page that
    reassures are here too, marked not allowed, and the unsure ones, marked not sure: choose()
    leaves both out; a clinician may write an unsure one (check's PIC002 names them)."""
    calming = conclusion or calm or reassures(texts)
    return [replace(c, allowed=allowed(c.symbol, calming)) for c in _ranked(texts, order, conclusion, language, avoid)]


def _ranked(
    texts: Sequence[str], order: Iterable[symbols.SetOrName], conclusion: bool, language: str | None, avoid: str | None
) -> list[Candidate]:
    order = symbols.entries(order)
    before = symbols.find(avoid, order) if avoid else None
    if not symbols.named_in(language, order):
        return []  # no names in the story's language: parts.picture_language_warnings says so
    star = symbols.find(PRAISE_SYMBOL, order) if conclusion and any(PRAISE.search(t) for t in texts) else None
    praised = [Candidate(star, f"a praising conclusion: a {PRAISE_SYMBOL}")] if star else []
    if symbols.primary(language) != "en":
        found = in_language(texts, order, symbols.primary(language), before)
    else:

        def fit(match: Match) -> tuple:  # a new picture first, then one that adds a word ('towel' after 'dry hands')
            substance, *rest = match.score
            return (
                match.sure,
                not _same_picture(match.symbol, before),
                substance,
                not _part_of(match.symbol, before),
                *rest,
            )

        found = sorted(matches(texts, order), key=fit, reverse=True)  # stable: the first of equals stays first
    return praised + [
        Candidate(m.symbol, _why(m, before), sure=m.sure) for m in found if m.symbol not in [c.symbol for c in praised]
    ]


def choose(
    texts: Sequence[str],
    order: Iterable[symbols.SetOrName] = symbols.SETS,
    avoid: str | None = None,
    conclusion: bool = False,
    language: str | None = None,
    calm: bool = False,
) -> symbols.Symbol | None:
    """The symbol that surely shows a page: the first of ranked() that is allowed and sure, or None when
    none does (no picture rather than a wrong one). A conclusion, a calm choice and a page that
    reassures (reassures) never get the face of a negative feeling."""
    return first(ranked(texts, order, conclusion=conclusion, calm=calm, language=language, avoid=avoid))


def first(candidates: Iterable[Candidate]) -> symbols.Symbol | None:
    """The picture automatic choice gives a page of these candidates: the first allowed and sure."""
    return next((c.symbol for c in candidates if c.allowed and c.sure), None)


def _why(match: Match, before: symbols.Symbol | None) -> str:
    said = f"the word{'s' if ' ' in match.words else ''} '{match.words}'"
    said += f", {match.reason}" if match.reason else ""
    return f"{said}; the picture of the page before" if _same_picture(match.symbol, before) else said


def matches(texts: Sequence[str], order: tuple[symbols.SymbolSet, ...]) -> list[Match]:
    """Every symbol a run of the page's words names, each with its score (higher fits better),
    how it was read and whether it surely shows the page: a name of two or more words, a word's
    sense the sense table tells by the page's other words, or a word in the role of a thing or an
    action whose sense is not in doubt."""
    sentences = [_sayings(words.read(_plain(s))) for text in texts for s in re.split(r"[.!?;:]+", text) if s.strip()]
    page = {form for sentence in sentences for word in sentence for form in (word.text, word.lemma)}
    counts = Counter(word.lemma for sentence in sentences for word in sentence if not quiet(word.text))
    best: dict[symbols.Symbol, Match] = {}
    indexes = [(symbols.names(symbol_set), symbols.loose_names(symbol_set)) for symbol_set in order]
    for index, sentence in enumerate(sentences):
        kept = _kept(sentence)
        for start, run in _runs(len(kept)):
            found = _named(kept, run, page, indexes, order)
            if found is None:
                continue
            symbol, rank, reason, sure = found
            level = senses.level(kept[start].lemma) if len(run) == 1 else 2
            repeated = max(counts.get(kept[i].lemma, 0) for i in run)
            strength = level + (repeated > 1)  # a setting said twice is what the page is about
            substance = sum(not quiet(kept[i].text) for i in run)
            thing = len(run) == 1 and kept[start].role == words.THING  # a name of two words is what it is
            score: tuple = (substance, strength, "sense" in reason, thing, repeated, len(run), -index, -start, -rank)
            if symbol not in best or (sure, score) > (best[symbol].sure, best[symbol].score):
                best[symbol] = Match(symbol, score, _written(kept, run), reason, sure)
    return list(best.values())


def _sayings(sentence: list[words.Word]) -> list[words.Word]:
    """A sentence's words, those of a saying that means something else (senses.idioms: "butterflies
    in my tummy") placed in it (words.IDIOM)."""
    lemmas = {word.lemma for word in sentence}
    said = set().union(*(saying for saying in senses.idioms() if saying <= lemmas))
    return [replace(word, place=words.IDIOM) if word.lemma in said else word for word in sentence]


def _plain(sentence: str) -> str:
    """A sentence as its words are read: its commas and hyphens kept (words.places reads them)."""
    return sentence.replace("\u2019", "'").replace("_", " ")


# Where a word stands that puts in doubt a run of words holding it (words.places), and the places
# that put in doubt one word alone: a name of two words may hold a compound ('sand timer') or a
# phrasal verb ('wake up').
ANY_RUN = (words.TRIGGER, words.COMPARISON, words.IDIOM)
ALONE = (words.COMPOUND, words.JOINED, words.PHRASAL, words.PARTICLE, words.COORDINATED)


def _doubt(kept: list[words.Word], run: list[int]) -> str | None:
    """Why where a run's words stand puts in doubt that they show the page: in a clause that says
    when ("When I have finished, ..."), in a comparison ("like a fish"); starting with the
    particle of a verb before it ("do up my buttons"); one word that is part of a compound, of a
    hyphenated word, or a verb whose particle changes it. None: no doubt."""
    for i in run:
        if kept[i].place in ANY_RUN:
            return kept[i].place
    if kept[run[0]].place == words.PARTICLE or (len(run) == 1 and kept[run[0]].place in ALONE):
        return kept[run[0]].place
    return None


def _written(kept: list[words.Word], run: list[int]) -> str:
    """A run's words as written: "dry hands"; "brush … teeth" for a word skipped between."""
    side_by_side = run[-1] - run[0] == len(run) - 1
    return " ".join(kept[i].text for i in run) if side_by_side else " … ".join(kept[i].text for i in run)


def _named(
    kept: list[words.Word], run: list[int], page: set[str], indexes: Indexes, order: tuple[symbols.SymbolSet, ...]
) -> tuple[symbols.Symbol, int, str, bool] | None:
    """The symbol a run of a sentence's words names, its set's rank, how it was read and whether
    surely: not a quality, a word of several senses none of which the page tells, a word too
    general to show on its own; None when it names none."""
    if all(quiet(kept[i].text) for i in run):
        return None
    key = " ".join(kept[i].lemma for i in run)
    first = kept[run[0]]
    doubt = _doubt(kept, run)
    known, sense = senses.decide(key, page, first.role)
    shown = symbols.find(sense.symbol, order) if sense and sense.symbol else None
    if shown is not None and usable(shown) and sense is not None:
        return shown, 0, *_told(sense, first, doubt, len(run))
    found = _lookup(key, indexes, action=first.role == words.ACTION)
    if found is None:
        return None
    said = [kept[i] for i in run if not quiet(kept[i].text)]  # its words of substance
    if len(said) == 1 and said[0].lemma in senses.alone_never():
        return *found, "too general to show the page alone", False  # 'arm'; 'show me', 'IT room'
    if doubt:
        return *found, doubt, False
    if known:
        return *found, "a word of several senses, none of them told by its page", False
    if len(run) > 1:
        return *found, "", True
    return *found, *_alone(kept, run[0], found[0])


def _told(sense: senses.Sense, first: words.Word, doubt: str | None, size: int) -> tuple[str, bool]:
    """How a run of words was read in the sense the table gives it, and whether surely: not
    where it stands puts it in doubt (a compound the sense's cue tells: "break card", "kitchen
    scales"), nor a word's default sense, which no word of the page tells ('sit', 'read')."""
    if doubt and not (doubt == words.COMPOUND and sense.cues):
        return doubt, False
    if size == 1 and not (sense.cues or sense.role):
        return GUESSED, False
    return (
        "in the sense its page gives it" if sense.cues or sense.role else ROLE_NAMES.get(first.role, "a word")
    ), True


def _alone(kept: list[words.Word], place: int, symbol: symbols.Symbol) -> tuple[str, bool]:
    """How one word alone was read, and whether it surely shows the page: a thing or an action
    (a feeling of the qualities), whose picture is of its kind and named by it, not more; never
    who does what the page shows ("the nurse measures...")."""
    first = kept[place]
    after = kept[place + 1] if place + 1 < len(kept) else None
    verb = next((word for word in kept[place + 1 :] if word.text not in words.MODALS), None)  # "the doctor can see"
    if first.lemma in senses.settings() and verb is not None and verb.role == words.ACTION:
        return "who does what the page shows, not what is done", False  # "the nurse measures..."
    describes = first.lemma != first.text or (after is not None and after.role == words.THING)
    if first.role == words.THING and symbol.action and describes:  # "the shaving foam", "a grown-up"
        return "it names a thing here, and its picture is an action", False
    if first.role == words.ACTION and not symbol.action and "VERB" in words.kinds(first.text):
        return "an action here, and its picture is a thing", False  # "rock gently": no stone; 'dry', a dry T-shirt
    named = re.sub(r" \d+[a-z]?$", "", symbol.name)
    whole = _first_names().get((symbol.set, symbol.file), named)
    if set(whole.split()) - set(named.split()) - {"face", "with"}:  # 'chart': 'chart increasing with yen'
        return f"its picture shows more: '{whole}'", False
    if named.endswith(("ed", "ing")) and named not in (first.text, first.lemma):
        return "its picture is named by another form of the word", False  # 'register': no ®
    if first.role == words.THING and first.text.endswith("ing") and first.lemma != first.text:
        return "a thing named by an action's form", False  # "the shopping" is no shop
    if first.role == words.QUALITY and not _shown(first):
        return "a description, not a thing", False
    return ROLE_NAMES.get(first.role, "a word whose role is not clear"), _shown(first)


@lru_cache(maxsize=1)
def _first_names() -> dict[tuple[str, str], str]:
    """Each OpenMoji picture's own name, the first it has (its Unicode name; its other names are
    short codes: 'chart' for 'chart increasing with yen', 'mask' for 'face with medical mask')."""
    found: dict[tuple[str, str], str] = {}
    for name, symbol in symbols.names("openmoji").items():
        found.setdefault((symbol.set, symbol.file), name)
    return found


def _shown(word: words.Word) -> bool:
    """Whether a word alone may be a page's picture: a thing or an action; of the qualities, a
    feeling ("I feel worried"), never a description ("a light bag", "cold and squishy")."""
    return word.role in (words.THING, words.ACTION) or (word.role == words.QUALITY and word.lemma in senses.feelings())


def _kept(sentence: list[words.Word]) -> list[words.Word]:
    """A sentence's words without fillers ("my", "the"): the sets' names leave them out."""
    return [word for word in sentence if word.text not in symbols.FILLERS]


def in_language(
    texts: Sequence[str], order: tuple[symbols.SymbolSet, ...], language: str, before: symbols.Symbol | None
) -> list[Match]:
    """Every symbol a run of one to three words names in the sets' names in the story's language
    (the emoji package's; Mulberry's French), best first: those that surely show the page
    (_read_in), then a new picture, the longest run, a thing before a setting, the earliest. Only
    whole names are found (a word's plural or particle left off)."""
    indexes = [symbols.names_in(s, language) for s in order if not s.own]
    tokens = [token for text in texts for token in re.findall(r"\w+", text.lower())]
    page = {form for token in tokens for form in (token, words.lemma(token, language))}
    found: dict[symbols.Symbol, Match] = {}
    for index, sentence in enumerate(s for text in texts for s in re.split(r"[.!?;:。！？]+", text) if s.strip()):
        if languages.of(language).spaceless:  # no spaces between words: every name the sentence holds
            named = _held_in(sentence, index, indexes)
        else:
            named = _named_in_words(sentence, index, indexes, language, page, order)
        for match in named:
            seen = found.get(match.symbol)
            if seen is None or (match.sure, match.score) > (seen.sure, seen.score):
                found[match.symbol] = match

    def fit(match: Match) -> tuple:
        return (match.sure, not _same_picture(match.symbol, before), *match.score)

    return sorted(found.values(), key=fit, reverse=True)


def _held_in(sentence: str, index: int, indexes: list[dict[str, symbols.Symbol]]) -> list[Match]:
    """Every name a sentence written without spaces holds, longest first."""
    return [
        Match(symbol, (len(key), -index, -sentence.index(key), -rank), key)
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
) -> list[Match]:
    """Every symbol a run of a sentence's words side by side names, read by _read_in."""
    written = symbols.normalize(sentence)
    pieces = list(re.finditer(r"\w+", written))
    tokens = [piece.group() for piece in pieces]
    gaps = [written[pieces[i - 1].end() : piece.start()] if i else "" for i, piece in enumerate(pieces)]
    roles = words.roles(tokens, language) if language in words.DETERMINERS else None
    places = words.places(tokens, gaps, roles or [None] * len(tokens), language)  # "quand...", "comme..."
    found: list[Match] = []
    for start, run in _runs(len(tokens)):
        said = " ".join(tokens[i] for i in run)
        named = _named_in(said, indexes, language) if len(run) == run[-1] - run[0] + 1 else None
        if named:
            shown, reason, sure = _read_in(named[1], len(run), roles[start] if roles else False, page, order)
            doubt = next((places[i] for i in run if places[i] in ANY_RUN), None)
            reason, sure = (doubt, False) if doubt else (reason, sure)
            score = (len(run), senses.level(symbols.loose(shown.name)), -index, -start, -named[0])
            found.append(Match(shown, score, said, reason, sure))
    return found


def _named_in(run: str, indexes: list[dict[str, symbols.Symbol]], language: str) -> tuple[int, symbols.Symbol] | None:
    """The symbol a run of words names in the story's language, with its set's rank."""
    for key in _forms(run, language):
        if len(key) >= (2 if re.search(r"[\u2e80-\ud7ff]", key) else 3):  # not 'de', 'a'; but 칫솔, 牙刷
            found = next(((rank, names[key]) for rank, names in enumerate(indexes) if key in names), None)
            if found:
                return found
    return None


def _read_in(
    symbol: symbols.Symbol, size: int, role: str | bool | None, page: set[str], order: tuple[symbols.SymbolSet, ...]
) -> tuple[symbols.Symbol, str, bool]:
    """What a name found in another language's words shows, how it was read, and whether surely:
    a name of two words, or one word in a thing's place ("la cloche") or, for a verb, an
    action's ("je coupe"), in the sense the page gives it (the sense table, by the symbol's
    English name: "la souris" and "je clique" are a computer mouse); never a word too general to
    show alone ('when' for "quand"). role is False in a language whose determiners are not known
    here: the word is taken as it is."""
    plain = symbols.loose(symbol.name)
    if quiet(plain):
        return symbol, "too general to show the page alone", False
    if size > 1 or role is False:
        return symbol, "", True
    known, sense = senses.decide(plain, page, role if isinstance(role, str) else None)
    shown = symbols.find(sense.symbol, order) if sense and sense.symbol else None
    if shown is not None and sense is not None and not (sense.cues or sense.role):
        return shown, GUESSED, False  # "la glace": ice cream, ice or a mirror
    if shown is not None:
        return shown, "in the sense its page gives it", True
    if known:
        return symbol, "a word of several senses, none of them told by its page", False
    if plain in senses.alone_never():
        return symbol, "too general to show the page alone", False
    sure = role == words.THING or (role == words.ACTION and symbol.action)
    return symbol, ROLE_NAMES.get(role, "a word whose role is not clear") if sure else "not a thing here", sure


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
