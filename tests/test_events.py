"""The dates an article's text states: written out, without a year, to the month or
year, as ranges, or relative to the article's own date."""
import datetime as dt

from briefing.events import events_in
from briefing.model import Event

MONDAY = dt.date(2025, 12, 15)
WEDNESDAY = dt.date(2025, 12, 17)


def read(paragraphs, published, caption=None) -> list[tuple]:
    """(date, precision, end, ahead) of every event, for tests that look at the dates only."""
    return [(e.date, e.precision, e.end, e.ahead) for e in events_in(paragraphs, published, caption)]


def day(year, month, number) -> dt.date:
    return dt.date(year, month, number)


# --- days named relative to the article ---------------------------------------

def test_monday_in_a_past_sentence_is_the_monday_before_the_article():
    text = "Israeli jets struck targets near Khan Younis on Monday, medics said."
    assert events_in([text], WEDNESDAY) == (Event(day(2025, 12, 15), "day", text, 1, False),)


def test_on_monday_in_an_article_of_a_monday_is_that_very_day():
    text = "Gunmen attacked a checkpoint north of Baghdad on Monday, police said."
    assert read([text], MONDAY) == [(MONDAY, "day", None, False)]


def test_monday_in_a_forward_looking_sentence_is_the_next_monday_after_the_article():
    text = "The envoy will meet Hamas negotiators in Doha on Monday."
    assert read([text], WEDNESDAY) == [(day(2025, 12, 22), "day", None, True)]
    assert read([text], MONDAY) == [(day(2025, 12, 22), "day", None, True)]


def test_last_monday_in_an_article_of_a_monday_is_a_week_before():
    assert read(["Protesters gathered last Monday outside parliament in Beirut."], MONDAY) \
        == [(day(2025, 12, 8), "day", None, False)]


def test_next_monday_is_after_the_article_whatever_the_tense():
    assert read(["The crossing reopens next Monday, the ministry said."], WEDNESDAY) \
        == [(day(2025, 12, 22), "day", None, True)]


def test_said_on_monday_is_the_day_it_was_said_though_the_sentence_looks_ahead():
    assert read(["The ministry said on Monday it will reopen the Rafah crossing."], WEDNESDAY) \
        == [(day(2025, 12, 15), "day", None, False)]
    assert read(["The ministry on Monday said it will reopen the Rafah crossing."], WEDNESDAY) \
        == [(day(2025, 12, 15), "day", None, False)]


def test_said_tuesday_and_mondays_attack_are_days():
    paragraphs = ["Monday's attack on the convoy killed four aid workers.",
                  "Officials said Tuesday the toll had risen to six.",
                  "Rescuers worked through Sunday night to reach the wounded."]
    assert read(paragraphs, WEDNESDAY) == [(day(2025, 12, 15), "day", None, False),
                                           (day(2025, 12, 16), "day", None, False),
                                           (day(2025, 12, 14), "day", None, False)]


def test_weekdays_in_names_feasts_and_habits_are_not_dates():
    paragraphs = ["Thousands attended Friday prayers at the mosque despite the heat.",
                  "The Sunday Times first reported the proposed exchange.",
                  "Christians in Bethlehem marked Good Friday with a procession.",
                  "Shops in Dubai cut prices ahead of Black Friday's sales."]
    assert events_in(paragraphs, WEDNESDAY) == ()


def test_yesterday_today_tomorrow_and_last_night_count_from_the_article_day():
    paragraphs = ["The army said yesterday that it had shot down a drone over the Golan.",
                  "Sirens sounded in Haifa late last night.",
                  "The cabinet meets today to discuss the budget.",
                  "Tomorrow the delegation travels on to Amman."]
    assert read(paragraphs, WEDNESDAY) == [(day(2025, 12, 16), "day", None, False),
                                           (day(2025, 12, 16), "day", None, False),
                                           (day(2025, 12, 17), "day", None, False),
                                           (day(2025, 12, 18), "day", None, True)]


def test_last_week_and_next_week_are_not_dates():
    paragraphs = ["Fighting eased last week in Kordofan.", "Talks are due to resume next week in Jeddah."]
    assert events_in(paragraphs, WEDNESDAY) == ()


def test_today_in_a_title_is_not_a_date():
    assert events_in(["The figures were first published by Egypt Today and denied by Cairo."], WEDNESDAY) == ()


def test_last_this_and_next_month_and_year_have_month_and_year_precision():
    paragraphs = ["Inflation fell last month, the central bank said.",
                  "Output shrank last year but will grow next year, the IMF said."]
    assert read(paragraphs, WEDNESDAY) == [(day(2025, 11, 1), "month", None, False),
                                           (day(2024, 1, 1), "year", None, False),
                                           (day(2026, 1, 1), "year", None, True)]


def test_this_month_is_ahead_only_when_the_sentence_looks_ahead():
    paragraphs = ["Prices rose sharply earlier this month in Khartoum.",
                  "Parliament is expected to vote on the budget later this month."]
    assert read(paragraphs, WEDNESDAY) == [(day(2025, 12, 1), "month", None, False),
                                           (day(2025, 12, 1), "month", None, True)]


def test_over_the_last_year_is_a_span_of_time_not_a_date():
    paragraphs = ["Over the last year, the pound lost half its value.",
                  "Aid will be scarce for the next month, the agency warned."]
    assert events_in(paragraphs, WEDNESDAY) == ()


# --- a month and day without a year ---------------------------------------------

def test_january_5_in_a_late_december_article_about_talks_resuming_is_the_coming_january():
    assert read(["Talks will resume on January 5, the mediators said."], dt.date(2025, 12, 28)) \
        == [(day(2026, 1, 5), "day", None, True)]


def test_december_30_in_an_early_january_article_in_the_past_tense_is_the_december_before():
    assert read(["The truce collapsed on December 30, residents said."], dt.date(2026, 1, 2)) \
        == [(day(2025, 12, 30), "day", None, False)]


def test_june_3_in_a_december_article_is_next_june_when_set_for_and_last_june_otherwise():
    published = dt.date(2025, 12, 10)
    assert read(["Talks between the two delegations are set for June 3."], published) \
        == [(day(2026, 6, 3), "day", None, True)]
    assert read(["The two delegations met in Muscat on June 3."], published) \
        == [(day(2025, 6, 3), "day", None, False)]


def test_a_day_after_the_month_with_an_ordinal_is_read():
    assert read(["The strike began on March 15th and ended on the 2nd of April."], dt.date(2025, 6, 1)) \
        == [(day(2025, 3, 15), "day", None, False), (day(2025, 4, 2), "day", None, False)]


def test_a_month_after_in_or_last_takes_the_year_nearest_the_article():
    paragraphs = ["In May, the first convoy crossed into Darfur.",
                  "Talks collapsed last December in Geneva."]
    assert read(paragraphs, dt.date(2025, 12, 17)) == [(day(2025, 5, 1), "month", None, False),
                                                      (day(2024, 12, 1), "month", None, False)]


def test_may_the_verb_and_may_the_name_are_not_months():
    paragraphs = ["May God have mercy on the victims, the imam said.",
                  "Former British prime minister Theresa May visited the camp.",
                  "Officials said the crossing may reopen."]
    assert events_in(paragraphs, WEDNESDAY) == ()


def test_march_13_that_year_is_not_given_the_articles_year():
    assert events_in(["Assad answered the letter on March 13 that year."], WEDNESDAY) == ()


def test_a_day_listed_beside_a_dated_day_shares_its_year():
    assert read(["On March 13 and April 2, 1996, Assad wrote to Saddam."], WEDNESDAY) \
        == [(day(1996, 3, 13), "day", None, False), (day(1996, 4, 2), "day", None, False)]


# --- written-out dates ------------------------------------------------------------

def test_full_dates_in_every_written_form_are_days():
    paragraphs = ["The council met on 4 June 2019 in Riyadh.", "It met again on 5 June, 2019.",
                  "On June 6, 2019, the envoys left.", "The vote is set for Nov. 11, 2025.",
                  "FILED - 02 November 2025, Iraq, Najaf: a voter at a polling station.",
                  "The decree, dated 2025-03-09, was published late."]
    assert [e.date for e in events_in(paragraphs, WEDNESDAY)] == [
        day(2019, 6, 4), day(2019, 6, 5), day(2019, 6, 6), day(2025, 11, 11), day(2025, 11, 2), day(2025, 3, 9)]


def test_a_weekday_before_a_written_date_is_part_of_it():
    assert read(["On Tuesday, 4 June 2019, the council met in Riyadh."], WEDNESDAY) \
        == [(day(2019, 6, 4), "day", None, False)]


def test_the_year_of_a_full_or_month_date_is_not_a_second_event():
    paragraphs = ["Parliament was dissolved on 4 June 2019.", "Egypt signed the agreement in March 2021."]
    assert read(paragraphs, WEDNESDAY) == [(day(2019, 6, 4), "day", None, False),
                                           (day(2021, 3, 1), "month", None, False)]


def test_month_and_year_in_every_written_form_are_months():
    paragraphs = ["The ceasefire took hold in June 2024.", "Fighting resumed in July of 2024.",
                  "Exports stopped in early March 2023.", "Elections were held in October, 2021."]
    assert read(paragraphs, WEDNESDAY) == [(day(2024, 6, 1), "month", None, False),
                                           (day(2024, 7, 1), "month", None, False),
                                           (day(2023, 3, 1), "month", None, False),
                                           (day(2021, 10, 1), "month", None, False)]


# --- years ----------------------------------------------------------------------

def test_since_the_2011_uprising_is_a_year():
    text = "Since the 2011 uprising, more than half the population has been displaced."
    assert events_in([text], WEDNESDAY) == (Event(day(2011, 1, 1), "year", text, 1, False),)


def test_years_alone_in_news_phrasing():
    paragraphs = ["He was born in 1979 and fled the city in 2019.", "The 1979 revolution changed Iran.",
                  "The plan aims to end gas flaring by 2030."]
    assert read(paragraphs, WEDNESDAY) == [(day(1979, 1, 1), "year", None, False),
                                           (day(2019, 1, 1), "year", None, False),
                                           (day(1979, 1, 1), "year", None, False),
                                           (day(2030, 1, 1), "year", None, True)]


def test_quantities_labels_prices_and_clock_times_are_not_years():
    paragraphs = ["More than 2,000 fighters and 2000 troops crossed the border.",
                  "Security Council Resolution 2254 and resolution 1701 remain in force.",
                  "Kuwait's Vision 2030 and the African Union's Agenda 2063 were cited.",
                  "The curfew starts at 1900 GMT.", "The fund raised $2019 in an hour.",
                  "Flight 2019 from Beirut landed safely.", "Some 2019 votes were annulled.",
                  "About 2000 were evacuated, and 2000-3000 people remain.", "The convoy was 2000-strong."]
    assert events_in(paragraphs, WEDNESDAY) == ()


def test_decades_are_not_events():
    paragraphs = ["Assad rebuilt ties with Baghdad in the 1990s.", "Oil prices fell in the mid-2000s.",
                  "The militia was born in the 1980's."]
    assert events_in(paragraphs, WEDNESDAY) == ()


def test_a_year_far_beyond_the_article_is_a_number():
    assert read(["The pipeline runs 2090 meters and the road 2080 further, to be finished by 2050."], WEDNESDAY) \
        == [(day(2050, 1, 1), "year", None, True)]


# --- ranges ---------------------------------------------------------------------

def test_a_range_of_days_is_one_event_from_its_first_to_its_last_day():
    paragraphs = ["The summit will run June 3-5 in Manama.", "Elections were held 3-5 June 2024.",
                  "The first round ran from 30 June to 2 July 2024."]
    assert read(paragraphs, WEDNESDAY) == [(day(2026, 6, 3), "day", day(2026, 6, 5), True),
                                           (day(2024, 6, 3), "day", day(2024, 6, 5), False),
                                           (day(2024, 6, 30), "day", day(2024, 7, 2), False)]


def test_a_range_of_years_in_every_written_form():
    paragraphs = ["The war lasted from 2011 to 2014.", "Between 2011 and 2014 the group grew.",
                  "The 2011-2014 period was the worst.", "The 2011–14 war displaced millions."]
    assert read(paragraphs, WEDNESDAY) == [(day(2011, 1, 1), "year", day(2014, 1, 1), False)] * 4


def test_days_joined_by_and_are_two_days_unless_between_joins_them():
    paragraphs = ["Strikes hit the port on 3 and 5 June 2024.", "Voting runs between 3 and 5 June 2024."]
    assert read(paragraphs, WEDNESDAY) == [(day(2024, 6, 3), "day", None, False),
                                           (day(2024, 6, 5), "day", None, False),
                                           (day(2024, 6, 3), "day", day(2024, 6, 5), False)]


def test_a_range_is_ahead_when_its_end_is():
    assert read(["The reconstruction plan covers 2020 to 2027."], WEDNESDAY) \
        == [(day(2020, 1, 1), "year", day(2027, 1, 1), True)]


def test_a_range_without_a_year_may_cross_the_new_year():
    assert read(["The holiday truce will last from December 30 to January 2."], dt.date(2025, 12, 20)) \
        == [(day(2025, 12, 30), "day", day(2026, 1, 2), True)]


# --- the caption, undated articles, duplicates, order -------------------------

def test_dates_in_the_caption_are_paragraph_0_and_come_first():
    caption = "Iraq's prime minister meets envoys in Baghdad on Thursday (AFP)"
    events = events_in(["The talks ended in 2024."], WEDNESDAY, caption)
    assert events == (Event(day(2025, 12, 11), "day", caption, 0, False),
                      Event(day(2024, 1, 1), "year", "The talks ended in 2024.", 1, False))


def test_an_undated_article_keeps_full_dates_with_ahead_none_and_skips_what_needs_its_date():
    paragraphs = ["The council met on 4 June 2019 in Riyadh.", "It will meet again on Monday.",
                  "Yesterday the talks stalled.", "A vote on June 3 failed.", "The economy shrank last year."]
    assert read(paragraphs, None) == [(day(2019, 6, 4), "day", None, None)]


def test_an_undated_article_takes_a_yearless_day_from_a_year_in_its_sentence():
    assert read(["In 1996, on March 13, Assad wrote to Saddam."], None) \
        == [(day(1996, 1, 1), "year", None, None), (day(1996, 3, 13), "day", None, None)]


def test_a_date_stated_twice_in_a_paragraph_is_one_event_but_again_in_the_next_paragraph():
    paragraphs = ["Parliament first met on 4 June 2019. It met again, as planned, on 4 June 2019.",
                  "By 4 June 2019 the deal was done."]
    assert [(e.paragraph, e.date) for e in events_in(paragraphs, WEDNESDAY)] \
        == [(1, day(2019, 6, 4)), (2, day(2019, 6, 4))]


def test_a_sentence_stating_a_year_and_a_month_of_it_keeps_the_month():
    assert read(["In 2024, and again in January 2024, the ministry moved its offices."], WEDNESDAY) \
        == [(day(2024, 1, 1), "month", None, False)]


def test_each_event_has_its_own_sentence_and_paragraph_in_reading_order():
    paragraphs = ["Sudan's army retook the bridge. Fighting resumed in June 2024 near the river.",
                  "No date here at all.",
                  "The RSF was formed in 2013. It was absorbed into the army on 10 April 2017, officials said."]
    events = events_in(paragraphs, WEDNESDAY)
    assert [(e.paragraph, e.date, e.text) for e in events] == [
        (1, day(2024, 6, 1), "Fighting resumed in June 2024 near the river."),
        (3, day(2013, 1, 1), "The RSF was formed in 2013."),
        (3, day(2017, 4, 10), "It was absorbed into the army on 10 April 2017, officials said.")]


def test_text_without_digits_or_date_words_has_no_events():
    paragraphs = ["The delegation met officials and discussed the humanitarian situation at length."] * 20
    assert events_in(paragraphs, WEDNESDAY, "A convoy crosses the border (Reuters)") == ()
    assert events_in([], None) == ()


def test_a_month_and_day_used_as_a_name_is_not_given_the_article_year():
    # "the October 7 attack" happened in some earlier year the text does not say.
    published = dt.date(2025, 12, 10)
    assert read(["Since the October 7 attack, the region has changed."], published) == []
    assert read(["The March 14 alliance met on Monday."], published) == [(day(2025, 12, 8), "day", None, False)]
    assert read(["Talks will resume on October 7, officials said."], published) == [
        (day(2026, 10, 7), "day", None, True)]


def test_a_weekday_in_reported_speech_that_looks_ahead_is_the_next_one():
    # Tuesday 4 June 2019: the talks resume on Thursday 6 June, still ahead.
    published = dt.date(2019, 6, 4)
    assert read(["The port authority said talks would resume on Thursday."], published) == [
        (day(2019, 6, 6), "day", None, True)]
    # Said on a day, of what comes: the day it was said.
    assert read(["The minister said on Monday that talks would resume."], published) == [
        (day(2019, 6, 3), "day", None, False)]


def test_a_month_after_since_is_gone_by_even_in_a_sentence_looking_ahead():
    published = dt.date(2025, 11, 12)
    assert read(["What has changed since President Trump announced in May that sanctions would be lifted?"],
                published) == [(day(2025, 5, 1), "month", None, False)]
    assert read(["Prices have doubled since March, and they will rise again."], published) == [
        (day(2025, 3, 1), "month", None, False)]


def test_a_weekday_is_ahead_only_when_its_own_clause_looks_ahead():
    tuesday = dt.date(2025, 5, 20)
    # Adopted on the day; "the next pandemic" further on does not move it a week ahead.
    assert read(["Members formally adopted an agreement on Tuesday aimed at readying the world "
                 "for the next pandemic."], tuesday) == [(day(2025, 5, 20), "day", None, False)]
    # Ended on Saturday, with talks to come: the Saturday just gone.
    saturday = dt.date(2025, 4, 26)
    assert read(["Negotiators ended a third round of talks on Saturday, and will meet again next week."],
                saturday) == [(day(2025, 4, 26), "day", None, False)]
    # "was due" looks back: the Tuesday it was due.
    assert read(["Shortly after it was due to take effect on Tuesday, fresh strikes were reported."],
                dt.date(2025, 6, 24)) == [(day(2025, 6, 24), "day", None, False)]
    assert read(["Ministers will meet on Thursday to sign the deal."], tuesday) == [
        (day(2025, 5, 22), "day", None, True)]


def test_an_interview_question_about_today_is_not_ahead():
    published = dt.date(2024, 9, 18)
    assert read(["How would you describe the food situation today?"], published) == [
        (day(2024, 9, 18), "day", None, False)]
    assert read(["Parliament will vote today on the budget."], published) == [
        (day(2024, 9, 18), "day", None, True)]
