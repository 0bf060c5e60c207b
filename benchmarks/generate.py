#!/usr/bin/env python3
"""Synthetic raw dumps for the benchmark, in exactly the format of seeds/*.txt.

    python benchmarks/generate.py --articles 1000 --out benchmarks/work/seeds [--seed 1] [--per-dump 25] [--news]

Every article is English news prose of about 6 to 8 KB with subheadings and
`+ ` lists, about a few of ~100 real countries (named by country, capital and
demonym, on every continent) and one or two of twelve topics. As in the real
archive, ~15% of the stories come back byte-identical in a later dump, ~5% come
back as near-duplicates (a paragraph added, or a typo fixed), and a few
distinct stories share a title.

The generator's sentences come from a few hundred templates, so the whole corpus
has a vocabulary of ~3,000 words; real news has tens of thousands, and a search
index grows with them. `--news` makes about half the sentences from a vocabulary
of NEWS_VOCABULARY words instead (English function words first, then made-up
words), drawn Zipf-distributed as words in real text are (the r-th commonest with
probability proportional to 1/r).

Everything comes from one random.Random(seed) in a fixed order (no hash(), no
set iteration), so the same arguments give byte-identical files.
`generate(n, seed)` returns the same files as a dict for tests.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPEAT_SHARE = 0.15
NEAR_DUPLICATE_SHARE = 0.05
TITLE_COLLISION_SHARE = 0.005
SIZE_RANGE = (6200, 7800)          # characters per article, header included
NEWS_VOCABULARY = 40_000           # --news: words in the Zipf-distributed vocabulary
NEWS_SHARE = 0.5                   # --news: share of sentences drawn from it

# name, capital, demonym
COUNTRIES = [
    # Africa
    ("Nigeria", "Abuja", "Nigerian"), ("Kenya", "Nairobi", "Kenyan"),
    ("Ethiopia", "Addis Ababa", "Ethiopian"), ("South Africa", "Pretoria", "South African"),
    ("Egypt", "Cairo", "Egyptian"), ("Sudan", "Khartoum", "Sudanese"),
    ("Morocco", "Rabat", "Moroccan"), ("Algeria", "Algiers", "Algerian"),
    ("Ghana", "Accra", "Ghanaian"), ("Senegal", "Dakar", "Senegalese"),
    ("Mali", "Bamako", "Malian"), ("Somalia", "Mogadishu", "Somali"),
    ("Libya", "Tripoli", "Libyan"), ("Tunisia", "Tunis", "Tunisian"),
    ("Uganda", "Kampala", "Ugandan"), ("Tanzania", "Dodoma", "Tanzanian"),
    ("Angola", "Luanda", "Angolan"), ("Zimbabwe", "Harare", "Zimbabwean"),
    ("Niger", "Niamey", "Nigerien"), ("Chad", "N'Djamena", "Chadian"),
    ("Cameroon", "Yaoundé", "Cameroonian"), ("Rwanda", "Kigali", "Rwandan"),
    # Asia
    ("China", "Beijing", "Chinese"), ("Japan", "Tokyo", "Japanese"),
    ("India", "New Delhi", "Indian"), ("Pakistan", "Islamabad", "Pakistani"),
    ("Afghanistan", "Kabul", "Afghan"), ("Indonesia", "Jakarta", "Indonesian"),
    ("Philippines", "Manila", "Filipino"), ("Vietnam", "Hanoi", "Vietnamese"),
    ("Thailand", "Bangkok", "Thai"), ("South Korea", "Seoul", "South Korean"),
    ("Bangladesh", "Dhaka", "Bangladeshi"), ("Myanmar", "Naypyidaw", "Burmese"),
    ("Malaysia", "Kuala Lumpur", "Malaysian"), ("Kazakhstan", "Astana", "Kazakh"),
    ("Sri Lanka", "Colombo", "Sri Lankan"), ("Nepal", "Kathmandu", "Nepali"),
    # Middle East
    ("Iraq", "Baghdad", "Iraqi"), ("Syria", "Damascus", "Syrian"),
    ("Iran", "Tehran", "Iranian"), ("Saudi Arabia", "Riyadh", "Saudi"),
    ("Lebanon", "Beirut", "Lebanese"), ("Jordan", "Amman", "Jordanian"),
    ("Yemen", "Sanaa", "Yemeni"), ("Turkey", "Ankara", "Turkish"),
    ("Qatar", "Doha", "Qatari"), ("United Arab Emirates", "Abu Dhabi", "Emirati"),
    ("Kuwait", "Kuwait City", "Kuwaiti"), ("Oman", "Muscat", "Omani"),
    # Europe
    ("France", "Paris", "French"), ("Germany", "Berlin", "German"),
    ("United Kingdom", "London", "British"), ("Italy", "Rome", "Italian"),
    ("Spain", "Madrid", "Spanish"), ("Poland", "Warsaw", "Polish"),
    ("Ukraine", "Kyiv", "Ukrainian"), ("Russia", "Moscow", "Russian"),
    ("Sweden", "Stockholm", "Swedish"), ("Greece", "Athens", "Greek"),
    ("Netherlands", "Amsterdam", "Dutch"), ("Portugal", "Lisbon", "Portuguese"),
    ("Romania", "Bucharest", "Romanian"), ("Hungary", "Budapest", "Hungarian"),
    ("Serbia", "Belgrade", "Serbian"), ("Norway", "Oslo", "Norwegian"),
    ("Finland", "Helsinki", "Finnish"), ("Belgium", "Brussels", "Belgian"),
    ("Austria", "Vienna", "Austrian"), ("Ireland", "Dublin", "Irish"),
    # Americas
    ("United States", "Washington", "American"), ("Canada", "Ottawa", "Canadian"),
    ("Mexico", "Mexico City", "Mexican"), ("Brazil", "Brasília", "Brazilian"),
    ("Argentina", "Buenos Aires", "Argentine"), ("Colombia", "Bogotá", "Colombian"),
    ("Venezuela", "Caracas", "Venezuelan"), ("Chile", "Santiago", "Chilean"),
    ("Peru", "Lima", "Peruvian"), ("Cuba", "Havana", "Cuban"),
    ("Haiti", "Port-au-Prince", "Haitian"), ("Ecuador", "Quito", "Ecuadorian"),
    ("Guatemala", "Guatemala City", "Guatemalan"), ("Nicaragua", "Managua", "Nicaraguan"),
    # Oceania
    ("Australia", "Canberra", "Australian"), ("New Zealand", "Wellington", "New Zealand"),
    ("Papua New Guinea", "Port Moresby", "Papua New Guinean"), ("Fiji", "Suva", "Fijian"),
]

FIRST_NAMES = """Ahmed Fatima Omar Layla Hassan Nour Youssef Amina Karim Samira Ibrahim Mariam
Chinedu Ngozi Kwame Abena Tendai Wanjiru Amadou Aissata Thabo Zanele Kofi Halima
Wei Mei Hiroshi Yuki Arjun Priya Imran Ayesha Minh Linh Somchai Ji-woo Rahim Dewi
Jean Claire Lukas Anna James Sarah Marco Giulia Javier Lucia Piotr Olena Dmitri Ingrid
Carlos Ana Diego Camila Miguel Valentina John Emily Liam Chloe Mateo Sofia Tane Aroha""".split()
LAST_NAMES = """al-Hashimi Haddad Mansour Khalil Nasser Saleh Aziz Farouk Qasim Darwish Rahman Obeid
Okafor Adeyemi Mensah Boateng Moyo Kamau Diallo Traore Nkosi Abebe Mwangi Keita
Zhang Liu Tanaka Sato Sharma Patel Khan Qureshi Nguyen Tran Chaiyasit Kim Park Santoso
Dubois Martin Schmidt Weber Smith Brown Rossi Bianchi Garcia Lopez Nowak Kowalenko Ivanov
Lindqvist Silva Souza Fernandez Gonzalez Rodriguez Morales Johnson Walker Taylor Ngata""".split()
ROLES = ["a senior official", "a political analyst", "a former minister", "a government spokesperson",
         "a researcher at a local university", "a diplomat who asked not to be named",
         "an opposition lawmaker", "a regional security expert", "an economist",
         "a humanitarian coordinator", "a human rights lawyer", "a historian",
         "a community leader", "a health official", "a veteran journalist"]
AGENCIES = ["AFP", "AP", "Reuters", "EPA", "Asharq Al-Awsat", "Getty Images", "Xinhua", "ANSA", "dpa"]
ORGS = ["the United Nations", "the African Union", "the European Union", "the Arab League",
        "the World Bank", "the International Monetary Fund", "the World Health Organization",
        "the International Committee of the Red Cross", "ASEAN", "the Organization of American States",
        "NATO", "OPEC", "Amnesty International", "Human Rights Watch", "the UN refugee agency"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# topic -> title templates, sentence cores, quotes, subheadings, list items, nouns
TOPICS = {
    "elections": dict(
        titles=["{Dem} Voters Head to the Polls as {Party} Seeks a {Adj} Majority",
                "{Country} Election Result Opens Door to {Adj} Coalition Talks",
                "Who Will Lead {Country}? Factions Vie for Power after the Vote",
                "{Party} Claims Victory in {Dem} Parliamentary Election"],
        cores=["the {party} won {n} seats in the {noun}, short of an outright majority",
               "turnout in the {noun} reached {pct} percent, the lowest since {year}",
               "the electoral commission in {Cap} certified the results of the {noun} after weeks of recounts",
               "parliament must elect a speaker within {small} days of the results being ratified",
               "the prime minister's coalition is negotiating with smaller blocs to form the next government",
               "opposition parties accused the ruling {party} of buying votes in rural districts",
               "the {noun} was widely seen as a referendum on the cabinet's handling of the economy"],
        quotes=["the choice of prime minister has to be someone the coalition believes it can control",
                "voters sent a clear message that they want change",
                "this {noun} will decide the direction of {Country} for a decade"],
        headings=["Uncertain prospects", "Coalition arithmetic", "A fragmented parliament",
                  "The opposition regroups", "Counting the ballots"],
        items=["The {party}, which won {n} seats", "Independent candidates, with {small} seats",
               "A new reformist list backed by young voters", "Regional parties from the north"],
        nouns=["election", "parliamentary vote", "presidential runoff", "ballot", "referendum"]),
    "diplomacy": dict(
        titles=["{Country} and {Country2} Agree to Restore Diplomatic Ties",
                "{Dem} Foreign Minister Visits {Cap2} in Bid to Ease Tensions",
                "What {Country}'s Red Lines Mean for {Country2}",
                "{Cap} Summit Ends with {Adj} Pledges on Regional Security"],
        cores=["the foreign minister of {Country} held talks with his counterpart in {Cap2}",
               "the two governments agreed to reopen their embassies, closed since {year}",
               "{Cap} summoned the {Dem2} ambassador to protest the remarks",
               "envoys from {Country} and {Country2} met quietly in a third country to prepare the {noun}",
               "the joint statement called for dialogue and respect for sovereignty and territorial integrity",
               "{org} welcomed the {noun} and urged both sides to build on it"],
        quotes=["we are ready to open a new page with our neighbors",
                "dialogue is the only way out of this crisis",
                "if they take one step forward, we will match it with ten"],
        headings=["Backchannel talks", "Regional messages", "A cautious thaw", "Timing of the visit",
                  "Red lines"],
        items=["Reopening of embassies in both capitals", "A joint committee on border crossings",
               "Resumption of direct flights", "An exchange of prisoners"],
        nouns=["agreement", "summit", "rapprochement", "mediation effort", "memorandum of understanding"]),
    "conflict": dict(
        titles=["Fighting Intensifies near {Cap} as {Adj} Offensive Stalls",
                "{Dem} Army Says It Retook Towns in the {Region}",
                "Ceasefire in {Country} Under Strain after Shelling",
                "How the War in {Country} Redrew the Map of the {Region}"],
        cores=["the army said it had retaken {small} villages in the {region} after heavy fighting",
               "shelling near {Cap} killed at least {n} civilians, according to {org}",
               "the ceasefire brokered in {Cap2} collapsed within days",
               "troops backed by drones and artillery pushed towards the front line",
               "both sides accused each other of violating the {noun}",
               "military analysts said the {noun} had exhausted the ammunition stocks of both armies"],
        quotes=["the front line has barely moved in months",
                "every attack on one party is an attack on the other",
                "we will not allow the unity of {Country} to be compromised"],
        headings=["Military implications", "The front line", "No time to spare", "A war of attrition"],
        items=["Shelling of residential districts", "Drone strikes on supply routes",
               "The siege of a provincial capital", "Clashes along the border"],
        nouns=["offensive", "ceasefire", "counteroffensive", "truce", "military campaign"]),
    "security": dict(
        titles=["{Dem} Militias Refuse to Disarm Despite Government Pressure",
                "Armed Factions Tighten Grip on {Country}'s Border Crossings",
                "Who Controls the Guns in {Country}?",
                "{Country} Moves to Fold Paramilitary Forces into the Army"],
        cores=["the government wants the militias to hand over heavy weapons by the end of the year",
               "armed factions with ties to {Country2} control several crossings in the {region}",
               "the paramilitary forces were formally placed under the control of the army in {year}",
               "security forces set up checkpoints around {Cap} after a wave of kidnappings",
               "the {noun} has operated with significant autonomy from the interior ministry",
               "a disarmament plan backed by {org} has stalled over funding"],
        quotes=["the biggest issue will be how to deal with the parties that have armed wings",
                "no state can share its monopoly on weapons",
                "these groups are now part of the political system"],
        headings=["Weapons outside the state", "A fragile balance", "The disarmament question"],
        items=["Handing over heavy weapons", "Registration of all fighters",
               "Closing private prisons", "Withdrawal from border crossings"],
        nouns=["militia", "paramilitary force", "armed faction", "tribal force", "security apparatus"]),
    "terrorism": dict(
        titles=["ISIS Cells Regroup in the {Region}, {Dem} Officials Warn",
                "Former Extremists in {Country} Recount Their Journey",
                "{Country} Foils {Adj} Bomb Plot in {Cap}",
                "Counter-Terrorism Raids Net {Small} Suspects in {Country}"],
        cores=["the interior ministry said it had dismantled a cell planning attacks on {Cap}",
               "ISIS remnants still carry out ambushes in the {region}",
               "prosecutors charged {small} suspects with financing a terrorist organization",
               "the suicide bombing killed {n} people at a market in {Cap}",
               "{Dem} courts have tried hundreds of foreign fighters since {year}",
               "a deradicalization program in {Cap} has received {small} former militants this year"],
        quotes=["they recruited us with promises of money and paradise",
                "the threat has changed shape but it has not gone away",
                "we cannot fight extremism with weapons alone"],
        headings=["Inside the cell", "Recruitment online", "The returnees", "A persistent threat"],
        items=["Financing through front companies", "Recruitment on messaging apps",
               "Cross-border smuggling routes", "Attacks on rural police posts"],
        nouns=["terrorist cell", "bomb plot", "extremist network", "insurgent group", "jihadist faction"]),
    "economy": dict(
        titles=["{Country}'s Oil Revenues Slump as {Adj} Prices Bite",
                "{Dem} Central Bank Raises Rates to Fight Inflation",
                "{Country} Signs Gas Deal with {Country2} Worth ${Small} Billion",
                "Power Cuts Deepen {Country}'s Energy Crisis"],
        cores=["public debt rose to more than {pct} percent of gross domestic product",
               "inflation reached {pct} percent last month, according to the statistics office",
               "the {noun} will carry {n} thousand barrels a day to ports on the coast",
               "the state budget remains reliant on oil revenues for most of its income",
               "the {Dem} currency lost a third of its value against the dollar since {year}",
               "{org} forecast growth of {small} percent next year, down from earlier estimates",
               "power cuts of up to {small} hours a day have hit factories around {Cap}"],
        quotes=["we need foreign investment, not more loans",
                "the subsidy bill is no longer sustainable",
                "energy is the key to everything in this economy"],
        headings=["A budget under pressure", "The energy bill", "Investors wait", "Prices and wages"],
        items=["Fuel subsidies cut by half", "A new tax on imported goods",
               "Privatization of the state electricity company", "A loan of ${small} billion"],
        nouns=["pipeline", "gas field", "refinery", "trade agreement", "stimulus package"]),
    "humanitarian": dict(
        titles=["Millions in {Country} Face Hunger as Aid Dries Up",
                "Refugees Fleeing {Country} Overwhelm Camps in {Country2}",
                "{Country}'s Humanitarian Crisis Is the World's Worst, UN Says",
                "Floods Displace Thousands across {Country}"],
        cores=["more than {n} thousand people have been displaced since the fighting began",
               "{org} said it had received only {pct} percent of the funding it requested",
               "aid convoys were blocked at checkpoints outside {Cap} for days",
               "families sheltering in schools and tents lack clean water and medicine",
               "refugees crossing into {Country2} told of looting and forced recruitment",
               "the {noun} has left entire villages cut off from food supplies"],
        quotes=["we are witnessing the worst humanitarian disaster in the world",
                "children are dying of hunger while the world looks away",
                "we need safe corridors and we need them now"],
        headings=["Camps at breaking point", "Aid blocked", "Fleeing the fighting", "A funding gap"],
        items=["Food rations for {n} thousand families", "Mobile clinics in the camps",
               "Clean water for displaced people", "Shelter before the rainy season"],
        nouns=["famine", "displacement crisis", "flood", "cholera outbreak", "refugee influx"]),
    "rights": dict(
        titles=["{Dem} Court Sentences Activists in {Adj} Trial",
                "Rights Groups Decry Crackdown on Journalists in {Country}",
                "{Country} Passes Law Critics Say Curbs Free Speech",
                "Families of the Disappeared in {Country} Demand Answers"],
        cores=["a court in {Cap} sentenced {small} activists to prison terms of up to {small} years",
               "{org} said detainees had been held without charge for months",
               "the new {noun} allows the authorities to block websites without a court order",
               "lawyers for the defendants said their clients were denied access to counsel",
               "the families of the disappeared have protested every week since {year}",
               "the constitutional court struck down parts of the {noun}"],
        quotes=["justice delayed is justice denied",
                "this law is designed to silence critics",
                "we only want to know where our sons are"],
        headings=["A trial behind closed doors", "Press freedom", "The families wait", "Legal challenges"],
        items=["Release of political prisoners", "An independent inquiry",
               "Repeal of the cybercrime law", "Access for international observers"],
        nouns=["cybercrime law", "emergency law", "trial", "amnesty", "constitutional amendment"]),
    "history": dict(
        titles=["Secret Letters Reveal {Adj} Rivalry between {Cap} and {Cap2}",
                "How {Country} Lost Its Empire: A History",
                "The Forgotten Treaty That Shaped the {Region}",
                "Archives Shed Light on the {Year} Crisis in {Country}"],
        cores=["the letters, exchanged between {year} and {year2}, were kept in a private archive",
               "historians say the {noun} shaped relations between {Country} and {Country2} for decades",
               "the former ambassador kept detailed records of the secret meetings",
               "the rivalry between {Cap} and {Cap2} dates back to the end of colonial rule",
               "documents seen by the newspaper show the leaders met at least {small} times",
               "the {noun} of {year} redrew the borders of the {region}"],
        quotes=["history in this region is never really past",
                "the two men distrusted each other until the very end",
                "the archives tell a different story from the official one"],
        headings=["Secret meetings", "Rushing in, slowing down", "The archives", "A long rivalry"],
        items=["The treaty of {year}", "The closing of the border in {year2}",
               "The failed unification plan", "The exchange of letters"],
        nouns=["treaty", "revolution", "partition", "uprising", "charter"]),
    "society": dict(
        titles=["{Cap}'s Film Festival Returns after {Small} Years",
                "Young {Dem}s Turn to Music to Escape Hard Times",
                "A Literary Revival in {Country}",
                "{Country}'s Ancient Heritage Sites Draw Record Crowds"],
        cores=["the festival in {Cap} drew {n} thousand visitors over {small} days",
               "young artists say the {noun} is a way to talk about the country's problems",
               "the museum reopened after a restoration funded by {org}",
               "a new generation of writers in {Country} is publishing in local languages",
               "the heritage site had been damaged during years of neglect",
               "musicians from {Country} and {Country2} performed together for the first time"],
        quotes=["culture is what keeps us together",
                "art can say what politics cannot",
                "we want the world to see a different side of {Country}"],
        headings=["A new generation", "Back on stage", "Heritage at risk", "Crowds return"],
        items=["A week of open-air concerts", "Exhibitions in {small} cities",
               "Free entry for students", "Workshops for young film makers"],
        nouns=["film festival", "book fair", "music scene", "exhibition", "theater season"]),
    "health": dict(
        titles=["Cholera Outbreak Spreads in {Country}, WHO Warns",
                "{Country} Launches Vaccination Drive against Measles",
                "Hospitals in {Cap} Run Short of Medicine",
                "{Dem} Doctors Strike over Unpaid Wages"],
        cores=["the health ministry recorded {n} new cases of cholera in the past week",
               "{org} said the vaccination campaign would reach {n} thousand children",
               "hospitals in {Cap} are running short of insulin and antibiotics",
               "doctors have been on strike for {small} weeks over unpaid salaries",
               "the {noun} spread quickly through crowded camps with poor sanitation",
               "health workers warned that the system was close to collapse"],
        quotes=["we are treating patients on the floor",
                "vaccines save lives, but only if they arrive in time",
                "the health system cannot cope with another outbreak"],
        headings=["Hospitals under strain", "The vaccination drive", "A strike with no end"],
        items=["Free treatment at public clinics", "Vaccines for {n} thousand children",
               "Chlorine tablets for households", "Extra beds in the main hospital"],
        nouns=["outbreak", "epidemic", "vaccination campaign", "health reform", "medicine shortage"]),
    "sports": dict(
        titles=["{Country} Stun {Country2} to Reach the World Cup Final",
                "{Dem} Runner Breaks National Record in {Cap}",
                "{Country} to Host the {Year} Games, Officials Confirm",
                "Football Returns to {Cap} after Years of War"],
        cores=["the national team beat {Country2} {small}-1 in front of {n} thousand fans",
               "the striker scored twice in the second half to seal the win",
               "{Cap} will host the {noun} for the first time since {year}",
               "the federation appointed a new coach after the team failed to qualify",
               "the athlete trained in {Cap} with little funding from the ministry",
               "fans celebrated in the streets of {Cap} late into the night"],
        quotes=["this victory belongs to the whole country",
                "we played with our hearts tonight",
                "sport can unite people when politics divides them"],
        headings=["A night to remember", "Road to the final", "Building a team"],
        items=["Group matches in {small} stadiums", "A new training center in {Cap}",
               "Ticket prices capped for students", "Broadcast rights sold abroad"],
        nouns=["tournament", "championship", "league season", "qualifier", "marathon"]),
}
TOPIC_NAMES = list(TOPICS)

ADJECTIVES = ["Fragile", "Narrow", "Surprise", "Broad", "Uneasy", "Historic", "Rare", "Bold", "Tense",
              "Quiet", "Costly", "Landmark", "Long-Awaited", "Contested", "Sweeping"]
PARTIES = ["National Alliance", "Reform Party", "People's Movement", "Democratic Front", "Unity Bloc",
           "Progress Coalition", "Justice Party", "Renewal List", "Labour Front", "Liberal Union"]
REGIONS = ["north", "south", "east", "west", "border region", "coastal provinces", "central highlands",
           "desert interior", "delta", "mountain districts"]
REGION_TITLES = ["Sahel", "Horn of Africa", "Levant", "Gulf", "Balkans", "Caucasus", "Andes", "Pacific",
                 "Great Lakes", "Mekong Basin", "Maghreb", "Caribbean"]
LEADS = ["", "", "", "", "On {day}, ", "Earlier this month, ", "According to {org}, ", "In {Cap}, ",
         "Since {year}, ", "At the same time, ", "Meanwhile, ", "However, ", "By the end of {month}, ",
         "In a statement on {day}, ", "Speaking to reporters, ", "For now, "]
TAILS = ["", "", "", "", ", officials said", ", according to local media", ", diplomats said",
         " despite repeated warnings", ", a claim the government denies", ", sources told the newspaper",
         " in recent weeks", " for the first time in years", ", analysts noted", " as {month} drew to a close"]
GENERIC = ["{P}, {role}, said the situation in {Country} remained uncertain",
           "the government in {Cap} faces pressure from {Country2} and from its own public",
           "observers in {Cap2} are watching the {noun} closely",
           "the {Dem} authorities did not respond to requests for comment",
           "the crisis has its roots in decisions taken in {year}",
           "{n} people took part in protests in {Cap} over the weekend",
           "relations between {Country} and {Country2} have swung between rivalry and cooperation",
           "{org} has called on all sides to exercise restraint",
           "the cabinet is expected to discuss the {noun} at its next session",
           "officials in {Cap} said the measures would take effect in {month}"]


@dataclass(frozen=True)
class Corpus:
    files: dict[str, str]          # file name -> dump text
    distinct: int
    repeats: int
    near_duplicates: int

    @property
    def bytes(self) -> int:
        return sum(len(text.encode("utf-8")) for text in self.files.values())


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


# placeholder -> how to draw it for a story
_DRAW = {
    "Country": lambda rng, story: story.countries[0][0],
    "Cap": lambda rng, story: story.countries[0][1],
    "Dem": lambda rng, story: story.countries[0][2],
    "Country2": lambda rng, story: story.countries[1][0],
    "Cap2": lambda rng, story: story.countries[1][1],
    "Dem2": lambda rng, story: story.countries[1][2],
    "P": lambda rng, story: _person(rng),
    "P2": lambda rng, story: _person(rng),
    "role": lambda rng, story: rng.choice(ROLES),
    "org": lambda rng, story: rng.choice(ORGS),
    "agency": lambda rng, story: rng.choice(AGENCIES),
    "n": lambda rng, story: str(rng.randint(12, 980)),
    "small": lambda rng, story: str(rng.randint(2, 15)),
    "Small": lambda rng, story: str(rng.randint(2, 15)),
    "pct": lambda rng, story: str(rng.randint(3, 95)),
    "year": lambda rng, story: str(rng.randint(1948, 2024)),
    "year2": lambda rng, story: str(rng.randint(1948, 2024)),
    "Year": lambda rng, story: str(rng.randint(2026, 2036)),
    "cyear": lambda rng, story: str(rng.randint(2019, 2026)),
    "mday": lambda rng, story: str(rng.randint(1, 28)),
    "month": lambda rng, story: rng.choice(MONTHS),
    "day": lambda rng, story: rng.choice(DAYS),
    "noun": lambda rng, story: rng.choice(story.vocab["nouns"]),
    "party": lambda rng, story: "the " + rng.choice(PARTIES),
    "Party": lambda rng, story: rng.choice(PARTIES),
    "Adj": lambda rng, story: rng.choice(ADJECTIVES),
    "region": lambda rng, story: rng.choice(REGIONS),
    "Region": lambda rng, story: rng.choice(REGION_TITLES),
}


class _Slots(dict):
    """Lazily filled placeholders: each one is drawn once per template on first use."""

    def __init__(self, rng: random.Random, story: "_Story"):
        super().__init__()
        self.rng, self.story = rng, story

    def __missing__(self, key: str) -> str:
        value = self[key] = _DRAW[key](self.rng, self.story)
        return value


FUNCTION_WORDS = """the of and to in a that for is on said with was as by it at from his be have has
are an not but were had they after its their who been this more which will than two would about over
also one when there new up into out other some year people government could first last three can""".split()
ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr", "r", "s", "st",
          "t", "tr", "v", "w", "z"]
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
CODAS = ["", "", "n", "r", "s", "l", "m", "nd", "st", "rt"]


class _Vocabulary:
    """NEWS_VOCABULARY words, the commonest first, and a Zipf draw over them."""

    def __init__(self, size: int = NEWS_VOCABULARY):
        import bisect
        import itertools

        syllables = [o + n + c for o in ONSETS for n in NUCLEI for c in CODAS]
        words = list(FUNCTION_WORDS)
        seen = set(words)
        for length in (2, 3):
            for parts in itertools.product(syllables, repeat=length):
                word = "".join(parts)
                if len(words) >= size:
                    break
                if word not in seen and len(word) <= 12:
                    seen.add(word)
                    words.append(word)
        self.words = words[:size]
        self.cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(self.words) + 1)))
        self._bisect = bisect.bisect_left

    def draw(self, rng: random.Random) -> str:
        return self.words[min(self._bisect(self.cumulative, rng.random() * self.cumulative[-1]),
                              len(self.words) - 1)]

    def sentence(self, rng: random.Random) -> str:
        text = " ".join(self.draw(rng) for _ in range(rng.randint(8, 22)))
        return text[0].upper() + text[1:] + "."


class _Story:
    def __init__(self, rng: random.Random, vocabulary: _Vocabulary | None = None):
        self.rng = rng
        self.vocabulary = vocabulary
        self.countries = rng.sample(COUNTRIES, rng.choice((2, 2, 3, 3, 4)))
        self.topics = rng.sample(TOPIC_NAMES, rng.choice((1, 2, 2)))
        self.vocab = TOPICS[self.topics[0]]
        self.said: set[str] = set()     # no sentence twice in one story (only membership, never iterated)

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self.rng, self))

    def topic_vocab(self) -> dict:
        # One of the story's topics (now and then another one), sometimes another country first.
        rng = self.rng
        self.vocab = TOPICS[rng.choice(self.topics) if rng.random() < 0.95 else rng.choice(TOPIC_NAMES)]
        if rng.random() < 0.15:
            self.countries = self.countries[1:] + self.countries[:1]
        return self.vocab

    def sentence(self) -> str:
        for _ in range(10):
            text = self._sentence()
            if text not in self.said:
                break
        self.said.add(text)
        return text

    def _sentence(self) -> str:
        rng = self.rng
        vocab = self.vocab
        if self.vocabulary is not None and rng.random() < NEWS_SHARE:
            return self.vocabulary.sentence(rng)
        if rng.random() < 0.12:
            quote = self.fill(rng.choice(vocab["quotes"]))
            return self.fill(f"\u201c{quote[0].upper()}{quote[1:]},\u201d said {{P}}, {{role}}.")
        core = rng.choice(vocab["cores"]) if rng.random() < 0.75 else rng.choice(GENERIC)
        text = self.fill(rng.choice(LEADS) + core + rng.choice(TAILS))
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        self.topic_vocab()
        count = self.rng.choice((1, 2, 2, 3, 3, 4))
        return " ".join(self.sentence() for _ in range(count)).replace("'s", "\u2019s")

    def heading(self) -> str:
        rng = self.rng
        vocab = self.topic_vocab()
        options = vocab["headings"] + ["{Cap} responds", "The {Dem} view", "What comes next",
                                       "Pressure from {Cap2}", "Looking ahead"]
        return self.fill(rng.choice(options))

    def list_blocks(self) -> list[str]:
        rng = self.rng
        vocab = self.topic_vocab()
        intro = rng.choice(["The main demands are:", "The plan includes:", "Among the measures:",
                            "Other groups named in the report are:", "The key points:"])
        items = rng.sample(vocab["items"], rng.randint(3, len(vocab["items"])))
        return [intro] + ["+ " + self.fill(item) + rng.choice((".", ".", ";", "")) for item in items]


def _title(story: _Story) -> str:
    template = story.rng.choice(TOPICS[story.topics[0]]["titles"])
    return story.fill(template)


def _caption(story: _Story) -> str:
    templates = [
        "{P}, the {Dem} foreign minister, speaks during a news conference in {Cap} on {day}. ({agency})",
        "People gather in central {Cap}, {Country}, {mday} {month} {cyear}. ({agency})",
        "FILED - {mday} {month} {cyear}, {Country}, {Cap}: Supporters wave flags at a rally. ({agency})",
        "A view of {Cap} from the old city walls, {mday} {month} {cyear}. ({agency})",
        "{Dem} security forces stand guard outside a government building in {Cap} "
        "on {day}, {mday} {month}. ({agency})",
        "{P} meets {P2} in {Cap2} on {day} ({Dem} Presidency via {agency})",
    ]
    return story.fill(story.rng.choice(templates))


def _body(story: _Story, budget: int) -> list[str]:
    """Body blocks (paragraphs, subheadings, list items) until about `budget` characters."""
    rng = story.rng
    blocks: list[str] = []
    size = 0
    until_heading = rng.randint(3, 6)
    want_list = rng.random() < 0.35
    while size < budget:
        if until_heading == 0:
            block = [story.heading()]
            until_heading = rng.randint(3, 7)
        elif want_list and len(blocks) > 4 and rng.random() < 0.25:
            block = story.list_blocks()
            want_list = False
        else:
            block = [story.paragraph()]
            until_heading -= 1
        blocks.extend(block)
        size += sum(len(b) + 2 for b in block)
    if blocks[-1].startswith("+ ") or not blocks[-1].endswith("."):
        blocks.append(story.paragraph())       # end on a paragraph, not a heading or list item
    return blocks


def _article(title: str, caption: str, body: list[str]) -> str:
    head = f"{title}\n\n{caption}\n{caption}\nTT\n\n{title}\n\n{caption}\n{caption}\n\n"
    return head + "\n\n".join(body)


def _typo(rng: random.Random, body: list[str]) -> list[str] | None:
    """The body with two letters swapped in one long word of one paragraph."""
    candidates = [i for i, b in enumerate(body) if len(b) > 80 and not b.startswith("+ ")]
    if not candidates:
        return None
    index = rng.choice(candidates)
    words = body[index].split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha() and w.islower()]
    if not long_words:
        return None
    w = rng.choice(long_words)
    word = words[w]
    k = rng.randint(1, len(word) - 3)
    if word[k] == word[k + 1]:
        return None
    words[w] = word[:k] + word[k + 1] + word[k] + word[k + 2:]
    return body[:index] + [" ".join(words)] + body[index + 1:]


def build_corpus(n: int, seed: int = 1, per_dump: int = 25, news: bool = False) -> Corpus:
    if n < 1 or per_dump < 1:
        raise ValueError("need at least one article and one article per dump")
    rng = random.Random(seed)
    vocabulary = _Vocabulary() if news else None
    titles: list[str] = []
    seen: set[str] = set()
    collisions = round(n * TITLE_COLLISION_SHARE) if n >= 20 else 0
    collide_at = set(rng.sample(range(1, n), collisions)) if collisions else set()
    entries: list[tuple[float, str]] = []      # (position key, article text)
    stories = []
    for i in range(n):
        story = _Story(rng, vocabulary)
        if i in collide_at:
            title = rng.choice(titles)      # a distinct story that happens to share a title
        else:
            title = _title(story)
            for _ in range(30):
                if title not in seen:
                    break
                title = _title(story)
            else:
                title = f"{title}: {story.fill('{Cap} Reacts')}"
        titles.append(title)
        seen.add(title)
        caption = _caption(story)
        head_size = 2 * len(title) + 4 * len(caption) + 12
        body = _body(story, rng.randint(*SIZE_RANGE) - head_size)
        stories.append((story, title, caption, body))

    picks = rng.sample(range(n), round(n * REPEAT_SHARE) + round(n * NEAR_DUPLICATE_SHARE))
    repeated, near = picks[:round(n * REPEAT_SHARE)], picks[round(n * REPEAT_SHARE):]
    near_set = set(near)
    spread = max(per_dump, 1)

    def elsewhere(i: int) -> float:
        """A position at least one dump away from story i: later if there is room, else earlier."""
        step = rng.uniform(spread, 4 * spread)
        if i + step < n or i - step < 0:
            return i + step
        return i - step

    near_count = 0
    for i, (story, title, caption, body) in enumerate(stories):
        if i in near_set:
            if rng.random() < 0.5:
                first = _typo(rng, body)      # the first version had a typo, the later one fixes it
                if first is None:
                    first = body
                    body = body + [story.paragraph()]
            else:
                first = list(body)
                at = rng.randint(1, len(body))
                body = body[:at] + [story.paragraph()] + body[at:]
            # the first version always comes first in the dumps
            early, late = sorted((float(i), elsewhere(i)))
            entries.append((early, _article(title, caption, first)))
            entries.append((late, _article(title, caption, body)))
            near_count += 1
        else:
            entries.append((float(i), _article(title, caption, body)))
    for i in repeated:
        _, title, caption, body = stories[i]
        entries.append((elsewhere(i), _article(title, caption, body)))

    entries.sort(key=lambda entry: entry[0])
    count = -(-len(entries) // per_dump)
    width = max(3, len(str(count - 1)))
    files: dict[str, str] = {}
    for d in range(count):
        chunk = entries[d * per_dump:(d + 1) * per_dump]
        text = ""
        for k, (_, article) in enumerate(chunk):
            if k:
                text += rng.choice(("\n\n\n", "\n\n\n", "\n\n\n\n"))
            text += article
        files[f"{d:0{width}d}_{rng.getrandbits(64):016x}.txt"] = text
    return Corpus(files=files, distinct=n, repeats=len(repeated), near_duplicates=near_count)


def generate(n: int, seed: int = 1, per_dump: int = 25, news: bool = False) -> dict[str, str]:
    """n distinct synthetic articles as dump files: file name -> text."""
    return build_corpus(n, seed, per_dump, news).files


def write(corpus: Corpus, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in corpus.files.items():
        (out / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic raw dumps for the benchmark.")
    parser.add_argument("--articles", type=int, required=True, help="number of distinct articles")
    parser.add_argument("--out", type=Path, required=True, help="folder for the dump files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-dump", type=int, default=25, help="articles per dump file")
    parser.add_argument("--news", action="store_true",
                        help=f"news-like text: half the sentences from a {NEWS_VOCABULARY:,}-word "
                             "Zipf-distributed vocabulary")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.glob("*.txt")):
        print(f"error: {args.out} already holds dump files; pass an empty or new folder", file=sys.stderr)
        return 1
    started = time.perf_counter()
    corpus = build_corpus(args.articles, args.seed, args.per_dump, args.news)
    write(corpus, args.out)
    print(f"generated {corpus.distinct} distinct articles, {corpus.repeats} exact repeats, "
          f"{corpus.near_duplicates} near-duplicates in {len(corpus.files)} dump files, "
          f"{corpus.bytes / 1e6:.1f} MB ({corpus.bytes} bytes) in {time.perf_counter() - started:.1f} s "
          f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
