"""briefing.related: text candidates kept as bytes, and numpy only when scoring runs."""
import subprocess
import sys
from pathlib import Path

from briefing import related
from briefing.related import CANDIDATES, _arrays, text_candidates
from briefing.model import Candidates
from briefing.site import term_vector

ROOT = Path(__file__).resolve().parent.parent

TEXTS = [
    "Election results in Iraq were contested by opposition parties in Baghdad.",
    "Opposition parties contested the election results announced in Baghdad.",
    "Floods displaced thousands of families in the river delta this week.",
    "Aid agencies reached families displaced by floods in the delta.",
    "The central bank raised interest rates to fight inflation.",
]


def test_text_candidates_are_bytes_that_read_back_as_each_articles_nearest_others():
    found = text_candidates([term_vector(text) for text in TEXTS])
    assert isinstance(found, Candidates)
    assert (found.rows, found.keep) == (len(TEXTS), min(CANDIDATES, len(TEXTS) - 1))
    best, values = _arrays(found)
    assert best.shape == values.shape == (found.rows, found.keep)
    for i in range(found.rows):
        assert i not in best[i][values[i] > 0].tolist()         # never its own neighbour
    nearest = [int(best[i][values[i].argmax()]) for i in range(4)]
    assert nearest == [1, 0, 3, 2]                              # the pairs that share words


def test_building_a_site_does_not_import_numpy_until_related_articles_are_scored():
    code = ("import sys; import briefing.pipeline, briefing.builder, briefing.site, "
            "briefing.render, briefing.classify, briefing.feeds, briefing.api; "
            "print('numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_text_candidates_on_threads_are_those_of_one_thread(monkeypatch):
    # Blocks of 3 rows: the 24 articles make 8 blocks, shared by the threads.
    monkeypatch.setattr(related, "CHUNK", 3)
    texts = [f"{TEXTS[i % len(TEXTS)]} Report {word} number {i % 7}."
             for i, word in enumerate(("alpha bravo charlie delta echo foxtrot golf hotel " * 3).split())]
    terms = [term_vector(text) for text in texts]
    one = text_candidates(terms, threads=1)
    assert len(related._blocks(related._term_index(terms), len(terms))) > 4
    trimmed = []
    monkeypatch.setattr(related, "_give_back_freed_memory", lambda: trimmed.append(1))
    assert text_candidates(terms, threads=4) == one
    assert trimmed == [1]       # the threads' arenas are handed back once they are done


def test_blocks_scored_at_once_share_one_blocks_bounds(monkeypatch):
    monkeypatch.setattr(related, "CHUNK", 8)
    terms = [term_vector(f"{TEXTS[i % len(TEXTS)]} Item {i}.") for i in range(40)]
    index = related._term_index(terms)
    for share in (1, 2, 4):
        blocks = related._blocks(index, len(terms), share=share)
        assert [start for start, _ in blocks] == [0] + [stop for _, stop in blocks[:-1]]   # every row, once
        assert blocks[-1][1] == len(terms)
        assert max(stop - start for start, stop in blocks) == 8 // share
