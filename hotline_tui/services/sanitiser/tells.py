"""Tell-tale words: what suggests how the reporter knows the subject.

Two sources, both warnings (the analyst judges them):

- words in the summary itself that speak as the reporter ("my partner", "I work with");
- what the narrative says about the reporter (their job, what they do for the subject,
  where they live or work, how they are related) when the summary repeats it: the
  narrative's "I cut his hair" and a summary's "his hairdresser says".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_KIN = (
    r"partner|ex[- ]?partner|husband|ex[- ]?husband|wife|ex[- ]?wife|boyfriend|ex[- ]?boyfriend|girlfriend"
    r"|ex[- ]?girlfriend|ex|fiancee?|colleague|colleagues|manager|boss|supervisor|sergeant|inspector"
    r"|neighbour|neighbours|neighbor|son|daughter|brother|sister|mum|mom|mother|dad|father|stepdad|stepmum"
    r"|stepfather|stepmother|child|children|kids|friend|best friend|flatmate|housemate|landlord|landlady"
    r"|tenant|cousin|aunt|uncle|nephew|niece|family|in-laws|mother-in-law|father-in-law|carer"
)
RELATIONSHIP_PATTERNS: tuple[tuple[str, str], ...] = (
    (rf"\bmy (?:own )?(?:{_KIN})\b", "says how the reporter is related to someone"),
    (r"\b(?:our|my) (?:relationship|marriage|house|home|flat|kids|team|shift|station|unit)\b",
     "says what the reporter shares with the subject"),
    (r"\bi (?:work|worked|used to work|live|lived|used to live|grew up|went out) with\b",
     "says how the reporter knows the subject"),
    (r"\bi (?:am|was|used to be) (?:his|her|their) (?:\w+ )?(?:" + _KIN + r")\b",
     "says how the reporter is related to the subject"),
    (r"\bwe (?:were|was|are|got|have been|had been) (?:together|married|engaged|seeing each other|dating"
     r"|colleagues|neighbours|friends)\b", "says the reporter and the subject were close"),
    (r"\bwe work together\b|\bwe (?:used to )?live together\b", "says how the reporter knows the subject"),
    (r"\b(?:he|she|they) (?:told|texted|messaged|rang|phoned|called|showed|sent|hit|pushed|threatened) me\b",
     "says the subject dealt with the reporter directly"),
    (r"\b(?:to|at|with) me\b", "first-hand words: the reporter was there"),
    (r"\bi (?:saw|heard|witnessed|overheard|was there|was present)\b", "first-hand words: the reporter was there"),
)
# Compiled for folded text (lower case, accents gone).
RELATIONSHIP = tuple((re.compile(p), m) for p, m in RELATIONSHIP_PATTERNS)
# What a summary says of its source that the report's relationship field says of the
# reporter ("a colleague of the officer reports"); the same words about anyone else
# ("harasses female colleagues") say nothing of the reporter.
_SOURCE_VERBS = (r"(?:who )?(?:reports?|reported|says?|said|told|tells|states?|stated|alleges?|alleged|saw|sees|heard"
                 r"|hears|witnessed|believes?|has seen|knows|came forward|contacted)")
_OF_SUBJECT = r"(?:of (?:the (?:subject|officer)|him|her|them|(?:pc|ps|dc|ds|sgt|insp) [a-z]+) )?"


def _as_source(noun: str, also: str = "") -> re.Pattern[str]:
    whose = r"(?:an?|one|the|his|her|their|one of (?:his|her|their))"
    return re.compile(
        also + rf"\b{whose} (?:[a-z]+ )?{noun}s? {_OF_SUBJECT}{_SOURCE_VERBS}\b"
        rf"|\b(?:from|by|according to|via) {whose} (?:[a-z]+ )?{noun}s?\b"
        rf"|\bsource (?:is|was) (?:an?|his|her|their|the subject's|the officer's) (?:[a-z]+ )?{noun}\b")


KNOWN_AS: dict[str, tuple[re.Pattern[str], str]] = {
    "police_colleague": (_as_source(r"(?:colleague|co-?worker|workmate|fellow (?:officer|constable|member of staff))",
                                    r"\b(?:source|reporter|informant) (?:works?|worked) (?:alongside|with)\b|"),
                         "a police colleague"),
    "family": (_as_source(r"(?:family member|relative|relation|(?:brother|sister|mother|father|son|daughter)[- ]in[- ]law)"),
               "family"),
}

# Words too general to tell anything about a reporter, including the police words every
# summary uses: the subject is a police officer.
_GENERAL = frozenset(
    """
    a an the this that these those his her their him them he she they it its me my our your one some any same other
    of at in on for to from with by near next and or but as so not just very really bit little lot more most
    member part victim witness public person people someone somebody anyone everyone friend friends
    worried scared afraid sure concerned frightened upset worried happy unhappy glad able aware going trying
    police officer officers constable pc pcso special sergeant inspector detective dc ds di staff civilian
    station force constabulary team shift unit office department custody response neighbourhood area
    town city village county street road lane avenue close way place house home flat building local centre
    work job time years year months month weeks week day days while now then there here about around
    same old new good bad long short big small first last main high low
    """.split()
)
_GENERAL |= frozenset(
    """
    bridge estate park square market north south east west upper lower great end side row gardens terrace drive
    crescent court walk night nights evening evenings morning mornings weekend weekends
    only female male woman women lady senior junior qualified registered full also still currently
    black white silver grey gray blue green brown dark light colour color school
    """.split()
)
_STOPS = frozenset(
    "and but with where because so when who which since he she they i we it for to as if while after before until every"
    " each his her their him them".split()
)
# What people call someone by what they do: the activity in the narrative, the words a
# summary would use for the person.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "hair": ("hairdresser", "barber", "stylist", "salon"),
    "nails": ("manicurist", "salon", "nail"),
    "clean": ("cleaner", "cleaning"),
    "teach": ("teacher", "tutor", "school"),
    "tutor": ("tutor", "teacher"),
    "coach": ("coach", "trainer"),
    "train": ("trainer", "coach"),
    "drive": ("driver", "taxi", "cab", "chauffeur"),
    "deliver": ("courier", "postman", "postwoman", "delivery", "driver"),
    "babysit": ("babysitter", "childminder", "nanny"),
    "nurse": ("nurse",),
    "treat": ("doctor", "nurse", "surgery", "dentist"),
    "fix": ("mechanic", "garage", "plumber", "electrician", "builder"),
    "serve": ("barman", "barmaid", "bartender", "waiter", "waitress"),
    "rent": ("landlord", "landlady", "tenant", "lodger"),
    "next door": ("neighbour", "neighbor", "next door"),
    "doors down": ("neighbour", "neighbor"),
    "opposite": ("neighbour", "neighbor", "opposite"),
    "same street": ("neighbour", "neighbor"),
    "same road": ("neighbour", "neighbor"),
}
_VERBS = (
    r"cut|cuts|do|did|clean|cleans|cleaned|teach|teaches|taught|tutor|tutored|coach|coached|coaches|train|trained"
    r"|drive|drives|drove|deliver|delivers|delivered|nurse|nursed|treat|treated|look after|looked after|care for"
    r"|cared for|babysit|babysat|walk|walked|serve|served|fix|fixed|run|ran|manage|managed|own|owned|rent|rented"
)
_ONE = r"([a-z0-9&'-]+)"
_TWO = r"((?:[a-z0-9&'-]+ ?){1,2})"
_PLACE = r"((?:[a-z0-9&'-]+ ?){1,4})"
# What someone is, up to where they say where or for whom: "the only female custody nurse" (at ...).
_ROLE = r"((?:(?!(?:at|in|on|for|with|from|of|near|and|but|who|so)\b)[a-z0-9&'-]+ ?){1,4})"
NARRATIVE_PATTERNS: tuple[tuple[str, bool], ...] = (
    # (pattern, whether the words match by their stem: jobs and activities, not places)
    (r"\bi(?:'m| am| was|'ve been| have been| used to be| work as| worked as| trained as)"
     rf" (?:an?|the|his|her|their|one of (?:his|her|their)) {_ROLE}", True),
    (rf"\bi (?:work|worked|volunteer|volunteered|am based|was based|am employed|was employed) (?:at|in|for|on) {_PLACE}",
     False),
    (r"\bi (?:live|lived|stay|stayed|am renting|rent a room|lodge|lodged)"
     r" (?:at|in|on|near|by|next door to|opposite|above|below|across from|across the road from"
     rf"|round the corner from|down the road from|(?:two|three|a few) doors down from) {_PLACE}", False),
    (rf"\bi (?:{_VERBS}) (?:his|her|their|the) {_ONE}", True),
    (rf"\bi (?:live|lived) [a-z ,'-]{{0,40}}? (?:in|on|at) {_PLACE}", False),
    (r"\bmy (?:job|work|shop|salon|business|cafe|pub|restaurant|garage|surgery|school|club|gym) (?:is |was )?"
     rf"(?:at|in|on|near|opposite) {_PLACE}", False),
    (rf"\bi (?:run|own|manage|managed|ran|owned) (?:an?|the) {_TWO}", True),
    # what they drive, and where their children go: as telling as where they live
    (rf"\b(?:my|our) (?:car|van|vehicle|motorbike|motorcycle|bike|scooter|taxi) (?:is|was) (?:an?|the) {_TWO}", False),
    (rf"\bi (?:drive|drove|ride|rode) (?:an?|the) {_TWO}", False),
    (r"\bmy (?:son|daughter|kids|children|child|boy|girl|grandson|granddaughter)(?:'s)?"
     rf" (?:goes|go|went|attends|attend|is|are) (?:to|at) {_PLACE}", False),
)


def _literal_first(pattern: str) -> re.Pattern[str]:
    """``\\bi ...`` as ``i(?<!\\wi) ...``: a pattern that starts with its letter lets the
    regex engine skip to each 'i' of a 100,000-character narrative (ten times faster)."""
    if pattern.startswith(r"\b") and pattern[2:3].isalpha():
        letter = pattern[2]
        pattern = rf"{letter}(?<![\w']{letter})" + pattern[3:]
    return re.compile(pattern)


_NARRATIVE = tuple((_literal_first(p), stem) for p, stem in NARRATIVE_PATTERNS)
_LIVING = _literal_first(r"\bi (?:live|lived) (next door|(?:two|three|a few) doors down|opposite|on the same (?:street|road))")
_ACTIVITY = _literal_first(rf"\bi (?!(?:drive|drove|ride|rode) an? )({_VERBS}) ")  # see _OWN_VEHICLE
_WORD = re.compile(r"[a-z0-9&'-]+")
_SUFFIXES = ("ing", "ed", "es", "er", "s", "e")


@dataclass(frozen=True)
class Tell:
    word: str  # folded
    by_stem: bool  # matched by stem (hairdresser ~ hairdressing) or as the whole word (a place)
    said: str  # the narrative's words, for the message


def stem(word: str) -> str:
    """A crude stem, enough to see 'cleaner' in 'cleaning': never shorter than four letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(phrase: str) -> list[str]:
    """The telling words of a phrase, up to the first word that starts another thought."""
    found = []
    for word in _WORD.findall(phrase):
        if word in _STOPS:
            break
        for part in word.replace("'s", "").split("-"):
            if len(part) >= 4 and part not in _GENERAL:
                found.append(part)
    return found


_OWN_VEHICLE = re.compile(r"\bi (?:drive|drove|ride|rode) an? ")


def _derived(said: str) -> list[str]:
    """Role words implied by what the reporter does ("I cut his hair": hairdresser; "I drive
    a Fiesta" is no driver by trade)."""
    said = _OWN_VEHICLE.sub("", said)
    return [role for key, roles in ROLE_WORDS.items() if key in said for role in roles]


def narrative_tells(narrative: str) -> tuple[Tell, ...]:
    """What the narrative says about the reporter, as words a summary must not repeat unawares."""
    text = narrative.casefold().replace("\u2019", "'").replace("é", "e")
    found: dict[str, Tell] = {}
    for pattern, by_stem in _NARRATIVE:
        for match in pattern.finditer(text):
            said = match.group().strip()
            for word in _words(match.group(1)):
                found.setdefault(word, Tell(word, by_stem, said))
            for role in _derived(said):
                found.setdefault(role, Tell(role, True, said))
    for match in (*_LIVING.finditer(text), *_ACTIVITY.finditer(text)):
        said = match.group().strip()
        for role in _derived(said):
            found.setdefault(role, Tell(role, True, said))
    return tuple(found.values())


_RELATIVE = re.compile(
    r"\b[Mm]y (?:own |late |ex-?|former |elder |older |younger |little |big |eldest |youngest )?"
    r"(husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|son|daughter|brother|sister|mum|mother|dad|father"
    r"|step(?:dad|mum|father|mother|son|daughter)|cousin|aunt|auntie|uncle|nephew|niece|grandson|granddaughter"
    r"|grandmother|grandfather|nan|gran|grandad|child|friend|best friend|flatmate|housemate)"
    r"(?:'s name is|,| is called| called| named| is)? ((?:[A-Z][a-z'’-]+)(?: [A-Z][a-z'’-]+)?)"
)


def relative_tells(narrative: str) -> tuple[Tell, ...]:
    """The names the narrative gives the reporter's family and friends ("my husband Gareth"):
    as telling as the reporter's own in a summary, unless one is a subject."""
    from hotline_tui.services.sanitiser.everyday import is_everyday
    from hotline_tui.services.sanitiser.profile import COMMON_WORDS  # profile builds on this module

    found: dict[str, Tell] = {}
    for match in _RELATIVE.finditer(narrative):
        for word in re.findall(r"[^\W\d_]+", match.group(2)):
            folded = word.casefold()
            if len(folded) >= 3 and folded not in COMMON_WORDS | _TITLE_WORDS and not is_everyday(folded):
                found.setdefault(folded, Tell(folded, False, " ".join(match.group().split())))
    return tuple(found.values())


# Words after "my husband" that are no name: "my husband PC Jones" names a rank first.
_TITLE_WORDS = frozenset("pc ps dc ds di dci sgt insp mr mrs ms miss dr sir police officer".split())


_ONLY = _literal_first(rf"\bi(?:'m| am| was|'ve been| have been| used to be) (?:the|one of the) only {_ROLE}")
_SAME_KIND = ({"female", "woman", "women", "lady", "girl"}, {"male", "man", "men", "bloke", "guy"})
# Words a summary says of its subjects: "the only officer named".
_NOT_UNIQUE = frozenset("""the and but who that this one person people here there with from have been officer officers
    police constable sergeant inspector detective staff member members""".split())


def unique_words(narrative: str) -> tuple[str, ...]:
    """What makes the reporter the only one of a kind ("I am the only female custody nurse
    at Rochdale"): each word, and those that say the same ("woman" for "female"). A summary
    that says "the only" beside one of them singles the reporter out."""
    found: set[str] = set()
    for match in _ONLY.finditer(narrative.casefold().replace("\u2019", "'")):
        for word in _WORD.findall(match.group(1)):
            if len(word) >= 3 and word not in _NOT_UNIQUE:
                found.add(word)
                found |= next((kind for kind in _SAME_KIND if word in kind), set())
    return tuple(sorted(found))


@lru_cache(maxsize=64)
def unique_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """"only" and, within four words, a word of the reporter's uniqueness."""
    if not words:
        return None
    return re.compile(rf"\bonly (?:[a-z'-]+ ){{0,4}}?(?:{'|'.join(map(re.escape, words))})s?\b")


@lru_cache(maxsize=64)
def tell_pattern(tells: tuple[Tell, ...]) -> tuple[re.Pattern[str] | None, dict[str, Tell]]:
    """One pattern for all of a report's tells over folded text: places as whole words,
    jobs and activities by their stem ("hairdress" finds "hairdressing")."""
    if not tells:
        return None, {}
    exact = sorted({re.escape(t.word) for t in tells if not t.by_stem}, key=len, reverse=True)
    stems = sorted({re.escape(stem(t.word)) for t in tells if t.by_stem}, key=len, reverse=True)
    parts = []
    if exact:
        parts.append(rf"(?:{'|'.join(exact)})s?")
    if stems:
        parts.append(rf"(?:{'|'.join(stems)})[^\W_]*")
    pattern = re.compile(rf"(?<![^\W_])({'|'.join(parts)})(?![^\W_])")
    by_word = {t.word: t for t in tells} | {t.word + "s": t for t in tells if not t.by_stem}
    return pattern, by_word
