"""The country gazetteer: data coverage, name resolution, and every tricky-name rule."""
from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from briefing.countries import (ABOUT_MAX, Document, focus, load_gazetteer, parse_aliases,
                                tokenize)
from briefing.model import BuildError

ALIASES = Path(__file__).resolve().parents[1] / "content" / "country-aliases.yaml"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(ALIASES)


@pytest.fixture(scope="module")
def bare():
    """The gazetteer from the maintained data alone, without the project file."""
    return load_gazetteer(None)


def found(gazetteer, body: str, title: str = "A report") -> set[str]:
    """Codes of the countries named in an article with this title and body."""
    passages = [("title", title)] + [("body", paragraph) for paragraph in body.split("\n\n")]
    return set(gazetteer.scores(Document.of(passages)))


# --- data coverage -----------------------------------------------------------------

def test_every_iso_country_is_in_the_gazetteer_by_code(gazetteer):
    codes = {country.code for country in gazetteer.countries}
    assert codes == {record.alpha_2 for record in pycountry.countries}
    assert len(codes) == 249


def test_every_pycountry_country_resolves_by_codes_and_names(gazetteer):
    for record in pycountry.countries:
        values = [record.alpha_2, record.alpha_3, record.alpha_2.lower(), record.name,
                  getattr(record, "common_name", None), getattr(record, "official_name", None)]
        for value in filter(None, values):
            country = gazetteer.resolve(value)
            assert country is not None and country.code == record.alpha_2, value


def test_every_country_is_found_by_its_name_in_text(gazetteer):
    for country in gazetteer.countries:
        assert country.code in found(gazetteer, f"Officials went to {country.name} last year."), \
            country.name


def test_names_are_friendly_and_slugs_unique(gazetteer):
    names = {country.code: country.name for country in gazetteer.countries}
    assert names["SY"] == "Syria" and names["IR"] == "Iran" and names["RU"] == "Russia"
    assert names["KR"] == "South Korea" and names["PS"] == "Palestine"
    assert names["US"] == "United States" and names["VA"] == "Vatican City"
    assert names["CD"] == "Democratic Republic of the Congo"
    assert names["TR"] in ("Turkey", "Türkiye")
    assert not [name for name in names.values() if "," in name or "(" in name]
    slugs = [country.slug for country in gazetteer.countries]
    assert len(set(slugs)) == len(slugs)
    assert gazetteer.country("KR").slug == "south-korea"


def test_resolve_accepts_codes_names_and_slugs_in_any_case(gazetteer):
    for value in ("Iraq", "IQ", "IRQ", "iraq", " iq "):
        assert gazetteer.resolve(value).code == "IQ"
    assert gazetteer.resolve("south-korea").code == "KR"
    assert gazetteer.resolve("Turkey").code == gazetteer.resolve("Türkiye").code == "TR"
    assert gazetteer.resolve("Atlantis") is None


def test_unknown_code_is_a_key_error(gazetteer):
    assert gazetteer.country("iq").name == "Iraq"
    with pytest.raises(KeyError):
        gazetteer.country("XX")


def test_alternative_spellings_demonyms_and_capitals_come_from_countryinfo(bare):
    assert found(bare, "The Republic of Iraq said.") == {"IQ"}          # official name
    assert found(bare, "Iraqi officials said.") == {"IQ"}               # demonym
    assert found(bare, "Iraqis said.") == {"IQ"}                        # demonym plural
    assert found(bare, "Officials in Baghdad said.") == {"IQ"}          # capital
    assert found(bare, "Officials in Czechia and the Czech Republic.") == {"CZ"}


def test_countryinfo_noise_is_filtered(bare, gazetteer):
    # "Island" is a countryinfo alternative spelling of Iceland; "Congo" of Congo
    # alone; "Tobago" is filed as a province of Timor-Leste.
    assert found(bare, "An Island in the sun.") == set()
    assert found(gazetteer, "Trinidad and Tobago won.") == {"TT"}
    # Provinces ("Gulf" of Papua New Guinea, "Batman" of Turkey) are weak: they
    # only count for a country the article names anyway.
    assert found(gazetteer, "Batman visited the Gulf.") == set()
    assert found(gazetteer, "Batman is a city in Turkey.") == {"TR"}
    # The two Congos' province lists are swapped in countryinfo 1.0.1.
    assert found(gazetteer, "Fighting in Nord-Kivu, in DR Congo.") == {"CD"}
    scores = gazetteer.scores(Document.of([("body", "DR Congo. Nord-Kivu.")]))
    assert scores["CD"] > 1.0


def test_tokens_keep_inner_apostrophes_and_drop_possessives():
    assert tokenize("Iraq’s war in Côte d'Ivoire, U.S.-led") == \
        ["Iraq", "war", "in", "Côte", "d'Ivoire", ",", "U", ".", "S", ".", "-", "led"]
    assert tokenize("“Syria/Iran” (AP) cost $2.5 for Jordanians' *sake*") == \
        ["Syria", "Iran", "(", "AP", ")", "cost", "2", ".", "5", "for", "Jordanians", "sake"]


# --- tricky names --------------------------------------------------------------------

def test_longest_name_wins(gazetteer):
    assert found(gazetteer, "Talks in South Sudan.") == {"SS"}
    assert found(gazetteer, "Oil from Saudi Arabia.") == {"SA"}
    assert found(gazetteer, "Clashes in Papua New Guinea.") == {"PG"}
    assert found(gazetteer, "Oil in Equatorial Guinea.") == {"GQ"}
    assert found(gazetteer, "A coup in Guinea-Bissau.") == {"GW"}
    assert found(gazetteer, "A coup in Guinea Bissau.") == {"GW"}
    assert found(gazetteer, "A coup in Guinea.") == {"GN"}
    assert found(gazetteer, "Ships in the Gulf of Guinea.") == set()
    assert found(gazetteer, "The island of New Guinea.") == set()


def test_niger_and_nigeria_are_different_countries(gazetteer):
    assert found(gazetteer, "Niger closed the border.") == {"NE"}
    assert found(gazetteer, "Nigerien traders.") == {"NE"}
    assert found(gazetteer, "Nigeria closed the border.") == {"NG"}
    assert found(gazetteer, "Nigerian traders.") == {"NG"}
    assert found(gazetteer, "Oil spills in the Niger Delta.") == {"NG"}
    assert found(gazetteer, "Voters in Niger State.") == {"NG"}
    assert found(gazetteer, "Boats on the Niger River.") == set()


def test_congo_and_dr_congo(gazetteer):
    for name in ("DR Congo", "DRC", "Democratic Republic of Congo",
                 "Democratic Republic of the Congo", "Kinshasa"):
        assert found(gazetteer, f"Rebels in {name}.") == {"CD"}, name
    for name in ("Republic of Congo", "Republic of the Congo", "Congo-Brazzaville", "Brazzaville"):
        assert found(gazetteer, f"Voters in {name}.") == {"CG"}, name
    # Bare "Congo" and "Congolese": the Congo the article otherwise names ...
    assert found(gazetteer, "Brazzaville voted.\n\nCongolese voters queued.") == {"CG"}
    assert found(gazetteer, "Kinshasa said.\n\nEastern Congo is at war.") == {"CD"}
    # ... else the far larger one, as news style has it.
    assert found(gazetteer, "Eastern Congo is at war.") == {"CD"}
    assert found(gazetteer, "Fishing on the Congo River.") == set()


def test_lowercase_words_are_not_countries(gazetteer):
    assert found(gazetteer, "We ate turkey and a chad of paper on fine china.") == set()
    assert found(gazetteer, "He will jordan it.") == set()
    assert found(gazetteer, "Turkey and Chad signed.") == {"TR", "TD"}


def test_title_case_hides_common_words_unless_the_body_confirms(gazetteer):
    assert found(gazetteer, "Shoppers paid more this year.",
                 title="Americans Pay More for Thanksgiving Turkey") == {"US"}
    assert found(gazetteer, "Shoppers paid more this year.",
                 title="Prices Rise for Turkey This Winter") == set()
    assert found(gazetteer, "Officials in Ankara said.",
                 title="Prices Rise for Turkey This Winter") == {"TR"}


def test_thanksgiving_turkey_in_the_body_is_not_the_country(gazetteer):
    assert found(gazetteer, "Turkey prices rose before Thanksgiving.") == set()
    assert found(gazetteer, "Turkey prices rose, officials in Ankara said.") == {"TR"}


def test_people_named_like_countries(gazetteer):
    assert found(gazetteer, "Michael Jordan scored 30 points.") == set()
    assert found(gazetteer, "The star, Vernon Jordan, said.") == set()
    assert found(gazetteer, "Jordan Peterson spoke.") == set()
    assert found(gazetteer, "Drummer Chad Smith played.") == set()
    assert found(gazetteer, "In Chad, refugees arrived.") == {"TD"}
    assert found(gazetteer, "Jordan’s King Hussein met Assad.") == {"JO"}
    assert found(gazetteer, "King Hussein met Assad.") == set()
    assert found(gazetteer, "Saddam Hussein ruled.") == set()
    assert found(gazetteer, "He told Asharq Al-Awsat.") == set()


def test_michael_jordan_article_never_mentions_jordan(gazetteer):
    body = ("Jordan won six titles with the Bulls.\n\nJordan, the NBA star, retired in 1998. "
            "His Air Jordan sneakers sold well.")
    assert found(gazetteer, body, title="Michael Jordan's Sneakers Sold") == set()
    assert found(gazetteer, "Jordan said the basketball team from Amman won.") == {"JO"}


def test_georgia_the_country_and_the_us_state(gazetteer):
    assert found(gazetteer, "Georgia held elections; protests filled Tbilisi.") == {"GE"}
    assert found(gazetteer, "Georgia held elections.") == {"GE"}
    # The state: after "Atlanta," or in an article about US states.
    assert found(gazetteer, "Voters in Atlanta, Georgia, queued.") == {"US"}
    assert found(gazetteer, "Voters in Georgia and Alabama queued.") == {"US"}
    assert found(gazetteer, "Early voting opened in Georgia.\n\nLines formed in Savannah.") == {"US"}
    # Both in one article: Tbilisi says the country; "Atlanta, Georgia" is still the state.
    assert found(gazetteer, "Georgian wine from Tbilisi sold at a fair in Atlanta, Georgia.") \
        == {"GE", "US"}
    assert found(gazetteer, "Football on South Georgia.") == {"GS"}


def test_washington_the_government_and_the_city(gazetteer):
    assert found(gazetteer, "Washington imposed sanctions.") == {"US"}
    assert found(gazetteer, "Cherry trees bloom in Washington, D.C.") == {"US"}
    assert found(gazetteer, "Apples from Washington state.") == {"US"}
    assert found(gazetteer, "A statue of George Washington.") == set()
    assert found(gazetteer, "U.S. troops and US officials.") == {"US"}


def test_the_gulf_is_no_country(gazetteer):
    assert found(gazetteer, "The Gulf states and Gulf funds invest.") == set()
    assert found(gazetteer, "Gulf states such as Qatar invest.") == {"QA"}


def test_demonyms_from_data_and_project_file(gazetteer):
    assert found(gazetteer, "The Kazakh company and Kazakhs.") == {"KZ"}
    assert found(gazetteer, "Emirati mediators and Emiratis.") == {"AE"}
    assert found(gazetteer, "Saudi officials.") == {"SA"}
    assert found(gazetteer, "Palestinian officials.") == {"PS"}
    assert found(gazetteer, "French and Chinese officials.") == {"FR", "CN"}   # not territories


def test_aliases_for_places_the_data_lacks(gazetteer):
    assert found(gazetteer, "Held in Irbil and Erbil, in Kurdistan.") == {"IQ"}
    assert found(gazetteer, "Strikes on Gaza and the West Bank.") == {"PS"}
    assert found(gazetteer, "Khartoum, Port Sudan and Darfur.") == {"SD"}


def test_ambiguous_names_follow_the_article(gazetteer):
    assert found(gazetteer, "Korea tested a missile.") == set()
    assert found(gazetteer, "Korea tested a missile, Seoul said.") == {"KR"}
    assert found(gazetteer, "Prayers in Jerusalem.") == set()
    assert found(gazetteer, "Prayers in Jerusalem, Israel said.") == {"IL"}


def test_never_names_block_the_words_they_cover(gazetteer):
    assert found(gazetteer, "Storms in the Gulf of Mexico and the South China Sea.") == set()
    assert found(gazetteer, "Latin America and South America.") == set()
    assert found(gazetteer, "Fishing on Lake Chad.") == set()


# --- focus ------------------------------------------------------------------------

def test_focus_picks_the_top_country_and_the_co_subjects_that_act_in_the_story():
    scores = {"IQ": 40.0, "SY": 12.0, "TR": 8.5, "IL": 9.0, "US": 5.0}
    about, mentioned = focus(scores, headline={"TR", "US"})
    # SY scores a fair share of the top; TR less, but it is in the title or caption;
    # IL's share is too small, and US is named too little to be more than a mention.
    assert about == ("IQ", "SY", "TR") and mentioned == ("IL", "US")
    assert focus(scores)[0] == ("IQ", "SY")
    assert focus({"IQ": 20.0, "SY": 5.5})[0] == ("IQ",)     # a share, but too few mentions


def test_focus_is_empty_when_no_country_stands_out():
    assert focus({"US": 1.5, "BR": 1.0}) == ((), ("BR", "US"))
    assert focus({}) == ((), ())


def test_focus_keeps_at_most_four():
    codes = ("AE", "BH", "KW", "OM", "QA", "SA")
    about, mentioned = focus({code: 10.0 for code in codes}, headline=codes)
    assert len(about) == ABOUT_MAX and about == ("AE", "BH", "KW", "OM")
    assert mentioned == ("QA", "SA")


def test_places_count_but_weigh_less_than_the_country(gazetteer):
    assert found(gazetteer, "A match in Dubai.") == {"AE"}
    city = gazetteer.scores(Document.of([("body", "Dubai")]))["AE"]
    country = gazetteer.scores(Document.of([("body", "Emirates")]))["AE"]
    assert city < country


def test_headline_countries_are_those_of_title_and_caption(gazetteer):
    scan = gazetteer.scan(Document.of([("title", "Iraq and Dubai"), ("caption", "Syrian troops"),
                                       ("lead", "Egypt.")]))
    assert scan.headline == {"IQ", "SY"}


def test_title_and_lead_weigh_more_than_the_body(gazetteer):
    document = Document.of([("title", "Iraq votes"), ("lead", "Iraq."), ("body", "Iraq and Syria.")])
    scores = gazetteer.scores(document)
    assert scores["IQ"] > 3 * scores["SY"]


# --- the aliases file ----------------------------------------------------------------

@pytest.mark.parametrize("text, line, words", [
    ("aliases:\n  IQ: [Irbil]\n  XX: [Nowhere]\n", 3, "unknown country code"),
    ("names:\n  PS: Palestine\nregions:\n  - x\n", 3, "unknown section"),
    ("never: [a, b\n", 2, "invalid YAML"),
    ("aliases:\n  IQ: [Irbil]\n  IQ: [Erbil]\n", 3, "duplicate key"),
    ("ambiguous:\n  Congo: [CD]\n", 2, "two or more"),
    ("contexts:\n  - country: GE\n    names: [Georgia]\n", 2, "a context needs"),
])
def test_aliases_file_errors_name_the_line(text, line, words):
    with pytest.raises(BuildError) as error:
        parse_aliases(text, "content/country-aliases.yaml")
    assert error.value.line == line and words in error.value.message
    assert str(error.value).startswith(f"content/country-aliases.yaml:{line}: ")


def test_missing_aliases_file_is_a_build_error(tmp_path):
    with pytest.raises(BuildError) as error:
        load_gazetteer(tmp_path / "country-aliases.yaml")
    assert error.value.path.endswith("country-aliases.yaml")


# --- seats of power, venues, groups, stand-ins (country-aliases.yaml) -------------------

def scored(gazetteer, body: str, title: str = "A report") -> dict[str, float]:
    passages = [("title", title)] + [("body", paragraph) for paragraph in body.split("\n\n")]
    return gazetteer.scores(Document.of(passages))


@pytest.mark.parametrize("body, code", [
    ("Washington imposed new sanctions.", "US"), ("The White House said no.", "US"),
    ("Ankara warned the Kurdish groups.", "TR"), ("Riyadh welcomed the move.", "SA"),
    ("Tehran rejected the offer.", "IR"), ("The Kremlin denied it.", "RU"),
])
def test_a_seat_of_power_that_acts_counts_as_its_country(gazetteer, body, code):
    assert scored(gazetteer, body) == {code: 1.0}


@pytest.mark.parametrize("body, code", [
    ("Talks were held in Washington.", "US"), ("They met at the White House.", "US"),
    ("The envoy flew to Riyadh.", "SA"), ("A conference in Ankara ended.", "TR"),
])
def test_a_seat_of_power_as_a_venue_counts_as_a_place(gazetteer, body, code):
    assert scored(gazetteer, body) == {code: 0.5}


def test_a_capital_opening_a_paragraph_as_a_dateline_is_a_venue(gazetteer):
    assert scored(gazetteer, "BEIRUT, Lebanon's banks reopened.\n\nBeirut - More text.") == {"LB": 1.5}


def test_armed_groups_place_a_story_in_their_country(gazetteer):
    assert scored(gazetteer, "The Houthis fired a missile. Hezbollah said nothing.") == {"YE": 0.5, "LB": 0.5}


def test_the_kingdom_counts_only_where_saudi_arabia_is_named(gazetteer):
    assert scored(gazetteer, "The Kingdom announced a plan.") == {}
    assert scored(gazetteer, "Saudi Arabia's cabinet met. The Kingdom announced a plan.") == {"SA": 1.5}
    assert scored(gazetteer, "The United Kingdom voted.") == {"GB": 1.0}


def test_seats_and_venue_words_come_from_the_aliases_file(tmp_path):
    from briefing.countries import build_gazetteer

    text = ALIASES.read_text("utf-8").replace("venue_words: [in,", "venue_words: [beside, in,")
    gazetteer = build_gazetteer(parse_aliases(text, "country-aliases.yaml"))
    assert scored(gazetteer, "A rally beside the Kremlin.") == {"RU": 0.5}


def test_a_co_subject_in_the_title_needs_fewer_mentions():
    assert focus({"IN": 10.0, "PK": 5.0}, headline={"IN", "PK"})[0] == ("IN", "PK")
    assert focus({"IN": 10.0, "PK": 5.0}, headline={"IN"})[0] == ("IN",)
    assert focus({"IN": 10.0, "PK": 3.5}, headline={"IN", "PK"})[0] == ("IN",)


def test_a_venue_word_in_title_case_or_opening_a_sentence_still_makes_a_venue(gazetteer):
    assert scored(gazetteer, "In Riyadh, the envoys met.") == {"SA": 0.5}
    assert scored(gazetteer, "x", title="Gulf Leaders Meet In Riyadh") == {"SA": 2.0}
