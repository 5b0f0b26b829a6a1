"""Benchmark: how often storygen's automatic picture is the one a clinician chose.

    python benchmarks/bench_pictures.py [--verbose]

Takes every page of the example stories that has a `symbol:` (introductions, calm choices,
steps, sub-steps, conclusions), removes the symbols, loads each story as `storygen build`
does (so pictures are chosen in reading order, as they would be), and counts the pages
whose picture is the clinician's, or one listed below by hand as fitting as well.
The aim is 8 in 10; the README reports the figure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storygen.pictures import symbols  # noqa: E402
from storygen.story.load import load_source  # noqa: E402
from storygen.story.open import validate  # noqa: E402
from storygen.story.settings import read_settings, symbol_sets  # noqa: E402

# Pictures as fitting as the clinician's for a page's words, judged by hand (page text -> names);
# a conclusion that praises is as well shown by a star, the reward children know from sticker charts.
ALSO_FITTING = {
    "We are going to the park today!": {"mulberry:park"},
    "We march along the path to the park.": {"mulberry:march", "mulberry:path"},
    "The grass is soft and tickly.": {"mulberry:grass"},
    "We smell the pretty flowers.": {"mulberry:flower", "mulberry:smell"},
    "We whoosh down the slide!": {"mulberry:slide"},
    "We crunch a juicy apple.": {"mulberry:apple"},
    "We snuggle up warm and go home.": {"mulberry:go home", "mulberry:home"},
    "Get my toothbrush and toothpaste.": {"mulberry:toothbrush", "mulberry:toothpaste"},
    "Squeeze a small dot of toothpaste onto my brush.": {"mulberry:toothpaste"},
    "Brush the front teeth.": {"mulberry:brush teeth", "mulberry:teeth"},
    "Brush the teeth on one side.": {"mulberry:brush teeth", "mulberry:teeth"},
    "Brush the teeth on the other side.": {"mulberry:brush teeth", "mulberry:teeth"},
    "Brush my bottom teeth with small circles.": {"mulberry:brush teeth"},
    "Spit the toothpaste into the sink.": {"mulberry:spit", "mulberry:toothpaste"},
    "Rinse my toothbrush under the water.": {"mulberry:rinse", "mulberry:toothbrush"},
    "Smile at my clean teeth in the mirror.": {"mulberry:clean teeth", "mulberry:smile"},
    "My teeth are clean and shiny. Great brushing!": {"mulberry:clean teeth", "mulberry:star"},
    "Sometimes my hair grows long. Then I go to the hair shop for a haircut.": {"mulberry:haircut"},
    "A big squeeze hug": {"mulberry:hug"},
    "Slow breaths": {"mulberry:breath", "mulberry:breathe"},
    "Headphones with quiet music": {"mulberry:headphones"},
    "Hold my teddy": {"mulberry:teddy", "mulberry:teddy bear"},
    "The hairdresser says hello. The hairdresser knows how to cut hair carefully.": {
        "mulberry:hairdresser",
        "mulberry:hello",
    },
    "I sit in the big chair. I will try to keep my head still.": {"mulberry:chair", "mulberry:sit"},
    "The hairdresser puts a cape on me. The cape keeps hair off my clothes.": {"mulberry:cape"},
    "The hairdresser may spray my hair with water and comb it.": {"mulberry:comb hair", "mulberry:spray"},
    "The hairdresser cuts my hair with scissors. Cutting hair does not hurt.": {"mulberry:cut hair"},
    "Sometimes the hairdresser uses clippers. Clippers buzz. I can wear headphones if it is too loud.": {
        "mulberry:clippers",
        "mulberry:hair clippers",
        "mulberry:headphones",
    },
    "When the haircut is done, I look in the mirror at my new hair.": {"mulberry:haircut", "mulberry:look in mirror"},
    "My haircut is finished. I did a great job at the hair shop!": {"mulberry:haircut", "mulberry:star"},
    "Sometimes I go to the dentist. The dentist checks my teeth.": {"mulberry:dentist 1a"},
    "I wait in the waiting room. Sometimes there are books to look at.": {"mulberry:wait", "mulberry:waiting room"},
    "A helper says my name. We walk to the dentist's room together.": {"mulberry:walk"},
    "I sit in a big chair. The chair leans back slowly.": {"mulberry:chair", "mulberry:sit"},
    "A bright light shines on my mouth. Some dentists have sunglasses for me to wear.": {
        "mulberry:light",
        "mulberry:sunglasses",
    },
    "I open my mouth wide. The dentist counts my teeth with a tiny mirror.": {"mulberry:open mouth"},
    "The dentist may clean my teeth with a buzzy brush.": {"mulberry:brush teeth", "mulberry:clean teeth"},
    "If I need a break, I can raise my hand. The dentist will wait for me.": {"mulberry:raise hand"},
    "Then the visit is done, and I go home. I did a great job at the dentist!": {"mulberry:go home", "mulberry:star"},
    "I wash my hands before I eat and after I use the toilet.": {"mulberry:wash hands"},
    "Turn on the water.": {"mulberry:turn on", "mulberry:turn on tap", "mulberry:water"},
    "Wet my hands.": {"mulberry:wet", "mulberry:wet hands"},
    "Put soap on my hands.": {"mulberry:soap"},
    "Rub my hands with soap while I count to 20.": {"mulberry:rub", "mulberry:rub hands"},
    "Rub my palms together.": {"mulberry:palm", "mulberry:rub", "mulberry:rub hands"},
    "Rinse the soap off under the water.": {"mulberry:rinse", "mulberry:rinse hands"},
    "Turn off the water.": {"mulberry:turn off", "mulberry:turn off tap", "mulberry:water"},
    "I dry my hands with a towel.": {"mulberry:towel"},
    "Dry my hands with a towel.": {"mulberry:towel"},
    "Sometimes I feel worried. Worry can come when things are new or loud.": {"mulberry:worried"},
    "Bounce on the therapy ball": {"mulberry:ball", "mulberry:bounce", "mulberry:bounce ball"},
    "Push my hands together": {"mulberry:push"},
    "Worried feelings are okay. Many people feel worried sometimes.": {"mulberry:worried", "openmoji:worried face"},
    "First, I calm my body. I can pick a calm choice from my list.": {"mulberry:calm"},
    'I can tell a grown-up, "I feel worried." My grown-ups want to help me feel safe.': {"mulberry:tell"},
    "After a while, my body feels calmer. The worry usually gets smaller.": {"mulberry:calm"},
    "Then I can go back to playing or learning.": {"mulberry:play"},
    "What a lovely day at the park!": {"mulberry:park"},
    "Put my toothbrush away.": {"mulberry:put away", "mulberry:toothbrush"},
    "The dentist wears gloves and a mask. The dentist knows how to keep teeth healthy.": {"mulberry:gloves"},
    "Sit with my heavy lap pad": {"mulberry:sit"},
    "Rub the back of each hand.": {"mulberry:rub"},
    "Rub between my fingers.": {"mulberry:finger", "mulberry:rub"},
    "Rub around each thumb.": {"mulberry:rub", "mulberry:thumb"},
    "Rub my fingertips on my palm.": {"mulberry:palm", "mulberry:rub"},
    "When I feel worried, my heart may beat fast. My tummy may feel tight.": {
        "mulberry:heart",
        "openmoji:worried face",
    },
    "Slow breaths help my body feel calm. I breathe in through my nose and out through my mouth.": {"openmoji:nose"},
    "My hands are clean. I did a great job washing!": {"mulberry:star"},
    "I know how to help my worried feelings. I am learning, and I am doing great!": {"mulberry:star"},
}


def pages(data: dict, loc: tuple = ()) -> list[tuple[tuple, dict]]:
    """Every page of a story's data that has a mapping of its own, with where it is."""
    found = [(loc, data)] if loc and isinstance(data, dict) else []
    for key in ("intro", "calm", "steps", "conclusion"):
        value = data.get(key) if isinstance(data, dict) else None
        items = value if isinstance(value, list) else [value] if value is not None else []
        for i, item in enumerate(items):
            found += pages(item, (*loc, key, i) if isinstance(value, list) else (*loc, key))
    return found


def part_at(story, loc: tuple):
    for key in loc:
        story = story[key] if isinstance(key, int) else getattr(story, key)
    return story


def same(picked: str, expected: str, sets) -> bool:
    """The same picture, by whatever name ('openmoji:worried' is 'openmoji:worried face')."""
    one, other = symbols.find(picked, sets) if picked != "-" else None, symbols.find(expected, sets)
    return one is not None and other is not None and (one.set, one.file) == (other.set, other.file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list every page")
    args = parser.parse_args()
    library = REPO / "stories"
    settings = read_settings(library)
    sets = symbol_sets(settings, library)
    hits = total = 0
    for path in sorted(library.glob("*.yaml")):
        source = load_source(path)
        chosen = {}
        for loc, page in pages(source.data):
            if "symbol" in page:
                chosen[loc] = symbols.find(page.pop("symbol"), sets).qualified
        story = validate(source, library, settings)
        for loc, expected in chosen.items():
            part = part_at(story, loc)
            picked = part.symbol or "-"
            good = any(same(picked, fits, sets) for fits in {expected, *ALSO_FITTING.get(part.text, ())})
            hits, total = hits + good, total + 1
            if args.verbose or not good:
                print(
                    f"{'ok  ' if good else 'MISS'} {path.stem}: {part.text[:60]!r}: chose {expected}, picked {picked}"
                )
    print(f"{hits} of {total} pages ({hits / total:.0%}) got the clinician's picture or one as fitting")


if __name__ == "__main__":
    main()
