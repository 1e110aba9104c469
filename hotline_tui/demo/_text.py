"""Sentence templates for invented narratives, handler notes and outcome notes.

Placeholders: {who} the subject as the reporter names them; {He} {he} {him} {his} {His} the
subject; {She} {she} {her} (object) {her_} (possessive) the person harmed, {v} "woman" or "man";
{Who} {Who2} the mentions capitalised to open a sentence; {who2} a second subject;
{town} {station} {venue} {amount} {force} {year}; reporter details {phone} {email} {rname}.
"""

from __future__ import annotations

FIRST: dict[str, tuple[str, ...]] = {
    "corruption": (
        "{who} has been passing information from police systems to a drug dealer in {town} in return for cash.",
        "I believe {who} is selling details of police operations to people on the estate.",
        "{who} told a friend of mine {he} could make a driving matter go away for {amount}.",
        "{who} has been looking up people on the police computer for a car dealer in {town}.",
        "{who} tipped off a family in {town} before a drugs warrant, I am sure of it.",
        "{who} gets free meals and drinks at {venue} and in return the owner's licensing problems never get followed up.",
        "A man who runs a security firm pays {who} to check number plates for him.",
        "{who} has been telling a local gang which of their members are being watched.",
    ),
    "sexual_misconduct": (
        "{who} stopped a young {v} for a traffic matter and then kept messaging {her} on Instagram afterwards.",
        "{who} attended a domestic call at a {v}'s flat in {town} and has been going back there off duty.",
        "{who} took a victim's number from a crime report and sent {her} messages asking to meet for a drink.",
        "{who} offered to drop a shoplifting matter against a young {v} if {she} met {him} privately.",
        "{who} targets vulnerable people {he} meets through work, especially ones with addiction problems.",
        "{who} has been in a sexual relationship with a witness in a case {he} is dealing with.",
        "{who} gives lifts home to young people leaving {venue} late at night and makes comments about their bodies.",
    ),
    "abuse_or_control": (
        "{who} is controlling towards {his} partner and checks {her_} phone and bank account every day.",
        "{who} has hit {his} partner more than once and {she} is too frightened to report it to {his} own force.",
        "{who} tracks {his} ex-partner's car and turns up wherever {she} goes.",
        "{who} tells {his} partner {he} will have the children taken off {her} because {he} knows how the system works.",
        "{who} uses work contacts to find out who {his} ex is seeing.",
        "{who} has been coercive and controlling towards {his} partner for years.",
    ),
    "discrimination": (
        "{who} was in a WhatsApp group where officers shared racist memes about Muslims.",
        "{who} made homophobic comments about a gay couple who came into {station} to report a burglary.",
        "{who} calls female colleagues names and rates them on their looks in the briefing room.",
        "{who} mocked a disabled man during a stop in {town} and copied the way he spoke.",
        "{who} posted on Facebook that immigrants should be sent back on a boat.",
        "{who} uses racist language about Black families on the estate when {he} thinks the public can't hear.",
        "{who} refused to take a hate crime report seriously and laughed at the victim's accent.",
    ),
    "other_criminality": (
        "{who} is dealing cocaine to people at the rugby club in {town}.",
        "{who} has been driving home drunk from {venue} most Fridays.",
        "{who} is claiming overtime for shifts {he} did not work.",
        "{who} took cash from a property seizure and didn't book it in.",
        "{who} is running a cannabis grow in a rented house outside {town}.",
        "{who} has been selling seized phones through a shop in {town}.",
    ),
    "other": (
        "{who} keeps using blue lights to get through traffic on the school run.",
        "{who} gets {his} mates out of parking tickets and speeding fines.",
        "I am worried about how {who} treats people in custody at {station}.",
        "{who} is always round the house of a man who was arrested for fraud last year.",
        "{who} has a second job that I don't think {his} force knows about.",
    ),
}

FOLLOW: dict[str, tuple[str, ...]] = {
    "corruption": (
        "{He} has been seen getting into the dealer's car outside {venue} at least twice.",
        "Someone said {he} gets about {amount} a time.",
        "{He} bragged that nobody checks what {he} looks up.",
        "The warrant found nothing because they knew the police were coming.",
        "{He} has a new car and holidays that don't add up on {his} wage.",
        "{He} always asks to deal with anything involving that family.",
        "The money is paid in cash in an envelope, usually at {venue}.",
    ),
    "sexual_misconduct": (
        "{She} felt {she} could not say no because of who {he} is.",
        "The messages started on the same night {he} took {her_} statement.",
        "{He} told {her} that if {she} complained nobody would believe {her} over a police officer.",
        "{She} is not the first; I have heard the same about {him} from two other people.",
        "{He} used the police system to find {her_} new address after {she} moved.",
        "{He} turned up at {her_} work in uniform and asked to speak to {her} alone.",
    ),
    "abuse_or_control": (
        "{She} has had bruises on {her_} arms that {she} explained away.",
        "{He} says the police will never believe {her} because {she} has a record.",
        "The neighbours have heard shouting and things being thrown late at night.",
        "{She} isn't allowed to see {her_} friends or family without {him} knowing.",
        "When {she} tried to leave, {he} turned up at {her_} mum's house in uniform.",
        "{He} has access to {her_} location through an app on {her_} phone.",
    ),
    "discrimination": (
        "Others laughed along and nobody challenged {him}.",
        "I have screenshots of some of the messages.",
        "{He} said it was just banter when someone objected.",
        "{He} treats Asian shop owners on {his} beat very differently from everyone else.",
        "A probationer told me they are afraid to say anything in case they are next.",
        "It happens in front of supervisors and nothing is done.",
    ),
    "other_criminality": (
        "Everyone in the area seems to know about it.",
        "{He} has threatened people who talk about it.",
        "{He} has used a police car to pick it up before.",
        "It has been going on since at least {year}.",
    ),
    "other": (
        "It is small things but it adds up.",
        "{He} thinks the rules don't apply to {him}.",
        "{He} laughs about it openly in the pub.",
    ),
}

OPENERS: tuple[str, ...] = (
    "I don't want to give my name.",
    "I've been worried about this for months.",
    "I didn't know who else to tell about this.",
    "This has been going on for a while now.",
    "I don't trust the local police to deal with this.",
    "I'm reporting this because I saw your advert on Facebook.",
)

CLOSERS: tuple[str, ...] = (
    "I just want someone to look into it.",
    "Please don't let anyone know it came from round here.",
    "I hope something is done before someone gets hurt.",
    "I can't say more without giving myself away.",
    "There are others who know but they are too scared to say.",
)

SECOND_SUBJECT: tuple[str, ...] = (
    "{who2} knows what is going on and covers for {him}.",
    "{who2} was with {him} at the time.",
    "{He} does it with {who2}, who works at the same station.",
    "{who2} has been told about it and did nothing.",
)

# How the reporter knows, by relationship: what sanitisation must catch.
KNOWS: dict[str, tuple[str, ...]] = {
    "victim": (
        "{He} is my partner and I am scared of what {he} will do if {he} finds out I called.",
        "I was in a relationship with {him} for three years.",
        "I'm the one {he} was messaging.",
    ),
    "police_colleague": (
        "I work with {him} on response at {station}.",
        "I'm on the same team as {him} and have seen this myself.",
        "I am a PCSO at the same station and I work with {him}.",
    ),
    "family": (
        "{He} is my brother-in-law.",
        "My sister is married to {him}.",
        "{He} is my cousin and I see {him} at family events.",
    ),
    "public": (
        "I live two doors down from {him} in {town}.",
        "I run the café opposite {station} station.",
        "My partner used to drink with {him} at {venue}.",
    ),
    "other": (
        "I used to be {his} landlord.",
        "I cut {his} hair and {he} talks about it in the chair.",
    ),
}
CONTACT: tuple[str, ...] = (
    "If you need more you can ring me on {phone}.",
    "My number is {phone}, please only call after 6pm.",
)
EMAIL: tuple[str, ...] = ("You can email me at {email}.",)
OWN_NAME: tuple[str, ...] = ("My name is {rname} but please keep that private.",)

HANDLER_NOTES: tuple[str, ...] = (
    "Caller anxious; asked several times whether the call could be traced. Reassured re anonymity.",
    "Caller declined to say how they know. Call lasted approx {mins} mins.",
    "Background noise, possibly calling from a car park. Caller ended the call abruptly.",
    "Caller was clear and consistent and repeated the main points when asked.",
    "Caller became upset describing what happened. Offered details of support services.",
    "Caller says they have screenshots but would not send them.",
    "Caller says they reported this to {force} before and nothing happened.",
    "Caller unsure which force the officer belongs to.",
    "English not the caller's first language; spoke slowly and checked their words.",
    "Caller rang back after being cut off; second call reference linked.",
)

WHEN: tuple[str, ...] = (
    "last Saturday night", "about three weeks ago", "ongoing since {year}", "most Friday nights",
    "{month} {year}", "during the summer", "on and off for two years", "not sure exactly, sometime last year",
    "every few weeks", "the night of the match",
)
WHERE: tuple[str, ...] = (
    "{station} police station", "{venue} in {town}", "a flat in {town}", "the car park behind {station} station",
    "online (Facebook)", "a WhatsApp group", "{town} town centre", "a lay-by outside {town}",
    "the home address in {town}",
)
VENUES: tuple[str, ...] = (
    "the Red Lion", "the Kings Arms", "a shisha bar on the high street", "the gym on the retail park",
    "the snooker club", "a car wash on the ring road", "a takeaway near the station", "the rugby club",
    "a nightclub in the town centre", "the petrol station on the bypass",
)
AMOUNTS: tuple[str, ...] = ("£50", "£100", "£200", "£250", "£500", "£1,000", "£1,500", "a few hundred quid")
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)

OUTCOME_NOTES: dict[str, tuple[str, ...]] = {
    "received": (
        "Received by {force} Professional Standards Department; assessment under way.",
        "Logged by the {force} Counter Corruption Unit and allocated for assessment.",
    ),
    "assessed_no_further_action": (
        "Assessed: insufficient information to identify the subject. Retained on intelligence systems.",
        "Assessed: subject identified, no misconduct or criminality indicated. No further action.",
    ),
    "investigation_opened": (
        "Investigation opened by the Anti-Corruption Unit; subject served with a regulation notice.",
        "Investigation opened. Subject restricted to non-public-facing duties.",
    ),
    "misconduct_proceedings": (
        "Case to answer for gross misconduct; hearing being arranged.",
        "Misconduct meeting arranged following investigation.",
    ),
    "criminal_proceedings": (
        "File passed to the CPS; subject charged and suspended.",
        "Subject arrested and interviewed; charging decision with the CPS.",
    ),
    "dismissed": (
        "Gross misconduct proven at hearing; dismissed without notice and placed on the barred list.",
        "Dismissed following an accelerated misconduct hearing.",
    ),
    "resigned_or_retired": (
        "Subject resigned before the hearing; hearing held in absence and the finding recorded on the barred list.",
        "Subject retired during the investigation; the case proceeded to a finding.",
    ),
    "other_outcome": (
        "Final written warning issued.",
        "Reflective practice review process applied; management action taken.",
    ),
    "closed": (
        "Case closed. Thank you for the referral.",
        "Case closed; learning shared with the relevant teams.",
    ),
}


def _sentence_case(templates: tuple[str, ...]) -> tuple[str, ...]:
    """``{who}`` opening a sentence becomes ``{Who}``, the capitalised mention."""
    return tuple("{W" + t[2:] if t.startswith(("{who}", "{who2}")) else t for t in templates)


FIRST = {key: _sentence_case(value) for key, value in FIRST.items()}
SECOND_SUBJECT = _sentence_case(SECOND_SUBJECT)
