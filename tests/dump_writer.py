"""Invented articles written out in every dump layout and variant the newspaper's dumps
use, with what parsing each must give back. The property tests (test_dumps.py,
test_ingest.py) concatenate them in any order; the layouts' line structures are
those of tests/fixtures/dumps/layouts/, the words are made up here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from hypothesis import strategies as st

TAGLINE = ("Asharq Al-awsat English Middle-east and International News and Opinion from "
           "Asharq Al-awsat Newspaper")
SEEDS_VARIANTS = ("standard", "stray-20", "no-tt", "standfirst", "title-full-stop", "caption-no-stop",
                  "caption-agency-glued", "no-caption", "no-tt-no-caption", "nbsp", "straight-quotes")
SITE_VARIANTS = ("standard", "hyphen-byline", "paper-byline", "no-caption", "no-byline", "opinion",
                 "two-places", "no-caption-no-byline")
INTERVIEWS = (None, "star", "no-blank", "numbered")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

_SUBJECTS = ("The minister", "Officials", "The council", "Residents", "The army", "Negotiators",
             "The central bank", "Farmers", "The court", "Aid workers", "The governor", "Witnesses")
_VERBS = ("said", "warned", "announced", "denied", "confirmed", "reported", "insisted", "added")
_OBJECTS = ("the talks would go on", "prices had doubled", "the road was closed", "the vote was delayed",
            "the border would reopen", "the deal was signed", "the water had run out",
            "the strike was over", "more help was needed", "the plan had failed", "the port was busy")
_TIMES = ("on Monday", "on Tuesday", "late on Friday", "this week", "in a statement", "after the meeting",
          "before dawn", "at a press conference")
_TITLE_WORDS = ("Water", "Border", "Council", "Harbour", "Election", "Bread", "Drought", "Oil", "Cabinet",
                "Refugees", "Strike", "Court", "Museum", "Railway", "Festival", "Budget", "Ceasefire",
                "Summit", "Bank", "Wheat", "Airport", "Power", "Schools", "Hospitals", "Desert", "Fishermen")
_TITLE_VERBS = ("Extends", "Delays", "Reopens", "Rejects", "Backs", "Weighs", "Ends", "Approves",
                "Questions", "Counts", "Faces", "Wins")
_PLACES = ("Tangier", "Beirut", "Cairo", "Riyadh", "Baghdad", "Amman", "Tunis", "Rabat", "Khartoum",
           "Doha", "Damascus", "London")
_PEOPLE = ("Leila Example", "Karim Sample", "Hanan Example", "Omar al-Sample", "Nadia bin Example",
           "Samir Abu Example", "Huda al-Example")
_CREDITS = ("(Reuters)", "(AFP)", "(AP)", "(Asharq Al-Awsat)", "(SPA)")


@dataclass(frozen=True)
class Invented:
    """One invented story and the layout it is written in."""

    title: str
    paragraphs: tuple[str, ...]
    caption_text: str                   # the caption's words, before its credit
    credit: str
    date: dt.date
    person: str
    place: str
    standfirst: str
    layout: str                         # "seeds" | "site-page"
    variant: str
    interview: str | None
    questions: tuple[str, ...] = ()     # an interview's questions, each answered by a paragraph
    cut: bool = False                   # the last paragraph is cut off mid-sentence

    # --- what the dump says, by layout and variant -----------------------------

    @property
    def shown_title(self) -> str:
        if self.variant == "title-full-stop":
            return self.title + " Govt."
        if self.variant == "straight-quotes":
            return f'{self.title} "Now"'
        return self.title

    @property
    def caption(self) -> str | None:
        if self.variant in ("no-caption", "no-tt-no-caption", "opinion", "no-caption-no-byline"):
            return None
        if self.variant == "caption-no-stop":
            return self.caption_text
        if self.variant == "caption-agency-glued":
            return f"{self.caption_text}.{self.credit}"
        return f"{self.caption_text}. {self.credit}"

    @property
    def byline(self) -> str | None:
        if self.layout != "site-page" or self.variant in ("no-byline", "no-caption-no-byline"):
            return None
        return {"hyphen-byline": f"{self.place} - {self.person}",
                "paper-byline": f"{self.place} - Asharq Al-Awsat",
                "opinion": self.person,
                "two-places": f"{self.place} - London - Asharq Al-Awsat"}.get(
            self.variant, f"{self.place} – {self.person}")

    @property
    def author(self) -> str | None:
        if self.layout != "site-page" or self.variant in ("paper-byline", "two-places", "no-byline",
                                                          "no-caption-no-byline"):
            return None
        return self.person

    @property
    def shown_place(self) -> str | None:
        if self.layout != "site-page" or self.variant in ("opinion", "no-byline", "no-caption-no-byline"):
            return None
        return f"{self.place}, London" if self.variant == "two-places" else self.place

    @property
    def shown_date(self) -> dt.date | None:
        return self.date if self.layout == "site-page" else None

    @property
    def summary(self) -> str | None:
        return self.standfirst if self.variant == "standfirst" else None

    def blocks(self) -> list[tuple[str, str]]:
        """(kind, text) of the body as parsing must give it back."""
        found = [("paragraph", self.paragraphs[0])]
        for number, (question, answer) in enumerate(zip(self.questions, self.paragraphs[1:]), start=1):
            found.append(("question", f"{number}. {question}" if self.interview == "numbered" else question))
            found.append(("paragraph", answer))
        found.extend(("paragraph", text) for text in self.paragraphs[1 + len(self.questions):])
        if self.cut:
            kind, text = found[-1]
            found[-1] = (kind, text.rstrip(".") .rsplit(" ", 2)[0])
        return found

    # --- the dump text ---------------------------------------------------------

    def text(self) -> str:
        body = self._body()
        if self.layout == "site-page":
            meta = [f"{WEEKDAYS[self.date.weekday()]}, {self.date.day} {MONTHS[self.date.month - 1]}, "
                    f"{self.date.year} - 09:30"]
            meta += [line for line in (self.caption, self.byline) if line]
            return (f"{TAGLINE}\n\n{self.shown_title}\n\n{self.shown_title}\n\n" + "\n".join(meta)
                    + "\n\n" + body)
        title, caption = self.shown_title, self.caption
        captions = f"{caption}\n{caption}\n" if caption else ""
        first = title + (f"\n{self.standfirst}" if self.variant == "standfirst" else "")
        if self.variant in ("no-tt", "no-tt-no-caption"):
            header = f"{first}\n\n{captions}\n{title}\n\n{captions}\n"
        else:
            stray = "20\n" if self.variant == "stray-20" else ""
            header = f"{first}\n\n{captions}TT\n{stray}\n{title}\n\n{captions}\n"
        header = header.replace("\n\n\n", "\n\n")
        if self.variant == "nbsp":
            header = header.replace("\n", "\u00a0\n")
        return header + body

    def _body(self) -> str:
        lines = [text for _, text in self.blocks()]
        if self.interview == "star":
            lines = [f"* {text}" if kind == "question" else text for kind, text in self.blocks()]
        if self.interview == "no-blank":
            parts, blocks = [], self.blocks()
            index = 0
            while index < len(blocks):
                kind, text = blocks[index]
                if kind == "question":
                    parts.append(f"{text}\n{blocks[index + 1][1]}")
                    index += 2
                else:
                    parts.append(text)
                    index += 1
            return "\n\n".join(parts) + "\n"
        return "\n\n".join(lines) + "\n"


def _sentence(draw) -> str:
    text = f"{draw(st.sampled_from(_SUBJECTS))} {draw(st.sampled_from(_VERBS))} " \
           f"{draw(st.sampled_from(_TIMES))} that {draw(st.sampled_from(_OBJECTS))}"
    return text


@st.composite
def paragraphs(draw, count: int) -> tuple[str, ...]:
    found = []
    for _ in range(count):
        sentences = [_sentence(draw) for _ in range(draw(st.integers(1, 3)))]
        found.append(". ".join(sentences) + f", {draw(st.integers(2, 999_999))} people were told.")
    return tuple(found)


@st.composite
def titles(draw) -> str:
    words = draw(st.lists(st.sampled_from(_TITLE_WORDS), min_size=2, max_size=4, unique=True))
    return f"{words[0]} {draw(st.sampled_from(_TITLE_VERBS))} {' '.join(words[1:])} " \
           f"in {draw(st.sampled_from(_PLACES))} {draw(st.integers(2, 99_999))}"


@st.composite
def invented(draw, layout: str | None = None) -> Invented:
    layout = layout or draw(st.sampled_from(("seeds", "site-page")))
    variant = draw(st.sampled_from(SEEDS_VARIANTS if layout == "seeds" else SITE_VARIANTS))
    interview = draw(st.sampled_from(INTERVIEWS))
    count = draw(st.integers(1, 5))
    questions: tuple[str, ...] = ()
    if interview:
        questions = tuple(f"Why {draw(st.sampled_from(_OBJECTS))}, {draw(st.integers(2, 9999))} times?"
                          for _ in range(draw(st.integers(1, 3))))
        count = max(count, len(questions) + 1)
    return Invented(
        title=draw(titles()), paragraphs=draw(paragraphs(count)),
        caption_text=f"{draw(st.sampled_from(_SUBJECTS))} in {draw(st.sampled_from(_PLACES))} "
                     f"number {draw(st.integers(2, 99_999))}",
        credit=draw(st.sampled_from(_CREDITS)),
        date=draw(st.dates(dt.date(2005, 1, 1), dt.date(2026, 12, 31))),
        person=draw(st.sampled_from(_PEOPLE)), place=draw(st.sampled_from(_PLACES)),
        standfirst=f"{_sentence(draw)} in a summary.",
        layout=layout, variant=variant, interview=interview, questions=questions,
        cut=draw(st.booleans()) and draw(st.booleans()))


def in_other_layout(story: Invented, layout: str, variant: str) -> Invented:
    """The same story as the other layout would print it."""
    return replace(story, layout=layout, variant=variant)


def concatenated(stories: list[Invented], separators: list[str]) -> str:
    """The stories one after another. A separator is the blank lines after a story; a
    site page's tagline may also come right under the last line of the story before."""
    text = ""
    for story, separator in zip(stories, separators):
        if text and story.layout != "site-page" and not separator:
            separator = "\n"
        text += separator + story.text()
    return text


_SYLLABLES = ("ka", "lo", "mi", "ra", "tu", "ne", "si", "vo", "da", "pe", "qu", "zi", "ba", "fo", "gu", "he")


def distinct(stories: list[Invented]) -> list[Invented]:
    """The stories with bodies of words of their own, so that no two of them are near-copies
    (invented sentences from a few templates would be, and would rightly merge)."""
    import random

    found = []
    for number, story in enumerate(stories):
        rng = random.Random(number)
        made = []
        for _ in story.paragraphs:
            words = ["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(rng.randint(14, 40))]
            made.append(f"The {' '.join(words)} stood.")
        found.append(replace(story, paragraphs=tuple(made)))
    return found
