"""People's names as red-flag matching needs them: folded, split, nicknames joined up.

Pure functions and data, no store. ``PersonKey`` is what the subject index holds for
each subject of a report: the folded surname, forename (or initial), collar number and
station, so that "PC Dave Whitfield, 4417, Lewisham nick" and "D. Whitfeld, Lewisham
Police Station" can be compared field by field.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from jellyfish import damerau_levenshtein_distance, metaphone
from nicknames import NickNamer

# Each tuple is one name and the short forms and spellings people use for it. A short
# form may belong to several (Chris: Christopher, Christine); two forenames match when
# they share a group. Facts of usage, not guesses about any one report. British short
# forms (Gaz, Daz, Dai, Bex) are here; the ``nicknames`` package's curated list of
# English names and their nicknames adds the thousands of others (``_library_forms``).
NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("abigail", "abi", "abby", "abbie", "gail"),
    ("adrian", "ade"),
    ("alan", "allan", "allen", "al"),
    ("albert", "al", "bert", "bertie"),
    ("alexander", "alex", "alec", "al", "sandy", "xander"),
    ("alexandra", "alex", "alexa", "lexi", "sasha"),
    ("alfred", "alf", "alfie", "fred"),
    ("alison", "allison", "ali"),
    ("amanda", "mandy"),
    ("barry", "baz", "bazza"),
    ("andrew", "andy", "drew"),
    ("angela", "angie"),
    ("anthony", "antony", "tony", "ant"),
    ("antonia", "toni"),
    ("arthur", "art", "artie"),
    ("barbara", "barb", "babs"),
    ("benjamin", "ben", "benny", "benji"),
    ("bernard", "bernie"),
    ("beverley", "beverly", "bev"),
    ("brian", "bryan"),
    ("callum", "calum", "cal"),
    ("carl", "karl"),
    ("caroline", "carolyn", "carol", "caz", "carrie"),
    ("catherine", "katherine", "kathryn", "catharine", "kathleen", "kate", "katie", "kathy", "cathy",
     "kat", "cath", "kath", "kay", "kitty"),
    ("charles", "charlie", "chas", "chaz", "chuck"),
    ("charlotte", "charlie", "lottie"),
    ("christopher", "chris", "kit", "topher"),
    ("christine", "christina", "chris", "chrissie", "tina"),
    ("claire", "clare"),
    ("daniel", "dan", "danny"),
    ("danielle", "daniella", "dani"),
    ("darren", "daz"),
    ("david", "dave", "davey", "davy", "dai"),
    ("dean", "deano"),
    ("derek", "del", "dek"),
    ("deborah", "debra", "debbie", "deb", "debs"),
    ("donald", "don", "donny"),
    ("dorothy", "dot", "dotty"),
    ("douglas", "doug", "dougie"),
    ("edward", "ed", "eddie", "eddy", "ted", "ned", "teddy"),
    ("eleanor", "elinor", "ellie", "nell", "nora"),
    ("elizabeth", "liz", "lizzie", "lizzy", "beth", "betty", "eliza", "libby", "bess", "betsy"),
    ("emily", "em", "emmy", "millie"),
    ("emma", "em"),
    ("frances", "fran", "frankie"),
    ("francis", "frank", "fran"),
    ("frederick", "fred", "freddie", "freddy"),
    ("gareth", "gaz", "gazza"),
    ("gary", "garry", "gaz", "gazza"),
    ("gavin", "gav"),
    ("geoffrey", "jeffrey", "geoff", "jeff"),
    ("gerald", "gerard", "gerry", "jerry"),
    ("gillian", "gill", "jill"),
    ("gregory", "greg"),
    ("harold", "harry", "hal"),
    ("henry", "harry", "hank", "hal"),
    ("ian", "iain"),
    ("imran", "imi"),
    ("jacob", "jake"),
    ("jason", "jase"),
    ("jeremy", "jez", "jezza"),
    ("jacqueline", "jackie", "jacqui"),
    ("james", "jim", "jimmy", "jamie", "jimbo"),
    ("janet", "jan"),
    ("jennifer", "jen", "jenny", "jenn"),
    ("jessica", "jess", "jessie"),
    ("john", "jon", "johnny", "jack"),
    ("jonathan", "jon", "jonny", "johnny"),
    ("joseph", "joe", "joey", "jo"),
    ("josephine", "jo", "josie"),
    ("joanne", "joanna", "jo"),
    ("judith", "judy", "jude"),
    ("karen", "karin", "kaz", "kazza"),
    ("kenneth", "ken", "kenny"),
    ("kieran", "kieron", "kier"),
    ("kerry", "kez", "kezza"),
    ("kimberley", "kimberly", "kim"),
    ("laura", "loz", "lozza"),
    ("lauren", "loren", "loz", "lozza"),
    ("lawrence", "laurence", "larry", "laurie"),
    ("leonard", "len", "lenny", "leo"),
    ("lewis", "louis"),
    ("louise", "lou"),
    ("margaret", "maggie", "meg", "peggy", "marge", "madge", "mags", "greta", "rita"),
    ("matthew", "mathew", "matt", "matty"),
    ("michelle", "shell", "shelly", "chelle", "mich"),
    ("michael", "mike", "mick", "micky", "mickey", "mikey"),
    ("mohammed", "muhammad", "mohammad", "mohamed", "muhammed", "mohamad", "mo", "mohd"),
    ("natalie", "nat"),
    ("nathan", "nathaniel", "nat", "nate"),
    ("neil", "neal"),
    ("nigel", "nige"),
    ("nicholas", "nick", "nicky", "nico"),
    ("nicola", "nichola", "nicky", "nikki", "nic"),
    ("oliver", "ollie", "olly"),
    ("oluwaseun", "seun"),
    ("pamela", "pam"),
    ("patricia", "pat", "patty", "trish", "tricia"),
    ("patrick", "pat", "paddy"),
    ("penelope", "penny"),
    ("peter", "pete"),
    ("philip", "phillip", "phil", "pip"),
    ("rachel", "rachael", "rach"),
    ("raymond", "ray"),
    ("rebecca", "becky", "becca", "bex", "becks"),
    ("rhys", "reece", "rees", "reese"),
    ("richard", "rich", "rick", "ricky", "richie", "dick"),
    ("robert", "rob", "bob", "bobby", "robbie", "bert"),
    ("ronald", "ron", "ronnie"),
    ("sharon", "shaz", "shazza"),
    ("samantha", "sam", "sammy", "sammie"),
    ("samuel", "sam", "sammy"),
    ("sarah", "sara", "sal", "sally", "sadie"),
    ("sean", "shaun", "shawn"),
    ("sophie", "sophia", "soph"),
    ("stephanie", "steph"),
    ("stephen", "steven", "steve", "stevie"),
    ("stuart", "stewart", "stu"),
    ("susan", "suzanne", "sue", "susie", "suzy", "suze"),
    ("teresa", "theresa", "tess", "tessa", "terri"),
    ("terence", "terrence", "terry", "tel", "tez"),
    ("theodore", "theo", "ted", "teddy"),
    ("thomas", "tom", "tommy", "thom"),
    ("timothy", "tim", "timmy"),
    ("trevor", "trev"),
    ("valerie", "val"),
    ("warren", "waz", "wazza"),
    ("victoria", "vicky", "vicki", "vikki", "tori", "vic"),
    ("vincent", "vince", "vinny"),
    ("william", "will", "bill", "billy", "willie", "liam", "wills"),
    ("zachary", "zac", "zack", "zak"),
)

# Titles and ranks people put in front of a name ("PC Dave Whitfield", "Sgt Jones").
TITLES = frozenset(
    "pc dc ps ds sgt sergeant insp inspector ch chief ci dci di det detective supt superintendent dsupt dsu "
    "pcso sc special constable officer acc dcc cc commander cmdr mr mrs ms miss mx dr sir".split()
)
_STATION_NOISE = frozenset("police station nick the custody suite office hq".split())
_LETTERS = re.compile(r"[^a-z]+")
MISSPELT_FROM = 5  # letters: below this, one letter apart is another name
_HYPHEN = re.compile(r"[-\u2010\u2011\u2013]")


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower case, accents and apostrophes gone, anything else not a letter a space."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "")
    plain = text.lower().replace("'", "").replace("`", "")
    return " ".join(_LETTERS.sub(" ", plain).split())


@cache
def _groups() -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for index, group in enumerate(NICKNAME_GROUPS):
        for name in group:
            found.setdefault(name, set()).add(index)
    return {name: frozenset(indices) for name, indices in found.items()}


def is_forename(token: str) -> bool:
    """Whether a folded word is a forename or short form the nickname table knows."""
    return token in _groups()


def forename_groups(name: str) -> frozenset[int]:
    return _groups().get(name, frozenset())


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=8_192)
def _library_forms(name: str) -> frozenset[str]:
    """The formal names a short form is of, and the short forms of the name and of those
    (Dave: David, Davey; Becky: Rebecca, Becca); two formal names are never joined
    through a short form they share (Samuel and Samantha through Sam)."""
    namer = _nicknamer()
    formal = namer.canonicals_of(name)
    return frozenset(formal | namer.nicknames_of(name) | {n for f in formal for n in namer.nicknames_of(f)}) - {name}


@cache
def _name_lines() -> tuple[str, ...]:
    """Jörg Michael's list of given names as gender-guesser ships it: a name's line gives
    its frequency in each country, Great Britain's in column 30, from 1 (rare: Jones and
    Walker as given names) up through 9 and A to D."""
    data = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    return tuple(line for line in data.splitlines() if len(line) > 30 and line[0] not in "#=" and
                 " " not in line[3:29].strip())


@cache
def _given_names() -> frozenset[str]:
    """Given names common in Great Britain."""
    return frozenset(fold(line[3:29]) for line in _name_lines() if line[30] in "23456789ABCD")


@cache
def _given_anywhere() -> frozenset[str]:
    """Given names in use in any country the list covers (Zbigniew, Priya, Aneurin)."""
    names = (line[3:29].strip() for line in _name_lines())
    return frozenset(name.lower() if name.isascii() and name.isalpha() else fold(name) for name in names)


def is_known_forename(token: str) -> bool:
    """Whether a folded word is a forename or short form the British list knows, a given
    name in use in Great Britain, or a short form the nicknames library knows."""
    return is_forename(token) or token in _given_names() or bool(_nicknamer().canonicals_of(token))


def is_given_name(token: str) -> bool:
    """Whether a folded word is a given name anywhere or a short form any list knows: a
    word that is not ('Smudge', 'Jonno', a short form of a name the lists lack) says
    nothing for or against another forename."""
    return is_known_forename(token) or token in _given_anywhere()


def misspelt(a: str, b: str) -> bool:
    """Whether two spellings are one name mistyped: a letter added, dropped or changed, two
    swapped (most slips are one of these), or spelt as it sounds, the first letter the
    same (Thomson, Thompson; Smith, Smyth). Ormelby and Ormelbury, Nicola and Nicholas are
    two names; so are short ones a letter apart (Hall, Hill; Reid, Reed may be either)."""
    if a == b:
        return True
    if min(len(a), len(b)) < MISSPELT_FROM:
        return False
    return damerau_levenshtein_distance(a, b) <= 1 or (a[:1] == b[:1] and metaphone(a) == metaphone(b))


# How English makes pet forms of a name: a stem that starts it and an ending (Davo, Robbo,
# Gazza, Hels, Debz, Paulie, Timbo), the stem's last letter doubled or not.
_PET_ENDINGS = ("zza", "bo", "o", "y", "ie", "ey", "a", "s", "z", "e", "i")
PET_STEM = 3  # letters at least


def coined_from(short: str, name: str) -> bool:
    """Whether ``short`` may be a pet form coined from ``name`` or one of its short forms
    (Davo: David, Dave; Richo: Richard, Rich; Moh: Mohammed): a form no British list
    holds, so that two names are never joined this way (Paula is not Paul's)."""
    if len(short) < PET_STEM or is_known_forename(short):
        return False
    stems = _stems(short)
    return any(form.startswith(stem) for form in nickname_forms(name) for stem in stems)


def _stems(short: str) -> set[str]:
    stems = {short} | {short[: -len(end)] for end in _PET_ENDINGS if short.endswith(end)}
    stems |= {stem[:-1] for stem in stems if len(stem) > PET_STEM and stem[-1] == stem[-2]}  # Robbo: Rob
    return {stem for stem in stems if len(stem) >= PET_STEM}


@cache
def _forename_starts() -> frozenset[str]:
    """Every start of three letters or more of a British forename or short form."""
    names = {*_groups(), *_given_names()}
    return frozenset(name[:end] for name in names for end in range(PET_STEM, len(name) + 1))


def pet_form(short: str) -> bool:
    """Whether a word no list holds is a pet form of some British forename (Johnno: John),
    so that it says which name it is not; 'Smudge' is of none."""
    return len(short) >= PET_STEM and not is_known_forename(short) and bool(_stems(short) & _forename_starts())


def forenames_match(a: str, b: str) -> bool:
    """Same name, or names that share a nickname group (Dave and David, Bob and Robert)."""
    return a == b or bool(forename_groups(a) & forename_groups(b)) or b in _library_forms(a) or a in _library_forms(b)


def nickname_forms(name: str) -> frozenset[str]:
    """The name and every name that shares a nickname group with it (Dave: David, Davey ...)."""
    local = {other for index in forename_groups(name) for other in NICKNAME_GROUPS[index]}
    return frozenset({name, *local, *_library_forms(name)})


def forename_key(name: str) -> str:
    """One blocking key per forename: the formal name of its first group, or itself."""
    groups = forename_groups(name)
    return NICKNAME_GROUPS[min(groups)][0] if groups else name


@lru_cache(maxsize=65_536)
def initials_of(forename: str) -> frozenset[str]:
    """Every initial a forename may be given as: its own and its short or formal forms'
    (Ted: T and E, through Edward)."""
    return frozenset(name[0] for name in nickname_forms(forename) if name)


def initial_fits(initial: str, forename: str) -> bool:
    """'D.' fits David and Dave; 'B.' fits Robert through Bob."""
    return forename.startswith(initial) or initial in initials_of(forename)


class PersonKey(NamedTuple):
    """The matching fields of one subject. Empty string where nothing is known."""

    surname: str = ""
    forename: str = ""    # folded, as written (a short form stays short)
    initial: str = ""     # the first letter of the forename, or the initial given
    collar: str = ""
    station: str = ""

    @property
    def empty(self) -> bool:
        return not (self.surname or self.forename or self.collar)


def _name_words(name: str) -> list[str]:
    if "," in name:  # "Smith, John"
        before, _, after = name.partition(",")
        name = f"{after} {before}"
    words: list[str] = []
    for token in name.split():  # a double-barrelled name is one word (Fothergill-Kaye)
        for number, piece in enumerate(p for p in (fold(part).split() for part in _HYPHEN.split(token)) if p):
            if number and words:
                words[-1] += "-" + piece[0]
                words += piece[1:]
            else:
                words += piece
    while words and words[0] in TITLES and len(words) > 1:
        words.pop(0)
    return words


@lru_cache(maxsize=65_536)
def split_name(name: str, ranked: bool = False) -> tuple[str, str, str]:
    """(surname, forename, initial) from a name as people write it. One word after a rank
    is a surname even where it is a forename too ("DC Thomas", "Sgt Lewis", "PC James")."""
    words = _name_words(name)
    if not words:
        return "", "", ""
    if len(words) == 1:
        word = words[0]
        if len(word) == 1:
            return "", "", word
        ranked = ranked or fold(name).split()[0] in TITLES
        return ("", word, word[0]) if is_forename(word) and not ranked else (word, "", "")
    first, last = words[0], words[-1]
    if len(last) == 1:  # "Whitfield D"
        first, last = last, words[0]
    forename = first if len(first) > 1 else ""
    return last, forename, first[0]


@lru_cache(maxsize=65_536)
def normal_collar(collar: str) -> str:
    """Upper-case letters and digits only, leading zeros of a number dropped: 'sc 0418' -> 'SC418'."""
    compact = re.sub(r"[^0-9A-Za-z]", "", collar).upper()
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", compact)


@lru_cache(maxsize=65_536)
def normal_station(station: str) -> str:
    words = [w for w in fold(station).split() if w not in _STATION_NOISE]
    return " ".join(words)


def person_key(name: str = "", collar: str = "", station: str = "", ranked: bool = False) -> PersonKey:
    """``ranked``: the name was given with a rank (a rank field, or after a rank in the text)."""
    surname, forename, initial = split_name(name, ranked)
    return PersonKey(surname, forename, initial, normal_collar(collar), normal_station(station))
