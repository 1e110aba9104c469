"""Invented names, ranks and the pool of officers reported more than once.

Names are common first names and surnames combined at random: nobody real is meant.
"""

from __future__ import annotations

from dataclasses import dataclass

# (first name, usual short form, "m" or "f")
FIRST_NAMES: tuple[tuple[str, str, str], ...] = (
    ("David", "Dave", "m"), ("Michael", "Mike", "m"), ("Robert", "Rob", "m"), ("James", "Jim", "m"),
    ("Christopher", "Chris", "m"), ("Daniel", "Dan", "m"), ("Matthew", "Matt", "m"),
    ("Stephen", "Steve", "m"), ("Anthony", "Tony", "m"), ("Thomas", "Tom", "m"),
    ("Richard", "Rich", "m"), ("William", "Will", "m"), ("Jonathan", "Jon", "m"),
    ("Andrew", "Andy", "m"), ("Benjamin", "Ben", "m"), ("Nicholas", "Nick", "m"),
    ("Joseph", "Joe", "m"), ("Edward", "Ed", "m"), ("Mark", "Mark", "m"), ("Paul", "Paul", "m"),
    ("Gareth", "Gaz", "m"), ("Rhys", "Rhys", "m"), ("Callum", "Cal", "m"), ("Kieran", "Kier", "m"),
    ("Mohammed", "Mo", "m"), ("Imran", "Imi", "m"), ("Kwame", "Kwame", "m"), ("Oluwaseun", "Seun", "m"),
    ("Darren", "Daz", "m"), ("Lee", "Lee", "m"), ("Craig", "Craig", "m"), ("Euan", "Euan", "m"),
    ("Katherine", "Kate", "f"), ("Rebecca", "Becky", "f"), ("Elizabeth", "Liz", "f"),
    ("Jennifer", "Jen", "f"), ("Victoria", "Vicky", "f"), ("Samantha", "Sam", "f"),
    ("Deborah", "Debbie", "f"), ("Susan", "Sue", "f"), ("Margaret", "Maggie", "f"),
    ("Priya", "Priya", "f"), ("Aisha", "Aisha", "f"), ("Siobhan", "Siobhan", "f"),
    ("Charlotte", "Charlie", "f"), ("Natalie", "Nat", "f"), ("Emma", "Em", "f"), ("Laura", "Laura", "f"),
)

SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Hill", "Moore",
    "Cooper", "Ward", "Morris", "King", "Harris", "Baker", "Lewis", "Martin", "Price", "Begum",
    "Ali", "Hussain", "Singh", "Kaur", "Okafor", "Mensah", "O'Brien", "Murphy", "Kelly",
    "Campbell", "Stewart", "Macdonald", "Reid", "Fraser", "Owen", "Pritchard", "Nowak", "Adeyemi",
)

_PREFIXES = (
    "Ash", "Black", "Brad", "Brook", "Cald", "Carl", "Church", "Clay", "Cress", "Dal", "Dun", "East",
    "Elm", "Fair", "Fern", "Hal", "Hart", "Hay", "Hol", "Kings", "Lang", "Lind", "Mill", "Mor", "Nor",
    "Oak", "Pem", "Rad", "Red", "Roth", "Shel", "Stan", "Stock", "Wake", "Wal", "West", "Wood",
)
_SUFFIXES = (
    "ley", "ton", "field", "ford", "wood", "worth", "by", "ham", "well", "brook", "more", "dale",
    "stone", "bridge", "combe", "hurst", "wick", "stead", "shaw", "cott",
)
# Place-name surnames widen the pool so that chance matches between unrelated reports stay rare.
PLACE_SURNAMES: tuple[str, ...] = tuple(
    prefix + (suffix[1:] if prefix[-1] == suffix[0] else suffix)
    for prefix in _PREFIXES
    for suffix in _SUFFIXES
    if not (prefix.endswith("sh") and suffix.startswith("s"))
)

OFFICER_RANKS: tuple[tuple[str, int], ...] = (
    ("PC", 45), ("DC", 15), ("PS", 14), ("DS", 8), ("Insp", 8), ("Ch Insp", 3), ("Supt", 2), ("", 5),
)
STAFF_RANKS: tuple[tuple[str, int], ...] = (("PCSO", 50), ("", 50))
VOLUNTEER_RANKS: tuple[tuple[str, int], ...] = (("Special Constable", 90), ("", 10))
ROLES: tuple[tuple[str, int], ...] = (("officer", 70), ("staff", 12), ("volunteer", 5), ("unknown", 13))

STAFF_JOBS: tuple[str, ...] = (
    "works in the control room", "civilian investigator", "works on the front counter",
    "detention officer in custody", "works in the property store", "analyst in the intelligence unit",
)

DESCRIPTIONS_M: tuple[str, ...] = (
    "white man, about 40, shaved head", "tall, dark hair, drives a black Audi",
    "Asian man, late 20s, beard", "mixed race, mid 30s, tattoo on his right forearm",
    "heavy build, grey hair, glasses", "young, ginger hair, Liverpool accent",
    "Black man, about 45, always in a gilet off duty", "short, stocky, Scottish accent",
)
DESCRIPTIONS_F: tuple[str, ...] = (
    "white woman in her 30s, blonde hair tied back", "about 50, short dark hair",
    "Asian woman, late 20s, drives a white Mini", "tall, red hair, Welsh accent",
    "Black woman, about 40, glasses", "young, brown hair, nose piercing",
)
UNKNOWN_DESCRIPTIONS: tuple[str, ...] = (
    "a man who says he is a police officer and shows a warrant card",
    "someone who works at the police station, not sure what job",
    "a man in plain clothes who arrived in an unmarked car",
    "an officer I only know by his first name",
    "one of the officers on the night shift",
)


@dataclass(frozen=True)
class RepeatOfficer:
    """An invented officer whom several reports are about, under different spellings."""

    key: str
    first: str
    nickname: str
    last: str
    misspelt: str
    gender: str
    role: str
    rank: str
    collar_number: str
    force: str
    stations: tuple[str, ...]
    behaviour: str

    def name_variants(self) -> tuple[str, ...]:
        """Full name first, then the ways a reporter might put it."""
        return (
            f"{self.first} {self.last}",
            f"{self.first[0]}. {self.last}",
            f"{self.nickname} {self.last}",
            f"{self.first} {self.misspelt}",
            f"{self.nickname} {self.misspelt}",
            self.last,
        )


REPEAT_OFFICERS: tuple[RepeatOfficer, ...] = (
    RepeatOfficer("R01", "David", "Dave", "Whitfield", "Whitfeld", "m", "officer", "PC", "4417",
                  "metropolitan", ("Lewisham", "Catford"), "corruption"),
    RepeatOfficer("R02", "Katherine", "Kate", "Illingworth", "Illingsworth", "f", "officer", "DS", "2290",
                  "west-yorkshire", ("Bradford", "Keighley"), "corruption"),
    RepeatOfficer("R03", "Michael", "Mike", "Oyelaran", "Oyelarin", "m", "officer", "PS", "1186",
                  "greater-manchester", ("Longsight", "Stockport"), "sexual_misconduct"),
    RepeatOfficer("R04", "Gareth", "Gaz", "Prothero", "Protheroe", "m", "officer", "PC", "3052",
                  "south-wales", ("Cardiff Bay", "Barry"), "abuse_or_control"),
    RepeatOfficer("R05", "Rebecca", "Becky", "Thorncliffe", "Thornclife", "f", "staff", "PCSO", "7731",
                  "west-midlands", ("Walsall",), "discrimination"),
    RepeatOfficer("R06", "Anthony", "Tony", "Marsden", "Marsdon", "m", "officer", "DC", "5519",
                  "kent", ("Medway", "Gillingham"), "corruption"),
    RepeatOfficer("R07", "Robert", "Rob", "Entwistle", "Entwhistle", "m", "officer", "Insp", "",
                  "lancashire", ("Blackburn", "Burnley"), "sexual_misconduct"),
    RepeatOfficer("R08", "Imran", "Imi", "Chaudhry", "Choudhry", "m", "officer", "PC", "2648",
                  "thames-valley", ("Slough", "High Wycombe"), "abuse_or_control"),
    RepeatOfficer("R09", "Christopher", "Chris", "Lattimer", "Latimer", "m", "officer", "PC", "6024",
                  "essex", ("Southend", "Basildon"), "discrimination"),
    RepeatOfficer("R10", "Samantha", "Sam", "Quigley", "Quigly", "f", "officer", "PS", "1573",
                  "merseyside", ("St Anne Street", "Birkenhead"), "other_criminality"),
    RepeatOfficer("R11", "Daniel", "Danny", "Strachan", "Strachen", "m", "officer", "PC", "3381",
                  "police-scotland", ("Dundee", "Perth"), "abuse_or_control"),
    RepeatOfficer("R12", "Stephen", "Steve", "Haverford", "Haverfield", "m", "volunteer", "Special Constable",
                  "SC418", "hampshire", ("Portsmouth", "Havant"), "sexual_misconduct"),
)

# How often each variant of a repeat officer's name is used after the first report.
VARIANT_WEIGHTS: tuple[tuple[int, int], ...] = ((0, 30), (1, 15), (2, 20), (3, 15), (4, 10), (5, 10))

_RESERVED = {name for officer in REPEAT_OFFICERS for name in (officer.last, officer.misspelt)}
SURNAMES = tuple(name for name in SURNAMES + PLACE_SURNAMES if name not in _RESERVED)
