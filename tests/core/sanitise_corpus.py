"""Corpora for the sanitiser: reports, summaries that leak in disguise, and clean summaries.

The reports are written as reporters talk: who they are and how they know slips into the
narrative. The disguised summaries are how a hurried analyst or an attacker writes a
reporter's detail (one family of disguise each). The clean summaries mention only the
subjects, places and events, written the way analysts write; several name the same
towns, stations and venues as the narrative, and some sit beside narratives full of
the reporter's own context.
"""

from __future__ import annotations

from typing import Any

ROSALIND: dict[str, Any] = {
    "report_id": "3f2a9c1e-5b7d-4c2a-9e8f-1a2b3c4d5e6f",
    "reference": "PAC-2026-004211",
    "reporter": {"name": "Rosalind Featherstone", "phone": "07700 900461", "email": "ros.featherstone@example.net",
                 "relationship": "other"},
    "subjects": [{"role": "officer", "name": "PC Gary Marsh", "station": "Halifax", "force_hint": "West Yorkshire"}],
    "where": "Queen Street, Halifax",
    "narrative": (
        "PC Gary Marsh has been taking money from the owner of the Golden Dragon takeaway on Queen Street in Halifax "
        "to tip him off before licensing visits. I cut his hair every few weeks at my salon on Albion Road and he "
        "boasts about it in the chair. I live in Sowerby Bridge. He says he gets £200 a time. My name is Rosalind "
        "Featherstone, you can ring me on 07700 900461 or email ros.featherstone@example.net."
    ),
}
VICTORIA: dict[str, Any] = {  # no name field: the e-mail address spells it
    "report_id": "9b1d7e20-4a6c-4f3e-8d2b-7c5a1e9f0b34",
    "reference": "PAC-2026-005873",
    "reporter": {"email": "victoria.lindfield4@example.com", "relationship": "police_colleague"},
    "subjects": [{"role": "officer", "name": "DS Paul Okafor", "station": "Bradford Central"}],
    "narrative": (
        "DS Paul Okafor keeps seized cash from drugs warrants and has been seen counting it in his car. I am a "
        "cleaner at Bradford Central and I work nights, so I see who comes and goes from the property store. "
        "It has happened at least four times since the summer."
    ),
}
ZOE: dict[str, Any] = {
    "report_id": "c47e0b5a-2d19-4e8b-b6f3-58a0d2c9e171",
    "reference": "PAC-2026-006102",
    "reporter": {"name": "Zoë Brontë", "phone": "+44 20 7946 0718", "email": "zb@brontefamily.co.uk",
                 "relationship": "family"},
    "subjects": [{"role": "officer", "name": "Sergeant Liam Cowell", "station": "Keighley"}],
    "narrative": (
        "Liam Cowell is my brother-in-law. He hits my sister and tells her nobody will believe her because he is "
        "a sergeant. I live two doors down from them in Haworth and hear it through the wall. He took her phone "
        "and checks her bank account."
    ),
}
GRACE: dict[str, Any] = {  # both names are common words
    "report_id": "e81f3a97-6c0d-4b25-9a4e-0d3b7f6c2a58",
    "reference": "PAC-2026-007345",
    "reporter": {"name": "Grace Hill", "phone": "0161 496 0377", "email": "g.hill@gmail.com",
                 "relationship": "police_colleague"},
    "subjects": [{"role": "officer", "name": "PC Darren Whitlock", "station": "Longsight"}],
    "narrative": (
        "I work with PC Darren Whitlock on response at Longsight. He shares racist memes in the team WhatsApp "
        "group and calls Asian drivers names when we stop them. I am a PCSO and he thinks I won't say anything."
    ),
}
HARJIT: dict[str, Any] = {
    "report_id": "5a0c9d83-1e7f-4b62-8c4d-3f9e2a1b7d06",
    "reference": "PAC-2026-008019",
    "reporter": {"name": "Harjit Sandhu", "phone": "07700 900982", "email": "hsandhu77@outlook.com",
                 "relationship": "public"},
    "subjects": [{"role": "staff", "name": "Kevin Doyle", "station": "Wolverhampton"}],
    "narrative": (
        "Kevin Doyle, who works in the control room, has been selling addresses of people on the sex offenders "
        "register to a vigilante group. I used to be his landlord and I run the newsagent on Dudley Road. He "
        "left paperwork in the flat with the names on."
    ),
}
DANIEL: dict[str, Any] = {  # a double-barrelled name; the narrative gives their home, birth date, car, work phone
    "report_id": "7d2e4b10-93a5-4c7f-b1e8-2f6a0c9d3e47",
    "reference": "PAC-2026-009310",
    "reporter": {"name": "Daniel Ashworth-Kendrick", "phone": "07700 900123", "email": "dak.builds@example.org",
                 "relationship": "public"},
    "subjects": [{"role": "officer", "name": "PC Lee Varley", "station": "Halifax"}],
    "narrative": (
        "PC Lee Varley drives a black Audi A3, YE68 TRW, and parks it outside the Red Lion at 22 High Street, "
        "HX1 5AA, when he collects the money on Fridays. I live at 14 Elm Grove, Halifax HX3 2AB and he followed my "
        "car home one night; my car is a silver Focus, registration YX19 KLM. My date of birth is 03/07/1985. "
        "My work mobile is 07700 900777."
    ),
}
MARK: dict[str, Any] = {  # both names are common words, and so is an e-mail's name part
    "report_id": "0c5a8e21-6f4d-4a39-9b70-d1e2f3a4b5c6",
    "reference": "PAC-2025-000517",
    "reporter": {"name": "Mark Best", "phone": "01632 960245", "email": "will@gmail.com", "relationship": "public"},
    "subjects": [{"role": "officer", "name": "DC Ian Roper", "station": "Leeds"}],
    "narrative": "DC Ian Roper takes bribes. I was born on 12 May 1979. I live in Leeds.",
}
SARAH: dict[str, Any] = {  # no reporter details on the form: the narrative and the call handler give them
    "report_id": "4b8c2d6e-1f3a-4e5b-9c7d-8e9f0a1b2c3d",
    "reference": "PAC-2026-010044",
    "reporter": {"anonymous": True},
    "subjects": [{"role": "officer", "name": "PC Gary Marsh", "station": "Halifax"}],
    "narrative": "PC Gary Marsh takes money. My name is Sarah Okonjo and you can call me on 07700 900555. "
                 "My email is s.okonjo@example.net.",
    "handler_notes": "Caller gave her name as Sarah Okonjo, lives at 3 Mill Lane, LS6 2AB; second mobile 07700 900666, "
                     "call me on it after six. Says PC Marsh drinks at the Fox, 8 Otley Road, LS6 3AA.",
}
REPORTS = {"sarah": SARAH, "rosalind": ROSALIND, "victoria": VICTORIA, "zoe": ZOE, "grace": GRACE, "harjit": HARJIT,
           "daniel": DANIEL, "mark": MARK}

# (family, report, text, what must happen: "block" or "warn" at least)
DISGUISED: tuple[tuple[str, str, str, str], ...] = (
    # the name as written, in other case and spacing
    ("name as written", "rosalind", "Rosalind Featherstone says PC Marsh takes money.", "block"),
    ("name as written", "rosalind", "FEATHERSTONE reports the takeaway pays him.", "block"),
    ("name as written", "harjit", "According to harjit the addresses were sold.", "block"),
    # look-alike letters from other alphabets
    ("look-alike letters", "rosalind", "PC R\u043esalind F\u0435atherstone reports it.", "block"),
    ("look-alike letters", "rosalind", "Information from Feathers\u0442one.", "block"),
    ("look-alike letters", "harjit", "S\u0430ndhu saw the paperwork.", "block"),
    ("look-alike letters", "victoria", "L\u0456ndfield says it happened four times.", "block"),
    ("look-alike letters", "rosalind", "Featherst\u03bfne (Greek omicron) saw it.", "block"),
    # invisible and format characters inside
    ("invisible characters", "rosalind", "Feather\u200bstone reports it.", "block"),
    ("invisible characters", "rosalind", "Feath\u00aderstone reports it.", "block"),
    ("invisible characters", "rosalind", "Feath\u2060erstone reports it.", "block"),
    ("invisible characters", "harjit", "San\u200ddhu reports it.", "block"),
    ("invisible characters", "harjit", "San\ufeffdhu reports it.", "block"),
    ("invisible characters", "rosalind", "Ros\u034falind says so.", "block"),
    # combining accents and accents dropped or decomposed
    ("accents", "zoe", "Zoe Bronte reports the assaults.", "block"),
    ("accents", "zoe", "Zoe\u0308 Bronte\u0308 reports the assaults.", "block"),
    ("accents", "zoe", "BRONTË says it happens weekly.", "block"),
    ("accents", "rosalind", "Fe\u0301atherstone reports it.", "block"),
    # compatibility forms: fullwidth, mathematical letters, ligatures
    ("compatibility forms", "rosalind", "\uff26\uff45\uff41\uff54\uff48\uff45\uff52\uff53\uff54\uff4f\uff4e\uff45 said so.",
     "block"),
    ("compatibility forms", "rosalind", "\U0001d405\U0001d41e\U0001d41a\U0001d42d\U0001d421\U0001d41e\U0001d42b"
     "\U0001d42c\U0001d42d\U0001d428\U0001d427\U0001d41e said so.", "block"),
    ("compatibility forms", "harjit", "\U0001d446\U0001d44e\U0001d45b\U0001d451\u210e\U0001d462 said so.", "block"),
    # separators inside the name: split, hyphen, line break, dots, spaces between letters
    ("split name", "rosalind", "Feather stone says he boasts of it.", "block"),
    ("split name", "rosalind", "Feather-stone says he boasts of it.", "block"),
    ("split name", "rosalind", "Informant Feather-\nstone says he boasts of it.", "block"),
    ("split name", "rosalind", "R.o.s.a.l.i.n.d says he boasts of it.", "block"),
    ("split name", "rosalind", "R o s a l i n d says he boasts of it.", "block"),
    ("split name", "harjit", "S-a-n-d-h-u found the paperwork.", "block"),
    ("split name", "harjit", "San dhu found the paperwork.", "block"),
    ("split name", "zoe", "B r o n t e hears it through the wall.", "block"),
    # digits for letters
    ("digits for letters", "rosalind", "R0salind says so.", "block"),
    ("digits for letters", "victoria", "L1ndfield says so.", "block"),
    ("digits for letters", "harjit", "5andhu says so.", "block"),
    # order reversed, letters reversed
    ("reversed", "grace", "Hill, Grace reports racist memes.", "block"),
    ("reversed", "grace", "HILL GRACE reports racist memes.", "block"),
    ("reversed", "rosalind", "Featherstone Rosalind says so.", "block"),
    ("reversed", "rosalind", "enotsrehtaeF says so.", "block"),
    ("reversed", "harjit", "uhdnas found the paperwork.", "block"),
    # the name the e-mail spells, where there is no name field
    ("name from the e-mail", "victoria", "Victoria Lindfield reports the cash was kept.", "block"),
    ("name from the e-mail", "victoria", "Lindfield reports the cash was kept.", "block"),
    ("name from the e-mail", "victoria", "Lindfield, Victoria reports the cash was kept.", "block"),
    # misspelt, sounding alike, split and misspelt: likely, so warned
    ("misspelt name", "rosalind", "Featherston reports it.", "warn"),
    ("misspelt name", "rosalind", "Fetherstone reports it.", "warn"),
    ("misspelt name", "rosalind", "Featherstome reports it.", "warn"),
    ("misspelt name", "rosalind", "Fethurstone reports it.", "warn"),
    ("misspelt name", "rosalind", "Rosalynd reports it.", "warn"),
    ("misspelt name", "rosalind", "Fether stone reports it.", "warn"),
    ("misspelt name", "victoria", "Lindfeld reports it.", "warn"),
    ("misspelt name", "victoria", "Lyndfield reports it.", "warn"),
    ("misspelt name", "harjit", "Sandu found the paperwork.", "warn"),
    ("misspelt name", "harjit", "Harjeet found the paperwork.", "warn"),
    ("misspelt name", "zoe", "Bronty hears it through the wall.", "warn"),
    # the e-mail address, as written and written out
    ("e-mail", "rosalind", "Contact ros.featherstone@example.net for more.", "block"),
    ("e-mail", "rosalind", "Contact ROS.FEATHERSTONE@EXAMPLE.NET for more.", "block"),
    ("e-mail", "rosalind", "Contact ros dot featherstone at example dot net for more.", "block"),
    ("e-mail", "rosalind", "Contact ros.featherstone[at]example.net for more.", "block"),
    ("e-mail", "rosalind", "Contact ros.featherstone (at) example (dot) net for more.", "block"),
    ("e-mail", "rosalind", "Contact ros.feather\u200bstone@exa\u200cmple.net for more.", "block"),
    ("e-mail", "victoria", "victoria dot lindfield4 at example dot com wrote in.", "block"),
    ("e-mail", "victoria", "Write to victoria.lindfield4 for details.", "block"),
    ("e-mail", "zoe", "The address zb at brontefamily dot co dot uk was used.", "block"),
    ("e-mail", "zoe", "Family domain brontefamily.co.uk.", "block"),
    ("e-mail", "harjit", "hsandhu77 AT outlook DOT com", "block"),
    # the phone, in every layout and disguise
    ("phone", "rosalind", "Ring 07700 900461.", "block"),
    ("phone", "rosalind", "Ring +44 7700 900 461.", "block"),
    ("phone", "rosalind", "Ring O77OO 9OO46l.", "block"),
    ("phone", "rosalind", "Ring 0770O 9OO 461.", "block"),
    ("phone", "rosalind", "Ring zero seven seven zero zero nine zero zero four six one.", "block"),
    ("phone", "rosalind", "Ring oh seven seven double oh nine double oh four six one.", "block"),
    ("phone", "rosalind", "Ring 07700\n900\n461.", "block"),
    ("phone", "rosalind", "Ring 07700 then 900 then 461.", "block"),
    ("phone", "rosalind", "Ring \u2070\u2077\u2077\u2070\u2070 \u2079\u2070\u2070\u2074\u2076\u00b9.", "block"),
    ("phone", "rosalind", "Ring \uff10\uff17\uff17\uff10\uff10\uff19\uff10\uff10\uff14\uff16\uff11.", "block"),
    ("phone", "rosalind", "Ring 077OO, 900 and 461.", "block"),
    ("phone", "zoe", "Ring 020 7946 0718.", "block"),
    ("phone", "zoe", "Ring oh two oh, seven nine four six, oh seven one eight.", "block"),
    ("phone", "grace", "Ring 0161-496-0377.", "block"),
    ("phone", "harjit", "Ring 07700 9OO 98two.", "block"),
    # the intake's identifiers
    ("intake reference", "rosalind", "See PAC-2026-004211.", "block"),
    ("intake reference", "rosalind", "See pac 2026 004211.", "block"),
    ("intake reference", "rosalind", "See PAC\u20102026\u2010004211.", "block"),
    ("intake reference", "rosalind", "Serial 004211 refers.", "block"),
    ("intake reference", "rosalind", "Id 3f2a9c1e5b7d4c2a9e8f1a2b3c4d5e6f.", "block"),
    ("intake reference", "rosalind", "Id 3F2A9C1E.", "block"),
    # what the narrative says about the reporter, repeated
    ("contextual tell", "rosalind", "His hairdresser says he boasts about the payments.", "warn"),
    ("contextual tell", "rosalind", "Someone who cuts his hair at a salon reports this.", "warn"),
    ("contextual tell", "rosalind", "A resident of Sowerby Bridge reports the payments.", "warn"),
    ("contextual tell", "rosalind", "A person with a business on Albion Road reports it.", "warn"),
    ("contextual tell", "victoria", "A cleaner who works nights saw him count cash.", "warn"),
    ("contextual tell", "zoe", "A neighbour hears the assaults through the wall.", "warn"),
    ("contextual tell", "zoe", "A relative who lives in Haworth reports it.", "warn"),
    ("contextual tell", "harjit", "His former landlord found the paperwork.", "warn"),
    ("contextual tell", "harjit", "The newsagent on Dudley Road found the paperwork.", "warn"),
    ("contextual tell", "grace", "I work with him and he shares memes.", "warn"),
    ("contextual tell", "zoe", "He is my brother-in-law and hits my sister.", "warn"),
    # found by attack, session 5: plurals and possessives, symbols for letters, part of a double-barrelled name
    ("plural or possessive", "rosalind", "The Featherstones' neighbour saw it.", "block"),
    ("plural or possessive", "harjit", "The Sandhus found the paperwork.", "block"),
    ("plural or possessive", "daniel", "The Kendricks say he collects money.", "block"),
    ("symbols for letters", "harjit", "$andhu found the paperwork.", "block"),
    ("symbols for letters", "rosalind", "Fe@therst0ne says so.", "block"),
    ("symbols for letters", "rosalind", "R0$al!nd says so.", "block"),
    ("symbols for letters", "daniel", "Kendr!ck says so.", "block"),
    ("part of the name", "daniel", "Kendrick says he collects money.", "block"),
    ("part of the name", "daniel", "Ashworth says he collects money.", "block"),
    ("part of the name", "daniel", "D.A.K. says he collects money.", "warn"),
    ("part of the name", "daniel", "Danielle says he collects money.", "warn"),
    ("short form of the forename", "daniel", "Danny says he collects money.", "warn"),
    ("given in the narrative", "sarah", "Sarah Okonjo says he takes money.", "block"),
    ("given in the narrative", "sarah", "Okonjo says he takes money.", "block"),
    ("given in the narrative", "sarah", "Ring 07700 900555.", "block"),
    ("given in the narrative", "sarah", "Write to s.okonjo@example.net.", "block"),
    ("given in the narrative", "sarah", "Write to s okonjo.", "block"),
    ("given in the narrative", "sarah", "A second mobile, 07700 900666.", "block"),
    ("given in the narrative", "sarah", "He knows where she lives: 3 Mill Lane, ls6 2ab.", "block"),
    ("another script", "rosalind", "Розалинд says so.", "warn"),
    ("another script", "harjit", "Сандху saw the paperwork.", "warn"),
    ("another script", "zoe", "Βροντε hears it.", "warn"),
    ("short form of the forename", "victoria", "Vicky says the cash was kept.", "warn"),
    ("short form of the forename", "mark", "He told Marc about the bribes.", "warn"),
    ("common-word name", "mark", "Mr Best says DC Roper takes bribes.", "block"),
    ("common-word name", "mark", "A colleague told Best about the bribes.", "warn"),
    ("common-word name", "mark", "Mark Best says so.", "block"),
    ("phone said in tens and hundreds", "daniel", "Ring seven seven zero zero, nine hundred, one two three.", "block"),
    ("phone said in tens and hundreds", "daniel", "Ring seventy-seven hundred, nine hundred, one twenty-three.", "block"),
    ("phone said in tens and hundreds", "daniel", "Ring 07700 nine hundred one two three.", "block"),
    ("phone said in tens and hundreds", "rosalind", "Ring oh seven seven double oh, nine hundred, four sixty-one.", "block"),
    ("phone in part", "daniel", "A mobile ending 900123 was used.", "block"),
    ("phone in part", "daniel", "A mobile ending 0123 was used.", "warn"),
    ("phone in part", "rosalind", "Texts from a number ending 00461.", "warn"),
    ("phone in part", "daniel", "Work mobile 07700 900777.", "block"),
    ("phone in part", "daniel", "A second mobile ending 900777.", "block"),
    ("intake reference reshaped", "rosalind", "See PAC-26-4211.", "block"),
    ("intake reference reshaped", "rosalind", "See P A C 2 0 2 6 0 0 4 2 1 1.", "block"),
    ("intake reference reshaped", "rosalind", "See pac/2026/4211.", "block"),
    ("the reporter's home", "daniel", "He followed a car to HX3 2AB.", "block"),
    ("the reporter's home", "daniel", "He followed a car to hx32ab.", "block"),
    ("the reporter's home", "daniel", "He followed a car to H X 3 2 A B.", "block"),
    ("the reporter's home", "daniel", "He followed a car to 14 Elm Grove.", "block"),
    ("the reporter's home", "daniel", "He followed a car to number 14, Elm Grove.", "block"),
    ("the reporter's birth date", "daniel", "Source born 03/07/1985.", "block"),
    ("the reporter's birth date", "daniel", "Source born 3 July 1985.", "block"),
    ("the reporter's birth date", "daniel", "Source born 1985-07-03.", "block"),
    ("the reporter's birth date", "daniel", "Source born 3.7.85.", "block"),
    ("the reporter's birth date", "daniel", "Source born July 3rd, 1985.", "block"),
    ("the reporter's birth date", "mark", "Source DOB 12/05/1979.", "block"),
    ("the reporter's car", "daniel", "He followed YX19 KLM home.", "block"),
    ("the reporter's car", "daniel", "He followed yx19klm home.", "block"),
    ("the reporter's car", "daniel", "He followed Y X 1 9 K L M home.", "block"),
)

# (report, summary): only subjects, places and events.
CLEAN: tuple[tuple[str, str], ...] = (
    ("rosalind", "PC Gary Marsh (Halifax) is alleged to take cash from the owner of a takeaway on Queen Street, Halifax, "
                 "in return for warning him before licensing visits. Payments of about £200 each time are mentioned."),
    ("rosalind", "It is alleged that PC Marsh has received repeated cash payments from a takeaway owner in Halifax town "
                 "centre and tips him off ahead of licensing checks."),
    ("rosalind", "Allegation of corruption: a Halifax-based constable is said to be paid by a local business owner to "
                 "disclose the timing of licensing inspections."),
    ("rosalind", "PC Marsh reportedly boasts of the arrangement in public. The takeaway is the Golden Dragon on Queen "
                 "Street. Frequency unknown; the arrangement appears to be ongoing."),
    ("rosalind", "Subject is said to disclose police licensing plans to the owner of a food business on Queen Street in "
                 "exchange for money. No dates given beyond 'every few weeks'."),
    ("rosalind", "The officer allegedly receives £200 per disclosure. Intelligence suggests the owner has avoided two "
                 "recent licensing visits."),
    ("rosalind", "Information indicates PC Gary Marsh of West Yorkshire Police is passing advance notice of "
                 "inspections to a takeaway proprietor."),
    ("rosalind", "Possible misuse of position: PC Marsh has talked openly about being paid by the Golden Dragon's "
                 "owner, according to the information received."),
    ("victoria", "DS Paul Okafor is alleged to retain cash seized during drugs warrants. He has been seen counting "
                 "money in his private car in the yard at Bradford Central."),
    ("victoria", "Allegation that a detective sergeant at Bradford Central keeps part of the cash seized on warrants "
                 "instead of booking it into the property store. At least four occasions since the summer."),
    ("victoria", "DS Okafor is said to remove seized money before it is exhibited. Activity reportedly takes place "
                 "late at night near the property store."),
    ("victoria", "Theft of seized cash by DS Paul Okafor, Bradford Central. The source believes it has happened four "
                 "or more times since July."),
    ("victoria", "Information received alleges a detective has been counting seized cash in his vehicle after "
                 "warrants; amounts unknown."),
    ("victoria", "Possible theft from police property: DS Okafor, Bradford Central CID, is said to keep cash from "
                 "drugs warrants."),
    ("zoe", "Sergeant Liam Cowell (Keighley) is alleged to assault his partner and to tell her that nobody will "
            "believe her because of his rank."),
    ("zoe", "Domestic abuse allegation against Sgt Cowell: physical assaults, taking the victim's phone and "
            "checking her bank account."),
    ("zoe", "Sgt Liam Cowell is said to exercise coercive control over his partner, including monitoring her "
            "finances and phone. Assaults are alleged to be frequent."),
    ("zoe", "The subject allegedly uses his position as a sergeant to discourage his partner from reporting "
            "violence. Victim believed to be at ongoing risk."),
    ("zoe", "Allegations of domestic violence and controlling behaviour by a Keighley sergeant towards his partner."),
    ("zoe", "Victim reportedly told that police will not believe her. Subject has taken her mobile phone and has "
            "access to her bank account."),
    ("grace", "PC Darren Whitlock (Longsight, response) is alleged to share racist memes in a team WhatsApp group and "
              "to use racist language towards Asian drivers during vehicle stops."),
    ("grace", "Discriminatory conduct: PC Whitlock reportedly posts racist images in a work messaging group and "
              "racially abuses motorists during stops."),
    ("grace", "A response officer at Longsight is said to use racist slurs towards drivers of Asian heritage and to "
              "circulate offensive memes."),
    ("grace", "PC Darren Whitlock is alleged to make racist remarks to members of the public during traffic stops in "
              "Manchester. Other officers in the WhatsApp group are said to have seen the memes."),
    ("grace", "Allegation of racist behaviour by PC Whitlock, Greater Manchester Police, both online and on duty."),
    ("grace", "Information suggests the subject targets Asian drivers for stops and uses racial slurs; the memes "
              "were shared over several months."),
    ("harjit", "Kevin Doyle, a control room member of staff in Wolverhampton, is alleged to sell addresses of "
               "registered sex offenders to a vigilante group."),
    ("harjit", "Unauthorised disclosure: a civilian staff member in the Wolverhampton control room is said to pass "
               "details from the sex offenders register to a group planning confrontations."),
    ("harjit", "Kevin Doyle allegedly left paperwork listing names and addresses at a private address. Information "
               "suggests he is paid for the disclosures."),
    ("harjit", "Serious risk: addresses of registered offenders are said to be sold to vigilantes by Kevin Doyle "
               "(West Midlands Police staff). Risk to life should be considered."),
    ("harjit", "Kevin Doyle reportedly takes paperwork home from the control room. The vigilante group is said to "
               "operate in the Dudley area."),
    ("harjit", "Allegation of data misuse by control room staff member Kevin Doyle; paperwork with names was seen "
               "at a flat he rented."),
    ("rosalind", "Officer said to tell the owner when licensing visits are planned so that the premises can prepare. "
                 "Cash payments alleged. Subject: PC Gary Marsh, Halifax."),
    ("rosalind", "The allegation concerns advance warnings of licensing visits given to a Halifax takeaway. Subject "
                 "is said to speak freely about the money."),
    ("victoria", "Alleged theft of cash seized under warrant by DS Okafor. The money is said to be counted in his "
                 "car before exhibits are booked in."),
    ("zoe", "The partner of Sgt Cowell is reported to be subject to repeated physical abuse at their home in "
            "Keighley district."),
    ("grace", "Racist WhatsApp content and abuse of Asian drivers alleged against PC Whitlock. Others on the team "
              "are aware, according to the information."),
    ("harjit", "Information alleges Kevin Doyle passes sex offender addresses to a vigilante group for money."),
    ("rosalind", "On several occasions the subject is alleged to have warned the Golden Dragon takeaway before "
                 "council and police licensing checks, and to have been paid for doing so."),
    ("victoria", "DS Paul Okafor, CID, Bradford Central: allegation that seized cash is being stolen after drugs "
                 "warrants, seen on at least four occasions."),
    ("zoe", "Sergeant Cowell is alleged to have hit his partner and to control her money. Force: West Yorkshire."),
    ("grace", "PC Whitlock allegedly refers to Asian motorists using racist terms and has shared memes mocking "
              "Muslims on a work WhatsApp group."),
    ("harjit", "Kevin Doyle is alleged to have sold confidential register information. The paperwork had names "
               "and addresses on it."),
    ("rosalind", "PC Marsh, a neighbourhood officer in Halifax, allegedly accepts £200 payments from a takeaway "
                 "owner. He is said to brag about it to people he knows."),
    ("victoria", "Allegation concerns cash seized in drugs warrants at Bradford; DS Okafor is said to count it "
                 "in his car in the station yard at night."),
    ("zoe", "Victim is the subject's partner; the subject is said to threaten her and monitor her communications."),
    ("grace", "Conduct toward the public during vehicle stops includes racial abuse, allegedly by PC Darren "
              "Whitlock of Longsight."),
    ("harjit", "Vigilante group is said to be receiving offender addresses from a West Midlands Police staff member, "
               "Kevin Doyle."),
    ("rosalind", "Golden Dragon takeaway, Queen Street, Halifax: owner allegedly pays PC Gary Marsh for advance notice "
                 "of licensing visits. Two visits are thought to have been avoided."),
    ("victoria", "Cash from warrants is allegedly not all booked in. DS Okafor is the only officer named."),
    # beside a narrative that gives the reporter's home, birth date and car: other dates, places and cars
    ("daniel", "PC Lee Varley parks his black Audi (YE68 TRW) outside the Red Lion, 22 High Street, HX1 5AA, and "
               "collects cash there on Fridays, most recently on 03/07/2025 at 21:30."),
    ("daniel", "PC Varley is alleged to collect about £900 a week from the Red Lion in Halifax; the payments were "
               "seen on 3 July 2025 and on 14 occasions since 1985 prices were mentioned."),
    ("daniel", "Allegation that PC Lee Varley (Halifax) takes weekly cash from a licensed premises and has followed "
               "a member of the public. Vehicle: YE68 TRW."),
    ("sarah", "PC Gary Marsh (Halifax) is said to take cash and to drink at the Fox, 8 Otley Road, LS6 3AA, where "
              "payments are alleged to change hands."),
    # a reporter whose names are common words: the words themselves are not the reporter
    ("mark", "DC Ian Roper will mark the exhibits late and is said to be the best placed to alter them. The bill "
             "for the work was paid in May."),
    ("mark", "On 12 May 2025 at 16:32 DC Roper is alleged to have taken £245 from a suspect in Leeds; it may not be "
             "the only time. Collar number 4960, shift 0600-1400."),
    ("mark", "Mark the date: DC Roper says he will pay the best price for information. Will he stop? It may be so."),
)
