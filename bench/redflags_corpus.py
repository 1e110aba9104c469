"""A red-flag evaluation corpus with ground truth, made apart from the demo's generator.

Planted officers are each reported several times. The first report about one is rich
(a colleague's: name, rank, collar number, station, car, phone, handle); each later one
names or identifies the officer in one way only, as people do, with varied phrasing,
spacing, case and typos:

- ``name``: the subject fields name them (full, nickname, a short form people coin that no
  list need hold, initial, misspelt, surname only);
- ``narrative name``: only the narrative names them ("PC Dave Whitfield", "an officer called ...",
  "the sergeant, Whitfield,", "PC Whitfield from Lewisham");
- ``collar``: only a collar or shoulder number, said any way ("his number was four four one seven");
- ``registration``: only their car's registration (any spacing or case, make and colour or not);
- ``phone``: only their phone number, in any of the ways people write one;
- ``handle``: only their social media handle;
- ``moved force``: name and rank in another force, with a new collar number.

Names are typed as people type them: nicknames and initials, short forms coined for the
officer (Davo, Robbo, Tommo: some are given names elsewhere, so no matcher can know
them), misspelt (a letter dropped, doubled, swapped or changed, or spelt as it sounds),
surname only with a rank ("Sgt Carrick"), in lower case or capitals, titles written out
("Detective Sergeant", "Inspector"). Reporters who know say where the officer works ("he works out of
Longsight police station"), and one who moved may be said to have "used to be in Kent".

Background reports (no ground truth link to anyone) name other officers in their subject
fields and in passing in the narrative, say where officers work and that some moved, and
are full of the reporters' own phones and cars, innocent registrations and numbers that are
not collar numbers. Names follow the shape of real ones: forenames and the commonest
surnames with falling weights (Smith about 1.5 %, the 52 commonest a sixth of people), the
rest a long tail of ten thousand; two in five planted officers have one of the commonest
surnames, more than in life, so that common names are tested hard; ranks are mostly
constables, as in life.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

WAYS = ("name", "narrative name", "collar", "registration", "phone", "handle", "moved force")
NO_NAME_WAYS = ("collar", "registration", "phone", "handle")

# Forenames with the short forms British people use for them, commonest first (picked
# with falling weights, as real names are).
FIRST = (("David", "Dave"), ("Paul", "Paul"), ("Mark", "Mark"), ("Andrew", "Andy"), ("Michael", "Mick"),
         ("Sarah", "Sal"), ("Richard", "Rick"), ("Stephen", "Steve"), ("Christopher", "Chris"), ("James", "Jim"),
         ("Claire", "Claire"), ("Robert", "Bob"), ("Daniel", "Danny"), ("Emma", "Em"), ("Matthew", "Matt"),
         ("Simon", "Si"), ("Peter", "Pete"), ("Lisa", "Lisa"), ("Karen", "Kaz"), ("John", "Jack"), ("Anthony", "Tony"),
         ("Thomas", "Tom"), ("Nicola", "Nicky"), ("Gary", "Gaz"), ("Lee", "Lee"), ("Craig", "Craig"),
         ("Rebecca", "Becky"), ("Laura", "Laura"), ("Kevin", "Kev"), ("Darren", "Daz"), ("William", "Bill"),
         ("Jonathan", "Jon"), ("Philip", "Phil"), ("Helen", "Helen"), ("Katherine", "Kate"), ("Elizabeth", "Liz"),
         ("Jennifer", "Jen"), ("Samantha", "Sam"), ("Deborah", "Debbie"), ("Susan", "Sue"), ("Joseph", "Joe"),
         ("Edward", "Ted"), ("Gareth", "Gaz"), ("Alexander", "Alex"), ("Nicholas", "Nick"), ("Victoria", "Vicky"),
         ("Michelle", "Shell"), ("Joanne", "Jo"), ("Amanda", "Mandy"), ("Rhys", "Rhys"), ("Mohammed", "Mo"),
         ("Oliver", "Ollie"), ("Benjamin", "Ben"), ("Timothy", "Tim"), ("Jessica", "Jess"), ("Hannah", "Hannah"))
# Short forms people coin for a forename that no list need hold (Davo, Robbo, Tommo), as
# colleagues and neighbours say them: some are given names elsewhere (Jonno, Stevo, Lise),
# so that no matcher can tell them from another forename.
COINED = {"David": "Davo", "Paul": "Paulie", "Mark": "Marky", "Andrew": "Ando", "Michael": "Micko", "Sarah": "Saz",
          "Richard": "Richo", "Stephen": "Stevo", "Christopher": "Chrisso", "James": "Jimbo", "Claire": "Clairey",
          "Robert": "Robbo", "Daniel": "Danno", "Emma": "Emms", "Matthew": "Matty", "Simon": "Simmo", "Peter": "Petey",
          "Lisa": "Lise", "Karen": "Kazza", "John": "Johnno", "Anthony": "Tone", "Thomas": "Tommo", "Nicola": "Nicci",
          "Gary": "Gazza", "Lee": "Leeroy", "Craig": "Craigy", "Rebecca": "Becs", "Laura": "Lolly", "Kevin": "Kevo",
          "Darren": "Dazza", "William": "Billy", "Jonathan": "Jonno", "Philip": "Philly", "Helen": "Hels",
          "Katherine": "Kat", "Elizabeth": "Lizzy", "Jennifer": "Jenny", "Samantha": "Sammi", "Deborah": "Debz",
          "Susan": "Suse", "Joseph": "Joey", "Edward": "Eddy", "Gareth": "Gaz", "Alexander": "Zander", "Nicholas": "Nico",
          "Victoria": "Vix", "Michelle": "Mishy", "Joanne": "Jojo", "Amanda": "Manda", "Rhys": "Rhysie",
          "Mohammed": "Moh", "Oliver": "Olly", "Benjamin": "Benjy", "Timothy": "Timbo", "Jessica": "Jessy",
          "Hannah": "Han"}
# The commonest British surnames, roughly commonest first.
COMMON = ("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
          "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
          "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
          "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
          "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly")
# Parts of made-up surnames for the long tail (made up, so as not to echo any list the
# matcher knows): the commonest surnames above are a fifth of people, the rest share
# thousands of rarer ones.
_RARE_STARTS = ("Ash", "Black", "Brock", "Cart", "Dun", "Ent", "Fair", "Gill", "Har", "Ill", "Kers", "Lock", "Mott",
                "North", "Pember", "Rush", "Sut", "Thistle", "Urqu", "Vick", "Whit", "Yard", "Catter", "Dew", "Eccle",
                "Fother", "Green", "Haw", "Orm", "Quill", "Bram", "Crom", "Dal", "Fen", "Gos", "Hal", "Kin", "Lang",
                "Mar", "Nor", "Ock", "Pen", "Rad", "Sand", "Tal", "Wad", "Wel", "Wick", "Ald", "Bur", "Carr")
_RARE_MIDDLES = ("", "ing", "er", "en", "s", "on", "el", "ley")
_RARE_ENDS = ("worth", "wood", "hurst", "wright", "more", "halgh", "cliffe", "thwaite", "shaw", "ington", "ley", "cott",
              "field", "ford", "by", "well", "stone", "den", "ham", "ridge", "bury", "combe", "wick", "ton", "dale")
# A common surname's share falls as rank ** -0.55 (Smith about 1.5 %, the 52nd about 0.2 %, together a
# sixth of people); the other five sixths share ten thousand rarer ones, falling as rank ** -0.5.
COMMON_SHARE, COMMON_FALL, TAIL_FALL = 0.16, 0.55, 0.5
FORCES = (("metropolitan", "the Met", ("Lewisham", "Brixton", "Croydon", "Ealing")),
          ("kent", "Kent Police", ("Medway", "Maidstone", "Ashford")),
          ("west-yorkshire", "West Yorkshire Police", ("Bradford", "Leeds", "Keighley")),
          ("greater-manchester", "GMP", ("Longsight", "Stockport", "Bolton")),
          ("essex", "Essex Police", ("Southend", "Basildon", "Chelmsford")),
          ("merseyside", "Merseyside Police", ("Birkenhead", "St Helens", "Bootle")),
          ("thames-valley", "Thames Valley Police", ("Slough", "Reading", "Oxford")),
          ("south-wales", "South Wales Police", ("Cardiff Bay", "Barry", "Swansea")))
# Ranks as people write them, with roughly how many officers hold each (most are constables).
RANKS = (("PC", "constable", 40), ("DC", "constable", 12), ("Police Constable", "constable", 3),
         ("Detective Constable", "constable", 2), ("PS", "sergeant", 6), ("Sgt", "sergeant", 8), ("DS", "sergeant", 5),
         ("Sergeant", "sergeant", 3), ("Detective Sergeant", "sergeant", 2), ("Insp", "inspector", 3),
         ("Inspector", "inspector", 3), ("DI", "inspector", 1))
CARS = (("silver", "Ford", "Focus"), ("black", "BMW", "3 Series"), ("white", "Vauxhall", "Astra"),
        ("grey", "Audi", "A4"), ("blue", "Volkswagen", "Golf"), ("red", "Kia", "Sportage"), ("", "Toyota", "Prius"))
PLATFORMS = ("Instagram", "insta", "Snapchat", "TikTok", "Facebook", "Twitter")
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
# The rank written out, as in "the sergeant, Hughes,".
RANK_TITLES = {"constable": "constable", "sergeant": "sergeant", "inspector": "inspector"}
_SOUNDS_ALIKE = (("ph", "f"), ("ck", "k"), ("ey", "y"), ("ie", "y"), ("son", "sen"), ("th", "t"), ("ou", "ow"),
                 ("wr", "r"), ("ll", "l"), ("tt", "t"), ("mm", "m"), ("ei", "ie"), ("c", "k"))
_DIGITS_SAID = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
BEHAVIOUR_LINES = (
    "He stopped me on my way home and said he could make my problems go away if I did what he wanted.",
    "She has been looking people up on the police computer for her friends.",
    "He turns up at my sister's flat off duty and won't leave her alone.",
    "He was drinking in uniform at the pub and then drove off.",
    "He made racist comments to my son during a stop and search.",
    "She threatened her ex-partner and said nobody would believe him over a police officer.",
)


@dataclass
class Officer:
    key: str
    first: str
    nick: str
    coined: str
    last: str
    rank: str
    force: int
    collar: str
    station: str
    plate: str
    car: tuple[str, str, str]
    phone: str
    handle: str
    platform: str
    moved_to: int = -1
    moved_collar: str = ""
    moved_station: str = ""


@dataclass
class Corpus:
    reports: list[dict[str, Any]] = field(default_factory=list)
    officer_of: dict[str, str] = field(default_factory=dict)  # report_id -> planted officer
    way_of: dict[str, str] = field(default_factory=dict)      # report_id -> how it names the officer
    said: dict[str, set[str]] = field(default_factory=dict)   # report_id -> what it gives: name, collar, ...
    form_of: dict[str, str] = field(default_factory=dict)     # report_id -> the form of the name it gives
    common: set[str] = field(default_factory=set)  # planted officers with one of the commonest surnames


def _tail() -> list[str]:
    joined = {a + m + b for a in _RARE_STARTS for m in _RARE_MIDDLES for b in _RARE_ENDS}
    names = sorted({n[0] + n[1:].lower() for n in joined})
    random.Random(0).shuffle(names)
    return names


TAIL = _tail()
SURNAMES = (*COMMON, *TAIL)


def _shares(count: int, fall: float, total: float) -> list[float]:
    weights = [(rank + 1) ** -fall for rank in range(count)]
    return [total * w / sum(weights) for w in weights]


def _falling(count: int, fall: float) -> list[float]:
    return list(itertools.accumulate(_shares(count, fall, 1.0)))


_SURNAME_WEIGHTS = list(itertools.accumulate(
    [*_shares(len(COMMON), COMMON_FALL, COMMON_SHARE), *_shares(len(TAIL), TAIL_FALL, 1 - COMMON_SHARE)]))
_TAIL_WEIGHTS = _falling(len(TAIL), TAIL_FALL)
_FIRST_WEIGHTS = _falling(len(FIRST), 0.6)
_RANK_WEIGHTS = list(itertools.accumulate(weight for _, _, weight in RANKS))


class _Maker:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.count = 0
        self.phones: set[str] = set()
        self.collars: set[tuple[int, str]] = set()  # (force, collar number) given to an officer

    def pick(self, seq: Any) -> Any:
        return seq[self.r.randrange(len(seq))]

    def surname(self) -> str:
        return self.r.choices(SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]

    def forename(self) -> tuple[str, str]:
        return self.r.choices(FIRST, cum_weights=_FIRST_WEIGHTS)[0]

    def rank(self) -> str:
        return self.r.choices(RANKS, cum_weights=_RANK_WEIGHTS)[0][0]

    def own_phone(self) -> str:
        """A planted officer's phone: one person's."""
        phone = self.phone()
        while phone in self.phones:
            phone = self.phone()
        self.phones.add(phone)
        return phone

    def cased(self, words: str) -> str:
        """As people type names: mostly capitalised, sometimes all lower case or all capitals."""
        x = self.r.random()
        return words.lower() if x < 0.15 else words.upper() if x < 0.22 else words

    def plate(self) -> str:
        r = self.r
        letters = "".join(r.choice(_PLATE_LETTERS) for _ in range(5))
        age = r.choice([f"{y:02d}" for y in range(2, 26)] + [f"{y}" for y in range(51, 76)])
        return f"{letters[:2]}{age} {letters[2:]}"

    def phone(self) -> str:
        if self.r.random() < 0.2:  # Ofcom's drama range, as examples and tests use
            return f"07700 900{self.r.randrange(1000):03d}"
        return f"079{self.r.randrange(10, 99)} {self.r.randrange(100000, 999999)}"

    def collar(self) -> str:
        """A planted officer's collar number: one officer's within a force at a time."""
        return str(self.r.randrange(100, 9999))

    def other_collar(self, force: int) -> str:
        """A background officer's: from the same range, so the same number turns up in other
        forces (as in life), but each officer's own within a force (background officers are
        each someone else)."""
        number = self.collar()
        while (force, number) in self.collars:
            number = self.collar()
        self.collars.add((force, number))
        return number

    def typo(self, word: str) -> str:
        """As people mistype a name they heard: a letter dropped, doubled, swapped with the
        next or changed, or spelt as it sounds (Philips, Filips; Stevenson, Stevensen)."""
        if len(word) < 6 or self.r.random() > 0.5:
            return word
        at = self.r.randrange(2, len(word) - 1)
        kind = self.r.randrange(5)
        if kind == 0:
            return word[:at] + word[at + 1 :]
        if kind == 1:
            return word[:at] + word[at] + word[at:]
        if kind == 2:
            return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        if kind == 3:
            return word[:at] + self.r.choice("aeiou" if word[at] in "aeiou" else "bcdfghklmnprstvwz") + word[at + 1 :]
        sounds = [(a, b) for a, b in _SOUNDS_ALIKE if a in word[1:].lower()]
        if not sounds:
            return word[:at] + word[at + 1 :]
        a, b = self.pick(sounds)
        at = word.lower().index(a, 1)
        return word[:at] + b + word[at + len(a) :]

    def report(self, force: int, subjects: list[dict[str, str]], narrative: str, reporter: dict[str, Any] | None,
               hint: bool = True) -> dict[str, Any]:
        self.count += 1
        number = self.count
        doc: dict[str, Any] = {
            "report_id": f"00000000-0000-4000-8000-{number:012d}", "reference": f"PAC-B{number:07d}",
            "channel": self.pick(("web", "phone", "email")),
            "received_at": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}T10:00:00Z",
            "behaviours": [], "subjects": subjects, "narrative": narrative, "attachments": [],
        }
        if hint:
            doc["force_hint"] = FORCES[force][1]
        if reporter is not None:
            doc["reporter"] = reporter
        return doc


def _said_plate(m: _Maker, plate: str) -> str:
    compact = plate.replace(" ", "")
    form = m.r.randrange(5)
    return (plate, compact, compact.lower(), f"{compact[:2]} {compact[2:4]} {compact[4:]}", plate.lower())[form]


def _said_phone(m: _Maker, phone: str) -> str:
    digits = phone.replace(" ", "")
    return m.pick((phone, digits, f"+44 {digits[1:5]} {digits[5:]}", f"{digits[:4]} {digits[4:7]} {digits[7:]}",
                   f"+44 (0){digits[1:5]} {digits[5:]}"))


def _said_collar(m: _Maker, officer: Officer) -> str:
    number = officer.collar
    spoken = " ".join(_DIGITS_SAID[int(d)] for d in number)
    return m.pick((f"{officer.rank} {number}", f"his number was {spoken}", f"his shoulder number was {number}",
                   f"I saw {number} on his shoulder", f"collar number {number}", f"{officer.rank}{number}",
                   f"the officer's number was {' '.join(number)}"))


def _named(m: _Maker, o: Officer) -> tuple[str, str]:
    """A name as a reporter types it, and which form it takes."""
    last = m.typo(o.last)
    misspelt = "misspelt surname" if last != o.last else ""
    return m.pick(((f"{o.coined} {o.last}", "coined short form"), (f"{o.nick} {o.last}", "short form"),
                   (f"{o.first[0]}. {o.last}", "initial"), (f"{o.first} {last}", misspelt or "whole name"),
                   (f"{o.nick} {last}", misspelt or "short form"), (o.last, "surname only")))


def _title(rank: str) -> str:
    return RANK_TITLES[next(group for said, group, _ in RANKS if said == rank)]


def _reporter(m: _Maker) -> dict[str, Any] | None:
    x = m.r.random()
    if x < 0.4:
        return None
    if x < 0.6:
        return {"anonymous": True}
    return {"phone": m.phone(), "consent_to_contact": True}


def _works_at(m: _Maker, station: str) -> str:
    """Where an officer works, as a reporter who knows says it (one report in two here)."""
    if m.r.random() < 0.5:
        return ""
    return " " + m.pick((f"He works out of {station} police station.", f"I think he is based at {station}.",
                         f"He's at {station} nick."))


def _planted(m: _Maker, o: Officer, way: str) -> tuple[dict[str, Any], str]:
    line = m.pick(BEHAVIOUR_LINES)
    force = o.force
    subjects: list[dict[str, str]] = [{"role": "officer"}]
    form = ""
    if way == "name":
        name, form = _named(m, o)
        subjects = [{"role": "officer", "name": m.cased(name), "rank": o.rank}]
        narrative = f"{line} It happened near {m.pick(FORCES[force][2])}.{_works_at(m, o.station)}"
    elif way == "narrative name":
        name, named_form = _named(m, o)
        last = m.typo(o.last)
        alone = m.pick((f"{o.rank} {o.last}", f"the {_title(o.rank)}, {o.last},", f"{o.rank} {o.last} from {o.station}"))
        who, form = m.pick(((f"{o.rank} {name}", named_form), (f"{o.rank} {o.nick} {o.last}", "short form"),
                            (f"{o.rank} {o.first[0]}. {o.last}", "initial"),
                            (f"{o.rank} {o.nick} {last}", "misspelt surname" if last != o.last else "short form"),
                            (alone, "surname only"), (f"an officer called {o.nick} {o.last}", "short form")))
        narrative = m.pick((f"{m.cased(who)} was the one. {line}", f"{line} It was {m.cased(who)} again."))
        narrative += _works_at(m, o.station)
    elif way == "moved force":
        force = o.moved_to
        name, form = m.pick(((f"{o.first} {o.last}", "whole name"), (f"{o.nick} {o.last}", "short form")))
        subjects = [{"role": "officer", "name": name, "rank": o.rank, "collar_number": o.moved_collar}]
        narrative = f"{line} He said he used to be in {FORCES[o.force][1]}.{_works_at(m, o.moved_station)}"
    else:
        detail = {
            "collar": lambda: f"I didn't get his name but {_said_collar(m, o)}.",
            "registration": lambda: m.pick((
                f"He drives a {' '.join(p for p in o.car if p)}, reg {_said_plate(m, o.plate)}.",
                f"He was sat in his car, {_said_plate(m, o.plate)}, outside my house again.",
                f"The car was a {o.car[0] or 'dark'} {o.car[1]} and the plate was {_said_plate(m, o.plate)}.")),
            "phone": lambda: m.pick((f"He texted her from {_said_phone(m, o.phone)}.",
                                     f"His mobile is {_said_phone(m, o.phone)}.",
                                     f"He keeps ringing from {_said_phone(m, o.phone)} at night.")),
            "handle": lambda: m.pick((f"He messages girls on {o.platform} as @{o.handle}.",
                                      f"His {o.platform} is {o.handle}.", f"@{o.handle} on {o.platform} is him.")),
        }[way]()
        narrative = f"{line} {detail}"
    return m.report(force, subjects, narrative, _reporter(m), hint=way != "collar" or m.r.random() < 0.9), form


def _anchor(m: _Maker, o: Officer) -> dict[str, Any]:
    subject = {"role": "officer", "name": f"{o.first} {o.last}", "rank": o.rank, "collar_number": o.collar,
               "station": o.station}
    narrative = (f"I work with {o.rank} {o.nick} {o.last}. {m.pick(BEHAVIOUR_LINES)} He drives a "
                 f"{' '.join(p for p in o.car if p)} {o.plate}, his mobile is {o.phone} and he is {o.handle} on "
                 f"{o.platform}.")
    return m.report(o.force, [subject], narrative, {"anonymous": True})


def _background(m: _Maker) -> dict[str, Any]:
    r = m.r
    force = r.randrange(len(FORCES))
    first, nick = m.forename()
    last = m.surname()
    rank = m.rank()
    subject: dict[str, str] = {"role": "officer"}
    x = r.random()
    if x < 0.45:
        subject.update(name=m.pick((f"{first} {last}", f"{nick} {last}", f"{COINED[first]} {last}", last)), rank=rank)
    elif x < 0.6:
        subject.update(rank=rank, station=m.pick(FORCES[force][2]))
    if r.random() < 0.2:
        subject["collar_number"] = m.other_collar(force)
    parts = [m.pick(BEHAVIOUR_LINES)]
    if r.random() < 0.2:  # another officer named in passing, as narratives do
        (other, other_nick), other_last = m.forename(), m.surname()
        said = m.rank()
        who = m.pick((f"{said} {other} {other_last}", f"{said} {other_nick} {other_last}", f"{said} {other_last}",
                      f"{said} {COINED[other]} {other_last}", f"the {_title(said)}, {other_last},"))
        parts.append(f"{m.cased(who)} was with him.")
    if r.random() < 0.05:  # officers do move: background ones too
        parts.append(f"He said he used to be in {m.pick(FORCES)[1]}.")
    if r.random() < 0.4:  # where the officer works, as often as planted reports say it
        parts.append(_works_at(m, m.pick(FORCES[force][2])).strip())
    if r.random() < 0.3:
        parts.append(f"My car {_said_plate(m, m.plate())} was damaged and he did nothing.")
    if r.random() < 0.15:
        parts.append(f"A {m.pick(CARS)[0] or 'dark'} car, {m.plate()}, was parked across the road.")
    if r.random() < 0.3:
        parts.append(f"It was about {r.randrange(1, 12)}pm on the {r.randrange(1, 28)}th, number {r.randrange(1, 200)} "
                     f"High Street, and it cost me £{r.randrange(50, 5000)}.")
    if r.random() < 0.2:
        parts.append(f"Please call me on {m.phone()}.")
    if r.random() < 0.1:
        parts.append(f"Crime reference {r.randrange(1000, 9999)}/{r.randrange(10, 26)}.")
    reporter = _reporter(m)
    return m.report(force, [subject], " ".join(parts), reporter)


def make_corpus(background: int, officers: int = 80, seed: int = 16) -> Corpus:
    m = _Maker(seed)
    corpus = Corpus()
    planted: list[Officer] = []
    for number in range(officers):
        first, nick = m.forename()
        # Two in five planted officers have one of the commonest surnames (more than in life: the hard case).
        last = m.pick(COMMON) if m.r.random() < 0.4 else m.r.choices(TAIL, cum_weights=_TAIL_WEIGHTS)[0]
        force = m.r.randrange(len(FORCES))
        o = Officer(f"O{number:03d}", first, nick, COINED[first], last, m.rank(), force, m.collar(),
                    m.pick(FORCES[force][2]), m.plate(), m.pick(CARS), m.own_phone(),
                    f"{nick.lower()}{m.pick(('_', '.', ''))}{last.lower()[:4]}{m.r.randrange(10, 99)}", m.pick(PLATFORMS))
        o.moved_to, o.moved_collar = (force + 1 + m.r.randrange(len(FORCES) - 1)) % len(FORCES), m.collar()
        o.moved_station = m.pick(FORCES[o.moved_to][2])
        m.collars |= {(force, o.collar), (o.moved_to, o.moved_collar)}
        planted.append(o)
        if last in COMMON:
            corpus.common.add(o.key)
    docs: list[tuple[dict[str, Any], str | None, str, set[str], str]] = []
    for o in planted:
        docs.append((_anchor(m, o), o.key, "anchor", {"name", "collar", "registration", "phone", "handle"}, "whole name"))
        for _ in range(m.r.randrange(2, 5)):
            way = m.pick(WAYS)
            doc, form = _planted(m, o, way)
            docs.append((doc, o.key, way, {"name"} if way in ("name", "narrative name", "moved force") else {way}, form))
    docs += [(_background(m), None, "", set(), "") for _ in range(background)]
    m.r.shuffle(docs)
    for doc, officer, way, said, form in docs:
        corpus.reports.append(doc)
        if officer:
            corpus.officer_of[doc["report_id"]] = officer
            corpus.way_of[doc["report_id"]] = way
            corpus.said[doc["report_id"]] = said
            corpus.form_of[doc["report_id"]] = form
    return corpus
