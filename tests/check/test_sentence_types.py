"""The sentence-type classifier against sentences labelled by hand from Carol Gray's guidance
(The New Social Story Book, Social Stories 10.2): descriptive sentences state facts,
perspective sentences describe what others think, feel or know, affirmative sentences
reassure or state a shared value, coaching sentences gently suggest a response.
The agreement is reported in docs/rules.md (SOC002)."""

import pytest

from storygen.check.engine import Sentence
from storygen.check.social import sentence_type

LABELLED = [
    # descriptive: what happens, where, who, when; also what the child can see or do there
    ("Sometimes I go to the dentist.", "descriptive"),
    ("The dentist's office has a waiting room.", "descriptive"),
    ("My name is Sam.", "descriptive"),
    ("I live in a house with my mum and my sister.", "descriptive"),
    ("At school, children eat lunch in the hall.", "descriptive"),
    ("The bell rings at the end of playtime.", "descriptive"),
    ("I can see my therapist on the screen.", "descriptive"),
    ("We can draw together.", "descriptive"),
    ("There are books to look at.", "descriptive"),
    ("The hairdresser uses scissors to cut hair.", "descriptive"),
    ("A haircut takes about ten minutes.", "descriptive"),
    ("Sometimes the fire alarm makes a loud noise.", "descriptive"),
    ("I can hear the rain on the window.", "descriptive"),
    ("We sit in a circle on the carpet.", "descriptive"),
    ("The bus comes at eight o'clock.", "descriptive"),
    ("My teacher's name is Mrs Green.", "descriptive"),
    ("I can play with the blocks at break time.", "descriptive"),
    ("After lunch, we go outside.", "descriptive"),
    # perspective: other people's thoughts, feelings, knowledge, beliefs
    ("Many children feel nervous at the dentist.", "perspective"),
    ("My teacher likes it when I put my hand up.", "perspective"),
    ("The dentist knows how to keep teeth healthy.", "perspective"),
    ("Mum feels happy when we read together.", "perspective"),
    ("Some people like loud music.", "perspective"),
    ("My friends enjoy playing tag.", "perspective"),
    ("The hairdresser wants my hair to look nice.", "perspective"),
    ("Other children may feel excited on the first day.", "perspective"),
    ("My grown-ups want to help me feel safe.", "perspective"),
    ("Dad thinks swimming is fun.", "perspective"),
    ("Most people understand that accidents happen.", "perspective"),
    # affirmative: reassurance, a shared value or rule
    ("That is okay.", "affirmative"),
    ("This is a good idea.", "affirmative"),
    ("It is okay to feel worried.", "affirmative"),
    ("Making mistakes is okay.", "affirmative"),
    ("This is very important.", "affirmative"),
    ("That is fine.", "affirmative"),
    ("Washing hands is a good thing to do.", "affirmative"),
    ("Feeling nervous is normal.", "affirmative"),
    ("It is safe to swim when the lifeguard is there.", "affirmative"),
    # coaching: a response suggested, gently, for the child (or the team)
    ("I will try to stay in my seat.", "coaching"),
    ("I can ask for help.", "coaching"),
    ("I may try to take three slow breaths.", "coaching"),
    ("I will work on waiting for my turn.", "coaching"),
    ("I can raise my hand if I need a break.", "coaching"),
    ("We will try to use quiet voices.", "coaching"),
    ("I can say, 'Please stop.'", "coaching"),
    ("I am learning to tie my shoes.", "coaching"),
    ("I could squeeze my hands together.", "coaching"),
    ("I can tell a grown-up how I feel.", "coaching"),
    ("I can choose a calm thing from my list.", "coaching"),
    ("I will practise keeping my hands to myself.", "coaching"),
]

# Written after the classifier was tuned to LABELLED, and not tuned to: its agreement on new text.
HELD_OUT = [
    ("The nurse gives me a sticker when we finish.", "descriptive"),
    ("On Tuesdays we go swimming.", "descriptive"),
    ("I can see the fish in the tank.", "descriptive"),
    ("The toilet flushes with a whoosh.", "descriptive"),
    ("My teacher wants everyone to be safe.", "perspective"),
    ("Some children like the swings best.", "perspective"),
    ("The doctor knows a lot about bodies.", "perspective"),
    ("My brother feels sad when his tower falls.", "perspective"),
    ("It is okay to cover my ears.", "affirmative"),
    ("Taking turns is a good idea.", "affirmative"),
    ("This is okay.", "affirmative"),
    ("I will try to keep my shoes on.", "coaching"),
    ("I can use my words to say I am angry.", "coaching"),
    ("I can wait in line with my class.", "coaching"),
    ("I may ask my teacher for a break.", "coaching"),
    ("I could hold my mum's hand.", "coaching"),
]


def typed(text: str) -> str:
    return sentence_type(Sentence(text, ("steps", 0, "text"), None))


def test_the_table_is_large_enough_and_covers_each_type():
    assert len(LABELLED) >= 40
    assert {kind for _, kind in LABELLED} == {"descriptive", "perspective", "affirmative", "coaching"}


def test_the_classifier_agrees_with_the_labelled_table():
    wrong = [(text, kind, typed(text)) for text, kind in LABELLED if typed(text) != kind]
    agreement = 1 - len(wrong) / len(LABELLED)
    print(f"sentence types: {len(LABELLED) - len(wrong)} of {len(LABELLED)} agree ({agreement:.0%})")
    assert agreement >= 0.9, wrong


def test_the_classifier_agrees_on_sentences_it_was_not_tuned_to():
    wrong = [(text, kind, typed(text)) for text, kind in HELD_OUT if typed(text) != kind]
    print(f"sentence types, held out: {len(HELD_OUT) - len(wrong)} of {len(HELD_OUT)} agree")
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize("text", ["I can see my therapist on the screen.", "We can draw together."])
def test_what_a_child_can_see_or_do_is_not_coaching(text):
    assert typed(text) == "descriptive"


def test_a_given_type_wins():
    assert sentence_type(Sentence("I can ask for help.", ("steps", 0, "text"), "descriptive")) == "descriptive"
