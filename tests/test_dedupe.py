import datetime as dt
import functools
import os
import random
from dataclasses import replace
from pathlib import Path

from briefing import dedupe as dedupe_module, workers
from briefing.dedupe import agree, content_id, dedupe, title_slug
from briefing.dumps import parse_dump
from briefing.model import Block

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@functools.cache
def seed_articles():
    return tuple(a for path in SEEDS for a in parse_dump(path.read_text("utf-8"), path.name)[0])


def story(source="a.txt", line=1, **changes):
    """A real article from the seeds (Iraq Negotiates New Coalition Under US Pressure)."""
    base = seed_articles()[3]
    return replace(base, source=source, line=line, **changes)


def with_paragraphs(article, paragraphs):
    return replace(article, blocks=tuple(Block("paragraph", text=text) for text in paragraphs))


def with_added_paragraph(article, text):
    return replace(article, blocks=article.blocks + (Block("paragraph", text=text),))


def paragraphs(article):
    return [block.text for block in article.blocks if block.kind == "paragraph"]


def test_seed_dumps_hold_five_stories_three_of_them_in_both_dumps():
    result = dedupe(seed_articles())
    assert len(result.stories) == 5 and (result.exact, result.near) == (3, 0)
    both = [s for s in result.stories if len(s.sources) == 2]
    assert len(both) == 3 and all(s.sources == tuple(p.name for p in SEEDS) for s in both)


def test_byte_identical_articles_collapse_and_keep_every_source():
    result = dedupe([story("c.txt", 9), story("a.txt", 5), story("b.txt", 1)])
    [merged] = result.stories
    assert merged.sources == ("a.txt", "b.txt", "c.txt") and result.exact == 2
    assert (merged.article.source, merged.article.line) == ("a.txt", 5)


def test_whitespace_and_unicode_normalisation_variants_are_exact_duplicates():
    original = with_paragraphs(story(), ["The final café deal was signed.", "It took weeks."])
    variant = with_paragraphs(story("b.txt"), ["The  \ufb01nal cafe\u0301 deal was  signed.", "It took\tweeks."])
    result = dedupe([original, variant])
    assert len(result.stories) == 1 and (result.exact, result.near) == (1, 0)


def test_near_duplicate_with_an_added_paragraph_is_merged_into_the_fuller_version():
    shorter = story("a.txt")
    longer = with_added_paragraph(story("b.txt"), "A late paragraph the editors added.")
    result = dedupe([shorter, longer])
    [merged] = result.stories
    assert result.near == 1 and merged.sources == ("a.txt", "b.txt")
    assert paragraphs(merged.article)[-1] == "A late paragraph the editors added."


def test_near_duplicate_with_a_fixed_typo_is_merged_and_the_earliest_kept_on_a_tie():
    text = paragraphs(story())
    typo = with_paragraphs(story("a.txt"), [text[0].replace("government", "govermnent")] + text[1:])
    fixed = with_paragraphs(story("b.txt"), text)
    [merged] = dedupe([fixed, typo]).stories
    assert merged.article.source == "a.txt" and merged.sources == ("a.txt", "b.txt")


def test_versions_each_with_paragraphs_of_their_own_are_one_story():
    others = [block.text for block in seed_articles()[2].blocks if block.kind == "paragraph"]
    one, two = story("a.txt"), story("b.txt")
    for text in others[:4]:
        one = with_added_paragraph(one, text)
    for text in others[4:8]:
        two = with_added_paragraph(two, text)
    # Neither holds 85% of the other, but together they share over 60% of their text.
    result = dedupe([one, two])
    assert len(result.stories) == 1 and result.near == 1


def test_different_stories_on_the_same_topic_stay_apart():
    articles = seed_articles()
    iraq = [a for a in articles if a.title.startswith("Iraq")]
    assert len({a.title for a in iraq}) == 2
    assert len(dedupe(iraq).stories) == 2


def test_story_ids_are_the_content_ids_of_its_versions_earliest_first():
    shorter = story("a.txt")
    longer = with_added_paragraph(story("b.txt"), "One more paragraph.")
    [merged] = dedupe([longer, shorter]).stories
    assert merged.ids == (content_id(shorter), content_id(longer))
    assert dedupe([longer, shorter]) == dedupe([shorter, longer])


def test_a_missing_caption_is_taken_from_another_version():
    bare = with_added_paragraph(story("b.txt", caption=None), "Extra paragraph here.")
    [merged] = dedupe([story("a.txt"), bare]).stories
    assert merged.article.caption == story().caption and merged.article.source == "b.txt"


def test_unrelated_articles_are_never_compared_pair_by_pair(monkeypatch):
    rng = random.Random(7)
    words = [f"w{n}" for n in range(3000)]
    articles = [with_paragraphs(story(f"{n:04}.txt"), [" ".join(rng.choices(words, k=120)) + "."])
                for n in range(400)]
    checks = []
    real = dedupe_module._same_story
    monkeypatch.setattr(dedupe_module, "_same_story", lambda a, b: checks.append(1) or real(a, b))
    near = with_added_paragraph(replace(articles[42], source="9999.txt"), "Added words here.")
    result = dedupe(articles + [near])
    assert len(result.stories) == 400 and result.near == 1
    assert len(checks) < 40         # all pairs would be 80,200


def test_keys_and_shingles_made_on_other_processes_give_the_same_stories():
    """ingest hands dedupe a mapper that runs on every core: what comes back must line up
    with the articles it was made for, whichever process made it."""
    rng = random.Random(11)
    words = [f"w{n}" for n in range(3000)]
    articles = [with_paragraphs(story(f"{n:04}.txt"), [" ".join(rng.choices(words, k=120)) + "."])
                for n in range(300)]
    near = [with_added_paragraph(replace(articles[n], source=f"9{n:03}.txt"), "Added words here.")
            for n in (5, 150, 290)]
    exact = [replace(articles[n], source=f"8{n:03}.txt") for n in (7, 200)]
    pids = set()

    def forked(function, items, stage):
        def noted(item):
            return os.getpid(), function(item)

        found = workers.parallel_map(noted, items, 2, {})
        pids.update(pid for pid, _ in found)
        return [value for _, value in found]

    everything = articles + near + exact
    assert dedupe(everything, mapper=forked) == dedupe(everything)
    assert dedupe(everything).near == 3 and dedupe(everything).exact == 2
    assert pids and os.getpid() not in pids


# --- merges are safe and visible ---------------------------------------------------

def test_an_article_holding_another_glued_to_its_end_never_swallows_it():
    """The failure real dumps showed: a story glued under an unrelated short one made the
    host look like a near-copy of the story's other copy, and the story vanished."""
    interview = story("b.txt")
    host = replace(story("a.txt"), title="Clinics in the North Run Short of Insulin",
                   blocks=(Block("paragraph", text="Clinics have run short of insulin, doctors said."),)
                   + interview.blocks)
    result = dedupe([host, interview])
    assert len(result.stories) == 2 and result.near == 0
    [pair] = result.apart
    assert {pair.first.title, pair.second.title} == {host.title, interview.title}
    assert pair.similarity > 0.6


def test_a_retitled_copy_with_the_same_opening_is_still_merged():
    retitled = with_added_paragraph(replace(story("b.txt"), title="A Different Headline Altogether"), "More.")
    result = dedupe([story("a.txt"), retitled])
    assert len(result.stories) == 1 and result.near == 1 and result.apart == ()


def test_titles_agree_whatever_their_quotes_and_case():
    a = story(title="Qatar’s Emir Says “No Deal”")
    b = replace(with_paragraphs(story(), ["Entirely other words here."]), title="QATAR'S EMIR SAYS \"NO DEAL\"")
    assert agree(a, b)
    assert not agree(a, replace(b, title="Oman Signs a Gas Deal"))


def test_the_same_story_in_two_layouts_keeps_the_fuller_text_with_the_date_and_byline_of_the_other():
    plain = with_added_paragraph(story("a.txt"), "One more line only this copy has.")
    page = replace(story("b.txt", line=40), layout="site-page", date=dt.date(2025, 12, 14),
                   author="Leila Example", place="Baghdad", byline="Baghdad – Leila Example")
    [merged] = dedupe([plain, page]).stories
    assert (merged.article.source, merged.article.date, merged.article.author, merged.article.place) == (
        "a.txt", dt.date(2025, 12, 14), "Leila Example", "Baghdad")
    assert paragraphs(merged.article)[-1] == "One more line only this copy has."
    assert merged.sources == ("a.txt", "b.txt")
    [merge] = merged.merges
    assert (merge.source, merge.line, merge.title) == ("b.txt", 40, page.title)
    assert 0.6 <= merge.similarity < 1 and merge.id == content_id(page)


def test_of_two_equal_texts_the_dated_bylined_copy_is_kept():
    page = replace(story("b.txt", line=40), layout="site-page", date=dt.date(2025, 12, 14), author="Leila Example")
    plain = replace(story("a.txt"), caption="Another caption")     # not an exact copy
    [merged] = dedupe([plain, page]).stories
    assert merged.article.source == "b.txt" and merged.article.layout == "site-page"


def test_a_shorter_dated_copy_gives_its_date_to_the_full_text():
    full = story("a.txt")
    cut = replace(with_paragraphs(story("b.txt"), paragraphs(full)[:len(paragraphs(full)) * 2 // 3]),
                  date=dt.date(2025, 1, 2))
    [merged] = dedupe([full, cut]).stories
    assert merged.article.source == "a.txt" and merged.article.date == dt.date(2025, 1, 2)


def test_an_editor_can_keep_two_versions_apart_by_id_or_title_slug():
    shorter = story("a.txt")
    longer = replace(with_added_paragraph(story("b.txt"), "A late paragraph."), title="Iraq Talks: A Second Look")
    [merged] = dedupe([shorter, longer]).stories
    assert len(dedupe([shorter, longer], apart={merged.ids[0]: [content_id(longer)]}).stories) == 2
    assert len(dedupe([shorter, longer], apart={merged.ids[0]: ["iraq-talks-a-second-look"]}).stories) == 2
    # A title slug both versions share cannot tell them apart: only the id does.
    same_title = replace(longer, title=shorter.title)
    assert len(dedupe([shorter, same_title], apart={merged.ids[0]: [title_slug(shorter.title)]}).stories) == 1
    assert len(dedupe([shorter, same_title], apart={merged.ids[0]: [content_id(same_title)]}).stories) == 2


def test_an_editor_can_keep_apart_a_version_whose_id_is_the_stories_own():
    """The story's id is its earliest version's; when a later, fuller one is kept, the
    version merged in is the earliest, and its id is the one the editor names."""
    earliest = story("a.txt")
    fuller = replace(with_added_paragraph(story("b.txt"), "A late paragraph."), title="Iraq Talks: A Second Look")
    [merged] = dedupe([earliest, fuller]).stories
    [merge] = merged.merges
    assert merge.id == merged.ids[0] == content_id(earliest)
    assert len(dedupe([earliest, fuller], apart={merged.ids[0]: [merge.id]}).stories) == 2


def test_a_separation_holds_through_a_third_version_agreeing_with_both():
    one = story("a.txt")
    two = with_added_paragraph(story("b.txt"), "Second version adds this.")
    three = with_added_paragraph(story("c.txt"), "Third version adds that.")
    stories = dedupe([one, two, three], apart={content_id(one): [content_id(three)]}).stories
    assert sorted(len(s.ids) for s in stories) == [1, 2]
    assert not any({content_id(one), content_id(three)} <= set(s.ids) for s in stories)
