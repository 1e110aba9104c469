"""The room's reference facts: forces, behaviours, categories, grading, referral criteria.

Plain data the screens and services share. Facts marked *inferred* in the reference
notes (e.g. that the UK-wide forces are routable) are defaults the product may let a
person override, not law.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from import_export.wording import OUTCOME_WORDS


@dataclass(frozen=True)
class Force:
    code: str
    name: str
    nation: str
    ons_pfa_code: str
    oversight_body: str  # IOPC, PIRC or PONI

    @property
    def iopc(self) -> bool:
        """True where the IOPC mandatory-referral regime applies."""
        return self.oversight_body == "IOPC"

    @property
    def short_name(self) -> str:
        """The name as the room says it, for a narrow column: "Avon and Somerset" for
        "Avon and Somerset Constabulary", "Police Scotland", "PSNI"."""
        if self.code in SHORT_NAMES:
            return SHORT_NAMES[self.code]
        name = self.name.split(" (")[0]  # "(Heddlu Gwent)" goes
        for suffix in (" Constabulary", " Police Service", " Police"):
            name = name.removesuffix(suffix)
        return name


def short_force_name(name: str) -> str:
    """A force's full name as the room says it (see ``Force.short_name``); any other text as it is."""
    return _short_names().get(name, name)


@cache
def _short_names() -> dict[str, str]:
    return {force.name: force.short_name for force in forces()}


SHORT_NAMES = {  # where dropping "Police" or "Constabulary" is not what people say
    "metropolitan": "Metropolitan",
    "hampshire": "Hampshire and IoW",
    "police-scotland": "Police Scotland",
    "northern-ireland": "PSNI",
    "btp": "BTP",
    "mod-police": "MoD Police",
}


@cache
def forces() -> tuple[Force, ...]:
    """The 48 routable forces, shipped as package data (never read from outside the package)."""
    text = resources.files("hotline_tui").joinpath("data/forces.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        Force(r["code"], r["name"], r["nation"], r["ons_pfa_code"], r["oversight_body"]) for r in rows
    )


@cache
def _forces_by_code() -> dict[str, Force]:
    return {force.code: force for force in forces()}


def force_by_code(code: str) -> Force | None:
    return _forces_by_code().get(code)


def force_name(code: str | None) -> str:
    """A force's name from its code: an unknown code as it is, none as 'force not known'."""
    if not code:
        return "force not known"
    force = force_by_code(code)
    return force.name if force else code


# A report about a body not in the registry (NCA, port police ...) is recorded as this
# and is never sealed to a force.
OTHER_FORCE = "other"


@dataclass(frozen=True)
class Label:
    code: str
    label: str
    description: str = ""


# The reporter's own choice of behaviour: the codes of FORMATS.md (report `behaviours`).
BEHAVIOURS: tuple[Label, ...] = (
    Label("corruption", "Corruption", "Trading police information or influence for money or favours, bribes"),
    Label("sexual_misconduct", "Abuse of position", "Using police powers for sex or other personal benefit"),
    Label("abuse_or_control", "Abuse or control", "Physical or emotional abuse or control, including of a partner"),
    Label("discrimination", "Discrimination", "Racist, homophobic, misogynistic or disablist acts or beliefs"),
    Label("other_criminality", "Other criminality", "Other criminal conduct"),
    Label("other", "Other", "Anything else"),
)

# The five behaviours the service publishes, each with the code a report carries for it
# (the second and third share one code in FORMATS.md).
SERVICE_BEHAVIOURS: tuple[Label, ...] = (
    Label("corruption", "Provide information or influence in return for money or favours"),
    Label("sexual_misconduct", "Use their policing position for personal advantage, financial or otherwise"),
    Label("sexual_misconduct", "Cross professional boundaries or abuse their position for sexual purposes"),
    Label("abuse_or_control", "Abuse or control their partner, or those they have a relationship with"),
    Label(
        "discrimination",
        "Engage in racist, homophobic, misogynistic or disablist conduct, on or off duty, in person or online",
    ),
)

# National corruption-related intelligence categories (HMICFRS glossary).
CATEGORIES: tuple[Label, ...] = (
    Label("infiltration", "Infiltration"),
    Label("disclosure_of_information", "Disclosure of information"),
    Label("perverting_the_course_of_justice", "Perverting the course of justice"),
    Label("sexual_misconduct", "Sexual misconduct", "Includes abuse of position for a sexual purpose, serious corruption"),
    Label("controlled_drugs", "Controlled drug use and supply"),
    Label("theft_and_fraud", "Theft and fraud"),
    Label("misusing_force_systems", "Misusing force systems"),
    Label("abuse_of_authority", "Abuse of authority"),
    Label("inappropriate_association", "Inappropriate association"),
    Label("vulnerability", "Vulnerability"),
    Label("assisting_an_offender", "Commit, incite, aid and abet, assist an offender"),
    Label("other", "Other"),
)

DISCRIMINATION_TYPES: tuple[Label, ...] = (
    Label("racist", "Racist"),
    Label("homophobic", "Homophobic"),
    Label("misogynistic", "Misogynistic"),
    Label("disablist", "Disablist"),
)

# Intelligence grading 3x5x2 (College of Policing APP), written e.g. [2CP].
GRADING_SOURCE: tuple[Label, ...] = (
    Label("1", "Reliable"),
    Label("2", "Untested"),
    Label("3", "Not reliable"),
)
GRADING_INTELLIGENCE: tuple[Label, ...] = (
    Label("A", "Known directly to the source"),
    Label("B", "Known indirectly to the source but corroborated"),
    Label("C", "Known indirectly to the source"),
    Label("D", "Not known"),
    Label("E", "Suspected to be false (or malicious)"),
)
GRADING_HANDLING: tuple[Label, ...] = (
    Label("P", "Lawful sharing permitted"),
    Label("C", "Lawful sharing permitted with conditions", "The originator states the conditions"),
)
HANDLING_CONDITIONS: tuple[Label, ...] = (
    Label("A1", "May be combined or corroborated", "No direct action without the originator's permission"),
    Label("A2", "Covert action only", "Not evidence in isolation"),
    Label("A3", "Overt action permitted"),
    Label("S1", "Unsupervised sanitisation permitted", "For wider dissemination"),
    Label("S2", "No sanitisation without consulting the originator"),
)
# An anonymous report is usually an untested source (inferred default, analyst overrides).
DEFAULT_ANONYMOUS_SOURCE = "2"

# Mandatory referral to the IOPC (Police (Complaints and Misconduct) Regulations 2020,
# reg 4). Turns on the nature of what is alleged, not its merits; England, Wales and
# the UK-wide forces only (Scotland: PIRC, Northern Ireland: PONI).
IOPC_CRITERIA: tuple[Label, ...] = (
    Label("death_or_serious_injury", "Death or serious injury"),
    Label("serious_assault", "A serious assault"),
    Label("serious_sexual_offence", "A serious sexual offence"),
    Label(
        "serious_corruption",
        "Serious corruption",
        "Including abuse of position for a sexual purpose or for an improper emotional relationship",
    ),
    Label(
        "discriminatory_aggravation",
        "Aggravated by discriminatory behaviour",
        "A criminal offence or behaviour liable to lead to disciplinary proceedings",
    ),
    Label(
        "serious_offence",
        "An offence with a fixed or 7-year sentence",
        "Sentence fixed by law, or of 7 years or more for a first-time adult offender",
    ),
)

# FORMATS.md's outcome statuses, in the words the force's tool uses too.
OUTCOME_STATUSES: tuple[Label, ...] = tuple(Label(code, words) for code, words in OUTCOME_WORDS.items())


def label_of(table: tuple[Label, ...], code: str) -> str:
    """The human label for a code, or the code itself when unknown (shown, never an error)."""
    return next((entry.label for entry in table if entry.code == code), code)
