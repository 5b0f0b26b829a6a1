"""The words the wording rules look for (SOC005 judging words, SOC006 absolutes, SOC007 negative
commands), by a pattern for each language they know, and what to say instead."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .engine import Hit, Review


def _words_found(
    patterns: dict[str, str], what: str, hint: Callable[[str, str], str]
) -> Callable[[Review], Iterator[Hit]]:
    """A review finding words, by a pattern for each language it knows; hint(language, word)."""
    regexes = {language: re.compile(pattern, re.I) for language, pattern in patterns.items()}

    def review_words(review: Review) -> Iterator[Hit]:
        for sentence in review.sentences:
            for found in regexes[review.language].finditer(sentence.text):
                word = found.group(0)
                yield Hit(sentence.loc, f"'{word}' {what}", hint(review.language, word), needle=word)

    return review_words


# "personne" is nobody unless a word for "a", "the", "this" or an adjective comes before it
NOBODY_FR = (
    r"(?<!une )(?<!la )(?<!l')(?<!l’)(?<!cette )(?<!chaque )(?<!quelle )(?<!autre )(?<!seule )(?<!bonne )"
    r"(?<!même )(?<!toute )(?<!en )(?<!grande )(?<!petite )(?<!jeune )(?<!vieille )(?<!gentille )(?<!ma )"
    r"(?<!ta )(?<!sa )(?<!quelque )personne"
)
# German writes nouns with a capital: "jeder" is everyone, "jeder Zahn" each tooth
NOT_A_NOUN = r"(?!\s+(?-i:[A-ZÄÖÜ]))"
# Each language's absolutes (patterns) and what to say instead.
ABSOLUTE_SWAPS = {
    "en": {
        "always": "usually",
        "never": "usually not, or sometimes",
        "everyone": "many people",
        "everybody": "many people",
        "nobody": "not many people",
        r"no\s+one": "not many people",
        r"every\s+time": "most times",
        r"all\s+the\s+time": "often",
    },
    "es": {
        "siempre": "normalmente",
        "nunca": "casi nunca, o a veces",
        "jamás": "casi nunca",
        r"todo\s+el\s+mundo": "mucha gente",
        "todos": "muchos",
        "nadie": "poca gente",
        r"cada\s+vez": "casi siempre",
        r"todo\s+el\s+tiempo": "a menudo",
    },
    "fr": {
        "toujours": "souvent, ou d'habitude",
        "jamais": "rarement, ou parfois",
        r"tout\s+le\s+monde": "beaucoup de gens",
        NOBODY_FR: "peu de gens",
        r"chaque\s+fois": "la plupart du temps",
        r"tout\s+le\s+temps": "souvent",
    },
    "de": {
        "immer": "meistens",
        "nie": "selten, oder manchmal",
        "niemals": "selten, oder manchmal",
        r"jedes\s+Mal": "meistens",
        rf"jeder{NOT_A_NOUN}": "viele",
        rf"alle{NOT_A_NOUN}(?!\s+(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|\d))": "viele",
        r"niemand(?:en|em)?": "wenige",
        rf"keiner{NOT_A_NOUN}": "wenige",
        r"die\s+ganze\s+Zeit": "oft",
        "ständig": "oft",
    },
    "pt": {
        "sempre": "geralmente",
        "nunca": "raramente, ou às vezes",
        "jamais": "raramente",
        r"tod[oa]\s+(?:o\s+)?mundo": "muitas pessoas",
        r"toda\s+a\s+gente": "muitas pessoas",
        r"tod[oa]s(?!\s+(?:os|as|o|a)\b)": "muitos",  # everyone; "todos os dias" is every day
        "ninguém": "poucas pessoas",
        r"toda\s+vez": "na maioria das vezes",
        r"todas\s+as\s+vezes": "na maioria das vezes",
        r"o\s+tempo\s+todo": "muitas vezes",
    },
}


def _instead(language: str, word: str) -> str:
    """What to say instead of an absolute: the swap of the pattern it matches."""
    swap = next(s for pattern, s in ABSOLUTE_SWAPS[language].items() if re.fullmatch(pattern, word, re.I))
    return f"say '{swap}' instead: a literal reader holds the story to its word"


# "levado" is naughty said of a child, and taken ("levado ao hospital") said of anyone
NAUGHTY_PT = (
    r"(?:menin[oa]s?|crianças?|garot[oa]s?|é|são|sou|somos|seja|sejas|sejam|ser|muito|tão|está|estou)\s+"
    r"levad[oa]s?(?!\s+(?:a|ao|à|aos|às|para|pra|até|de|do|da|em|no|na|por|pelo|pela)\b)"
)
DESCRIBE = "describe what happens or what people think and feel; a social story informs, it does not judge"
JUDGING_WORDS = _words_found(
    {
        "en": r"\b(should|must|ought|bad|naughty)\b",
        "es": r"\b(debes|debe|deberías|debería|tienes que|malos?|malas?|travies[oa]s?)\b",
        "fr": r"\b(dois|doit|devons|devez|doivent|devrais|devrait|devrions|devriez|devraient|faut|méchante?s?|"
        r"vilaine?s?|mauvaise?s?|pas\s+sages?)\b",
        # not "mir ist schlecht" (I feel sick)
        "de": r"\b(muss|musst|müssen|müsst|soll|sollst|sollen|sollt|sollte|solltest|sollten|solltet|böse[mnrs]?|"
        r"unartig(?:e[mnrs]?)?|frech(?:e[mnrs]?)?|ungezogen(?:e[mnrs]?)?|"
        r"(?<!mir ist )(?<!ist mir )(?<!mir wird )(?<!wird mir )schlecht(?:e[mnrs]?)?)\b",
        "pt": r"\b(devo|deve|deves|devemos|devem|deveria|deverias|deveríamos|deveriam|"
        rf"(?:tenho|tens|tem|têm|temos)\s+(?:que|de)|mau|maus|má|más|malvad[oa]s?|malcriad[oa]s?|{NAUGHTY_PT})\b",
    },
    "is a judging word",
    lambda _language, _word: DESCRIBE,
)
ABSOLUTES = _words_found(
    {language: rf"\b({'|'.join(swaps)})\b" for language, swaps in ABSOLUTE_SWAPS.items()},
    "is an absolute that may not hold",
    _instead,
)

# Negative commands, and the sentences that say what not to do as English "We do not run" does:
# "ne ... pas", "nicht", "não" with a verb after I, we, you, they (or "on", "man", "a gente"), not
# with be, have or can ("Je ne suis pas seul", "Ich habe keine Angst", "Eu não tenho medo").
# the pronouns between "ne" and its verb: "ne le touche pas", "ne t'inquiète pas"
OBJECT_FR = r"(?:(?:le|la|les|lui|leur|me|te|se|nous|vous|y|en)\s+|[mtsl]['’]\s*)*"
NOT_BE_FR = r"(?!(?:suis|es|est|sommes|êtes|sont|ai|as|a|avons|avez|ont|peux|peut|pouvons|pouvez|peuvent)\b)"
AFTER_FR = r"(?:^|(?<=[,;:«(\"“]\s)|(?<=[,;:«(\"“]))"  # where an imperative starts: the sentence, or after a comma
NOT_BE_DE = (
    r"(?!(?:bin|bist|ist|sind|seid|habe|hab|hast|hat|haben|habt|kann|kannst|können|könnt|muss|musst|müssen|müsst|"
    r"brauche|brauchst|braucht|brauchen|werde|wirst|wird|werden|werdet)\b)"
)
NOT_JOINING_DE = (  # "Wenn ich nicht schlafen kann": a clause, not a verb before its subject
    r"(?!(?:wenn|weil|dass|daß|ob|als|falls|obwohl|damit|bevor|nachdem|während|bis|sobald|und|aber|oder|denn|"
    r"sondern|wie|wo|was|warum|wann)\b)"
)
COMMANDS_DE = (  # imperatives a child is told with "nicht": "Renn nicht!", "Fass den Hund nicht an!"
    r"renn|lauf|schrei|brüll|fass|berühr|hau|schlag|tritt|beiß|beiss|kratz|kneif|schubs|stoß|spuck|wirf|spring|"
    r"kletter|klettr|wein|heul|zappel|wackel|spiel|mach|sag|ruf|geh|komm|iss|trink|steh|setz|nimm|lass|schau|guck|"
    r"hör|red|sprich|fahr|wart|zieh|drück|drängel|drängl|sei|seid"
)
OBJECT_PT = r"(?:(?:me|te|se|nos|o|a|os|as|lhe)\s+)?"
NOT_BE_PT = (
    r"(?!(?:sou|és|é|somos|são|estou|estás|está|estamos|estão|tenho|tens|tem|têm|temos|posso|podes|pode|podemos|"
    r"podem|preciso|precisas|precisa|precisamos|precisam|vou|vais|vai|vamos|vão|há|fico|ficas|fica|ficamos|ficam)\b)"
)
COMMANDS_PT = (  # "não" with the imperative a child is told
    r"corra|corras|corram|toque|toques|toquem|grite|grites|gritem|faça|faças|façam|bata|batas|batam|mexa|mexas|"
    r"mexam|pule|pules|pulem|empurre|empurres|empurrem|morda|mordas|mordam|chore|chores|chorem|chute|chutes|chutem|"
    r"cuspa|cuspas|cuspam|jogue|jogues|joguem|puxe|puxes|puxem|belisque|belisques|belisquem|suba|subas|subam|saia|"
    r"saias|saiam|fale|fales|falem|coma|comas|comam|deves|seja|sejas|sejam|fique|fiques|fiquem"
)
NEGATIVE_COMMANDS = _words_found(
    {
        # not permission or choice ("I do not have to", "if I do not want to"), nor stop said
        # of what someone does ("we stop doing it"): a command is "don't ..." or "Stop ..."
        "en": r"\b(?:don't|don’t|do not)\b(?!\s+(?:have|need|want|wish|mind)\b)|^\W*(?:please\s+)?stop\b|\bplease\s+stop\b",
        "es": r"\b(no debes|no hagas|no toques|no grites|deja de|para de)\b",
        "fr": rf"\b(?:je|nous|on|tu|vous|ils|elles)\s+(?:ne\s+|n['’]\s*){OBJECT_FR}{NOT_BE_FR}\w+\s+pas\b"
        rf"|{AFTER_FR}(?:(?:ne\s+|n['’]\s*){OBJECT_FR}\w+\s+(?:pas|jamais|plus)\b|ne\s+pas\s+\w+)"
        r"|\bil\s+ne\s+faut\s+(?:pas|jamais)\b|\b(?:arr[êe]t(?:e|es|ez|ons|er)|cesse|cessez)\s+(?:de\b|d['’])",
        "de": rf"\b(?:ich|wir|du|man)\s+{NOT_BE_DE}\w+\s+(?:\w+\s+){{0,3}}?nicht\b"
        rf"|\b{NOT_BE_DE}{NOT_JOINING_DE}\w+\s+(?:ich|wir|man)\s+(?:\w+\s+){{0,3}}?nicht\b"
        rf"|^(?:bitte\s+)?(?:{COMMANDS_DE})(?:e|t|et)?\b(?:\s+\w+){{0,3}}?\s+nicht\b"
        r"|^(?:bitte\s+)?(?:nicht|niemals)\s+\w+en\b|\b(?:darf|darfst|dürfen|dürft)\s+(?:\w+\s+){0,3}?nicht\b"
        r"|\bh[öo]r(?:e|en)?\s+auf\b|\baufh[öo]ren\b",
        "pt": rf"\b(?:eu|nós|a\s+gente|você|vocês|tu|eles|elas)\s+não\s+{OBJECT_PT}{NOT_BE_PT}\w+"
        rf"|\bnão\s+{OBJECT_PT}(?:{COMMANDS_PT})\b|\bnão\s+{OBJECT_PT}{NOT_BE_PT}\w+mos\b"
        r"|\b(?:pare|parem|pára|para|paro|paramos|deixe|deixem|deixa|chega)\s+de\b",
    },
    "tells the child what not to do",
    lambda _language, _word: "say what to do instead, e.g. 'I can keep my hands in my lap'",
)
