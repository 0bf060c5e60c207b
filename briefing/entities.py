"""People and organisations named in an article, found from what the text itself says.

No language model: names are read from the words around them, the way a reader of this
newspaper recognises them.
- A name is a run of capitalised words, with the particles Arabic names carry in
  transliteration (al-, bin, Abu, Abdul...) and the joining words of bodies' names
  ("Central Bank of Iraq"). Each run is split into what its words are: a name listed in
  content/entities.yaml, a country, demonym or city (the gazetteer's), a title or role
  ("Iraqi Prime Minister"), the word for a body's kind ("... Council", "... Forces"),
  and the name proper.
- A person is a name of two words or more that the text marks as one: a title or role
  before it ("Foreign Minister ...", "UN envoy ..."), a role after it (", a researcher
  at ...", " as head coach"), Arabic particles, a common given name, a verb of speech
  ("..., said X"), a surname the article then uses alone, a list it shares with people.
  A name the article gives as one word only is no person (unless entities.yaml lists it).
- An organisation is listed, or named with the word for its kind ("Supreme Judicial
  Council", "Central Bank of Iraq", "Nova Chemicals", "Borouge Group International",
  "Pratt & Whitney"), or defined with an acronym ("Popular Mobilization Forces (PMF)",
  "Tunisian General Labour Union (UGTT)"), or called one beside its name ("the private
  equity firm X", "X, the country's main Islamist party", "Lieberman's X party", "the
  leader of X", "its two largest oil companies, X and Y"), or it has or undergoes what
  only a company does ("X's chief executive", "to buy X", "merged with X", "the
  Leverkusen-based X"). A generic state body ("the Iraqi Foreign Ministry", "Lebanese
  Army") is not one: the convention leaves those to editors; nor is a programme, a
  treaty or a law.
- Later mentions by surname or acronym are resolved to the full name within the article
  (an acronym it uses undefined too: "EA" for "Electronic Arts"; "AK Party" for the AKP);
  the title, in headline case where every word is capitalised, only names entities the
  rest of the article (or entities.yaml) establishes.

Precision first: a page for "Monday", "Middle East" or a half name is a visible defect,
so a name without evidence is left out.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping, NamedTuple, Sequence

from slugify import slugify

from .countries import Gazetteer, fold, line_of, read_yaml, tokenize
from .markup import sentence_at
from .model import BuildError

# Part of the rules' fingerprint: bump when a code change alters what is extracted, so a
# build cache keyed on it extracts again.
ENTITIES_VERSION = "3"
ENTITIES_FILE = "entities.yaml"
ALIASES_FILE = "country-aliases.yaml"
DEFAULT_MIN_ARTICLES = 2

EntityKind = Literal["person", "organisation"]
ORGANISATION_TYPES = ("party", "militia", "armed-group", "government", "international",
                      "company", "ngo", "media", "club", "other")


class Mention(NamedTuple):
    """An entity an article names (a NamedTuple: thousands per build, pickled often)."""

    slug: str                        # python-slugify of name: the page's URL part
    name: str                        # the editor's name, else the fullest form the article gives
    kind: EntityKind
    roles: tuple[str, ...]           # roles the text gives, as written but trimmed
    countries: tuple[str, ...]       # ISO alpha-2 codes the text (or the editor) ties it to, sorted
    category: str                    # organisations: the editor's type, else ""
    paragraph: int                   # 1-based paragraph of the first body mention; 0: none
    surface: str                     # that mention's exact text in paragraphs[paragraph - 1]
    sentence: str                    # the sentence of the first mention (body, else caption, title)
    mentions: int                    # times the article refers to it
    listed: bool                     # named in entities.yaml


@dataclass(frozen=True)
class ListedEntity:
    """An entry of entities.yaml."""

    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()   # resolved ISO alpha-2 codes
    category: str = ""
    line: int = 0


@dataclass(frozen=True)
class EntityRules:
    """content/entities.yaml, parsed."""

    entities: tuple[ListedEntity, ...] = ()
    exclude: tuple[str, ...] = ()
    min_articles: int = DEFAULT_MIN_ARTICLES
    fingerprint: str = ""
    # the words of each way a listed or excluded name may be written -> its index in
    # `entities` (EXCLUDED for an excluded name); first word -> those forms' lengths
    forms: Mapping[tuple[str, ...], int] = field(default_factory=dict, compare=False, repr=False)
    lengths: Mapping[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    excluded: frozenset[str] = field(default=frozenset(), compare=False, repr=False)  # normalised


EXCLUDED = -1

# --- the words ------------------------------------------------------------------------
# Closed lists of English news usage, not knowledge of particular entities (that is
# entities.yaml's): they say what a capitalised word is doing in a name.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that open sentences and never start a name.
_STOP = _words("""
A An The In On At To From For With By Of And But Or Nor So Yet As If When While Since After
Before Although Though Because Unlike Like Both Neither Either Meanwhile However Then Now
Today Tomorrow Yesterday Also Even Only Across Inside Outside Within Into About Against
Between Through Under Over Without Including Where Why How What Which That This These Those
Its It's Their His Her Our My Your We They He She It I You Us Them Him Me Who Whom Whose
There Here Thus Hence Indeed Instead Moreover Furthermore Nevertheless Nonetheless Still
Separately Elsewhere Overall Once Every Each All Any No Not None Nothing Some Several Many
Most More Much Few Other Others Another Such Same Further Last Next First Second Third
Following During Despite Amid Amidst Among Amongst According Asked Speaking Addressing
Writing Responding Commenting Referring Earlier Later Previously Recently Currently Already
Just Again Yes Please Let Perhaps Maybe Whether Unless Until Upon Via Toward Towards Around
Beyond Near Behind Beside Besides Throughout Regarding Concerning Given Sources Officials
Analysts Observers Residents Witnesses Critics Experts Diplomats Dear Thank Thanks Welcome
Hello Oh Well Is Are Was Were Be Been Has Have Had Do Does Did Can Could Will Would Shall
Should Might Must One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Dozens
Hundreds Thousands Millions Billions Half Part Ex Pro Anti Non Post Pre Mid
""")

# Capitalised words that are never part of a name: days, months, feasts, currencies,
# the furniture of a page.
_NOT_NAME = _words("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
Oct Nov Dec Spring Summer Autumn Winter Ramadan Eid Hajj Umrah Christmas Easter Ashura
Nowruz Hanukkah Passover Diwali Muharram Mawlid Arbaeen Dollar Dollars Euro Euros Riyal
Riyals Dirham Dirhams Dinar Dinars Pound Pounds Lira Rial Rials Shekel Shekels Yuan Yen
Rouble Roubles Ruble Rubles Internet Covid COVID-19 Coronavirus God Allah Quran Koran Bible
Islam Christianity Judaism Shiism Zionism Page Pages Chapter Photo Photos Video Videos File
Files Image Images Reporting Editing Update Updated Breaking Exclusive Analysis Opinion
Interview Read Watch Listen Live News
""")

# Regions: words of bodies' names ("Yiaga Africa"), never the end of a person's.
_REGIONS = _words("""
Africa Europe Asia America Americas Oceania Arctic Antarctic Levant Maghreb Sahel Balkans
Caucasus Scandinavia
""")

# Capitalised adjectives of faith, people and direction: words of bodies' names ("Islamic
# Jihad", "Central Bank"), and inside some people's ("Mohammed Shia al-Sudani"), but no
# person's name starts with one.
_ADJECTIVES = _words("""
Sunni Sunnis Shiite Shiites Shia Alawite Alawites Druze Kurd Kurds Kurdish Arab Arabs Arabic
Arabian Islamic Muslim Muslims Christian Christians Jewish Jews Jew Western Eastern Northern
Southern Central North South East West Coptic Maronite Orthodox Catholic Catholics
Evangelical Zionist Persian Hebrew Amazigh Bedouin Islamist Islamists Jihadist Jihadists
Salafist Salafi Sufi Yazidi Yazidis Assyrian Chaldean Turkmen Berber Sahrawi English
Israeli-Palestinian Arab-Israeli International Global Regional European African Asian
Latin Gulf Levantine Mediterranean Middle Far Near Olympic Olympics Paralympic
""") | _REGIONS

# Titles a name is given: they mark what follows as a person's name, and are no role.
_HONORIFICS = _words("""
Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Sheikh Sheikha Sayyed Sayyid Sayed Haj Hajj Hajji Sir Dame
Lord Lady Mullah Monsignor Rev Rev.
""")

# Nouns of people's roles, as they stand before a name ("Foreign Minister X", "envoy X")
# or head a phrase after it (", the group's spokesman"). Lower case (plurals found too).
_ROLE_NOUNS = _words("""
president vice-president president-elect minister premier chancellor king queen prince
princess emir amir sultan crown-prince monarch heir leader chief head commander
commander-in-chief general gen. lt. lieutenant col. colonel maj. major brig. brigadier
capt. captain adm. admiral marshal sgt. sergeant corporal secretary secretary-general
under-secretary undersecretary speaker chairman chairwoman chairperson chair director
director-general governor mayor ambassador envoy representative rapporteur coordinator
commissioner spokesman spokeswoman spokesperson senator sen. rep. congressman
congresswoman lawmaker legislator mp deputy judge prosecutor attorney lawyer patriarch pope
cardinal archbishop bishop mufti imam ayatollah rabbi cleric preacher scholar professor
prof. researcher analyst expert economist journalist reporter correspondent editor writer
author novelist poet artist filmmaker actor actress singer musician composer photographer
curator coach manager striker midfielder defender goalkeeper player footballer forward
winger athlete champion runner boxer activist campaigner candidate negotiator mediator
diplomat adviser advisor counsellor counselor aide official officer inspector
administrator founder co-founder ceo cfo coo owner investor banker businessman
businesswoman tycoon billionaire entrepreneur executive member custodian ruler regent
doctor physician surgeon nurse engineer architect teacher student farmer son daughter
father mother brother sister wife husband widow uncle nephew niece cousin grandson
granddaughter presenter anchor host blogger dissident strongman warlord pilot chieftain
prosecutor-general attorney-general ombudsman auditor treasurer dean rector skipper referee
economist demographer historian philosopher designer producer playwright dancer sculptor
painter coach-designate successor predecessor counterpart justice publisher driver
co-driver rider cyclist swimmer sprinter jockey archaeologist astronaut explorer inventor
scientist physicist chemist biologist astronomer geologist psychologist anthropologist
theologian jurist magistrate broker trader smuggler spy agent detective investigator
policeman guard hostage prisoner detainee captive victim survivor witness suspect defendant
plaintiff protester refugee migrant pilgrim worker employee volunteer patient rapper
""")

# Words that make a role with the noun after them ("Prime Minister", "Foreign Minister",
# "Special Envoy"): part of a role, never the start of a name.
_ROLE_MODIFIERS = _words("""
prime foreign defense defence interior finance economy economic oil energy petroleum health
justice education information culture transport trade industry agriculture water
electricity planning labor labour housing tourism sports youth communications
telecommunications environment media affairs awqaf endowments religious higher social
state deputy vice acting interim caretaker former late special senior chief grand supreme
high assistant executive general crown field associate top military political security
national presidential royal managing
""")

# The last word of a body's name says what kind of body it is.
_HEADS = _words("""
Party Movement Front Forces Force Brigades Brigade Battalions Battalion Corps Guards Guard
Militia Militias Army Council Councils Assembly Parliament Congress Senate Committee
Commission Authority Agency Bureau Office Organization Organisation Organizations
Organisations Union Federation League Alliance Coalition Bloc Framework Association
Syndicate Society Institute Institution Foundation Fund Bank Banque Company Companies
Corporation Corp Group Holding Holdings Industries Airways Airlines Network Centre Center
University College Academy Court Tribunal Ministry Ministries Government Cabinet Presidency
Police Navy Administration Directorate Department Service Services Club Trust Exchange
Observatory Mission Programme Program Watch Crescent Inc Ltd LLC PLC AG GmbH SpA NV Co Co. Embassy Consulate
Judiciary Municipality Unit Units Team Chamber Board Order House Command Current Forum
FC SC CF AFC Hotspur Albion Wanderers Rovers
""")
# Company words that name a body only after a name ("Rystad Energy", "Hunt Oil"), not
# after a country ("Saudi Energy Minister").
_WEAK_HEADS = _words("""
Energy Oil Gas Petroleum Partners Investments Ventures Resources Management Media
Games Entertainment Solutions Securities Shipping Logistics Telecom Technologies Systems
Pharmaceuticals Motors Steel Cement Mining Petrochemicals Airline Chemicals Chemical Power
Electric Aviation Properties Pharma Foods Refining Utilities
""")
# Words after a company's head, or its acronym, that still belong to its name: "Borouge
# Group International", "CFM International".
_COMPANY_SUFFIXES = _words("International")
# Heads that are a body's name only with "of ..." ("House of Representatives").
_OF_ONLY = _words("House Chamber Board Order Forum")        # and "for": "Forum for Democracy"
# Bodies every state has: with a country or a portfolio alone they are the convention's
# generic state bodies ("the Iraqi Foreign Ministry"), not named ones.
_GENERIC_HEADS = _words("""
Ministry Ministries Government Cabinet Presidency Police Navy Army Administration
Directorate Department Office Embassy Consulate Parliament Senate Congress Judiciary
Municipality Service Services Unit Units Forces Force Guard Team Court Mission
""")
# The last word of a club's name: "Newcastle United", "Pyramids FC" (a name, though its
# first word may be a city's). "United" only ends a name ("United Nations" is listed).
_CLUB_HEADS = _words("FC SC CF AFC United Hotspur Albion Wanderers Rovers")
# Heads of companies: "Kuwait Petroleum Corporation" is a name, though all but one of its
# words are a country and an industry.
_COMPANY_HEADS = _words("""
Company Companies Corporation Corp Group Holding Holdings Industries Airways Airlines Inc Ltd
LLC PLC AG GmbH SpA NV Co Co. Exchange
""") | _WEAK_HEADS | _CLUB_HEADS
_GENERIC_WORDS = _words("""
Armed Security Air Naval Ground Special Federal State National Interim Transitional
Caretaker Royal Presidential Military Border Coast Civil Public General Local Provincial
Municipal Central
""")

# Arabic words that open the name of a group ("Saraya al-Quds", "Jaysh al-Adl").
_ORG_OPENERS = _words("""
Jaysh Jaish Jeish Saraya Kataib Kata'ib Kataeb Liwa Harakat Hizb Jabhat Jabha Ahrar Ansar
Asaib Asa'ib Faylaq Failaq Tanzim Tayyar Jamaat Jamaa Jama'at Junud Quwat Majlis Hayat
Hay'at Rabita Dar
""")

# Words that open the name of a place ("Deir al-Zor", "Khan Younis", "Ras al-Khaimah").
_PLACE_OPENERS = _words("""
Deir Dayr Ain Ayn Jabal Jebel Jabel Bab Wadi Kafr Kfar Tell Tal Tel Beit Bayt Jisr Ras Umm
Bir Bint Khirbet Marj Nahr Qasr Souq Suq Sharm Hay Hayy Majdal Khan Mazraat Madinat Mount
Lake Cape Port Fort Saint St. San Santa Sidi Bani Beni Tall Qalaat Marsa Mersa Burj Shatt
""")

# The last word of the name of a place or a thing: neither person nor organisation.
_PLACE_ENDS = _words("""
Mosque Mosques Church Cathedral Synagogue Shrine Temple Square Street Road Avenue Highway
Bridge Dam Airport Port Harbour Harbor Station Stadium Arena Hospital Clinic Hotel Palace
Tower Towers Mall Market Souk Camp Camps Crossing Checkpoint Strait Straits Sea Gulf Ocean
River Lake Canal Valley Mountain Mountains Desert Island Islands Peninsula Plain Plains
Heights Hills Hill Field Fields Base Prison Jail Park Garden Gardens Village City Town
District Province Governorate Region Quarter Neighbourhood Neighborhood Compound Zone
Corridor Causeway Gate Wall Building Museum Library Plant Refinery Terminal Pipeline
Reactor Facility Agreement Accord Accords Treaty Deal Plan Initiative Roadmap Resolution
Declaration Protocol Act Law Bill Charter Constitution Regulation Regulations Directive Decree
Vision Strategy Summit Conference
Forum Festival Expo Exhibition Cup Trophy Prize Award Awards Games Olympics Championship
Championships Tournament League Day Week Year Era War Wars Revolution Uprising Intifada
Massacre Crisis Spring Storm Flood Campaign Report Index Doctrine Project Scheme
Earthquake Pandemic Virus Syndrome Convention Talks Process Dialogue Coast Biennial
Biennale Prize Medal Visa
""")

# Nouns that say the name beside them is an organisation: before it ("the private equity
# firm X", "maker X") or heading a phrase after it (", the national carrier").
_ORG_NOUNS = _words("""
militia militias group faction party movement company firm bank lender organisation
organization alliance coalition network charity agency bloc club team union syndicate
federation association institute university body outfit brigade battalion startup
start-up giant conglomerate operator maker
producer manufacturer insurer fund consortium developer retailer chain subsidiary
affiliate insurer exporter importer shipper contractor venture airline
""")
_ORG_NOUNS_AFTER = _ORG_NOUNS | _words("carrier arm museum wing")
# "X coalition", "X group": a name and the lower-case word for its kind after it.
_KIND_AFTER = _words("coalition alliance militia movement faction bloc party group")

_SPEECH = _words("""
said says told added stated noted explained stressed warned argued wrote insisted
confirmed announced declared urged affirmed asserted emphasized emphasised replied
acknowledged claimed reiterated pointed recalled described called
""")

# The particles of transliterated names and the words that join a body's name.
_JOINERS = _words("of for and on in the &")
_PARTICLES = _words("bin ibn bint ben bou al el de del della di da du dos das van von der den la le ould wuld Al El Bin Ibn Bint Van Von De Der Den Du Da Di Del La Le")
_ARABIC_LEADS = ("Abdul", "Abdel", "Abdal", "Abdol", "Abd", "Abu", "Abou", "Aboul")
_PREFIX = re.compile(r"^(?:[Aa]l|[Ee]l|[Aa]d|[Aa]n|[Aa]r|[Aa]s|[Aa]sh|[Aa]t|[Aa]z|[Ee]z|[Uu]l|[Uu]d)-(?=\w)")
_LOWER_PREFIXES = ("al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-", "ez-", "ul-", "ud-")
_ABBREVIATIONS = _words("Mr. Mrs. Ms. Dr. Gen. Lt. Col. Maj. Brig. Capt. Sgt. Adm. Prof. Sen. Rep. Gov. Rev. Jr. Sr. St. Co. Inc. Ltd. Corp.")

# Given names common in this newspaper's news (Arabic, Persian, Turkish, Kurdish and
# Hebrew transliterations, and the world's): a two-word name opening with one is a
# person's. Words that are also places or common nouns (Jordan, Hope, May) are left out.
_GIVEN_NAMES = _words("""
Mohammed Mohammad Muhammad Mohamed Mohamad Muhammed Mohammed-Ali Ahmed Ahmad Ahmet Mahmoud
Mahmud Mustafa Mostafa Moustafa Mustapha Ali Hassan Hasan Hussein Husain Hussain Hossein
Husseín Omar Umar Othman Osman Uthman Khaled Khalid Khalil Youssef Yousef Yusuf Youssif
Yousif Joseph Ibrahim Ebrahim Abraham Ismail Ismael Esmail Esmaeil Ishaq Yaqub Yacoub
Yaakov Jacob Musa Moussa Moses Issa Isa Yahya Zakaria Zakariya Suleiman Sulaiman Solomon
Dawood Daoud David Abdullah Abdallah Abdulla Abdulaziz Abdelaziz Abdulrahman Abdelrahman
Abdul-Rahman Abdulmalik Abdul-Malik Abdelmalek Abdulkarim Abdelkarim Abdullatif Abdellatif
Abdulhamid Abdelhamid Abdulwahab Abdelwahab Abdulsalam Abdelsalam Abdessalam Abdelkader
Abdelmadjid Abdelilah Abdelfattah Abdelhak Abdulqader Abdulla Tariq Tarek Tarik Walid Waleed
Samir Sameer Nabil Nabeel Fadi Rami Ziad Ziyad Karim Kareem Salim Selim Saleh Salih Salah
Salman Faisal Faysal Fahd Fahad Nasser Nasir Naser Jamal Gamal Adel Adil Hamad Hamed Hamid
Hamdan Hamdi Hamza Hamzah Mansour Mansur Majid Majed Saad Saud Saeed Said Sami Samy Tamer
Tamim Amr Amer Amir Hisham Hesham Hani Hany Hazem Ayman Bassem Basem Basil Bassel Emad Imad
Jaber Jabir Kamal Kamel Marwan Mazen Muhannad Mohannad Nabih Naim Naeem Nawaf Nayef Naif
Osama Usama Qassem Qasim Kassem Rashid Rashed Riad Riyad Riyadh Saif Seif Talal Tawfiq
Tawfik Wael Yasser Yasir Yaser Zaid Zayed Zeid Ziad Abbas Akram Anwar Ashraf Atef Ayad
Aziz Badr Bakr Bashar Bashir Bilal Fawzi Fouad Fuad Ghassan Habib Hadi Haidar Haider
Hayder Hakim Hashem Hashim Ihab Ilyas Elias Iyad Jihad Kadhim Kazem Kazim Khairallah Louay
Luay Maher Mahdi Mehdi Mamoun Moaz Muaz Mounir Munir Mubarak Mukhtar Munther Murad Mourad
Nader Nadir Nizar Nouri Nuri Nuh Qais Qays Rafik Rafiq Raed Raad Ramzi Rashad Raouf Rida
Ridha Reda Sabri Sadiq Sadek Safwan Sahar Salem Salam Sharif Sherif Shadi Sultan Taha
Taher Tahir Tayseb Thamer Wajdi Wissam Wisam Yazan Yazid Younes Younis Yunus Zuhair Zuhayr
Adnan Ammar Amin Ameen Anas Aref Arif Asaad Asad Ayoub Ayub Bader Burhan Dhafer Fares
Faris Fathi Fadel Fadil Fayez Fayyad Ghazi Hatem Hilal Husam Hussam Idris Ilham Jawad
Jalal Jasim Jassim Kamil Khamis Laith Layth Lutfi Mazin Mohsen Muhsin Munzer Mutlaq Naji
Najib Najeeb Nasrallah Nassif Nawar Numan Nouman Obaid Ubaid Qusay Rabih Rabie Rajab
Ramadan Saber Sabah Sadr Sattar Shaker Shakir Shawki Suhail Suhail Sohail Tamam Tammam
Thabet Wahid Wahib Waleed Yahia Zakaria Zuhair Fakhri Ghaleb Ghalib Hashim Marwan Falah
Fayad Fuad Haitham Haytham Hazim Jamil Jameel Kifah Labib Maan Mouin Muin Nabih Nadim
Nadeem Nazih Raji Rifaat Sakr Samih Shafiq Shafik Talaat Tareq Tony Toufic Wadih Wafiq
Yassin Yassine Yacine Yasin Youcef Abdelmajid Abdelmadjid Nouredine Noureddine Mokhtar
Mourad Rachid Driss Aziz Aziz Habib Hichem Kais Khaled Mehdi Moncef Mondher Nejib
Othmane Slim Taieb Tayeb Zine Fethi Mounir Lakhdar Larbi Kamal Kaïs Béji Beji
Fatima Fatma Fatemeh Aisha Aicha Ayesha Mariam Maryam Mariem Layla Leila Laila Nour Noor
Rania Reem Rim Sara Sarah Huda Hoda Hanan Amal Dina Lina Lena Hala Rasha Salma Yasmin
Yasmine Yasmeen Zeina Zeinab Zainab Nadia Nadine Samira Mona Muna Ghada Hind Iman Eman
Khadija Lamia Lamya Lubna Maha Manal Maysa Mai May Najla Najat Nawal Rana Randa Rima
Raghda Rola Rula Safa Samar Sawsan Sumaya Suad Souad Wafa Widad Yara Zahra Zahraa Zohra
Asma Asmaa Abeer Abir Dalia Doaa Ghadir Haifa Hanaa Hiba Heba Ibtisam Inas Jumana Joumana
Kholoud Lama Lara Latifa Lulwa Madiha Maram Marwa Mayada Nahla Nisreen Nesreen Noura
Nora Ola Reham Rouba Ruba Sahar Samia Shaima Sherine Shirin Sondos Tahani Wiam Yusra
Masoud Massoud Masud Masrour Nechirvan Qubad Bafel Barham Fuad Hoshyar Kosrat Mala Mam
Javad Jawad Mojtaba Abolfazl Gholamreza Gholam Kazem Hojjat Mehdi Mahmoud Mohsen Ebrahim
Esmail Hassan Amir-Abdollahian Hossein Alireza Reza Ali-Akbar Akbar Asghar Morteza
Mostafa Nasser Saeed Masoumeh Parviz Davoud Hamid Hamidreza Farhad Bahram Behrouz
Dariush Kourosh Cyrus Shahram Shahin Siamak Majid Rouhollah Ruhollah Mohammad-Javad
Recep Hakan Mevlut Mevlüt Kemal Mehmet Devlet Ozgur Özgür Kemal Binali Ekrem Ahmet Ibrahim
Ömer Omer Suleyman Süleyman Yasar Yaşar Hulusi Fidan Numan Bekir Cevdet Selahattin
Benjamin Isaac Yitzhak Yoav Gideon Bezalel Itamar Naftali Yair Avigdor Benny Gadi Herzi
Moshe Ehud Shimon Ariel Eyal Ron Ronen Avi Avraham Amos Yossi Yosef Dudi Tzachi Aryeh
Miri Orit Ayelet Tzipi Golda Merav Michal Shira Tamar Yael Eli Elazar Ofer Uri Ze'ev
Herzl Itzik Yoram Dani Danny Meir Nir Nadav Omer Oren Shaul Shlomo Tal Uzi Yehuda Zvi
Donald Joe Joseph Kamala Antony Marco Lloyd Pete Jake Mike Michael Steve Steven Stephen
John James Robert Richard William Thomas Charles Christopher Daniel Matthew Anthony Mark
Paul Andrew Kenneth Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Gary
Nicholas Eric Jonathan Larry Justin Scott Brandon Frank Gregory Raymond Samuel Patrick
Jack Dennis Jerry Tyler Aaron Henry Douglas Peter Adam Nathan Zachary Walter Kyle Harold
Carl Jeremy Keith Roger Gerald Ethan Arthur Terry Christian Sean Lawrence Austin Noah
Jesse Albert Bryan Billy Bruce Willie Jordan Dylan Alan Ralph Gabriel Roy Juan Wayne
Eugene Logan Randy Louis Russell Vincent Philip Bobby Johnny Bradley Hunter Chuck Nancy
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Karen Lisa Betty Margaret
Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie
Rebecca Laura Sharon Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole
Samantha Katherine Emma Ruth Christine Catherine Debra Rachel Carolyn Janet Virginia Maria
Heather Diane Julie Joyce Victoria Kelly Christina Lauren Joan Evelyn Olivia Judith
Megan Cheryl Martha Andrea Frances Hannah Jacqueline Ann Gloria Jean Kathryn Alice Teresa
Sara Janice Doris Madison Julia Grace Judy Abigail Marie Denise Beverly Amber Theresa
Marilyn Danielle Diana Brittany Natalie Sophia Rose Isabella Alexis Kayla Charlotte Hillary
Condoleezza Madeleine Nikki Tulsi Marjorie Elise Kristi Karine Linda-Thomas
Emmanuel Jean-Noel Jean-Yves Jean-Luc Jean-Marie Francois François Nicolas Olivier
Dominique Laurent Gerard Gérard Bruno Gabriel Edouard Édouard Michel Pierre Jacques
Marine Segolene Ségolène Anne Catherine Christophe Sebastien Sébastien Thierry Yves
Olaf Angela Annalena Friedrich Frank-Walter Robert Boris Keir Rishi Liz Theresa David
Yvette Rachel Jeremy Nigel Kemi Priti Suella Ursula Kaja Josep Charles Antonio António
Giorgia Sergio Mario Matteo Giuseppe Pedro Mariano Mark Rutte Viktor Volodymyr Vladimir
Sergei Sergey Dmitry Dmitri Mikhail Alexei Alexey Alexander Aleksandr Andrei Andrey
Nikolai Yuri Yury Igor Ivan Maria Valentina Olena Andriy Oleksandr Petro Vitali Vitaly
Xi Li Wang Zhang Narendra Rahul Shehbaz Imran Nawaz Asif Asim Shahbaz Bilawal Benazir
Anwar Joko Prabowo Fumio Shigeru Shinzo Yoon Kim Moon Lee Narges Malala Greta Ilhan
Rashida Bernie Elon Jeff Sundar Satya Sam Tim Warren Bill Melinda Larry Sergey Mukesh
Gautam Cristiano Lionel Karim Kylian Neymar Mohamed Riyad Achraf Hakim Sadio Erling
Luis Carlos Jose José Manuel Miguel Javier Rafael Alejandro Fernando Ricardo Roberto
Jorge Luiz Lula Gustavo Claudia Andres Andrés Nayib Javier Ollanta Evo Nicolas Hugo
Abiy Isaias William Paul Cyril Bola Muhammadu Yoweri Uhuru Salva Riek Bola Faustin
Jacob Nelson Desmond Kofi Ban Antonio Boutros Javier Kurt Tedros Rafael Filippo Volker
Martin Martin Griffiths Hans Stephane Stéphane Tor Geir Jens Mette Ulf Stefan Sauli
Alexander Karl Heinz Horst Jürgen Juergen Wolfgang Helmut Gerhard Klaus Thomas Markus
Christoph Annegret Dirk Hanna Hannah Jan Janne Lars Magnus Erik Anders Per Sven Ola
""")

# --- parsing content/entities.yaml -----------------------------------------------------

_TOP_KEYS = ("people", "organisations", "exclude", "min_articles")
_ENTRY_KEYS = {"person": ("name", "aliases", "roles", "countries"),
               "organisation": ("name", "aliases", "roles", "countries", "type")}


def load_entity_rules(content_dir: Path) -> EntityRules:
    """content_dir/entities.yaml (a missing file: no rules). Countries are resolved with
    the gazetteer of content_dir/country-aliases.yaml when there is one."""
    path = Path(content_dir) / ENTITIES_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return EntityRules(fingerprint=_fingerprint(b""))
    except OSError as error:
        raise BuildError(f"cannot read {ENTITIES_FILE}: {error.strerror}", str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BuildError("not valid UTF-8", str(path), data[:error.start].count(b"\n") + 1) from None
    aliases = Path(content_dir) / ALIASES_FILE
    return _parse(text, str(path), _gazetteer(aliases.read_bytes() if aliases.is_file() else None,
                                              str(aliases)))


@functools.lru_cache(maxsize=2)
def _gazetteer(aliases: bytes | None, path: str) -> Gazetteer:
    # Cached on the aliases file's bytes: `serve` reloads the rules on every rebuild.
    from .countries import build_gazetteer, parse_aliases
    if aliases is None:
        return build_gazetteer(parse_aliases("", path))
    return build_gazetteer(parse_aliases(aliases.decode("utf-8", "replace"), path))


def parse_entity_rules(text: str, path: str, gazetteer: Gazetteer | None = None) -> EntityRules:
    """Parse entities.yaml; BuildError(message, path, line) on any problem. Countries are
    resolved with `gazetteer` (the country data without project aliases when None)."""
    return _parse(text, path, gazetteer or _gazetteer(None, path))


def _fingerprint(data: bytes) -> str:
    digest = hashlib.sha256()
    for part in (ENTITIES_VERSION.encode(), data):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _parse(text: str, path: str, gazetteer: Gazetteer) -> EntityRules:
    data = read_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError("expected a mapping with `people:`, `organisations:`, `exclude:` and "
                         "`min_articles:`", path, line_of(data) or 1)
    for key in data:
        if key not in _TOP_KEYS:
            raise BuildError(f"unknown section {key!r}; the file holds {', '.join(_TOP_KEYS)}",
                             path, line_of(data, key))
    entities: list[ListedEntity] = []
    name_lines: list[list[int | None]] = []     # per entity: the lines of its name and aliases
    for section, kind in (("people", "person"), ("organisations", "organisation")):
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise BuildError(f"`{section}` must be a list of entries, each with a `name`",
                             path, line_of(data, section))
        for index, entry in enumerate(entries):
            entities.append(_entry(entry, kind, path, line_of(entries, index), gazetteer))
            aliases = entry.get("aliases") or []
            name_lines.append([line_of(entry, "name")] + [line_of(aliases, item)
                                                          for item in range(len(aliases))])
    exclude = _strings(data, "exclude", path) if "exclude" in data else ()
    minimum = data.get("min_articles", DEFAULT_MIN_ARTICLES)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise BuildError(f"`min_articles` must be a whole number, 1 or more, not {minimum!r}",
                         path, line_of(data, "min_articles"))

    forms: dict[tuple[str, ...], int] = {}
    owners: dict[str, ListedEntity] = {}
    for number, (entity, lines) in enumerate(zip(entities, name_lines)):
        for text_, line in zip((entity.name, *entity.aliases), lines):
            key = normalise(text_)
            other = owners.get(key)
            if other is not None and other is not entity:
                raise BuildError(f"{text_!r} is listed twice: under {other.name!r} (line "
                                 f"{other.line}) and {entity.name!r}; keep one", path, line)
            owners[key] = entity
            for words in _written_forms(text_):
                forms.setdefault(words, number)
    for number, text_ in enumerate(exclude):
        key = normalise(text_)
        if key in owners:
            raise BuildError(f"{text_!r} is both listed (under {owners[key].name!r}) and "
                             "excluded; keep one", path, line_of(data["exclude"], number))
        for words in _written_forms(text_):
            forms.setdefault(words, EXCLUDED)
    lengths: dict[str, set[int]] = defaultdict(set)
    for words in forms:
        lengths[words[0]].add(len(words))
    return EntityRules(
        entities=tuple(entities), exclude=tuple(exclude), min_articles=minimum,
        fingerprint=_fingerprint(text.encode("utf-8")), forms=forms,
        lengths={word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()},
        excluded=frozenset(normalise(name) for name in exclude))


def _entry(entry: Any, kind: EntityKind, path: str, line: int | None,
           gazetteer: Gazetteer) -> ListedEntity:
    if not isinstance(entry, dict):
        raise BuildError(f"each {kind} must be a mapping with a `name` (and optionally "
                         f"{', '.join(_ENTRY_KEYS[kind][1:])})", path, line)
    for key in entry:
        if key not in _ENTRY_KEYS[kind]:
            hint = "; only organisations have a `type`" if key == "type" else ""
            raise BuildError(f"unknown field {key!r} in a {kind}: use "
                             f"{', '.join(_ENTRY_KEYS[kind])}{hint}", path, line_of(entry, key))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BuildError(f"each {kind} needs a `name`: non-empty text", path,
                         line_of(entry, "name") if "name" in entry else line)
    codes = []
    for index, value in enumerate(_strings(entry, "countries", path) if "countries" in entry else ()):
        country = gazetteer.resolve(value)
        if country is None:
            raise BuildError(f"unknown country {value!r} for {name!r}; use a name or ISO code "
                             "such as Iraq or IQ", path, line_of(entry["countries"], index))
        codes.append(country.code)
    category = ""
    if kind == "organisation" and "type" in entry:
        category = entry["type"]
        if category not in ORGANISATION_TYPES:
            raise BuildError(f"unknown type {category!r} for {name!r}; use one of "
                             f"{', '.join(ORGANISATION_TYPES)}", path, line_of(entry, "type"))
    return ListedEntity(
        name=" ".join(name.split()), kind=kind,
        aliases=_strings(entry, "aliases", path) if "aliases" in entry else (),
        roles=_strings(entry, "roles", path) if "roles" in entry else (),
        countries=tuple(sorted(set(codes))), category=category, line=line or 0)


def _strings(container: dict, key: str, path: str) -> tuple[str, ...]:
    value = container[key]
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BuildError(f"`{key}` must be a list, e.g. [{'PMF' if key == 'aliases' else '...'}]",
                         path, line_of(container, key))
    found = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise BuildError(f"each item of `{key}` must be non-empty text, not {item!r}",
                             path, line_of(value, index))
        found.append(" ".join(item.split()))
    return tuple(found)


def _written_forms(text: str) -> set[tuple[str, ...]]:
    """The word tuples a name may appear as in a run: as written, without a leading
    "the", with a capital first letter (sentence start), and with "al-X" as "Al X"."""
    words = text.split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    found = {tuple(words)}
    found.add(tuple([words[0][:1].upper() + words[0][1:]] + words[1:]))
    for form in list(found):
        spaced: list[str] = []
        for word in form:
            match = _PREFIX.match(word)
            if match and word[:2] in ("Al", "El"):
                spaced += [word[:2], word[3:]]
            else:
                spaced.append(word)
        found.add(tuple(spaced))
    return found


def normalise(name: str) -> str:
    """A name compared loosely: case, a leading "the", hyphens, apostrophes and
    diacritics aside ("the Houthis" = "Houthis", "Al-Qaeda" = "al Qaeda")."""
    text = fold(name).casefold().replace("’", "'").replace("'", "")
    text = re.sub(r"[-‐–—\s]+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


# --- reading an article ---------------------------------------------------------------

# A run of capitalised words, the particles of transliterated names inside ("Mohammed
# bin Salman", "Abdul-Malik al-Houthi") and the joining words of bodies' names ("Bank of
# Iraq"), and an acronym defined after it. The pattern starts with a capital letter and
# nothing else: most positions of a text fail at once, which keeps one pass over an
# article fast (a lookbehind or an optional prefix there made it several times slower);
# what the text before a run says is checked only for runs.
_CAP = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_CAP}][\w'’]*(?:[-.&][\w'’]+)*\.?\+?"
_LINKED = rf"(?:(?:al|el|ad|an|ar|as|ash|at|az|ez|ul|ud)-)?{_WORD}"
_LINK = (r" (?:(?:of|for|on|in|and|&|bin|ibn|bint|ben|bou|de|du|del|van|von|der|den|da|di|dos"
         r"|la|le|ould) (?:the )?)?")
_RUN = re.compile(rf"(?P<run>{_WORD}(?:{_LINK}{_LINKED})*)(?:\s\((?P<acronym>[{_CAP}][\w&+.\-]{{1,11}})\))?")
_IN_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'’.-")
_CREDIT = re.compile(r"\s*\([^()]*\)\s*[.]?\s*$")
_POSSESSIVE = ("'s", "’s", "s'", "s’")
# Possessives inside bodies' names ("People's Protection Units", "Kurdistan Workers' Party").
_NAME_POSSESSIVES = _words("People's People’s Workers' Workers’ Women's Women’s Children's Children’s "
                           "Martyrs' Martyrs’ Farmers' Farmers’ Peoples' Nation's Nation’s Citizens' "
                           "Citizens’ Students' Students’ Teachers' Teachers’ Journalists' Journalists’ "
                           "Lawyers' Lawyers’ Employers' Employers’ Veterans' Veterans’ Mothers' Mothers’")

# What a word of a run is.
KNOWN, GAZ, NAME, ADJECTIVE, ROLE, ROLES, MODIFIER, HONORIFIC, JOIN, PARTICLE, HEAD, \
    WEAK_HEAD, STOPPER = range(13)
# Words a body's name may hold: plural roles too ("Sudan Doctors Network").
_ORGANISATION_WORDS = frozenset((NAME, GAZ, ADJECTIVE, MODIFIER, HEAD, WEAK_HEAD, PARTICLE, ROLES))
_ROLE_KINDS = (ROLE, ROLES, MODIFIER, HONORIFIC)
# Words that may be titles or names: a name before a particle or after a title ("Sultan
# Al Jaber", "Prince Sultan bin Salman"), else a title ("Sultan Haitham bin Tariq").
_TITLE_OR_NAME = _words("Sultan")


@functools.lru_cache(maxsize=65536)
def _word_kind(word: str) -> int:
    if word in _JOINERS:
        return JOIN
    if word in _PARTICLES:
        return PARTICLE
    if word in _HONORIFICS:
        return HONORIFIC
    if word in _STOP:
        # people in the plural open sentences ("Experts say") but may end a body's name
        # ("Assembly of Experts"): where a run starts they are dropped before this is asked
        return ROLES if word.lower()[:-1] in _ROLE_NOUNS else STOPPER
    if word in _NOT_NAME or not word[0].isupper() and not word.startswith(
            _LOWER_PREFIXES) or any(ch.isdigit() for ch in word):
        return STOPPER
    if "-" in word and any(part[:1].islower() for part in _PREFIX.sub("", word).split("-")[1:]):
        return STOPPER          # "Iran-backed", "Saudi-led", "al-Qaeda-linked"
    if word in _HEADS:
        return HEAD
    if word in _WEAK_HEADS:
        return WEAK_HEAD
    if word in _GIVEN_NAMES:
        return NAME
    if word in _ADJECTIVES:
        return ADJECTIVE
    lower = word.lower()
    if lower in _ROLE_MODIFIERS:
        return MODIFIER         # "Chief", "General", "Justice": of a title or of a body's name
                                # ("General Intelligence Department", "Justice and Development Party")
    if _is_role(lower):
        return ROLES if lower not in _ROLE_NOUNS and lower[-1:] == "s" else ROLE
    return NAME


@functools.lru_cache(maxsize=65536)
def _gazetteer_tokens(word: str) -> tuple[str, ...]:
    return tuple(tokenize(word))


def _country(word: str, gazetteer: Gazetteer | None) -> str | None:
    """The one country a word (or a possessive: "Libya's") names, if any (memoised for the
    gazetteer in use: roles and names bring the same words back)."""
    if gazetteer is None:
        return None
    if _COUNTRY_OWNER[0] is not gazetteer or len(_COUNTRY_MEMO) > _SEGMENTS_MAX:
        _COUNTRY_MEMO.clear()
        _COUNTRY_OWNER[0] = gazetteer
    try:
        return _COUNTRY_MEMO[word]
    except KeyError:
        pass
    key = word[:-2] if word.endswith(_POSSESSIVE) else word
    name = gazetteer.names.get(_gazetteer_tokens(key))
    code = None if name is None or name.never or name.weak or len(name.codes) != 1 else name.codes[0]
    _COUNTRY_MEMO[word] = code
    return code


_COUNTRY_MEMO: dict[str, str | None] = {}
_COUNTRY_OWNER: list = [None]


class _Segment(NamedTuple):
    kind: int
    first: int                      # index of its first word in the run
    end: int
    data: Any = None                # KNOWN: index in rules.entities; GAZ: country codes
    country: bool = False           # GAZ: a country's name, not a city's or a region's


# A place an entity is named: (passage, start, end), the passage -1 for the title, 0 for
# the caption, n for paragraph n, and a span of its text. Tuples sort in reading order.
_Occurrence = tuple[int, int, int]


@dataclass(slots=True)
class _Candidate:
    """A person or organisation while one article is read (local to one call)."""

    kind: EntityKind
    words: tuple[str, ...]
    occurrences: list[_Occurrence] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    listed: int | None = None          # index in rules.entities
    evidence: bool = False             # the text marks it as what it is
    weak: bool = False                 # only Arabic particles say it is a person, after "in"/"at"

    def add(self, passage: int, start: int, end: int, roles: Sequence[str] = (),
            countries: Sequence[str] = ()) -> None:
        self.occurrences.append((passage, start, end))
        for role in roles:
            if role and role not in self.roles:
                self.roles.append(role)
        self.countries.update(countries)


class _Single(NamedTuple):
    """A capitalised word left over: a surname, an acronym, a first name after a title,
    a one-word organisation."""

    word: str
    passage: int
    start: int
    end: int
    titled: bool = False               # after a title or honorific ("President Aoun")
    roles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    lead: int = -1                     # where the run starts, with a country before the
                                       # word ("Qatari Diar"); -1: at the word


# A _Single made from all its fields in order, without NamedTuple's handling of defaults
# (one for each capitalised word left over).
_new_single = tuple.__new__


@dataclass(slots=True)
class _Reading:
    """What one article's runs say, before names are resolved."""

    rules: EntityRules
    gazetteer: Gazetteer
    people: dict[tuple[str, ...], _Candidate] = field(default_factory=dict)
    organisations: dict[str, _Candidate] = field(default_factory=dict)
    listed: dict[int, _Candidate] = field(default_factory=dict)
    singles: list[_Single] = field(default_factory=list)
    title_runs: list[tuple[list[str], list[int]]] = field(default_factory=list)
    acronyms: dict[str, _Candidate] = field(default_factory=dict)
    places: set[tuple[str, ...]] = field(default_factory=set)      # names of places and things

    def listed_entity(self, index: int) -> _Candidate:
        candidate = self.listed.get(index)
        if candidate is None:
            entity = self.rules.entities[index]
            candidate = self.listed[index] = _Candidate(
                entity.kind, tuple(entity.name.split()), listed=index, evidence=True)
        return candidate

    def organisation(self, words: Sequence[str]) -> _Candidate:
        words = tuple(words[1:] if words[0] in ("The", "the") else words)
        key = " ".join(words).casefold()
        candidate = self.organisations.get(key)
        if candidate is None:
            candidate = self.organisations[key] = _Candidate("organisation", words, evidence=True)
        return candidate

    def person(self, words: Sequence[str]) -> _Candidate:
        key = tuple(words)
        candidate = self.people.get(key)
        if candidate is None:
            candidate = self.people[key] = _Candidate("person", key)
        return candidate


def extract_entities(title: str, caption: str | None, paragraphs: Sequence[str],
                     rules: EntityRules, gazetteer: Gazetteer) -> tuple[Mention, ...]:
    """The people and organisations the article names, in order of first mention (title,
    caption, body). `paragraphs` are the plain texts of the body's paragraphs; a credit
    ending the caption ("(AFP)") is not read."""
    reading = _Reading(rules, gazetteer)
    texts: dict[int, str] = {-1: title or ""}
    if caption:
        credit = _CREDIT.search(caption)
        texts[0] = caption[:credit.start()] if credit else caption
    texts.update(enumerate(paragraphs, 1))
    _read_passages(texts, reading)
    if title:
        for words, offsets, _ in _runs(title):
            reading.title_runs.append((words, offsets))
    return _resolve(reading, texts)


def _runs(text: str):
    """(words, their offsets, the acronym after them) of each run of a text."""
    for match in _RUN.finditer(text):
        yield from _parts(text, match)


def _parts(text: str, match: re.Match, listed: Mapping[str, Any] | None = None):
    """A run's words, offsets and acronym, cut after a possessive ("Libya's | Presidential
    Council") and at a sentence's end; nothing for a capital inside a word. A possessive
    that opens a listed name is the name's ("Moody's", "McDonald's"): `listed` is the
    rules' first words."""
    start = match.start()
    if start:
        before = text[start - 1]
        if before == "-" and text[max(0, start - 4):start].lstrip(" (\"“").endswith(_LOWER_PREFIXES) \
                and (start < 4 or not text[start - 4].isalpha() or text[start - 5:start - 3] == " a"):
            # "al-Sudani": the lower-case particle belongs to the name
            head = text.rfind(" ", 0, start) + 1
            start = head if start - head <= 4 else start
        elif before in _IN_WORD:
            return              # a capital inside a word ("McDonald", "ex-Lafarge")
    run = text[start:match.end("run")]
    words = run.split(" ") if "\n" not in run and "\t" not in run and "\xa0" not in run else run.split()
    offsets = _offsets(words, start)
    acronym = match.group("acronym")
    first = 0
    for index, word in enumerate(words):
        tail = word[-2:]
        cut = tail in _POSSESSIVE and len(word) > 2 and word not in _NAME_POSSESSIVES \
            and (listed is None or word not in listed)
        if not cut and tail[-1] == "." and word not in _ABBREVIATIONS and not (
                len(word) == 2 or word.count(".") > 1):
            cut = True
        if cut:
            stripped = word[:-2] if tail in _POSSESSIVE[:2] else word[:-1]    # "Pharmaceuticals'"
            yield words[first:index] + [stripped], offsets[first:index + 1], None
            first = index + 1
    if first < len(words):
        yield words[first:], offsets[first:], acronym


# Words that alone say nothing: a sentence's first word, a day, a title alone.
_SILENT = _STOP | _NOT_NAME | _ADJECTIVES | _HONORIFICS | _HEADS | _WEAK_HEADS | frozenset(
    word.capitalize() for word in _ROLE_NOUNS | _ROLE_MODIFIERS)


def _read_passages(texts: Mapping[int, str], reading: _Reading) -> None:
    """The runs of the caption and the body's paragraphs (the title's are read at the end,
    against what these establish)."""
    singles = reading.singles
    quick = _quick_cache(reading)
    finditer = _RUN.finditer
    for number, text in texts.items():
        if number < 0 or not text:
            continue
        for match in finditer(text):
            run, acronym = match.groups()
            start = match.start()
            if acronym is None and not (start and text[start - 1] in _IN_WORD):
                # The quick way for most runs, decided once per run's text: one word (a
                # sentence's first, a country, a surname), a listed name or a place as a
                # whole ("United Nations", "Abu Dhabi"), a sentence's first word and one more
                # ("On Friday"). (After a letter or "-", the slow way: "al-Sheikh", "McDonald".)
                action = quick.get(run)
                if action is None:
                    action = quick[run] = _quick_action(run, reading)
                if action is _SKIP:
                    continue
                if action is not _SLOW:
                    kind, shift, data = action
                    start += shift
                    if kind == _SINGLE:
                        singles.append(_new_single(_Single, (data, number, start, start + len(data), False,
                                                             (), (), -1)))
                    elif kind == _LISTED:
                        # add() without roles or countries: the occurrence alone
                        reading.listed_entity(data).occurrences.append((number, start, match.end("run")))
                    else:
                        words, segments = data
                        _read_run(list(words), _offsets(words, start), None, text, number, reading, segments)
                    continue
            _read_slowly(text, number, match, reading)


def _read_slowly(text: str, number: int, match: re.Match, reading: _Reading) -> None:
    """A run with an acronym after it, a possessive, an abbreviation or a sentence's end
    inside, or after a particle ("al-Sheikh")."""
    for words, offsets, acronym in _parts(text, match, reading.rules.lengths):
        while words and (words[0] in _STOP or words[0] in _JOINERS):
            del words[0], offsets[0]
        if not words:
            continue
        index = reading.rules.forms.get(tuple(words))
        if index is not None and acronym is None:
            if index != EXCLUDED:
                reading.listed_entity(index).add(number, offsets[0], offsets[-1] + len(words[-1]))
            continue
        if len(words) == 1 and acronym is None:
            if _word_kind(words[0]) == NAME:
                reading.singles.append(_Single(words[0], number, offsets[0], offsets[0] + len(words[0])))
            continue
        _read_run(words, offsets, acronym, text, number, reading)


# What the quick way does with a run's text: nothing, read it the slow way (possessives,
# abbreviations, sentence ends inside), or (what, how far its first word is from the run's
# start, the word / listed index / (words, their segments)).
_SKIP, _SLOW = "skip", "slow"
_SINGLE, _LISTED, _RUN_WORDS = range(3)


def _quick_action(run: str, reading: _Reading):
    if run[-1] in ".'’" or "'s" in run or "’s" in run or ". " in run:
        return _SLOW
    forms = reading.rules.forms
    shift = 0
    if " " in run:
        words = run.split(" ")
        first = 0
        while first < len(words) and words[first] in _STOP:
            shift += len(words[first]) + 1
            first += 1
        if first == len(words):
            return _SKIP
        if first < len(words) - 1:
            whole = tuple(words[first:])
            index = forms.get(whole)
            if index is not None:
                return _SKIP if index == EXCLUDED else (_LISTED, shift, index)
            if _all_places(whole, reading.gazetteer.names, forms):
                return _SKIP
            return (_RUN_WORDS, shift, (whole, _segments(whole, reading)))
        run = words[-1]
    if run in _SILENT:
        return _SKIP
    index = forms.get((run,))
    if index is not None:
        return _SKIP if index == EXCLUDED else (_LISTED, shift, index)
    code = _CODE.fullmatch(run) is not None
    place = reading.gazetteer.single.get(run)
    if place is not None and place.codes and not place.weak and run not in reading.gazetteer.person_names \
            and not code:
        return _SKIP
    if _word_kind(run) == NAME or code:
        return (_SINGLE, shift, run)
    return _SKIP


# A group's code name of letters and digits ("M23"): no word, but maybe a name.
_CODE = re.compile(r"[A-Z]{1,3}[0-9]{1,3}")


def _all_places(words: tuple[str, ...], names: Mapping[tuple[str, ...], Any],
                forms: Mapping[tuple[str, ...], int]) -> bool:
    """Whether a run is places only: "Saudi Arabia", "Somalia and Angola" (not "Hamas and
    Islamic Jihad", which the gazetteer knows as where they are)."""
    if names.get(words) is not None:
        return True
    if "and" not in words:
        return False
    parts: list[list[str]] = [[]]
    for word in words:
        if word == "and":
            parts.append([])
        else:
            parts[-1].append(word)
    return all(part and names.get(tuple(part)) is not None and tuple(part) not in forms
               for part in parts)


def _offsets(words: Sequence[str], start: int) -> list[int]:
    offsets = []
    for word in words:      # one white-space character between words, as the pattern says
        offsets.append(start)
        start += len(word) + 1
    return offsets


def _read_single(text: str, number: int, start: int, word: str, reading: _Reading,
                 titled: bool = False, roles: Sequence[str] = (),
                 countries: Sequence[str] = (), lead: int = -1) -> None:
    """A one-word name: kept to be resolved once the article's full names are known."""
    reading.singles.append(_Single(word, number, start, start + len(word), titled, tuple(roles),
                                   tuple(countries), lead))


# The segments of runs already read, for the rules and gazetteer they were read with: the
# same names come back article after article. Cleared when either changes or it grows.
_SEGMENTS: dict[tuple[str, ...], tuple] = {}
_SEGMENTS_OWNER: list = [None, None]
_SEGMENTS_MAX = 50_000


_QUICK: dict[str, Any] = {}


def _quick_cache(reading: _Reading) -> dict[str, Any]:
    """The quick way's decisions, for the rules and gazetteer in use (cleared with the
    segments' memo)."""
    if _SEGMENTS_OWNER[0] is not reading.rules or _SEGMENTS_OWNER[1] is not reading.gazetteer \
            or len(_QUICK) > _SEGMENTS_MAX:
        _clear_memos(reading)
    return _QUICK


def _clear_memos(reading: _Reading) -> None:
    _SEGMENTS.clear()
    _QUICK.clear()
    _SEGMENTS_OWNER[:] = [reading.rules, reading.gazetteer]


def _segments(words: list[str], reading: _Reading) -> tuple[_Segment, ...]:
    """A run's words as segments: a listed name, a gazetteer name, or one word of a kind.
    (A tuple, the memo's own: readers of a run only read its segments.)"""
    if _SEGMENTS_OWNER[0] is not reading.rules or _SEGMENTS_OWNER[1] is not reading.gazetteer \
            or len(_SEGMENTS) > _SEGMENTS_MAX:
        _clear_memos(reading)
    key = tuple(words)
    found = _SEGMENTS.get(key)
    if found is None:
        found = _SEGMENTS[key] = tuple(_read_segments(words, reading))
    return found


def _read_segments(words: list[str], reading: _Reading) -> list[_Segment]:
    rules, gazetteer = reading.rules, reading.gazetteer
    forms, lengths = rules.forms, rules.lengths
    segments: list[_Segment] = []
    count = len(words)
    i = 0
    while i < count:
        word = words[i]
        found = None
        for length in lengths.get(word, ()):
            if i + length <= count:
                index = forms.get(tuple(words[i:i + length]))
                if index is not None:
                    found = _Segment(KNOWN, i, i + length, index)
                    break
        if found is None:
            place = _gazetteer_span(words, i, gazetteer)
            if place is not None and not (
                    place.end == i + 1 and word in gazetteer.person_names and (
                        i + 1 < count and _word_kind(words[i + 1]) == NAME
                        or i and words[i - 1] in _GIVEN_NAMES)):
                found = place
        if found is not None:
            segments.append(found)
            i = found.end
            continue
        kind = _word_kind(word)
        if word == "United" and (i + 1 == count or words[i + 1] == "and") and segments \
                and segments[-1].kind in (NAME, GAZ):
            kind = HEAD             # "Newcastle United", "Buriram United"
        elif kind == HEAD and word in _CLUB_HEADS and i and words[i - 1] in ("Sports", "Games"):
            kind = NAME             # a game's title: "EA Sports FC"
        elif kind == HEAD and word in _OF_ONLY and not (i + 1 < count and words[i + 1] in ("of", "for")):
            kind = NAME
        elif kind == HONORIFIC and segments and segments[-1].kind == NAME and i + 1 < count \
                and _word_kind(words[i + 1]) == NAME:
            kind = NAME             # "Hassan Sheikh Mohamud"
        elif word in _COMPANY_SUFFIXES and segments and (
                segments[-1].kind in (HEAD, WEAK_HEAD) or segments[-1].kind == NAME and len(words[i - 1]) > 1
                and words[i - 1].isupper()):
            kind = WEAK_HEAD
        elif word in _TITLE_OR_NAME:
            named = (i + 1 < count and (words[i + 1] in _PARTICLES or _PREFIX.match(words[i + 1])))
            titled = bool(segments) and segments[-1].kind in _ROLE_KINDS
            kind = NAME if named or titled or i + 1 == count else ROLE
        segments.append(_Segment(kind, i, i + 1))
        i += 1
    # A listed name inside a longer name is not that entity: "Kataib Hezbollah" is no
    # Hezbollah, the "Supreme National Security Council" no UN Security Council.
    for position, segment in enumerate(segments):
        if segment.kind == KNOWN and segment.data != EXCLUDED and position:
            before = segments[position - 1].kind
            tail = words[segment.end - 1]
            one_word = segment.end - segment.first == 1
            if before == NAME and one_word or before == MODIFIER and not one_word \
                    and (tail in _HEADS or tail in _WEAK_HEADS):
                segments[position:position + 1] = [
                    _Segment(_word_kind(words[j]), j, j + 1) for j in range(segment.first, segment.end)]
    return segments


def _gazetteer_span(words: list[str], i: int, gazetteer: Gazetteer) -> _Segment | None:
    first = _gazetteer_tokens(words[i])
    if not first or first[0] not in gazetteer.start_words:
        return None
    names = gazetteer.names
    for length in range(min(4, len(words) - i), 0, -1):
        key = first
        for word in words[i + 1:i + length]:
            key += _gazetteer_tokens(word)
        name = names.get(key)
        # A province (a weak name) inside a run is more often a word of a name
        # ("Maritime Trade Operations") than the place.
        if name is not None and not name.never and name.codes and not name.weak:
            return _Segment(GAZ, i, i + length, name.codes if len(name.codes) == 1 else (),
                            not (name.place or name.seat))
    return None


def _read_run(words: list[str], offsets: list[int], acronym: str | None, text: str,
              number: int, reading: _Reading, segments: Sequence[_Segment] | None = None) -> None:
    """A run's names (`segments`: its segments, when the caller has them)."""
    if segments is None:
        segments = _segments(words, reading)
    used = [False] * len(segments)

    def span(first: int, end: int) -> tuple[int, int]:
        return offsets[first], offsets[end - 1] + len(words[end - 1])

    # An acronym defined after the run names the body whose initials it holds; one made
    # of another language's words ("Tunisian General Labour Union (UGTT)", "Justice and
    # Development Party (AKP)") names the body the run ends with.
    pending = acronym if acronym and sum(ch.isupper() for ch in acronym) >= 2 and not _read_acronym(
        words, segments, used, acronym, span, number, reading) else None
    if "&" in words:
        _read_ampersands(words, segments, used, span, number, reading)
    for segment in segments:
        if segment.kind == HEAD or segment.kind == WEAK_HEAD:
            last = _read_bodies(words, segments, used, span, text, number, reading)
            break
    else:
        last = None                 # no word for a body's kind: no body by its kind
    if pending and last is not None:
        reading.acronyms.setdefault(pending, last)
    for position, segment in enumerate(segments):
        if segment.kind == KNOWN and not used[position]:
            used[position] = True
            if segment.data != EXCLUDED:
                reading.listed_entity(segment.data).add(number, *span(segment.first, segment.end))
    position, count = 0, len(segments)
    while position < count:
        if used[position] or segments[position].kind not in (NAME, PARTICLE, ADJECTIVE):
            position += 1
            continue
        end = position
        while end < count and not used[end] and segments[end].kind in (NAME, PARTICLE, ADJECTIVE):
            end += 1
        while end > position and segments[end - 1].kind == PARTICLE and words[segments[end - 1].first] not in ("Al", "El"):
            end -= 1
        while position < end and segments[position].kind in (ADJECTIVE, PARTICLE) and not (
                segments[position].kind == PARTICLE and words[segments[position].first] in ("Al", "El")):
            position += 1
        if position < end:
            _read_name(words, offsets, segments, position, end, text, number, reading)
        position = max(end, position + 1)


def _read_ampersands(words, segments, used, span, number, reading) -> None:
    """Names joined by "&" are a firm's: "Pratt & Whitney", "Marks & Spencer"."""
    names = (NAME, HEAD, WEAK_HEAD)
    for position, segment in enumerate(segments):
        if segment.kind != JOIN or words[segment.first] != "&" or not 0 < position < len(segments) - 1:
            continue
        first, end = position, position + 1
        while first > 0 and not used[first - 1] and segments[first - 1].kind in names:
            first -= 1
        while end < len(segments) and not used[end] and segments[end].kind in names:
            end += 1
        if first < position and end > position + 1:
            for taken in range(first, end):
                used[taken] = True
            reading.organisation(words[segments[first].first:segments[end - 1].end]).add(
                number, *span(segments[first].first, segments[end - 1].end))


def _read_acronym(words, segments, used, acronym, span, number, reading) -> bool:
    """The longest tail of the run whose initials make the acronym ("Popular Mobilization
    Forces (PMF)", "United Kingdom Maritime Trade Operations (UKMTO)") is a body: the
    listed one the acronym names when the names agree ("Islamic Revolution Guard Corps
    (IRGC)"). Whether the acronym was read."""
    for position, segment in enumerate(segments):
        if segment.kind in (ROLE, ROLES, HONORIFIC, STOPPER, JOIN):
            continue
        tail = words[segment.first:]
        if not _initials_fit(acronym, tail):
            continue
        last = segments[-1]
        if all(seg.kind == GAZ for seg in segments[position:]):
            return True                # "United Arab Emirates (UAE)"
        if _thing(tail[-1]) or _programme(tail, segments, position, reading):
            for taken in range(position, len(segments)):
                used[taken] = True     # a treaty, a programme: "Extended Fund Facility (EFF)"
            reading.places.add(tuple(tail))
            return True
        if last.kind == KNOWN and last.first == segment.first:
            if last.data != EXCLUDED:
                reading.acronyms.setdefault(acronym, reading.listed_entity(last.data))
            return True
        listed = reading.rules.forms.get((acronym,))
        if listed is not None and (listed == EXCLUDED or _same_body(tail, reading.rules.entities[listed])):
            for taken in range(position, len(segments)):
                used[taken] = True
            if listed != EXCLUDED:
                found = reading.listed_entity(listed)
                found.add(number, *span(segment.first, len(words)))
                reading.acronyms.setdefault(acronym, found)
            return True
        candidate = reading.organisation(tail)
        candidate.add(number, *span(segment.first, len(words)),
                      countries=[code for seg in segments[position:] if seg.kind == GAZ for code in seg.data])
        reading.acronyms.setdefault(acronym, candidate)
        for taken in range(position, len(segments)):
            used[taken] = True
        return True
    return False


def _stems(words: Sequence[str]) -> set[str]:
    return {word[:5].lower() for word in words if word not in _JOINERS}


def _same_body(words: Sequence[str], entity: ListedEntity) -> bool:
    """Whether a name is a listed body's, written another way: most of its words begin as
    those of one of the body's names ("Islamic Revolution Guard Corps" beside "Islamic
    Revolutionary Guard Corps"), not a body with the same acronym ("Saudi Telecom Company
    (STC)" beside the Southern Transitional Council)."""
    stems = _stems(words)
    return any(2 * len(stems & _stems(name.split())) >= len(stems)
               for name in (entity.name, *entity.aliases) if " " in name)


# A programme is no body ("Global Combat Air Programme"), but the UN's are agencies.
_PROGRAMMES = _words("Programme Program Programmes Programs")


def _programme(name: Sequence[str], segments, position: int, reading: _Reading) -> bool:
    if name[-1] not in _PROGRAMMES:
        return False
    first = segments[position]
    return not (first.kind == KNOWN and first.data != EXCLUDED
                and reading.rules.entities[first.data].category == "international")


def _initials_fit(acronym: str, name: Sequence[str]) -> bool:
    """Whether an acronym is made of a name's initials ("PMF", "HTS", "SPLM-N"), or at
    least of its letters in order from its first ("EGX": Egyptian Exchange)."""
    letters = [ch for ch in acronym.lower() if ch.isalpha()]
    words = [_PREFIX.sub("", word) for word in name if word not in _JOINERS]
    if not words or len(letters) < 2 or words[0][:1].lower() != letters[0]:
        return False
    capitals = "".join(ch for word in words for ch in word if ch.isupper()).lower()
    if _subsequence(letters, capitals):
        return True
    if len(words) < 2:
        return False
    return _subsequence(letters, "".join(word.lower() for word in name if word not in _JOINERS))


def _subsequence(letters: Sequence[str], text: str) -> bool:
    position = 0
    for letter in letters:
        position = text.find(letter, position) + 1
        if not position:
            return False
    return True


def _read_bodies(words, segments, used, span, text, number, reading) -> _Candidate | None:
    """Bodies named by their kind: a stretch of name words ending in a head ("Supreme
    Judicial Council", "Rystad Energy"), run on with "of ..." ("Central Bank of Iraq",
    "Association of Banks in Lebanon"), after an international body's name ("UN Support
    Mission in Libya"). The body that ends the run, if one does."""
    count = len(segments)
    position = 0
    last = None
    while position < count:
        if used[position] or segments[position].kind not in _ORGANISATION_WORDS:
            position += 1
            continue
        end = _stretch(segments, used, position)
        for piece_start, piece_end in _pieces(words, segments, position, end):
            last = _read_body(words, segments, used, piece_start, piece_end, span, text, number, reading)
        position = end
    return last if last is not None and used[-1] else None


def _stretch(segments, used, position) -> int:
    """The end of the stretch of words a body's name may fill, joining words inside it."""
    count = len(segments)
    end = position
    while end < count and not used[end]:
        kind = segments[end].kind
        if kind in _ORGANISATION_WORDS:
            end += 1
            continue
        if kind == JOIN and end > position:
            after = end
            while after < count and segments[after].kind == JOIN:
                after += 1
            if after < count and not used[after] and segments[after].kind in _ORGANISATION_WORDS:
                end = after
                continue
        break
    return end


def _heads(segments, start, end) -> list[int]:
    return [index for index in range(start, end) if segments[index].kind == HEAD or (
        segments[index].kind == WEAK_HEAD and index > start and (
            segments[index - 1].kind == NAME or segments[index - 1].kind in (HEAD, WEAK_HEAD)
            and index - 1 in _heads(segments, start, index)))]


def _pieces(words, segments, start, end) -> list[tuple[int, int]]:
    """A stretch cut at an "and" between two names: "House of Representatives and the High
    Council of State", "HKN and Hunt Oil"; not "Reconstruction and Development Coalition"."""
    pieces = []
    for index in range(start + 1, end - 1):
        segment = segments[index]
        if segment.kind != JOIN or words[segment.first] != "and":
            continue
        before = segments[index - 1]
        word = words[before.first]
        if index + 2 == end and segments[index + 1].kind == HEAD:
            pieces.append((start, index))       # "Emirates Airline and Group": the second
            start = end                         # name is the first's, shortened; read neither
            break                               # as one
        if segments[index + 1].kind == JOIN or _heads(segments, index + 1, end) and (
                before.kind in (HEAD, GAZ) or word.isupper() or _thing(word)):
            pieces.append((start, index))
            start = index + 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _read_body(words, segments, used, start, end, span, text, number, reading) -> _Candidate | None:
    heads = _heads(segments, start, end)
    if not heads:
        return None
    head = heads[-1]
    # A name of its own before "of" is a person's: "Youcef Aouchiche of the ... Front"; a
    # title before "of" is a person's too: "Chairman and Chief Executive of Emirates Group";
    # a sentence's first word before "of" is a common noun: "Shares of Nova Chemicals".
    for index in range(start + 1, head):
        if segments[index].kind == JOIN and words[segments[index].first] in ("of", "for") and (
                segments[index - 1].kind == NAME and (index - start > 1 or words[segments[start].first] in _GIVEN_NAMES
                                                      or _sentence_start(text, span(segments[start].first, segments[start].end)[0]))
                or _is_role(words[segments[index - 1].first])
                and all(seg.kind in (MODIFIER, ROLES, JOIN) for seg in segments[start:index])):
            start = index + 1
    while start < head and (segments[start].kind == JOIN or segments[start].kind == PARTICLE
                            and words[segments[start].first] not in ("Al", "El")):
        start += 1                  # (but "Al Rajhi Group")
    stop = _run_on(words, segments, start, head, end)
    chosen = segments[start:stop]
    for taken in range(start, stop):
        used[taken] = True
    first, last = chosen[0].first, chosen[-1].end
    # after an international body's name: "UN Support Mission in Libya"; a body of a listed
    # organisation: "PLO Executive Committee", "Fatah Central Committee"
    prefix = False
    if start and segments[start - 1].kind == KNOWN and segments[start - 1].data != EXCLUDED:
        owner = reading.rules.entities[segments[start - 1].data]
        prefix = owner.category == "international" or owner.kind == "organisation" and len(chosen) > 1 \
            and words[segments[head].first] not in _GENERIC_HEADS \
            and any(seg.kind not in (HEAD, WEAK_HEAD) for seg in chosen)     # not "Al Hilal Club Company"
    if prefix:
        used[start - 1] = True
        first = segments[start - 1].first
    name = words[first:last]
    if len(name) > 1 and not _thing(name[-1]) and (prefix or not _generic(chosen, words)) \
            and not _programme(name, segments, start - 1 if prefix else start, reading):
        begin, finish = span(first, last)
        found = reading.organisation(name)
        found.add(number, begin, finish,
                  countries=[code for seg in chosen if seg.kind == GAZ for code in seg.data]
                  + _possessive_country(text, begin, reading.gazetteer))
        return found
    if prefix:
        used[start - 1] = False
    return None


def _run_on(words, segments, start, head, end) -> int:
    """Where a body's name ends after its head: on through "of X", "for X", "on X", "du X"
    ("Banque du Liban"), then "and X", or "in" a country ("Association of Banks in Lebanon",
    not "Central Bank of Yemen in Aden")."""
    stop = head + 1
    if stop >= end or segments[stop].kind not in (JOIN, PARTICLE) or words[segments[stop].first] in ("and", "the") \
            or words[segments[stop].first] == "in" and not (
                stop + 2 == end and segments[stop + 1].kind == GAZ and segments[stop + 1].country
                and any(segments[index].kind == JOIN for index in range(start, head))):
        return stop                 # "in" a country after a name run on already: "Movement for
                                    # Quality Government in Israel" (not "... Foundation in Indonesia")
    index = stop
    while index < end:
        segment = segments[index]
        word = words[segment.first]
        if segment.kind in (JOIN, PARTICLE):
            if word == "and" and (index + 1 < end and segments[index + 1].kind == JOIN or any(
                    seg.kind in (HEAD, WEAK_HEAD) for seg in segments[index + 1:end])):
                break               # "House of Representatives and the High Council of State"
            if word == "in":
                following = index + 1
                while following < end and segments[following].kind == JOIN:
                    following += 1
                if not (following < end and segments[following].kind == GAZ and segments[following].country):
                    break
            index += 1
            continue
        if segment.kind not in _ORGANISATION_WORDS or word in _GIVEN_NAMES:
            break                   # "... Party of Walid Jumblatt"
        index += 1
        stop = index
    return stop


def _thing(word: str) -> bool:
    """The last word of a place's or a thing's name ("Square", "Treaty", "Cups")."""
    return word in _PLACE_ENDS or word[-1:] == "s" and word[:-1] in _PLACE_ENDS


# Heads of assemblies, courts and councils, and the words of rank that name one on their
# own: "the National Assembly", "the Supreme Court", "the Federal Supreme Court", "the
# High Court" are the proper names of one body each, where "Central Bank" or "Foreign
# Ministry" describe one every state has. (With a country's word before them, "the Iraqi
# Supreme Court", they stay descriptions.)
_RANKED_HEADS = _words("Assembly Court Council Tribunal Congress Guard")
_RANKS = _words("""
National Supreme High Higher Federal Royal Grand General Transitional Sovereign Sovereignty
Constituent Consultative Military State Revolutionary Presidential
""")


def _ranked(segments: Sequence[_Segment], words: Sequence[str]) -> bool:
    """"National Assembly", "Federal Supreme Court": words of rank, then an assembly's,
    a court's or a council's head (see _RANKED_HEADS)."""
    last = segments[-1]
    return len(segments) > 1 and last.kind == HEAD and words[last.first] in _RANKED_HEADS \
        and all(seg.end - seg.first == 1 and words[seg.first] in _RANKS for seg in segments[:-1])


def _generic(segments: Sequence[_Segment], words: Sequence[str]) -> bool:
    """A state body named by description, not by a name of its own: "Iraqi Foreign
    Ministry", "Lebanese Army", "Presidential Council", "Central Bank"."""
    if _ranked(segments, words):
        return False
    heads = [words[seg.first] for seg in segments if seg.kind in (HEAD, WEAK_HEAD)]
    joined = [index for index, seg in enumerate(segments) if seg.kind == JOIN]
    if joined:                      # "Ministry of Water Resources": the head before "of"
        heads = [words[seg.first] for seg in segments[:joined[0]] if seg.kind in (HEAD, WEAK_HEAD)] or heads
    others = [seg for seg in segments if seg.kind not in (HEAD, WEAK_HEAD, JOIN, PARTICLE)]
    proper = [seg for seg in others if seg.kind in (NAME, ROLES) and words[seg.first] not in _GENERIC_WORDS]
    described = [seg for seg in others if seg.kind != GAZ]
    head = heads[-1]
    if head == "Board" and all(seg.kind in (HEAD, JOIN, ROLES) for seg in segments):
        return True                 # "Board of Directors", "Board of Governors"
    if head in _GENERIC_HEADS and all(word in _GENERIC_HEADS for word in heads):
        return not proper
    if any(seg.kind == JOIN for seg in segments):
        return False                # "Central Bank of Iraq": a name, where "Central Bank" is none
    if head in _COMPANY_HEADS:
        return not others or not proper and len(described) <= 1 and len(others) == len(described)
    return not proper and len(described) < 2


def _possessive_country(text: str, start: int, gazetteer: Gazetteer) -> list[str]:
    """The country of a possessive just before a name ("Libya's Presidential Council")."""
    before = text[max(0, start - 30):start].rstrip()
    if not before.endswith(_POSSESSIVE):
        return []
    word = before.rsplit(" ", 1)[-1]
    code = _country(word, gazetteer)
    return [code] if code else []


def _read_name(words, offsets, segments, position, end, text, number, reading) -> None:
    """A name proper (segments[position:end]) with what the run and the text around it say."""
    gazetteer = reading.gazetteer
    first, stop = segments[position].first, segments[end - 1].end
    name = words[first:stop]
    begin = offsets[first]
    finish = offsets[stop - 1] + len(words[stop - 1])
    roles, countries, titled, after_of = _roles_in_run(words, segments, position) if position \
        else ([], [], False, False)     # a run that is the name: nothing before it in the run
    run_start = offsets[segments[0].first]
    leads = position == 0 or all(seg.kind in (GAZ, ADJECTIVE) for seg in segments[:position])
    outside = _role_before(text, run_start, gazetteer) if leads else None
    if outside is not None:
        roles += outside[0]
        countries += outside[1]
    core, opener, thing, unlike_person, arabic, given = _name_facts(tuple(name))
    if after_of and not titled:
        return                     # "Custodian of the Two Holy Mosques": the object of "of"
    if len(core) < 2:
        if core:
            index = first + name.index(core[0])
            lead = 0
            while lead < position and _descriptive(words[segments[lead].first], segments[lead].kind):
                lead += 1
            _read_single(text, number, offsets[index], core[0], reading,
                         titled=titled or outside is not None, roles=roles, countries=countries,
                         lead=offsets[segments[lead].first] if leads and lead < position and not titled else -1)
        return
    is_last = stop == len(words)
    after = text[finish:finish + 120] if is_last else ""
    if opener:
        reading.organisation(name).add(number, begin, finish)
        return
    previous = _previous_word(text, run_start).lower() if leads else ""
    if previous in _ORG_NOUNS:
        reading.organisation(name).add(number, begin, finish, countries=countries)
        return
    if thing or is_last and _place_after(after):
        reading.places.add(tuple(name))     # and so wherever else the article names it
        return
    if previous == "at" and _workplace(text, run_start):
        reading.organisation(name).add(number, begin, finish, countries=countries)
        return
    after_roles, after_countries, after_kind = _role_after(after, gazetteer) if is_last else ((), (), None)
    if after_kind == "organisation" or is_last and _kind_after(text, run_start, finish):
        lead = 0 if leads else position
        while lead < position and _descriptive(words[segments[lead].first], segments[lead].kind):
            lead += 1               # "the Islamist Ra'am party": a description before the name
        reading.organisation(words[segments[lead].first:stop]).add(number, offsets[segments[lead].first], finish)
        return
    if unlike_person:
        return
    evidence = titled or outside is not None or after_kind == "person" or given \
        or is_last and _speech_after(after) or leads and _speech_before(text, run_start)
    if not evidence and not arabic and is_last and position and words[segments[position - 1].first].endswith(
            _SEATED):
        reading.organisation(name).add(number, begin, finish)      # "London-listed Norvale Dynamics"
        return
    if not evidence and not arabic and leads and is_last and (
            _traded(text, run_start, finish, gazetteer) or _kind_listed(text, run_start, finish)
            or previous.endswith(_SEATED)
            or _body_role_of(text, run_start, finish) and _ends_name(text, finish)):
        # "to buy Electronic Arts for", "the leader of Yesh Atid", "Leverkusen-based Covestro"
        reading.organisation(words[segments[0].first:stop]).add(number, run_start, finish)
        return
    candidate = reading.person(name)
    if evidence:
        candidate.evidence = True
    elif arabic:
        if previous in gazetteer.venue_words or previous == "the" and _after_venue(text, run_start, gazetteer):
            candidate.weak = True
        else:
            candidate.evidence = True
    candidate.add(number, begin, finish, roles=[*roles, *after_roles],
                  countries=[*countries, *after_countries])


@functools.lru_cache(maxsize=65536)
def _name_facts(name: tuple[str, ...]) -> tuple[tuple[str, ...], bool, bool, bool, bool, bool]:
    """What a name's words alone say, for _read_name (memoised: names come back article after
    article): its words without particles; whether it opens as a body's name; ends as a
    place's or a thing's; is shaped as no person's (opens as a place's name or with an Arabic
    article, "al-", "Al"; holds an initialism; ends with a region); has Arabic particles;
    opens with a given name."""
    first = name[0]
    return (tuple(word for word in name if word not in _PARTICLES), first in _ORG_OPENERS,
            _thing(name[-1]),
            bool(first in _PLACE_OPENERS or _PREFIX.match(first) or first in ("Al", "El")
                 or any(word.isupper() and len(word) > 1 for word in name) or name[-1] in _REGIONS),
            _arabic(name), first in _GIVEN_NAMES)


def _descriptive(word: str, kind: int) -> bool:
    """An adjective that describes a body rather than names it: "Islamist", "Kurdish"."""
    return kind == ADJECTIVE and word.endswith(("ist", "ists", "ite", "ites", "ish"))


def _roles_in_run(words, segments, position) -> tuple[list[str], list[str], bool, bool]:
    """The role and countries a run gives before a name in it ("Iraqi Prime Minister",
    "Commander of the Rapid Support Forces"), whether a title or honorific marks the name,
    and whether the name is the object of "of" / "for" ("... of the Two Holy Mosques")."""
    back = position - 1
    if back >= 0 and segments[back].kind == JOIN:
        return [], [], False, words[segments[back].first] != "and"
    countries: list[str] = []
    near: list[str] = []            # the countries right before the name
    titled = False
    first_role = None
    while back >= 0:
        kind = segments[back].kind
        if kind in _ROLE_KINDS:
            titled = True
            if kind != HONORIFIC or first_role is not None:
                first_role = back
        elif kind == GAZ:
            countries.extend(segments[back].data)
            if back == position - 1 - len(near):
                near.extend(segments[back].data)
        elif kind not in (KNOWN, JOIN, HEAD, WEAK_HEAD):
            break
        back -= 1
    if not titled:
        countries = near
    roles = []
    if first_role is not None:
        start = first_role
        while start > back + 1 and segments[start - 1].kind in (KNOWN, HEAD, WEAK_HEAD):
            start -= 1
        stop = position
        while stop > start and segments[stop - 1].kind == HONORIFIC:
            stop -= 1
        if stop > start:
            roles.append(" ".join(words[segments[start].first:segments[stop - 1].end]))
    return roles, countries, titled, False


# Roles held in a body, before "of" it: "the leader of Yesh Atid", "secretary-general of
# the Palestinian National Initiative", "a member of the Assembly of Experts".
_BODY_ROLES = _words("""
leader leaders head chairman chairwoman secretary-general founder co-founder founders member
members president director director-general ceo owner
""")
_BODY_ROLE_OF = _words("""
leader leaders head chairman chairwoman chairperson secretary-general co-founder founder
founders member members president director director-general ceo owner owners
""")
# Words after a name that say it is a family's or a place's, not a body's.
_FAMILY_AFTER = re.compile(r"(?:'s|’s|s'|s’)| (?:family|families|clan|tribe|dynasty|household|era|years|"
                           r"government|administration|presidency|campaign)\b")


_JOINED_AFTER = re.compile(r" (?:and|of|for|&) [A-Z]")


def _body_role_of(text: str, start: int, end: int) -> bool:
    """A name after a role held in a body and "of": the body's ("the leader of Yesh Atid"),
    unless a family's or a government's follows ("a member of the Al Thani family")."""
    previous = _previous_word(text, start)
    if previous == "the":
        start -= 4
        previous = _previous_word(text, start)
    if previous != "of":
        return False
    role = _previous_word(text, start - 3).lower()
    if role == "general" and _previous_word(text, start - 11).lower() == "secretary" \
            or role == "secretary" and _previous_word(text, start - 13).lower() == "general":
        role = "secretary-general"
    return role.lstrip("(") in _BODY_ROLE_OF and _FAMILY_AFTER.match(text, end) is None


_TOKENS = re.compile(r"[\w'’.-]+|[,;:()\"“”]")
_OF = _words("of for to")


def _plain(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE[:2]) else word


@functools.lru_cache(maxsize=16384)
def _is_role(word: str) -> bool:
    """A noun of a role, in the plural too, hyphenated ones included: "Commissioner-General",
    "son-in-law", "deputy-chairman"."""
    lower = word.lower()
    if lower in _ROLE_NOUNS or lower[-1:] == "s" and lower[:-1] in _ROLE_NOUNS:
        return True
    if "-" not in lower:
        return False
    parts = lower.split("-")
    if parts[-2:] == ["in", "law"]:
        return parts[0] in _ROLE_NOUNS
    return all(part in _ROLE_NOUNS or part in _ROLE_MODIFIERS for part in parts) \
        and any(part in _ROLE_NOUNS for part in parts)


def _role_before(text: str, start: int, gazetteer: Gazetteer
                 ) -> tuple[list[str], list[str]] | None:
    """A role written before a run ("UN envoy for Yemen, Hans Grundberg", "Hamas leader
    Khalil al-Hayya", "the late Nigerian curator X"): (roles, countries), or None."""
    if not start or text[start - 1] not in " ,":
        return None
    window = max(0, start - 80)
    # the word before: most often a verb or an article, and no role (quickly, without the
    # pattern below; one space before the run, the common case, found without copying
    # the window)
    if start > 1 and text[start - 2] not in " ,":
        last = text[text.rfind(" ", window, start - 1) + 1 or window:start - 1]
    else:
        before = text[window:start]
        last = before[before.rstrip(" ,").rfind(" ") + 1:].rstrip(" ,")
    if last[:1].islower() and last != "of" and not _is_role(last):
        return None
    tokens = _TOKENS.findall(text, window, start)
    if tokens and tokens[-1] == ",":
        tokens.pop()
    if not tokens:
        return None
    if tokens[-1] == "of" and len(tokens) > 1 and (
            _is_role(tokens[-2]) or tokens[-2].lower() in _ORG_NOUNS):
        if tokens[-2].lower() in _BODY_ROLES:
            return None            # "the leader of X": a body, most often
        return [], []              # "the son of X", "the investment company of X": a person
    if tokens[-1][:1].islower() and not _is_role(tokens[-1]):
        return None                # the common case, quickly: a verb, an article...
    phrase: list[str] = []
    for token in reversed(tokens):
        lower = token.lower()
        if _is_role(token) or lower in _ROLE_MODIFIERS or lower in _OF \
                or token[:1].isupper() and token not in _STOP or token.endswith(_POSSESSIVE[:2]):
            phrase.append(token)
            if len(phrase) >= 8:
                break
            continue
        break
    phrase.reverse()
    while phrase and (phrase[0].lower() in _OF or phrase[0] in _STOP):
        phrase.pop(0)
    noun = max((index for index, token in enumerate(phrase) if _is_role(token)), default=None)
    if noun is None:
        return None
    tail = phrase[noun + 1:]
    if tail and tail[0].lower() not in _OF:
        return None
    countries: list[str] = []
    while phrase and noun > 0:
        code = _country(phrase[0], gazetteer)
        if code is not None:
            countries.append(code)
        elif not (phrase[0][:1].islower() and phrase[0].endswith(_POSSESSIVE[:2])):
            break                            # "the group's spokesman" -> "spokesman"
        phrase.pop(0)
        noun -= 1
    countries += [code for code in (_country(token, gazetteer) for token in phrase[noun + 1:]) if code]
    return ([" ".join(phrase)] if phrase else []), countries


_AFTER = re.compile(r"(?:\s*,\s*|\s+\(|\s+as\s+)(?:(?:a|an|the|its|his|her|their)\s+)?([^,.;:()\"“”]{2,100})")
_DETERMINERS = _words("the a an its their his her our this these those")
_CLAUSE = _words("""
of for to in at on with from by under over who which that and since between after before as
whose while when where said says told who's than until during against about it they he she
we i you
""")


def _role_after(after: str, gazetteer: Gazetteer
                ) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """A role or a kind in apposition after a name (", the UN envoy for Yemen,", " as head
    coach", ", an Iran-backed militia,", ", who ..."): (roles, countries, "person" |
    "organisation" | None)."""
    if not after or after[0] not in " ,(" or after[0] == " " and not after.startswith((" as ", " (")):
        return (), (), None
    if after.startswith((", who ", ", who'")):
        return (), (), "person"
    match = _AFTER.match(after)
    if not match:
        return (), (), None
    key = match.group(0)
    if gazetteer is None:
        memo = _PLAIN_APPOSITIONS
        if len(memo) > _SEGMENTS_MAX:
            memo.clear()
    else:
        memo = _APPOSITIONS
        if _APPOSITIONS_OWNER[0] is not gazetteer or len(memo) > _SEGMENTS_MAX:
            memo.clear()
            _APPOSITIONS_OWNER[0] = gazetteer
    found = memo.get(key)
    if found is None:
        found = memo[key] = _apposition(match, gazetteer)
    return found


# What an apposition says, memoised by its text for the gazetteer in use: the same roles
# come back (", a political analyst", ", the UN envoy for Yemen"). Without a gazetteer
# (the kind alone, asked of every one-word name before a comma) in a memo of its own.
_APPOSITIONS: dict[str, tuple] = {}
_APPOSITIONS_OWNER: list = [None]
_PLAIN_APPOSITIONS: dict[str, tuple] = {}


def _apposition(match: re.Match, gazetteer: Gazetteer | None
                ) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    phrase = match.group(1).split()
    opening = phrase[0] if phrase else ""
    if not (match.group(0).lstrip(" ,(").startswith(("a ", "an ", "the ", "its ", "his ", "her ", "their ", "as "))
            or opening.endswith(_POSSESSIVE[:2]) or _is_role(opening) or opening.lower() in _ROLE_MODIFIERS
            or opening[:1].isupper() and opening not in _STOP):
        return (), (), None     # ", insisted the Front was a party": a clause, no apposition
    head_at = None
    for index, word in enumerate(phrase[:8]):
        if word.lower() in _CLAUSE or word[:1].isdigit() and index == 0 or index and word in _DETERMINERS:
            break               # ", the venture the two groups share": a clause without "that"
        head_at = index
    if head_at is None or head_at + 1 < len(phrase) and phrase[head_at + 1].lower() in _SPEECH:
        return (), (), None     # ", the UN agency said": a new clause's subject
    word = phrase[head_at]
    head = _plain(word).lower()
    if word.endswith(_POSSESSIVE[:2]):
        return (), (), None
    if head in _ORG_NOUNS_AFTER and not match.group(0).lstrip().startswith(("as", "(")):
        # not "Yoel Hasson (Zionist Union)", an affiliation; a body's own name (", the Ataa
        # Movement") may be the next of a list, or what an acronym stands for: "body"
        return (), (), "organisation" if word[:1].islower() else "body"
    if not _is_role(head):
        return (), (), None
    end = len(phrase)
    for index in range(head_at + 1, len(phrase)):
        if phrase[index].lower() in _CLAUSE and phrase[index].lower() not in _OF:
            end = index
            break
    words = phrase[:end]
    countries = []
    while words and len(words) > 1:
        code = _country(words[0], gazetteer)
        if code is None:
            break
        countries.append(code)
        words = words[1:]
    countries += [code for code in (_country(word, gazetteer) for word in words[1:]) if code]
    return ((" ".join(words),) if words else ()), tuple(countries), "person"


def _previous_word(text: str, start: int) -> str:
    end = start - 1 if start and text[start - 1] == " " else start
    return text[text.rfind(" ", 0, end) + 1:end]


def _one_word_body(single: _Single, text: str, gazetteer: Gazetteer) -> bool:
    """Whether the words around a one-word name no person has call it an organisation
    ("the private equity firm Carlyle", "Islah, the country's main Islamist party", "a
    Yemenia official", "the Sumoud coalition", "an analyst at X"). A news agency is a
    source, not an actor. (Most words fail the first, cheap tests: this runs for every
    capitalised word left over.)"""
    lead = single.start if single.lead < 0 else single.lead
    end = single.end
    said = _ANY_AFTER.match(text, end) is not None     # a word after it that says something
    previous = _previous_word(text, lead)
    lower = previous.lower()
    if lower in _ORG_NOUNS:
        found = _previous_word(text, lead - len(previous) - 1).lower() != "news"
    elif lower.endswith(_SEATED):
        found = True                # "Leverkusen-based Covestro", "Riyadh-listed X"
    elif previous == "at":
        found = _workplace(text, lead)
    elif (lower == "the" or previous.endswith(_POSSESSIVE[:2]) or "-" in previous
          or previous[-3:] in ("ist", "ite", "ish")) and _kind_after(text, lead, end):
        found = True
    elif lower in ("of", "the") and _body_role_of(text, lead, end) and not _JOINED_AFTER.match(text, end):
        found = _ends_name(text, end)   # "the leader of Ennahda", not of "Development and
                                        # Liberation", nor "the Sadrist movement"
    elif text[end:end + 1] == ",":
        kind = _role_after(text[end:end + 110], _NO_GAZETTEER)[2]
        found = kind == "organisation" or kind == "body" and single.word.isupper() \
            or _traded(text, lead, end, gazetteer) or _kind_listed(text, lead, end)
    elif said and _COMPANY_AFTER.match(text, end) is not None:
        found = True                # "OMV's chief executive", "Nvidia Chief Executive ..."
    elif said and _GROUP_AFTER.match(text, end) is not None:
        code = _CODE.fullmatch(single.word) is not None
        return code or single.word.isupper() and not _country(single.word, gazetteer)   # "M23 rebels"
    else:
        found = said and _MEMBER_AFTER.match(text, end) is not None and not _sentence_start(text, lead) \
            or _traded(text, lead, end, gazetteer) or _kind_listed(text, lead, end)
    if not found:
        found = _club(single.word, text, lead, end, gazetteer, said)
    return found and not _country(single.word, gazetteer) and not _place_after(text[end:end + 16])


# A club is named by what it does on the pitch: "beat Damac", "a 2-0 win over holders
# Al-Ain", "Persepolis 2-0", "Al-Nassr coach Jorge Jesus"; a city's name that takes a
# plural verb is its club's ("Liverpool have agreed a fee"). A country's is a national
# team's, no organisation (left out by the caller).
_CLUB_VERBS = ("beat", "beats", "beating", "defeated", "defeating", "thrashed", "edged", "drew with",
               "draw with", "drawn with", "lost to", "losing to", "loses to", "lose to", "win over",
               "victory over", "defeat to", "defeat by", "loss to", "held by", "at home to",
               "knocked out", "eliminated", "signed for", "sign for")
_CLUB_RIVALS = ("holders", "champions", "leaders", "hosts", "visitors", "rivals", "giants", "neighbours",
                "neighbors")
_CLUB_BEFORE = re.compile(rf"\b(?:{'|'.join(_CLUB_VERBS)}) (?:(?:{'|'.join(_CLUB_RIVALS)}) )?$")
# The words _CLUB_BEFORE can end with: a name after any other is no club's (asked first,
# as searching the pattern back from every one-word name is slow).
_CLUB_BEFORE_LAST = tuple(sorted({verb.rsplit(" ", 1)[-1] for verb in _CLUB_VERBS} | set(_CLUB_RIVALS)))
_CLUB_AFTER = re.compile(r" (?:\d{1,2}-\d{1,2}\b|coach|manager|striker|midfielder|defender|"
                         r"goalkeeper|winger|playmaker|captain|fans|supporters|head coach)\b")
_PLURAL_AFTER = re.compile(r" (?:have|are|were) ")


def _club_before(text: str, lead: int) -> bool:
    """Whether _CLUB_BEFORE ends at lead: the text before ends "<verb> " (its "$" may
    match before a last newline too: that rare case is searched)."""
    before = text[max(0, lead - 40):lead]
    last = before[-1:]
    if last != "\n" and (last != " " or not before[:-1].endswith(_CLUB_BEFORE_LAST)):
        return False
    return _CLUB_BEFORE.search(text, max(0, lead - 40), lead) is not None


def _club(word: str, text: str, lead: int, end: int, gazetteer: Gazetteer, said: bool = True) -> bool:
    """(`said`: whether _ANY_AFTER matches at end; when not, no word after it says it is a club.)"""
    if said and _CLUB_AFTER.match(text, end) is not None or _club_before(text, lead):
        return True
    if not said or _PLURAL_AFTER.match(text, end) is None:
        return False
    place = gazetteer.single.get(word)
    return place is not None and place.weak        # a city's name: "Liverpool have agreed"


# What is bought, sold, merged and owned is a company: "to buy Electronic Arts for $55
# billion", "merged with Switzerland's Holcim in 2015", "the field operated by Norway's DNO".
_TRADE_VERBS = _words("acquire acquires acquired acquiring buy buys buying bought")
_TRADE_BEFORE = {"of": _words("takeover acquisition purchase shares subsidiary"),
                 "with": _words("merge merged merges merging merger"),
                 "in": _words("stake shares"), "by": _words("operated owned")}
# After such a name, no noun it qualifies ("to buy Rafale jets").
_AFTER_TRADED = _CLAUSE | _words("""
last this earlier was is were are has had have will would could said says from or but also
next late early
""")


def _traded(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    previous = _previous_word(text, start)
    if previous[:1].isupper() and previous.endswith(_POSSESSIVE[:2]):    # "Switzerland's"
        if not _country(previous, gazetteer):
            return False
        start -= len(previous) + 1
        previous = _previous_word(text, start)
    if previous not in _TRADE_VERBS:
        verbs = _TRADE_BEFORE.get(previous)
        if verbs is None or _previous_word(text, start - len(previous) - 1) not in verbs:
            return False
    return _ends_name(text, end)


# Bodies named in a list after the word for their kind: "its two largest oil companies,
# Rosneft and Lukoil", "parties such as Ennahda", "groups including the Sumoud coalition".
_KINDS_LISTED = re.compile(
    r"\b(?:companies|firms|banks|lenders|groups|militias|factions|parties|movements|carriers|"
    r"airlines|unions|federations|clubs|insurers|producers|operators|majors|conglomerates)"
    r"(?:,| such as| including|, including| like| namely|,? among them)(?: the)? "
    r"(?:[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)*(?:,| and| or)(?: the)? )*$")


def _kind_listed(text: str, start: int, end: int) -> bool:
    """A name in a list after the word for its kind (see _KINDS_LISTED), ending it or the
    phrase, not a clause's subject ("the parties, Netanyahu said")."""
    previous = _previous_word(text, start)
    if not (previous.endswith(",") or previous in ("as", "including", "like", "namely", "them", "and",
                                                    "or", "the")):
        return False
    return _KINDS_LISTED.search(text, max(0, start - 120), start) is not None \
        and _ends_name(text, end) and not _speech_after(text[end:end + 30])


# Words before a name that say where a company is based or listed, or who owns it:
# "Leverkusen-based Covestro", "UAE-based Air Arabia", "state-owned Sonatrach".
_SEATED = ("-based", "-listed", "-owned", "-headquartered")


def _ends_name(text: str, end: int) -> bool:
    """Whether a name ends a noun phrase: no common noun after it that it qualifies ("Rafale
    jets", "the Sadrist movement")."""
    if text[end:end + 1] != " ":
        return True
    word = text[end + 1:text.find(" ", end + 1) if " " in text[end + 1:end + 30] else end + 30].rstrip(",.;:")
    return not word[:1].islower() or word in _AFTER_TRADED


def _workplace(text: str, start: int) -> bool:
    """A name after "<role> ... at": where someone works ("an analyst at Capital
    Economics", "head of research at EFG Hermes")."""
    if _previous_word(text, start) != "at":
        return False
    before = text[max(0, start - 60):start - 4].split()[-5:]
    return any(word.strip(",").lower() in _WORKERS for word in before)


# The roles of people who work at a body ("an economist at X"), not of where they were
# ("elected president at Costa Navarino").
_WORKERS = _words("""
analyst economist researcher professor lecturer fellow strategist scientist expert scholar
partner director head chief executive manager engineer specialist consultant associate
editor correspondent official officials adviser advisor""")


# After a one-word name, words that say it is a body: "a Yemenia official", "Santos chief
# executive ...".
_MEMBER_AFTER = re.compile(r" (?:official|officials|spokesman|spokeswoman|spokesperson|executives|"
                           r"chief executive|CEO|chairman|shareholders|board)\b")
# Roles and holdings only a company has, after its name, its possessive or as a title:
# "OMV's chief executive", "Nvidia Chief Executive Jensen Huang", "Borouge's shares".
_COMPANY_AFTER = re.compile(r"(?:'s|’s) (?:chief executive|CEO|chairman|shareholders|shares|board)\b"
                            r"| (?:Chief Executive|CEO|Chairman and Chief Executive)\b")
# Fighters of an armed group named by its acronym or code: "M23 rebels", "ADF fighters".
_GROUP_AFTER = re.compile(r" (?:rebels|militants|insurgents|fighters|militiamen)\b")
# Any of the words after a one-word name that _one_word_body and _club ask about: most
# names have none after them, found with one match instead of five.
_ANY_AFTER = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in (
    _COMPANY_AFTER, _GROUP_AFTER, _MEMBER_AFTER, _CLUB_AFTER, _PLURAL_AFTER)))


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"“‘'(")
    return start <= 0 or not before or before[-1] in ".!?:;"


def _kind_after(text: str, start: int, end: int) -> bool:
    """"the Sumoud coalition", "Lieberman's Yisrael Beiteinu party", "the left-wing Meretz
    party": a name between "the" or a possessive and the word for its kind."""
    if text[end:end + 1] != " " or text[end + 1:end + 30].split(" ", 1)[0].rstrip(",.;:") not in _KIND_AFTER:
        return False
    previous = _previous_word(text, start)
    if "-" in previous and previous.islower() or previous in _ADJECTIVES and _descriptive(previous, ADJECTIVE):
        previous = _previous_word(text, start - len(previous) - 1)      # "the left-wing Meretz
                                                                        # party", "the Islamist Ra'am party"
    if previous not in ("the", "The") and not (previous[:1].isupper() and previous.endswith(_POSSESSIVE[:2])):
        return False
    # not "the Olympic movement", "the Sadrist movement": adjectives
    return not text[text.rfind(" ", start, end) + 1:end].endswith(("ic", "ist", "ian", "ish", "ese", "ite"))


_SPEECH_AFTER = re.compile(r"\s+(?:has\s+|had\s+|also\s+|later\s+|then\s+|previously\s+|earlier\s+)?([a-z]+)")
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|added|according\s+to|wrote|asked)\s+$")


def _speech_after(after: str) -> bool:
    match = _SPEECH_AFTER.match(after)
    return bool(match) and match.group(1) in _SPEECH


def _speech_before(text: str, start: int) -> bool:
    return bool(_SPEECH_BEFORE.search(text, max(0, start - 16), start))


def _after_venue(text: str, start: int, gazetteer: Gazetteer) -> bool:
    """After "in", "at", "near"...: a place ("near Alam El-Roum"), for a name that only its
    Arabic particles would make a person."""
    word = _previous_word(text, start)
    if word in ("the", "The"):
        word = _previous_word(text, start - 4)
    return word.lower() in gazetteer.venue_words


# Nouns that say the name before them is a place's: "the Amir Kabir dam", "the Abu Salim
# district".
_PLACE_AFTER = _words("""
dam district neighbourhood neighborhood camp field oilfield gasfield crossing area region
province governorate city town village airport port base airbase prison hospital mosque
square street road highway border river valley mountain mountains refinery plant stadium
hotel palace market quarter suburb school bridge checkpoint strait island coast desert lake
sea station compound church shrine museum reservoir basin pipeline terminal discovery
project festival prize award summit accord agreement operation offensive campaign era war
""")
_PLACE_AFTER_PAIRS = {"gas": "field", "air": "base"}      # "gas field", "air base"


def _place_after(after: str) -> bool:
    if after[:1] != " ":
        return False
    word = _word_at(after, 1)
    if word in _PLACE_AFTER:
        return True
    second = _PLACE_AFTER_PAIRS.get(word)
    return second is not None and after[1 + len(word):2 + len(word)] == " " \
        and _word_at(after, 2 + len(word)) == second


def _word_at(text: str, start: int) -> str:
    """The word characters (a regular expression's \\w) from start on."""
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[start:end]


def _arabic(name: Sequence[str]) -> bool:
    """Particles of a transliterated Arabic name: al-, bin, ibn, bint, Abu, Abdul..."""
    return any(map(_arabic_word, name))


@functools.lru_cache(maxsize=65536)
def _arabic_word(word: str) -> bool:
    return word in ("bin", "ibn", "bint", "Al", "El", "al", "el") or _PREFIX.match(word) is not None \
        or "-al-" in word or "-Al-" in word or word.startswith(_ARABIC_LEADS)


_NO_GAZETTEER = None

# --- resolving -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    """A name's word without its particle prefix, compared loosely ("al-Sudani" -> "sudani")."""
    return fold(_PREFIX.sub("", word)).casefold()


@functools.lru_cache(maxsize=65536)
def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words that tell people apart, compared loosely: "Ahmed Awad bin Mubarak" ->
    ("ahmed", "awad", "mubarak")."""
    return tuple(_bare(word) for word in words if word not in _PARTICLES) or (_bare(words[-1]),)


def _resolve(reading: _Reading, texts: Mapping[int, str]) -> tuple[Mention, ...]:
    rules = reading.rules
    organisations = _merge_short_forms(reading)
    body_names = {" ".join(candidate.words).casefold() for candidate in organisations}
    people = [candidate for words, candidate in reading.people.items()
              if not (body_names and " ".join(words).casefold() in body_names) and words not in reading.places]
    _spread_evidence(people, reading.singles, texts, reading.gazetteer)

    # A person named with fewer words is the one with more when first and last names
    # agree, or all the shorter name's words are in the longer one.
    # (The same person's names end alike: each is compared only with the fuller names that
    # end as it does, in the order they were kept, `by_last`.)
    people.sort(key=lambda candidate: -len(candidate.words))
    merged: list[_Candidate] = []
    cores: list[tuple[str, ...]] = []
    by_last: dict[str, list[tuple[_Candidate, tuple[str, ...]]]] = {}
    for candidate in people:
        if not candidate.evidence:
            continue
        core = _core(candidate.words)
        same_last = by_last.setdefault(core[-1], [])
        for fuller, fuller_core in same_last:
            if _same_person(core, fuller_core):
                _merge(fuller, candidate)
                break
        else:
            merged.append(candidate)
            cores.append(core)
            same_last.append((candidate, core))
    for candidate in people:
        if not candidate.evidence:       # a repeat of a full name without its evidence
            core = _core(candidate.words)
            for fuller, fuller_core in by_last.get(core[-1], ()):
                if _same_person(core, fuller_core):
                    fuller.occurrences += candidate.occurrences
                    break

    # one word -> who it may stand for: a surname ("Sudani", "al-Sudani"), an acronym
    surnames: dict[str, list[_Candidate]] = defaultdict(list)
    first_names: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate, core in zip(merged, cores):
        surnames[core[-1]].append(candidate)
        first_names[core[0]].append(candidate)
    acronyms = reading.acronyms
    initials = _initials_of(organisations)
    for single in reading.singles:
        found = acronyms.get(single.word) or initials.get(single.word)
        if found is None:
            options = surnames.get(_bare(single.word)) or (
                first_names.get(_bare(single.word)) if single.titled else None)
            if options:
                found = options[0] if len(options) == 1 else _nearest(options, single)
            elif _one_word_body(single, texts[single.passage], reading.gazetteer):
                lead = single.start if single.lead < 0 else single.lead
                found = _named_within(single.word, [*organisations, *reading.listed.values()], rules)
                if found is not None:       # "Pyramids" for "Pyramids FC", "Ahly" for "Al Ahly"
                    found.add(single.passage, single.start, single.end)
                    continue
                found = reading.organisation(texts[single.passage][lead:single.end].split())
                if found not in organisations:
                    organisations.append(found)
                found.add(single.passage, lead, single.end)
                continue
        if found is not None:
            found.add(single.passage, single.start, single.end, roles=single.roles,
                      countries=single.countries)
    if len(organisations) > 1:
        kept = _merge_short_forms(reading, after_singles=True)
        organisations = [candidate for candidate in organisations if candidate in kept]

    everyone = [*merged, *organisations, *reading.listed.values()]
    _read_title(reading, everyone, surnames, texts)
    everyone = [*merged, *organisations, *reading.listed.values()]
    found = []
    for candidate in everyone:
        mention = _mention(candidate, texts, rules)
        if mention is not None:
            found.append(mention)
    found.sort(key=_first)
    seen: set[tuple[str, str]] = set()
    result = []
    for _, mention in found:
        if (mention.kind, mention.slug) not in seen:
            seen.add((mention.kind, mention.slug))
            result.append(mention)
    return tuple(result)


def _first(item: tuple[_Occurrence, Mention]) -> _Occurrence:
    return item[0]


def _initials_of(organisations: Sequence[_Candidate]) -> dict[str, _Candidate]:
    """The article's bodies by their initials, for an acronym it uses undefined: "EA" for
    "Electronic Arts"."""
    found: dict[str, _Candidate] = {}
    for candidate in organisations:
        words = [word for word in candidate.words if word not in _JOINERS]
        if len(words) > 1 and all(word[:1].isupper() for word in words):
            found.setdefault("".join(word[0] for word in words), candidate)
    return found


def _merge_short_forms(reading: _Reading, after_singles: bool = False) -> list[_Candidate]:
    """The article's bodies, one named by an acronym's first letters and the word its last
    stands for taken for the body of that acronym ("AK Party" for the "Justice and
    Development Party (AKP)"), one with a company's legal suffix for the one without
    ("Covestro AG"), one without "of <country>" for the one with it ("Iran's Atomic Energy
    Organization", the "Atomic Energy Organization of Iran")."""
    organisations = list(reading.organisations.values())
    if not (reading.acronyms or after_singles):
        return organisations
    countries_of: dict[str, _Candidate] = {}     # a body's name without "of <country>" at its end
    if after_singles:
        for candidate in organisations:
            words = candidate.words
            if len(words) > 3 and words[-2] in ("of", "in") and _country(words[-1], reading.gazetteer):
                countries_of.setdefault(" ".join(words[:-2]).casefold(), candidate)
    kept = []
    for candidate in organisations:
        words = candidate.words
        fuller = None
        if not after_singles and len(words) == 2 and words[0].isupper() and words[1] in _HEADS:
            fuller = reading.acronyms.get(words[0] + words[1][0])
        elif after_singles and len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
            fuller = reading.organisations.get(" ".join(words[:-1]).casefold())    # "Covestro AG"
        elif after_singles and len(words) > 1:
            fuller = countries_of.get(" ".join(words).casefold())    # "Atomic Energy Organization"
                                                                    # "... of Iran"
            if fuller is None and words[-1] in _RANKED_HEADS:
                # "Federal Court" for the "Federal Supreme Court"
                fuller = _shortened(candidate, [*organisations, *reading.listed.values()])
        if fuller is not None and fuller is not candidate:
            fuller.occurrences += candidate.occurrences
            continue
        kept.append(candidate)
    return kept


_LEGAL_SUFFIXES = _words("AG GmbH SpA NV Inc Inc. Ltd Ltd. LLC PLC Corp Corp. Co Co.")


def _named_within(word: str, organisations: Sequence[_Candidate],
                  rules: EntityRules) -> _Candidate | None:
    """The one club of the article with this word in a name of more words, a word of its
    own (not a head, a joining word or a particle): clubs go by a short form ("Pyramids",
    "Ahly"), where a company's is often another body (Borouge of Borouge Group
    International)."""
    found = None
    for candidate in organisations:
        words = candidate.words
        club = words[-1] in _CLUB_HEADS if candidate.listed is None \
            else rules.entities[candidate.listed].category == "club"
        if club and candidate.kind == "organisation" and len(words) > 1 and word in words \
                and word not in _HEADS and word not in _JOINERS and word not in _PARTICLES:
            if found is not None and found is not candidate:
                return None
            found = candidate
    return found


def _shortened(candidate: _Candidate, organisations: Sequence[_Candidate]) -> _Candidate | None:
    """The one longer body of the article whose name holds this one's words in order, with
    the same first and last word: the "Federal Supreme Court" for the "Federal Court"."""
    words = candidate.words
    found = None
    for other in organisations:
        longer = other.words
        if len(longer) > len(words) and longer[0] == words[0] and longer[-1] == words[-1] \
                and _subsequence_of(words, longer):
            if found is not None:
                return None
            found = other
    return found


def _subsequence_of(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


def _spread_evidence(people: list[_Candidate], singles: Sequence[_Single],
                     texts: Mapping[int, str], gazetteer: Gazetteer) -> None:
    """Names the text does not mark where they stand, marked by the rest of the article: a
    list with a person in it ("Alia Swastika, Amal Khalaf and ..."), a family name a
    person has ("Belqasem Haftar" beside "Khalifa Haftar"), a surname the article then uses
    alone ("Wilders said")."""
    unmarked = [candidate for candidate in people if not candidate.evidence]
    if not unmarked:
        return
    # a surname alone as people's are ("Wilders said", "Lategan attacked"), not as a
    # place's ("travelled to Milan") or a team's ("the Bulls")
    lasts = {_core(candidate.words)[-1] for candidate in unmarked}
    alone = {_bare(single.word) for single in singles if _bare(single.word) in lasts
             and (single.titled or _previous_word(texts[single.passage], single.start).lower()
                  not in _NOT_BEFORE_SURNAME and not _after_venue(texts[single.passage], single.start, gazetteer))}
    # lists: neighbouring names in one passage joined by a comma or "and"
    by_passage: dict[int, list[tuple[int, int, _Candidate]]] = defaultdict(list)
    for candidate in people:
        for passage, start, end in candidate.occurrences:
            by_passage[passage].append((start, end, candidate))
    links: dict[int, set[int]] = defaultdict(set)
    index = {id(candidate): candidate for candidate in people}
    for passage, spans in by_passage.items():
        spans.sort(key=lambda item: item[0])
        text = texts[passage]
        for (_, end, left), (start, _, right) in zip(spans, spans[1:]):
            if text[end:start] in (", ", " and ", ", and ") and left is not right:
                links[id(left)].add(id(right))
                links[id(right)].add(id(left))
    for _ in range(2):
        families = {_core(candidate.words)[-1] for candidate in people if candidate.evidence}
        for candidate in unmarked:
            if candidate.evidence:
                continue
            last = _core(candidate.words)[-1]
            if any(index[other].evidence for other in links.get(id(candidate), ())) \
                    or (last in families or last in alone) and not candidate.weak:
                candidate.evidence = True


_NOT_BEFORE_SURNAME = _words("the of from a an this that")


def _same_person(shorter: Sequence[str], longer: Sequence[str]) -> bool:
    if not shorter or not longer or shorter[-1] != longer[-1]:
        return False
    return shorter[0] == longer[0] or set(shorter) <= set(longer)


def _merge(fuller: _Candidate, other: _Candidate) -> None:
    fuller.occurrences += other.occurrences
    for role in other.roles:
        if role not in fuller.roles:
            fuller.roles.append(role)
    fuller.countries |= other.countries


def _nearest(options: Sequence[_Candidate], single: _Single) -> _Candidate:
    """Of two people with one surname, the one named last before the word (else the first)."""
    order = (single.passage + 1, single.start)
    order = (single.passage, single.start, single.end)
    named = [(max((o for o in candidate.occurrences if o <= order), default=(-9, 0, 0)), index)
             for index, candidate in enumerate(options)]
    return options[max(named)[1]]


def _read_title(reading: _Reading, everyone: Sequence[_Candidate],
                surnames: Mapping[str, list[_Candidate]], texts: Mapping[int, str]) -> None:
    """The title's mentions: its words are all capitalised, so only names the rest of the
    article (or entities.yaml) establishes are read there."""
    known: dict[tuple[str, ...], _Candidate] = {}
    for candidate in everyone:
        known.setdefault(tuple(candidate.words), candidate)
    for acronym, candidate in reading.acronyms.items():
        known.setdefault((acronym,), candidate)
    # first word -> the lengths of the names it may open (only those are tried)
    opening: dict[str, set[int]] = {}
    for words in known:
        opening.setdefault(words[0], {1}).add(len(words))
    forms, lengths = reading.rules.forms, reading.rules.lengths
    for words, offsets in reading.title_runs:
        i = 0
        while i < len(words):
            word = words[i]
            tried = opening.get(word)
            listed = lengths.get(word)
            hit = None
            if tried is None and listed is None:
                options = surnames.get(_bare(word))         # a surname, alone
                if options and len(options) == 1:
                    hit = (1, options[0])
            else:
                longest = min(6, len(words) - i)
                tried = tried.union(listed) if tried is not None and listed else tried or {1, *listed}
                for length in sorted((length for length in tried if length <= longest), reverse=True):
                    form = tuple(words[i:i + length])
                    index = forms.get(form)
                    if index is not None:
                        hit = (length, reading.listed_entity(index) if index != EXCLUDED else None)
                        break
                    candidate = known.get(form)
                    if candidate is None and length == 1:
                        options = surnames.get(_bare(word))
                        candidate = options[0] if options and len(options) == 1 else None
                    if candidate is not None:
                        hit = (length, candidate)
                        break
            if hit is None:
                i += 1
                continue
            length, candidate = hit
            if candidate is not None:
                candidate.add(-1, offsets[i], offsets[i + length - 1] + len(words[i + length - 1]))
            i += length


_PLAIN_NAME = re.compile(r"[A-Za-z0-9 '.-]+")
_SLUG_WORDS = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=65536)
def _slug(name: str) -> str:
    """python-slugify's slug of a name; for a plain ASCII name, made the quick way (the same
    slug: its words in lower case joined by hyphens; python-slugify takes some 10 us)."""
    if _PLAIN_NAME.fullmatch(name):
        return "-".join(_SLUG_WORDS.findall(name.lower()))
    return slugify(name)


@functools.lru_cache(maxsize=65536)
def _name_keys(name: str) -> tuple[str, str]:
    """A name compared loosely, and its slug."""
    return normalise(name), _slug(name)


def _mention(candidate: _Candidate, texts: Mapping[int, str],
             rules: EntityRules) -> tuple[_Occurrence, Mention] | None:
    """The mention of a candidate, after where it is first named (None: not one to show)."""
    occurrences = candidate.occurrences
    if not occurrences:
        return None
    if len(occurrences) > 1:
        occurrences = sorted(occurrences)
    entity = rules.entities[candidate.listed] if candidate.listed is not None else None
    if entity is not None:
        name = entity.name
    else:
        # the fullest form the article gives (the first of equals), not a title's
        most, best_at = 0, None
        for occurrence in occurrences:
            if occurrence[0] >= 0:
                count = texts[occurrence[0]].count(" ", occurrence[1], occurrence[2]) + 1  # its words
                if count > most:
                    most, best_at = count, occurrence
        if best_at is None:
            return None
        best = texts[best_at[0]][best_at[1]:best_at[2]].split()
        if candidate.kind == "organisation" and best[0] in ("The", "the"):
            best = best[1:]
        name = " ".join(best)
    normalised, slug = _name_keys(name)
    if not slug or normalised in rules.excluded:
        return None
    first = occurrences[0]
    if first[0] < 1:
        for occurrence in occurrences:
            if occurrence[0] >= 1:
                first = occurrence
                break
    passage, begin, finish = first
    in_body = passage >= 1
    text = texts[passage]
    sentence = sentence_at(text, begin)
    sentence = " ".join(sentence.split()) if "  " in sentence or "\n" in sentence else sentence.strip()
    countries = candidate.countries
    if entity is None:
        roles = tuple(candidate.roles)
        category = ""
    else:
        merged = list(candidate.roles)
        merged += [role for role in entity.roles if role not in merged]
        roles = tuple(merged)
        countries = countries.union(entity.countries)
        category = entity.category
    # a Mention made from its fields in order (slug, name, kind, roles, countries, category,
    # paragraph, surface, sentence, mentions, listed), without NamedTuple's keyword handling
    return occurrences[0], _new_mention(Mention, (
        slug, name, candidate.kind, roles,
        tuple(sorted(countries)) if len(countries) > 1 else tuple(countries), category,
        passage if in_body else 0, text[begin:finish] if in_body else "", sentence,
        len({(o[0], o[1]) for o in occurrences}) if len(occurrences) > 1 else 1, entity is not None))


_new_mention = tuple.__new__
