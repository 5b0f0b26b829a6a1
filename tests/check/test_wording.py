"""The wording rules (SOC003, SOC005, SOC006, SOC007) in French, German and Portuguese, as in
English and Spanish: sentences each must flag and gentle ones it must not; a translation read
in its own language, or a note (CHK002) that it is not; and the letters of a language written
in its own (GEN006)."""

import json

import pytest

from storygen.check.engine import check_story
from storygen.errors import Severity

WORDING_RULES = {"SOC003", "SOC005", "SOC006", "SOC007"}

# (sentence, the wording rules that flag it), for each language
FLAGGED = {
    "en": [
        ("Don't bite the dentist.", {"SOC007"}),
        ("Stop screaming in the shop.", {"SOC007"}),
        ("Please stop kicking the chair.", {"SOC007"}),
        ("We do not run in the corridor.", {"SOC007"}),
        ("The bus always comes at eight.", {"SOC006"}),
    ],
    "fr": [
        ("Nous ne courons pas dans le couloir.", {"SOC007"}),  # as "We do not run in the corridor"
        ("Tu ne dois jamais crier.", {"SOC003", "SOC005", "SOC006"}),  # you, must, never
        ("Ne touche pas le chien.", {"SOC007"}),
        ("Arrête de crier.", {"SOC007"}),
        ("On ne court pas dans le couloir.", {"SOC007"}),
        ("Les enfants méchants crient.", {"SOC005"}),
        ("Frapper, ce n'est pas sage.", {"SOC005"}),
        ("Il faut attendre un peu.", {"SOC005"}),
        ("Le bus arrive toujours à huit heures.", {"SOC006"}),
        ("Tout le monde a peur parfois.", {"SOC006"}),
        ("Personne ne rit.", {"SOC006"}),
        ("Vous vous asseyez dans le grand fauteuil.", {"SOC003"}),
        ("Le dentiste t'aide.", {"SOC003"}),
    ],
    "de": [
        ("Du musst still sitzen.", {"SOC003", "SOC005"}),
        ("Du sollst leise sein.", {"SOC003", "SOC005"}),
        ("Böse Kinder schreien.", {"SOC005"}),
        ("Hauen ist unartig.", {"SOC005"}),
        ("Der Bus kommt immer um acht.", {"SOC006"}),
        ("Ich gehe nie allein.", {"SOC006"}),
        ("Jeder hat manchmal Angst.", {"SOC006"}),
        ("Keiner lacht.", {"SOC006"}),
        ("Hör auf zu schreien.", {"SOC007"}),
        ("Nicht rennen!", {"SOC007"}),
        ("Fass den Hund nicht an.", {"SOC007"}),
        ("Wir rennen nicht im Flur.", {"SOC007"}),  # as "We do not run in the corridor"
        ("Danke, dass Sie mir helfen.", {"SOC003"}),
    ],
    "pt": [
        ("Você deve ficar sentado.", {"SOC003", "SOC005"}),
        ("Você tem que esperar.", {"SOC003", "SOC005"}),
        ("Bater é mau.", {"SOC005"}),
        ("O menino levado corre.", {"SOC005"}),
        ("O ônibus sempre chega às oito.", {"SOC006"}),
        ("Todo mundo tem medo às vezes.", {"SOC006"}),
        ("Ninguém ri.", {"SOC006"}),
        ("Não corra no corredor.", {"SOC007"}),
        ("Pare de gritar.", {"SOC007"}),
        ("Não toque no cachorro.", {"SOC007"}),
        ("Nós não corremos no corredor.", {"SOC007"}),  # as "We do not run in the corridor"
        ("Tu sentas na cadeira grande.", {"SOC003"}),
    ],
}
# Gentle sentences no wording rule flags: first person, what the child can do, reassurance, and
# words that look like the flagged ones ("rendez-vous", "une personne", "jeder Zahn", "levado ao").
GENTLE = {
    "en": [  # permission and choice (issue 27), and stop said of what someone does
        "I do not have to put food in my mouth if I do not want to.",
        "When it feels too loud, we stop doing it.",
        "I don't need to finish everything.",
        "The music stops and I sit down.",
    ],
    "fr": [
        "Je peux demander une pause.",
        "Je n'ai pas peur.",
        "Je ne suis pas seul.",
        "Ça ne fait pas mal.",
        "Ce n'est pas grave.",
        "Je dis s'il vous plaît et merci.",
        "J'ai un rendez-vous chez le dentiste.",
        "Une personne gentille m'aide.",
        "Je tiens la main de maman.",
        "Maman parle d'un ton doux.",
    ],
    "de": [
        "Ich darf eine Pause machen.",
        "Ich habe keine Angst.",
        "Ich bin nicht allein.",
        "Es tut nicht weh.",
        "Jeder Zahn wird gezählt.",
        "Alle Kinder gehen manchmal zum Zahnarzt.",
        "Sie ist meine Zahnärztin.",
        "Mir ist schlecht.",
        "Das Bohren hört bald auf.",
        "Wenn ich nicht schlafen kann, lese ich.",
    ],
    "pt": [
        "Eu posso pedir uma pausa.",
        "Eu não tenho medo.",
        "Não dói.",
        "Eu não estou sozinho.",
        "Dói, mas não muito.",
        "Eu fui levado ao hospital.",
        "Todos os dias eu escovo os dentes.",
        "Às vezes eu vou ao dentista.",
    ],
}
ALWAYS = {
    "en": ("always", "usually"),
    "fr": ("toujours", "souvent, ou d'habitude"),
    "de": ("immer", "meistens"),
    "pt": ("sempre", "geralmente"),
}


def social_story(language: str, sentences: list[str]) -> str:
    """A social story in language, a step for each sentence (step i on line 5 + i); no page has a
    picture (choosing one would load each language's dictionaries: seconds)."""
    steps = "".join(f"  - {{text: {json.dumps(s, ensure_ascii=False)}, symbol: none}}\n" for s in sentences)
    return (
        f"title: Histoire\nlanguage: {language}\nintro: {{text: Intro., symbol: none}}\nsteps:\n{steps}"
        "conclusion: {text: Fin., symbol: none}\nsymbol: none\n"
    )


@pytest.mark.parametrize("language", ["en", "fr", "de", "pt"])
def test_the_wording_rules_flag_each_slip_in_the_language(write_story, language):
    sentences = [sentence for sentence, _codes in FLAGGED[language]]
    findings = [f for f in check_story(write_story(social_story(language, sentences))).findings]
    for i, (sentence, codes) in enumerate(FLAGGED[language]):
        found = {f.code for f in findings if f.line == 5 + i and f.code in WORDING_RULES}
        assert found == codes, sentence
    assert not [f for f in findings if f.code == "CHK002" and "SOC003" in f.message]  # read, not left out
    word, instead = ALWAYS[language]
    [always] = [f for f in findings if f.code == "SOC006" and f"'{word}'" in f.message]
    assert f"say '{instead}' instead" in always.hint  # what to write instead, in the language


@pytest.mark.parametrize("language", ["en", "fr", "de", "pt"])
def test_the_wording_rules_pass_gentle_sentences(write_story, language):
    findings = check_story(write_story(social_story(language, GENTLE[language]))).findings
    assert [(f.line, f.code, f.message) for f in findings if f.code in WORDING_RULES] == []
    notes = [f.message for f in findings if f.code == "CHK002"]  # the wording rules read them
    left_out = f"not checked in '{language}': SOC002, SOC004, GEN002 (they know English and Spanish only)"
    assert notes == ([] if language == "en" else [left_out])


def test_the_users_french_sentences_are_flagged_at_their_words(write_story):
    path = write_story(social_story("fr", ["Nous ne courons pas.", "Tu ne dois jamais crier."]))
    found = sorted((f.line, f.col, f.code) for f in check_story(path).findings if f.code in WORDING_RULES)
    assert found == [(5, 13, "SOC007"), (6, 13, "SOC003"), (6, 19, "SOC005"), (6, 24, "SOC006")]


STORY = """\
title: At the dentist
intro: Sometimes I go to the dentist.
steps:
  - I sit in the big chair.
conclusion: Then the visit is done.
translations:
  fr:
    title: Chez le dentiste
    intro: Parfois je vais chez le dentiste.
    steps: [Je m'assois toujours dans le grand fauteuil.]
    conclusion: Puis la visite est finie.
  de:
    title: Beim Zahnarzt
    intro: Manchmal gehe ich zum Zahnarzt.
    steps: [Du musst im großen Stuhl sitzen.]
    conclusion: Dann ist der Besuch vorbei.
  pt:
    title: No dentista
    intro: Às vezes eu vou ao dentista.
    steps: [Não corra na sala.]
    conclusion: Depois a visita acaba.
  it:
    title: Dal dentista
    intro: A volte vado dal dentista.
    steps: [Non devi mai gridare.]
    conclusion: Poi la visita finisce.
"""


def test_a_translation_is_checked_in_its_own_language(write_story):
    findings = check_story(write_story(STORY)).findings
    found = [(f.line, f.code, f.message) for f in findings if f.code in WORDING_RULES]
    assert found == [
        (10, "SOC006", "fr: 'toujours' is an absolute that may not hold"),
        (15, "SOC003", "de: 'Du' speaks to the child in the second person"),
        (15, "SOC005", "de: 'musst' is a judging word"),
        (20, "SOC007", "pt: 'Não corra' tells the child what not to do"),
    ]
    english = check_story(write_story(STORY.split("translations:")[0], "english")).findings
    assert not [f for f in english if f.code in WORDING_RULES]


def test_a_translation_in_a_language_no_wording_rule_knows_gets_one_note_at_its_key(write_story):
    notes = {f.line: f for f in check_story(write_story(STORY)).findings if f.code == "CHK002"}
    italian = notes.pop(22)  # at `it:`, once
    assert (italian.col, italian.severity) == (3, Severity.NOTE)
    assert italian.message.startswith("not checked in 'it': SOC002, SOC003, SOC004, SOC005, SOC006, SOC007, GEN002")
    assert "(they know English, Spanish, French, German and Portuguese only)" in italian.message
    assert set(notes) == {7, 12, 17}  # fr, de, pt: only the rules that read English (and Spanish)
    assert all(
        note.message.endswith(": SOC002, SOC004, GEN002 (they know English and Spanish only)")
        for note in notes.values()
    )
    off = STORY.replace("title: At the dentist\n", "title: At the dentist\ncheck: {disable: [SOC002, SOC004]}\n")
    [italian] = [f for f in check_story(write_story(off, "off")).findings if f.code == "CHK002" and "'it'" in f.message]
    assert "SOC002" not in italian.message and "SOC003" in italian.message  # a rule switched off is not missed


GREEK_AND_KOREAN = """\
title: At the dentist
kind: task
steps:
  - I sit in the big chair.
translations:
  el:
    title: {el_title}
    steps: [{el_step}]
  ko:
    title: {ko_title}
    steps: [{ko_step}]
"""


def letters_findings(write_story, **words):
    path = write_story(GREEK_AND_KOREAN.format(**words))
    return [(f.line, f.col, f.message) for f in check_story(path).findings if f.code == "GEN006"]


def test_a_translation_without_its_languages_letters_is_a_warning_at_its_key(write_story):
    latin = letters_findings(
        write_story,
        el_title="Ston odontiatro",  # Greek spelt in Latin letters
        el_step="Kathomai stin megali karekla.",
        ko_title="At the dentist",  # English left under ko:
        ko_step="I sit in the big chair.",
    )
    assert latin == [
        (6, 3, "el: 'el' (Greek) is written in Greek, but this translation has no such letter: its letters are Latin"),
        (
            9,
            3,
            "ko: 'ko' (Korean) is written in Hangul, but this translation has no such letter: its letters are Latin",
        ),
    ]
    proper = letters_findings(
        write_story,
        el_title="Στον οδοντίατρο",
        el_step="Κάθομαι στη μεγάλη καρέκλα.",
        ko_title="치과",
        ko_step="큰 의자에 앉아요.",
    )
    assert proper == []


def test_a_story_without_its_languages_letters_is_a_warning_at_its_language(write_story):
    english = "title: At the dentist\nlanguage: ru\nkind: task\nsymbol: none\nsteps:\n  - {text: I sit in the big chair., symbol: none}\n"
    [finding] = [f for f in check_story(write_story(english)).findings if f.code == "GEN006"]
    assert (finding.line, finding.col, finding.severity) == (2, 11, Severity.WARNING)
    assert "'ru' (Russian) is written in Cyrillic, but the story has no such letter" in finding.message
    russian = english.replace("I sit in the big chair.", "Я сижу в большом кресле.").replace(
        "At the dentist", "У врача"
    )
    kana = english.replace("ru", "ja").replace("I sit in the big chair.", "おおきな いすに すわります。")  # no kanji
    kana = kana.replace("At the dentist", "はいしゃ")
    for name, text in (("russian", russian), ("kana", kana)):
        assert [f for f in check_story(write_story(text, name)).findings if f.code == "GEN006"] == [], name
