"""The floor the labelled page table holds (benchmarks/bench_picture_table.py, issue 25 item 6):
no frightening pick on the tune rows, and no more on the held-out rows than when it was written;
no page left without a picture and without a word (PIC002); the share of picks that are acceptable
and of pages that get a wrong picture, on each split, no worse than when precision was last tuned."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_picture_table.py"


@pytest.fixture(scope="module")
def scored():
    spec = importlib.util.spec_from_file_location("bench_picture_table", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.run()


def test_no_more_frightening_picks_than_the_floor(scored):
    frightening = Counter(row["split"] for row, result in scored if result["pick"] and result["frightening"])
    assert len(scored) >= 561
    assert frightening["tune"] == 0, frightening
    assert frightening["held-out"] <= 1, frightening  # 7 before the never-frightening list, 2 before its second review
    silent = [row["text"] for row, result in scored if result["pick"] is None and result["silent"]]
    assert silent == []  # 58 before PIC002


# Measured on the 561 rows of pages_en.yaml, pages_es_fr.yaml and pages_en_more.yaml when precision
# was tuned on the tune rows again (issue 25, item 6: where a word stands, the rules of
# choice.py's docstring), the held-out rows looked at once before and once after: tune 233 of 243
# picks acceptable (96%), 10 of 382 pages wrong (2.6%); held-out 90 of 114 (79%), 24 of 179
# (13.4%). Before, on the same rows: tune 87% and 9.4%, held-out 71% and 21%. (On the first 361
# rows, when precision was first tuned, item 1: tune 96% and 2.5%, held-out 71% and 21%.)
FLOORS = {"tune": (0.95, 0.03), "held-out": (0.78, 0.14)}  # (least share acceptable, most share wrong)


@pytest.mark.parametrize("split", FLOORS)
def test_precision_holds_its_floor(scored, split):
    results = [result for row, result in scored if row["split"] == split]
    picks = [result for result in results if result["pick"] is not None]
    acceptable = sum(result["acceptable"] for result in picks) / len(picks)
    wrong = sum(not result["acceptable"] for result in picks) / len(results)
    least, most = FLOORS[split]
    assert acceptable >= least and wrong <= most, (split, acceptable, wrong)
