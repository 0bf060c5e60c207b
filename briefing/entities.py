"""People and organisations named in an article, found from what the text itself says.

No language model: an article's names are read from the words around them, the way a
reader of this newspaper recognises them.
- A name is a run of capitalised words, with the particles Arabic names carry in
  transliteration (al-, bin, Abu, Abdul...). Each run is split into what its words are:
  a name listed in content/entities.yaml, a country, demonym or city (the gazetteer's),
  a title or role ("Iraqi Prime Minister"), a body's kind ("... Council", "... Forces"),
  and what is left, the name proper.
- A person is a name of two words or more that the text marks as one: a title or role
  before it ("Foreign Minister ...", "UN envoy ..."), one after it (", a researcher at"),
  an Arabic particle, a common given name, or a verb of speech ("..., said X").
  A name given as one word only is no person (unless entities.yaml lists it).
- An organisation is listed, or named with the word for its kind ("Supreme Judicial
  Council", "Central Bank of Iraq"), or defined with an acronym ("Popular Mobilization
  Forces (PMF)"). A generic body ("the Iraqi Foreign Ministry", "Lebanese army") is not
  one: the convention leaves those to editors.
- Later mentions by surname or acronym are resolved to the full name within the article;
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
from .markup import sentence_spans
from .model import BuildError

# Part of the rules' fingerprint: bump when a code change alters what is extracted, so a
# build cache keyed on it extracts again.
ENTITIES_VERSION = "1"
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
# Word classes are closed lists of English news usage, not knowledge of particular
# entities (that is entities.yaml's): they say what a capitalised word is doing.


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
Just Again Yes Please Let Perhaps Maybe Although Whether Unless Until Upon Via Toward
Towards Around Beyond Near Behind Beside Besides Throughout Regarding Concerning Given
Sources Officials Analysts Observers Residents Witnesses Critics Experts Diplomats Many
Dear Thank Thanks Welcome Hello Oh Well Why Is Are Was Were Be Been Has Have Had Do Does
Did Can Could Will Would Shall Should May Might Must Mr Mrs Ms One Two Three Four Five Six
Seven Eight Nine Ten Dozens Hundreds Thousands Millions Billions Half Part
""")

# Capitalised words that are never part of a name: days, months, seasons, feasts,
# currencies, generic nouns of headline case.
_NOT_NAME = _words("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
Oct Nov Dec Spring Summer Autumn Winter Ramadan Eid Hajj Umrah Christmas Easter Ashura
Nowruz Hanukkah Passover Diwali Muharram Mawlid Arbaeen Dollar Dollars Euro Euros Riyal
Riyals Dirham Dirhams Dinar Dinars Pound Pounds Lira Rial Rials Shekel Shekels Yuan Yen
Rouble Roubles Ruble Rubles Internet Covid COVID-19 Coronavirus God Allah Quran Koran Bible
Islam Christianity Judaism Sunni Sunnis Shiite Shiites Shia Shiism Alawite Alawites Druze
Kurd Kurds Kurdish Arab Arabs Arabic Arabian Islamic Muslim Muslims Christian Christians
Jewish Jews Jew Western Eastern Northern Southern Central North South East West English
Persian Hebrew Turkic Berber Amazigh Bedouin Coptic Maronite Orthodox Catholic Catholics
Evangelical Zionist Zionism Israeli-Palestinian Arab-Israeli
Page Pages Chapter Article Articles Photo Photos Video Videos File Files Image Images
Reporting Editing Writing Update Updated Breaking Exclusive Analysis Opinion Interview
Read Watch Listen Live News
""")

# Titles a name is given: they mark what follows as a person's name, and are no role.
_HONORIFICS = _words("""
Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Sheikh Sheikha Sayyed Sayyid Sayed Haj Hajj Hajji Sir Dame
Lord Lady Mullah Monsignor Rev Rev.
""")

# Nouns of the roles people have, as they stand before a name ("Foreign Minister X",
# "envoy X") or head a phrase after it (", the group's spokesman"). Lower case; a
# capitalised word of a run is looked up lower-cased.
_ROLE_NOUNS = _words("""
president vice-president president-elect minister premier chancellor king queen prince
princess emir amir sultan crown-prince monarch heir leader chief head commander
commander-in-chief general gen. lt. lieutenant col. colonel maj. major brig. brigadier
capt. captain adm. admiral marshal sgt. sergeant corporal private secretary
secretary-general under-secretary undersecretary speaker chairman chairwoman chairperson
chair director director-general governor mayor ambassador envoy representative rapporteur
coordinator commissioner spokesman spokeswoman spokesperson senator sen. rep. congressman
congresswoman lawmaker legislator mp deputy judge prosecutor attorney lawyer patriarch pope
cardinal archbishop bishop mufti imam ayatollah rabbi cleric preacher scholar professor
prof. researcher analyst expert economist journalist reporter correspondent editor writer
author novelist poet artist filmmaker actor actress singer musician composer photographer
coach manager striker midfielder defender goalkeeper player footballer forward winger
athlete champion runner boxer activist campaigner candidate negotiator mediator diplomat
adviser advisor counsellor counselor aide official officer inspector administrator
founder co-founder ceo cfo coo owner investor banker businessman businesswoman tycoon
billionaire entrepreneur executive president member commissioner custodian ruler regent
doctor physician surgeon nurse engineer architect teacher student farmer resident son
daughter father mother brother sister wife husband widow uncle nephew niece cousin
grandson granddaughter relative spokesperson presenter anchor host blogger dissident
militant fighter soldier pilot colonel chieftain prosecutor-general attorney-general
ombudsman auditor treasurer registrar dean rector chancellor captain skipper referee
""")

# Words that make a role with the noun after them ("Prime Minister", "Foreign
# Minister", "Special Envoy") and never start a name.
_ROLE_MODIFIERS = _words("""
prime foreign defense defence interior finance economy economic oil energy petroleum health
justice education information culture transport trade industry agriculture water
electricity planning labor labour housing tourism sports youth communications
telecommunications environment media affairs awqaf endowments religious higher social
state deputy vice acting interim caretaker former late special senior chief grand supreme
high assistant executive general crown field associate top military political security
national presidential royal
""")

# The last word of an organisation's name says what kind of body it is.
_ORG_HEADS = _words("""
Party Movement Front Forces Force Brigades Brigade Battalions Battalion Corps Guards Guard
Militia Militias Army Council Councils Assembly Parliament Congress Senate Committee
Commission Authority Agency Bureau Office Organization Organisation Organizations
Organisations Union Federation League Alliance Coalition Bloc Framework Association
Syndicate Society Institute Institution Foundation Fund Bank Company Corporation Corp
Group Holding Holdings Industries Airways Airlines Network Centre Center University
College Academy School Court Tribunal Ministry Ministries Government Cabinet Presidency
Police Navy Administration Directorate Department Service Services Unit Units Club FC
Team Trust Exchange Chamber Board Observatory Initiative Mission Programme Program
Watch Crescent Cross Inc Ltd LLC PLC Co
""")

# Bodies every state has: by these words alone, with a country or a portfolio, they are
# the convention's generic state bodies ("the Iraqi Foreign Ministry"), not named ones.
_GENERIC_HEADS = _words("""
Ministry Ministries Government Cabinet Presidency Police Navy Army Administration
Directorate Department Office Embassy Consulate Parliament Senate Congress Judiciary
Municipality Service Services Unit Units Forces Force Guard Military Team
""")
_GENERIC_MODIFIERS = _words("""
Armed Security Air Naval Ground Special Federal State National Interim Transitional
Caretaker Royal Presidential Military Border Coast Civil Defense Defence Interior
Foreign Finance Health Justice Education Information Culture Economy Oil Energy Trade
Industry Agriculture Water Electricity Planning Labor Labour Housing Tourism Transport
Environment Religious Endowments Affairs Public General Local Regional Provincial
Municipal Central New Old Current Previous Former Iraqi Syrian Lebanese Israeli
""")

# An organisation's name may run on with "of ..." ("Central Bank of Iraq") after these.
_OF_HEADS = _ORG_HEADS | _words("House Houses Chamber Board Order")

# Arabic words that open the name of a group ("Saraya al-Quds", "Jaysh al-Adl").
_ORG_OPENERS = _words("""
Jaysh Jaish Jeish Saraya Kataib Kata'ib Kataeb Liwa Harakat Hizb Jabhat Jabha Ahrar Ansar
Asaib Asa'ib Faylaq Failaq Tanzim Tayyar Jamaat Jamaa Jama'at Junud Quwat Majlis Hayat
Hay'at Ittihad Rabita Dar
""")

# Words that open the name of a place ("Deir al-Zor", "Khan Younis", "Ras al-Khaimah").
_PLACE_OPENERS = _words("""
Deir Dayr Ain Ayn Jabal Jebel Jabel Bab Wadi Kafr Kfar Tell Tal Tel Beit Bayt Jisr Ras
Umm Bir Bint Khirbet Marj Nahr Qasr Souq Suq Sharm Hay Hayy Majdal Khan Mazraat Madinat
Mount Lake Cape Port Fort Saint St. San Santa Sidi Bani Beni Arab Tall Qalaat Wadi
""")

# The last word of a place's or a thing's name: no person, no organisation.
_PLACE_ENDS = _words("""
Mosque Mosques Church Cathedral Synagogue Shrine Temple Square Street Road Avenue Highway
Bridge Dam Airport Port Harbour Harbor Station Stadium Arena Hospital Clinic Hotel Palace
Tower Towers Mall Market Souk Camp Camps Crossing Checkpoint Strait Straits Sea Gulf Ocean
River Lake Canal Valley Mountain Mountains Desert Island Islands Peninsula Plain Plains
Heights Hills Hill Field Fields Base Prison Jail Park Garden Gardens Village City Town
District Province Governorate Region Quarter Neighbourhood Neighborhood Compound Zone
Corridor Causeway Gate Wall Building Centre Museum Library Plant Refinery Terminal
Pipeline Reactor Facility Agreement Accord Accords Treaty Deal Plan Initiative Roadmap
Resolution Declaration Protocol Act Law Bill Charter Constitution Vision Strategy Summit
Conference Forum Festival Expo Exhibition Cup Trophy Prize Award Awards Games Olympics
Championship Championships Tournament League Day Week Year Era War Wars Revolution
Uprising Intifada Massacre Crisis Spring Operation Storm Flood Campaign Report Index
Doctrine Project Programme Program Scheme Fire Earthquake Pandemic Virus Syndrome
Convention Talks Process Dialogue
""")

# Nouns that say the name beside them is an organisation ("the militia Kataib ...",
# "X, an Iran-backed group").
_ORG_NOUNS = _words("""
militia militias group groups faction factions party parties movement movements company
companies firm firms bank banks organisation organization organisations organizations
alliance coalition network charity charities agency agencies bloc club team union
syndicate federation association institute university body outfit brigade brigades
battalion battalions newspaper broadcaster channel daily website startup start-up giant
conglomerate operator carrier airline producer manufacturer insurer lender fund
""")

_SPEECH = _words("""
said says told added stated noted explained stressed warned argued wrote insisted
confirmed announced declared urged affirmed asserted emphasized emphasised replied
acknowledged claimed reiterated pointed
""")

# Particles inside a transliterated name: lower-case words between its parts, and the
# capitalised ones ("Al Thani", "El-Sisi").
_JOINERS = _words("of for and of the for the")
_PARTICLES = _words("bin ibn bint ben bou abu al el de del della di da du dos das van von der den la le ould wuld")
_CAP_PARTICLES = _words("Al El")
_ARABIC_LEADS = ("Abdul", "Abdel", "Abdal", "Abdol", "Abd", "Abu", "Abou", "Aboul", "Umm")
_PREFIX = re.compile(r"^(?:[Aa]l|[Ee]l|[Aa]d|[Aa]n|[Aa]r|[Aa]s|[Aa]sh|[Aa]t|[Aa]z|[Ee]z|[Uu]l|[Uu]d)-(?=\w)")

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
    for section, kind in (("people", "person"), ("organisations", "organisation")):
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise BuildError(f"`{section}` must be a list of entries, each with a `name`",
                             path, line_of(data, section))
        for index, entry in enumerate(entries):
            entities.append(_entry(entry, kind, path, line_of(entries, index), gazetteer))
    exclude = _strings(data, "exclude", path) if "exclude" in data else ()
    minimum = data.get("min_articles", DEFAULT_MIN_ARTICLES)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise BuildError(f"`min_articles` must be a whole number, 1 or more, not {minimum!r}",
                         path, line_of(data, "min_articles"))

    forms: dict[tuple[str, ...], int] = {}
    owners: dict[str, ListedEntity] = {}
    for number, entity in enumerate(entities):
        for text_ in (entity.name, *entity.aliases):
            key = normalise(text_)
            other = owners.get(key)
            if other is not None and other is not entity:
                raise BuildError(f"{text_!r} is listed twice: under {other.name!r} (line "
                                 f"{other.line}) and {entity.name!r}; keep one", path, entity.line)
            if other is entity and text_ != entity.name and normalise(entity.name) == key:
                continue
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


# --- reading an article -------------------------------------------------------------------

# A run of capitalised words: names, with the particles of transliterated names inside
# ("Mohammed bin Salman", "Abdul-Malik al-Houthi") and the joining words of bodies'
# names ("Central Bank of Iraq"); a possessive "'s" after it; an acronym defined after it.
_CAP = "A-ZÀ-ÖØ-Þ"
_ABBREVIATION = r"(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Brig|Capt|Sgt|Adm|Prof|Sen|Rep|Gov|Rev|Jr|Sr|St)\."
_WORD = (rf"(?:(?:[a-z]{{1,3}}-)?[{_CAP}][\w]*(?:['’](?!s\b)\w+)*"
         rf"(?:-(?:[a-z]{{1,3}}-)?[{_CAP}\d][\w]*(?:['’](?!s\b)\w+)*)*\+?)")
_INITIALS = rf"(?:[{_CAP}]\.){{2,}}|[{_CAP}]\.(?=\s[{_CAP}])"
_ELEMENT = rf"(?:{_ABBREVIATION}|{_INITIALS}|{_WORD})"
_LINK = r"(?:\s(?:(?:bin|ibn|bint|ben|bou|abu|al|el|de|del|di|da|du|dos|van|von|der|den|la|le|ould|of|for|and|of\sthe|for\sthe)\s)?)"
_RUN = re.compile(
    rf"(?<![\w'’.-])(?P<run>{_ELEMENT}(?:{_LINK}{_ELEMENT})*)"
    rf"(?P<possessive>['’]s?\b)?"
    rf"(?:\s\((?P<acronym>[{_CAP}][\w&+.\-]{{1,11}})\))?")
_ACRONYM = re.compile(r"[A-Z].*[A-Z]")
_CREDIT = re.compile(r"\s*\([^()]*\)\s*[.]?\s*$")
_WORD_SPLIT = re.compile(r"\S+")

# kinds of the words of a run
KNOWN, GAZ, NAME, ROLE, MODIFIER, HONORIFIC, JOIN, PARTICLE, HEAD, STOPPER = range(10)


@dataclass
class _Occurrence:
    """One place an entity is named: passage (-1 title, 0 caption, n paragraph n) and
    character span in that passage's text."""

    passage: int
    start: int
    end: int

    @property
    def order(self) -> tuple[int, int]:
        return (self.passage + 1, self.start)


@dataclass
class _Candidate:
    """A person or organisation while one article is read (mutable, local to a call)."""

    kind: EntityKind
    words: tuple[str, ...]
    occurrences: list[_Occurrence] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    listed: int | None = None          # index in rules.entities
    evidence: bool = False
    acronyms: set[str] = field(default_factory=set)

    def add(self, passage: int, start: int, end: int, roles=(), countries=()) -> None:
        self.occurrences.append(_Occurrence(passage, start, end))
        for role in roles:
            if role and role not in self.roles:
                self.roles.append(role)
        self.countries.update(countries)


@dataclass
class _Single:
    """A capitalised word left over (a surname, an acronym, a first name after a title)."""

    word: str
    passage: int
    start: int
    end: int
    titled: bool = False               # after a title or honorific ("President Aoun")
    roles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


@dataclass
class _Reading:
    """What one article's runs say, before names are resolved."""

    people: dict[str, _Candidate] = field(default_factory=dict)    # normalised name ->
    organisations: dict[str, _Candidate] = field(default_factory=dict)
    singles: list[_Single] = field(default_factory=list)
    title_runs: list[tuple[list[str], list[int], int]] = field(default_factory=list)
    acronyms: dict[str, _Candidate] = field(default_factory=dict)


def extract_entities(title: str, caption: str | None, paragraphs: Sequence[str],
                     rules: EntityRules, gazetteer: Gazetteer) -> tuple[Mention, ...]:
    """The people and organisations the article names, in order of first mention.

    `paragraphs` are the plain texts of the body's paragraphs; `caption` may end with a
    credit ("(AFP)"), which is not read."""
    reading = _Reading()
    texts: dict[int, str] = {-1: title or ""}
    if caption:
        credit = _CREDIT.search(caption)
        texts[0] = caption[:credit.start()] if credit else caption
    for number, text in enumerate(paragraphs, 1):
        texts[number] = text
    for number, text in texts.items():
        if number >= 0 and text:
            _read_passage(text, number, reading, rules, gazetteer)
    if title:
        for match in _RUN.finditer(title):
            words, offsets = _split(match)
            reading.title_runs.append((words, offsets, match.start("run")))
    return _resolve(reading, texts, rules)


def _split(match: re.Match) -> tuple[list[str], list[int]]:
    base = match.start("run")
    words, offsets = [], []
    for part in _WORD_SPLIT.finditer(match.group("run")):
        words.append(part.group())
        offsets.append(base + part.start())
    return words, offsets


def _read_passage(text: str, number: int, reading: _Reading, rules: EntityRules,
                  gazetteer: Gazetteer) -> None:
    for match in _RUN.finditer(text):
        words, offsets = _split(match)
        while words and (words[0] in _STOP or words[0] in _JOINERS or words[0] in _PARTICLES):
            del words[0], offsets[0]
        while words and (words[-1] in _JOINERS or words[-1] in _PARTICLES):
            del words[-1], offsets[-1]
        if not words:
            continue
        _read_run(words, offsets, match, text, number, reading, rules, gazetteer)


def _kinds(words: list[str], rules: EntityRules, gazetteer: Gazetteer
           ) -> list[tuple[int, int, int, Any]]:
    """Split a run's words into segments (kind, first word, end, data): a listed name
    (data: its index), a place (data: country codes), or one word of another kind."""
    segments: list[tuple[int, int, int, Any]] = []
    forms, lengths = rules.forms, rules.lengths
    count = len(words)
    i = 0
    while i < count:
        word = words[i]
        found = None
        for length in lengths.get(word, ()):
            if i + length <= count:
                index = forms.get(tuple(words[i:i + length]))
                if index is not None:
                    found = (length, index)
                    break
        if found is not None:
            segments.append((KNOWN, i, i + found[0], found[1]))
            i += found[0]
            continue
        place = _place(words, i, gazetteer)
        if place is not None and not (
                place[0] == 1 and word in gazetteer.person_names and i + 1 < count
                and _word_kind(words[i + 1]) == NAME):
            segments.append((GAZ, i, i + place[0], place[1]))
            i += place[0]
            continue
        segments.append((_word_kind(word), i, i + 1, None))
        i += 1
    return segments


@functools.lru_cache(maxsize=65536)
def _word_kind(word: str) -> int:
    if word in _JOINERS:
        return JOIN
    if word in _PARTICLES or word in _CAP_PARTICLES:
        return PARTICLE
    if word in _HONORIFICS:
        return HONORIFIC
    if word in _STOP or word in _NOT_NAME or any(ch.isdigit() for ch in word):
        return STOPPER
    if word in _ORG_HEADS:
        return HEAD
    lower = word.lower()
    if lower in _ROLE_NOUNS and word not in _GIVEN_NAMES:
        return ROLE
    if lower in _ROLE_MODIFIERS:
        return MODIFIER
    return NAME


@functools.lru_cache(maxsize=65536)
def _gazetteer_tokens(word: str) -> tuple[str, ...]:
    return tuple(tokenize(word))


def _place(words: list[str], i: int, gazetteer: Gazetteer) -> tuple[int, tuple[str, ...]] | None:
    """(number of words, country codes) of a gazetteer name starting at words[i]."""
    first = _gazetteer_tokens(words[i])
    if not first or first[0] not in gazetteer.start_words:
        return None
    names = gazetteer.names
    for length in range(min(4, len(words) - i), 0, -1):
        key = first
        for word in words[i + 1:i + length]:
            key += _gazetteer_tokens(word)
        name = names.get(key)
        if name is not None and not name.never and name.codes:
            if name.weak and (length == 1 and words[i] in _GIVEN_NAMES):
                continue
            return length, (name.codes if len(name.codes) == 1 and not name.weak else ())
    return None


def _read_run(words: list[str], offsets: list[int], match: re.Match, text: str, number: int,
              reading: _Reading, rules: EntityRules, gazetteer: Gazetteer) -> None:
    segments = _kinds(words, rules, gazetteer)
    # A listed name right after a name word is part of a longer name ("Kataib Hezbollah"
    # is not Hezbollah): read those words again without the list.
    for position, (kind, first, end, data) in enumerate(segments):
        if kind == KNOWN and data != EXCLUDED and position and segments[position - 1][0] == NAME \
                and end - first == 1:
            segments[position] = (_word_kind(words[first]), first, end, None)

    def span(first: int, end: int) -> tuple[int, int]:
        return offsets[first], offsets[end - 1] + len(words[end - 1])

    used = [False] * len(segments)
    # 1. listed names
    for position, (kind, first, end, data) in enumerate(segments):
        if kind == KNOWN:
            used[position] = True
            if data != EXCLUDED:
                entity = rules.entities[data]
                candidate = _listed(reading, entity, data)
                start, stop = span(first, end)
                candidate.add(number, start, stop)
    # 2. bodies named by their kind ("Supreme Judicial Council", "Central Bank of Iraq")
    for position, (kind, first, end, data) in enumerate(segments):
        if kind != HEAD or used[position]:
            continue
        left = position
        while left > 0 and not used[left - 1] and segments[left - 1][0] in (NAME, GAZ, MODIFIER, HEAD, PARTICLE):
            left -= 1
        right = position + 1
        if words[first] in _OF_HEADS:
            while right + 1 < len(segments) and segments[right][0] == JOIN \
                    and words[segments[right][1]] != "and" \
                    and segments[right + 1][0] in (NAME, GAZ, MODIFIER, HEAD, PARTICLE, KNOWN):
                probe = right + 1
                while probe < len(segments) and segments[probe][0] in (NAME, GAZ, MODIFIER, HEAD, PARTICLE, KNOWN):
                    probe += 1
                right = probe
                if right < len(segments) and segments[right][0] == JOIN and words[segments[right][1]] == "and" \
                        and right + 1 < len(segments) and segments[right + 1][0] in (NAME, MODIFIER, HEAD):
                    probe = right + 1
                    while probe < len(segments) and segments[probe][0] in (NAME, MODIFIER, HEAD, PARTICLE):
                        probe += 1
                    right = probe
        for taken in range(left, right):
            used[taken] = True
        if left == position and right == position + 1:
            continue        # "Council" alone names nothing
        name_words = words[segments[left][1]:segments[right - 1][2]]
        if _generic(segments[left:right], words):
            continue
        if name_words[-1] in _PLACE_ENDS and right == position + 1:
            continue
        start, stop = span(segments[left][1], segments[right - 1][2])
        codes = [code for seg in segments[left:right] if seg[0] == GAZ for code in seg[3]]
        codes += _possessive_country(text, start, gazetteer)
        candidate = _organisation(reading, name_words)
        candidate.evidence = True
        candidate.add(number, start, stop, countries=codes)
    # 3. the rest: names proper, with the titles and roles before them
    position = 0
    count = len(segments)
    while position < count:
        kind = segments[position][0]
        if used[position] or kind not in (NAME, PARTICLE):
            position += 1
            continue
        end = position
        while end < count and not used[end] and segments[end][0] in (NAME, PARTICLE):
            end += 1
        while end > position and segments[end - 1][0] == PARTICLE and words[segments[end - 1][1]] not in _CAP_PARTICLES:
            end -= 1
        if end == position:
            position += 1
            continue
        for taken in range(position, end):
            used[taken] = True
        _read_name(words, offsets, segments, position, end, match, text, number, reading,
                   rules, gazetteer)
        position = end


def _generic(segments, words) -> bool:
    """A state body named by description: a generic head ("Ministry", "Army") with only
    countries and portfolio words, or any head with only countries ("Iraqi Forces")."""
    head_generic = any(seg[0] == HEAD and words[seg[1]] in _GENERIC_HEADS for seg in segments)
    proper = False
    for kind, first, end, _ in segments:
        if kind in (GAZ, JOIN):
            continue
        word = words[first]
        if kind == HEAD:
            if word not in _GENERIC_HEADS and len(segments) > 1 and any(
                    seg[0] not in (GAZ, JOIN, HEAD) for seg in segments):
                proper = True
            continue
        if word in _GENERIC_MODIFIERS or kind == MODIFIER:
            continue
        proper = True
    if not head_generic:
        return not any(seg[0] not in (GAZ, JOIN, HEAD) or (seg[0] == HEAD and seg is not segments[-1])
                       for seg in segments)
    return not proper


def _listed(reading: _Reading, entity: ListedEntity, index: int) -> _Candidate:
    table = reading.people if entity.kind == "person" else reading.organisations
    key = normalise(entity.name)
    candidate = table.get(key)
    if candidate is None:
        candidate = table[key] = _Candidate(entity.kind, tuple(entity.name.split()),
                                            listed=index, evidence=True)
    return candidate


def _organisation(reading: _Reading, words: Sequence[str]) -> _Candidate:
    words = tuple(words)
    if words and words[0] in ("The", "the"):
        words = words[1:]
    key = normalise(" ".join(words))
    candidate = reading.organisations.get(key)
    if candidate is None:
        candidate = reading.organisations[key] = _Candidate("organisation", words)
    return candidate


def _possessive_country(text: str, start: int, gazetteer: Gazetteer) -> list[str]:
    """The country of a possessive just before `start` ("Libya's Presidential Council")."""
    before = text[max(0, start - 40):start]
    match = re.search(r"([A-Z][\w.-]*(?: [A-Z][\w.-]*)?)['’]s\s+$", before)
    if not match:
        return []
    name = gazetteer.names.get(tuple(tokenize(match.group(1))))
    if name is None or name.never or name.weak or len(name.codes) != 1:
        return []
    return [name.codes[0]]


def _read_name(words, offsets, segments, position, end, match, text, number, reading,
               rules, gazetteer) -> None:
    first_word, end_word = segments[position][1], segments[end - 1][2]
    name = words[first_word:end_word]
    start = offsets[first_word]
    stop = offsets[end_word - 1] + len(words[end_word - 1])
    roles, countries, titled, after_join = _roles_in_run(words, segments, position)
    outside_roles, outside_countries, outside_evidence, org_before = (), (), False, False
    if position == 0 or all(seg[0] == GAZ for seg in segments[:position]):
        outside_roles, outside_countries, outside_evidence, org_before = _role_before(
            text, offsets[segments[0][1]], gazetteer)
    core = [word for word in name if word not in _PARTICLES and word not in _CAP_PARTICLES]
    if len(core) < 2 or after_join and not titled:
        if len(core) == 1 and not after_join:
            reading.singles.append(_Single(core[0], number, offsets[first_word + name.index(core[0])],
                                           offsets[first_word + name.index(core[0])] + len(core[0]),
                                           titled=titled or outside_evidence,
                                           roles=tuple(roles) + tuple(outside_roles),
                                           countries=tuple(countries) + tuple(outside_countries)))
        return
    # The acronym defined after the run names an organisation ("... Forces (PMF)").
    is_last = end_word == len(words)
    acronym = match.group("acronym") if is_last else None
    if acronym and _ACRONYM.match(acronym) and not match.group("possessive") \
            and _initials_fit(acronym, name):
        candidate = _organisation(reading, name)
        candidate.evidence = True
        candidate.acronyms.add(acronym)
        candidate.add(number, start, stop, countries=countries + list(_possessive_country(text, start, gazetteer)))
        reading.acronyms[acronym] = candidate
        return
    if name[0] in _ORG_OPENERS:
        candidate = _organisation(reading, name)
        candidate.evidence = True
        candidate.add(number, start, stop)
        return
    if name[0] in _PLACE_OPENERS or name[-1] in _PLACE_ENDS or any(
            word.isupper() and len(word) > 1 for word in name):
        return
    after = text[stop + (len(match.group("possessive") or "") if is_last else 0):]
    if org_before:
        candidate = _organisation(reading, name)
        candidate.evidence = True
        candidate.add(number, start, stop)
        return
    after_roles, after_countries, after_kind = (_role_after(after, gazetteer) if is_last
                                                else ((), (), None))
    if after_kind == "organisation":
        candidate = _organisation(reading, name)
        candidate.evidence = True
        candidate.add(number, start, stop)
        return
    evidence = (titled or outside_evidence or after_kind == "person" or _arabic(name)
                or name[0] in _GIVEN_NAMES
                or (is_last and _speech_after(after)) or _speech_before(text, offsets[segments[0][1]]))
    key = normalise(" ".join(name))
    candidate = reading.people.get(key)
    if candidate is None:
        candidate = reading.people[key] = _Candidate("person", tuple(name))
    candidate.evidence = candidate.evidence or evidence
    candidate.add(number, start, stop, roles=[*roles, *outside_roles, *after_roles],
                  countries=[*countries, *outside_countries, *after_countries])


def _roles_in_run(words, segments, position) -> tuple[list[str], list[str], bool, bool]:
    """The roles and countries a run gives before a name in it ("Iraqi Prime Minister"),
    whether a title or honorific marks the name, and whether it follows "of"."""
    countries: list[str] = []
    titled = False
    back = position - 1
    if back >= 0 and segments[back][0] == JOIN:
        return [], [], False, True
    first_role = None
    while back >= 0:
        kind, first, end, data = segments[back]
        if kind in (ROLE, MODIFIER, HONORIFIC):
            titled = True
            if kind != HONORIFIC or first_role is not None:
                first_role = back
        elif kind in (GAZ, KNOWN, JOIN, HEAD):
            if kind == GAZ:
                countries.extend(data)
            if kind in (JOIN, HEAD, KNOWN) and first_role is None and not titled:
                break
        else:
            break
        back -= 1
    roles = []
    if first_role is not None:
        # The role runs from its first role word (after any leading countries) to the
        # name, honorifics at its end left out: "Emir of Qatar Sheikh" -> "Emir of Qatar".
        start = first_role
        while start > back + 1 and segments[start - 1][0] in (KNOWN, HEAD):
            start -= 1
        stop = position
        while stop > start and segments[stop - 1][0] == HONORIFIC:
            stop -= 1
        if stop > start:
            role = " ".join(words[segments[start][1]:segments[stop - 1][2]])
            roles.append(role)
    return roles, countries, titled, False


_BEFORE = re.compile(r"[\w'’.-]+|[,;:()\"“”]")
_ARTICLES = _words("the a an The A An its his her their our")


def _role_before(text: str, start: int, gazetteer: Gazetteer
                 ) -> tuple[tuple[str, ...], tuple[str, ...], bool, bool]:
    """A role written before a run ("UN envoy for Yemen, Hans Grundberg", "Hamas leader
    Khalil al-Hayya"): (roles, countries, is a person's role, is an organisation noun)."""
    before = text[max(0, start - 90):start]
    tokens = _BEFORE.findall(before)
    if not tokens:
        return (), (), False, False
    if tokens[-1] == ",":
        tokens = tokens[:-1]
        if not tokens:
            return (), (), False, False
    last = tokens[-1].lower()
    if last in _ORG_NOUNS:
        return (), (), False, True
    phrase: list[str] = []
    for token in reversed(tokens):
        lower = token.lower()
        bare = re.sub(r"['’]s$", "", token)
        if lower in _ROLE_NOUNS or lower in _ROLE_MODIFIERS or lower in ("of", "for", "to") \
                or (token[:1].isupper() and token not in _STOP) or (bare != token and bare):
            phrase.append(token)
            if len(phrase) >= 8:
                break
            continue
        break
    phrase.reverse()
    while phrase and phrase[0].lower() in ("of", "for", "to"):
        phrase.pop(0)
    # It is a role when a role noun is in it, with only "of X" / "for X" after it.
    noun = max((index for index, token in enumerate(phrase) if token.lower() in _ROLE_NOUNS),
               default=None)
    if noun is None:
        return (), (), False, False
    tail = phrase[noun + 1:]
    if tail and tail[0].lower() not in ("of", "for", "to"):
        return (), (), False, False
    countries: list[str] = []
    while phrase:
        word = re.sub(r"['’]s$", "", phrase[0])
        name = gazetteer.names.get(tuple(tokenize(word)))
        if name is not None and not name.never and len(name.codes) == 1 and not name.weak:
            countries.append(name.codes[0])
            phrase.pop(0)
        elif phrase[0].islower() and phrase[0] != re.sub(r"['’]s$", "", phrase[0]):
            phrase.pop(0)                 # "the group's spokesman" -> "spokesman"
        else:
            break
    for token in phrase[noun:]:
        name = gazetteer.names.get(tuple(tokenize(re.sub(r"['’]s$", "", token))))
        if name is not None and not name.never and len(name.codes) == 1 and not name.weak:
            countries.append(name.codes[0])
    role = " ".join(phrase)
    return ((role,) if role else ()), tuple(countries), True, False


_AFTER = re.compile(r"\s*,\s*(?:(?:a|an|the)\s+)?([^,.;:()\"“”]{2,90})")
_STOP_AFTER = _words("of for to in at on with from by under over who which that and since "
                     "between after before as whose while when where said says told")


def _role_after(after: str, gazetteer: Gazetteer
                ) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """A role or kind in apposition after a name (", the UN envoy for Yemen,", ", an
    Iran-backed militia,"): (roles, countries, "person" | "organisation" | None)."""
    match = _AFTER.match(after)
    if not match:
        return (), (), None
    phrase = match.group(1).split()
    head_at = None
    for index, word in enumerate(phrase):
        if word.lower() in _STOP_AFTER:
            break
        head_at = index
    if head_at is None:
        return (), (), None
    head = re.sub(r"['’]s$", "", phrase[head_at]).lower()
    if head in _ORG_NOUNS and not phrase[head_at].endswith(("'s", "’s")):
        return (), (), "organisation"
    if head not in _ROLE_NOUNS:
        return (), (), None
    # the role runs to the end of the phrase, less a clause after it
    end = len(phrase)
    for index in range(head_at + 1, len(phrase)):
        if phrase[index].lower() in ("who", "which", "that", "said", "says", "told", "and", "as",
                                     "since", "while", "when"):
            end = index
            break
    words = phrase[:end]
    countries = []
    while words:
        name = gazetteer.names.get(tuple(tokenize(re.sub(r"['’]s$", "", words[0]))))
        if name is not None and not name.never and len(name.codes) == 1 and not name.weak:
            countries.append(name.codes[0])
            words = words[1:]
        else:
            break
    for word in words:
        name = gazetteer.names.get(tuple(tokenize(re.sub(r"['’]s$", "", word))))
        if name is not None and not name.never and len(name.codes) == 1 and not name.weak:
            countries.append(name.codes[0])
    return ((" ".join(words),) if words else ()), tuple(countries), "person"


_SPEECH_AFTER = re.compile(r"\s+(?:has\s+|had\s+|also\s+|later\s+|then\s+)?(\w+)")
_SPEECH_BEFORE = re.compile(r"(?:\b(?:said|says|told|added|according\s+to|wrote|asked)\s+)$")


def _speech_after(after: str) -> bool:
    match = _SPEECH_AFTER.match(after)
    return bool(match) and match.group(1) in _SPEECH


def _speech_before(text: str, start: int) -> bool:
    return bool(_SPEECH_BEFORE.search(text[max(0, start - 20):start]))


def _arabic(name: Sequence[str]) -> bool:
    """Particles of a transliterated Arabic name: al-, bin, ibn, bint, Abu, Abdul..."""
    for word in name:
        if word in ("bin", "ibn", "bint", "Al", "El", "al", "el") or _PREFIX.match(word):
            return True
        if word.startswith(_ARABIC_LEADS) and word not in _PLACE_OPENERS:
            return True
    return False


def _initials_fit(acronym: str, name: Sequence[str]) -> bool:
    """Whether an acronym is made of the name's initials ("PMF", "IRGC", "HTS")."""
    letters = [ch for ch in acronym if ch.isupper()]
    if len(letters) < 2:
        return False
    capitals = []
    for word in name:
        if word in _JOINERS or word in _PARTICLES:
            continue
        word = _PREFIX.sub("", word)
        capitals.extend(ch for ch in word if ch.isupper())
    if not capitals or capitals[0] != letters[0]:
        return False
    position = 0
    for letter in letters:
        while position < len(capitals) and capitals[position] != letter:
            position += 1
        if position == len(capitals):
            return False
        position += 1
    return True


# --- resolving --------------------------------------------------------------------------

def _surname_forms(word: str) -> set[str]:
    """"al-Sudani" -> {"al-Sudani", "Al-Sudani", "Sudani"}."""
    bare = _PREFIX.sub("", word)
    forms = {word, bare}
    if bare != word:
        prefix = word[:len(word) - len(bare)]
        forms.add(prefix[:1].upper() + prefix[1:] + bare)
        forms.add(prefix[:1].lower() + prefix[1:] + bare)
    return forms


def _resolve(reading: _Reading, texts: Mapping[int, str], rules: EntityRules) -> tuple[Mention, ...]:
    people = [candidate for candidate in reading.people.values() if candidate.evidence]
    # A person named with fewer words is the same as one with more when the first and
    # last names agree or the shorter name's words are all in the longer one.
    people.sort(key=lambda candidate: -len(candidate.words))
    merged: list[_Candidate] = []
    for candidate in people:
        for fuller in merged:
            if _same_person(candidate.words, fuller.words):
                fuller.occurrences += candidate.occurrences
                for role in candidate.roles:
                    if role not in fuller.roles:
                        fuller.roles.append(role)
                fuller.countries |= candidate.countries
                break
        else:
            merged.append(candidate)
    # Names of people without evidence that are another's full name count as mentions.
    for key, candidate in reading.people.items():
        if not candidate.evidence:
            for fuller in merged:
                if _same_person(candidate.words, fuller.words):
                    fuller.occurrences += candidate.occurrences
                    break
    organisations = [candidate for candidate in reading.organisations.values() if candidate.evidence]

    # one word -> the entities it may stand for
    surnames: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in merged:
        if candidate.listed is not None and len(candidate.words) < 2:
            continue
        core = [word for word in candidate.words if word not in _PARTICLES and word not in _CAP_PARTICLES]
        for form in _surname_forms(core[-1]):
            surnames[form].append(candidate)
    first_names: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in merged:
        first_names[candidate.words[0]].append(candidate)
    acronyms = dict(reading.acronyms)

    def one_word(single: _Single) -> _Candidate | None:
        found = acronyms.get(single.word)
        if found is not None:
            return found
        options = surnames.get(single.word) or (first_names.get(single.word) if single.titled else None)
        if not options:
            return None
        if len(options) == 1:
            return options[0]
        # Two people of one family: the one named last before this word.
        order = (single.passage + 1, single.start)
        named = [(max((o.order for o in c.occurrences if o.order <= order), default=None), i)
                 for i, c in enumerate(options)]
        named = [item for item in named if item[0] is not None]
        return options[max(named)[1]] if named else options[0]

    for single in reading.singles:
        found = one_word(single)
        if found is not None:
            found.add(single.passage, single.start, single.end, roles=single.roles,
                      countries=single.countries)

    # The title: headline case, so only names established elsewhere count.
    known: dict[tuple[str, ...], _Candidate] = {}
    for candidate in [*merged, *organisations]:
        known.setdefault(tuple(candidate.words), candidate)
        for occurrence in candidate.occurrences:
            text = texts.get(occurrence.passage, "")
            known.setdefault(tuple(text[occurrence.start:occurrence.end].split()), candidate)
    for form, candidates in surnames.items():
        if len(candidates) == 1:
            known.setdefault((form,), candidates[0])
    for acronym, candidate in acronyms.items():
        known.setdefault((acronym,), candidate)
    listed_by_index: dict[int, _Candidate] = {}
    for candidate in [*merged, *organisations]:
        if candidate.listed is not None:
            listed_by_index[candidate.listed] = candidate
    for words, offsets, _ in reading.title_runs:
        i = 0
        while i < len(words):
            hit = None
            for length in range(min(6, len(words) - i), 0, -1):
                form = tuple(words[i:i + length])
                index = rules.forms.get(form)
                if index is not None:
                    if index == EXCLUDED:
                        hit = (length, None)
                        break
                    entity = rules.entities[index]
                    candidate = listed_by_index.get(index)
                    if candidate is None:
                        candidate = _listed(reading, entity, index)
                        listed_by_index[index] = candidate
                        (merged if entity.kind == "person" else organisations).append(candidate)
                    hit = (length, candidate)
                    break
                candidate = known.get(form)
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

    mentions = []
    for candidate in [*merged, *organisations]:
        mention = _mention(candidate, texts, rules)
        if mention is not None:
            mentions.append((min(o.order for o in candidate.occurrences), mention))
    mentions.sort(key=lambda item: item[0])
    return tuple(mention for _, mention in mentions)


def _same_person(shorter: Sequence[str], longer: Sequence[str]) -> bool:
    a = [normalise(_PREFIX.sub("", w)) for w in shorter if w not in _PARTICLES and w not in _CAP_PARTICLES]
    b = [normalise(_PREFIX.sub("", w)) for w in longer if w not in _PARTICLES and w not in _CAP_PARTICLES]
    if not a or not b or a[-1] != b[-1]:
        return False
    return a[0] == b[0] or set(a) <= set(b)


def _mention(candidate: _Candidate, texts: Mapping[int, str], rules: EntityRules) -> Mention | None:
    if not candidate.occurrences:
        return None
    entity = rules.entities[candidate.listed] if candidate.listed is not None else None
    if entity is not None:
        name = entity.name
    else:
        forms = {}
        for occurrence in candidate.occurrences:
            if occurrence.passage >= 0:
                words = tuple(texts[occurrence.passage][occurrence.start:occurrence.end].split())
                forms.setdefault(words, occurrence.order)
        if not forms:
            return None
        best = max(forms, key=lambda words: (len(words), -forms[words][0], -forms[words][1]))
        if candidate.kind == "person" and len(candidate.words) > len(best):
            best = candidate.words
        name = " ".join(best)
    if normalise(name) in rules.excluded:
        return None
    slug = slugify(name)
    if not slug:
        return None
    occurrences = sorted(candidate.occurrences, key=lambda o: o.order)
    body = [o for o in occurrences if o.passage >= 1]
    first = body[0] if body else occurrences[0]
    if body:
        paragraph, surface = first.passage, texts[first.passage][first.start:first.end]
    else:
        paragraph, surface = 0, ""
    text = texts[first.passage]
    sentence = next((text[start:end] for start, end in sentence_spans(text)
                     if start <= first.start < end), text)
    roles = list(candidate.roles)
    countries = set(candidate.countries)
    if entity is not None:
        roles += [role for role in entity.roles if role not in roles]
        countries |= set(entity.countries)
    return Mention(slug=slug, name=name, kind=candidate.kind, roles=tuple(roles),
                   countries=tuple(sorted(countries)),
                   category=entity.category if entity is not None else "",
                   paragraph=paragraph, surface=surface, sentence=sentence.strip(),
                   mentions=len({(o.passage, o.start) for o in occurrences}), listed=entity is not None)
