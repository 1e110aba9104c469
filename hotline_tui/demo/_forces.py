"""The 48 routable forces as the generator's own data, with towns for stations and aliases."""

from __future__ import annotations

FORCES: tuple[tuple[str, str], ...] = (
    ("avon-and-somerset", "Avon and Somerset Constabulary"),
    ("bedfordshire", "Bedfordshire Police"),
    ("cambridgeshire", "Cambridgeshire Constabulary"),
    ("cheshire", "Cheshire Constabulary"),
    ("city-of-london", "City of London Police"),
    ("cleveland", "Cleveland Police"),
    ("cumbria", "Cumbria Constabulary"),
    ("derbyshire", "Derbyshire Constabulary"),
    ("devon-and-cornwall", "Devon & Cornwall Police"),
    ("dorset", "Dorset Police"),
    ("durham", "Durham Constabulary"),
    ("dyfed-powys", "Dyfed-Powys Police (Heddlu Dyfed-Powys)"),
    ("essex", "Essex Police"),
    ("gloucestershire", "Gloucestershire Constabulary"),
    ("greater-manchester", "Greater Manchester Police"),
    ("gwent", "Gwent Police (Heddlu Gwent)"),
    ("hampshire", "Hampshire and Isle of Wight Constabulary"),
    ("hertfordshire", "Hertfordshire Constabulary"),
    ("humberside", "Humberside Police"),
    ("kent", "Kent Police"),
    ("lancashire", "Lancashire Constabulary"),
    ("leicestershire", "Leicestershire Police"),
    ("lincolnshire", "Lincolnshire Police"),
    ("merseyside", "Merseyside Police"),
    ("metropolitan", "Metropolitan Police Service"),
    ("norfolk", "Norfolk Constabulary"),
    ("north-wales", "North Wales Police (Heddlu Gogledd Cymru)"),
    ("north-yorkshire", "North Yorkshire Police"),
    ("northamptonshire", "Northamptonshire Police"),
    ("northumbria", "Northumbria Police"),
    ("nottinghamshire", "Nottinghamshire Police"),
    ("south-wales", "South Wales Police (Heddlu De Cymru)"),
    ("south-yorkshire", "South Yorkshire Police"),
    ("staffordshire", "Staffordshire Police"),
    ("suffolk", "Suffolk Constabulary"),
    ("surrey", "Surrey Police"),
    ("sussex", "Sussex Police"),
    ("thames-valley", "Thames Valley Police"),
    ("warwickshire", "Warwickshire Police"),
    ("west-mercia", "West Mercia Police"),
    ("west-midlands", "West Midlands Police"),
    ("west-yorkshire", "West Yorkshire Police"),
    ("wiltshire", "Wiltshire Police"),
    ("police-scotland", "Police Service of Scotland"),
    ("northern-ireland", "Police Service of Northern Ireland"),
    ("btp", "British Transport Police"),
    ("civil-nuclear", "Civil Nuclear Constabulary"),
    ("mod-police", "Ministry of Defence Police"),
)

FORCE_NAMES: dict[str, str] = dict(FORCES)

TOWNS: dict[str, tuple[str, ...]] = {
    "avon-and-somerset": ("Bristol", "Bath", "Weston-super-Mare", "Taunton", "Yeovil"),
    "bedfordshire": ("Luton", "Bedford", "Dunstable", "Leighton Buzzard"),
    "cambridgeshire": ("Peterborough", "Cambridge", "Huntingdon", "Wisbech"),
    "cheshire": ("Chester", "Warrington", "Crewe", "Macclesfield"),
    "city-of-london": ("Bishopsgate", "Snow Hill", "Wood Street"),
    "cleveland": ("Middlesbrough", "Hartlepool", "Stockton", "Redcar"),
    "cumbria": ("Carlisle", "Barrow-in-Furness", "Workington", "Kendal"),
    "derbyshire": ("Derby", "Chesterfield", "Buxton", "Ilkeston"),
    "devon-and-cornwall": ("Plymouth", "Exeter", "Truro", "Camborne", "Torquay"),
    "dorset": ("Bournemouth", "Poole", "Weymouth", "Dorchester"),
    "durham": ("Durham", "Darlington", "Peterlee", "Consett"),
    "dyfed-powys": ("Carmarthen", "Aberystwyth", "Llanelli", "Newtown"),
    "essex": ("Chelmsford", "Southend", "Colchester", "Basildon", "Harlow"),
    "gloucestershire": ("Gloucester", "Cheltenham", "Stroud", "Tewkesbury"),
    "greater-manchester": ("Longsight", "Stockport", "Bolton", "Wigan", "Oldham", "Salford"),
    "gwent": ("Newport", "Cwmbran", "Ebbw Vale", "Abergavenny"),
    "hampshire": ("Southampton", "Portsmouth", "Basingstoke", "Havant", "Newport IoW"),
    "hertfordshire": ("Stevenage", "Watford", "Hatfield", "Hemel Hempstead"),
    "humberside": ("Hull", "Grimsby", "Scunthorpe", "Goole"),
    "kent": ("Maidstone", "Medway", "Canterbury", "Margate", "Gillingham"),
    "lancashire": ("Preston", "Blackpool", "Blackburn", "Burnley", "Lancaster"),
    "leicestershire": ("Leicester", "Loughborough", "Hinckley", "Coalville"),
    "lincolnshire": ("Lincoln", "Boston", "Grantham", "Skegness"),
    "merseyside": ("St Anne Street", "Birkenhead", "Southport", "St Helens", "Bootle"),
    "metropolitan": ("Lewisham", "Catford", "Brixton", "Croydon", "Tottenham", "Stoke Newington",
                     "Charing Cross", "Ilford", "Wembley", "Hounslow", "Romford", "Bethnal Green"),
    "norfolk": ("Norwich", "King's Lynn", "Great Yarmouth", "Thetford"),
    "north-wales": ("Wrexham", "Caernarfon", "Rhyl", "Llandudno"),
    "north-yorkshire": ("York", "Scarborough", "Harrogate", "Selby"),
    "northamptonshire": ("Northampton", "Corby", "Kettering", "Wellingborough"),
    "northumbria": ("Newcastle", "Sunderland", "Gateshead", "North Shields"),
    "nottinghamshire": ("Nottingham", "Mansfield", "Worksop", "Newark"),
    "south-wales": ("Cardiff Bay", "Swansea", "Merthyr Tydfil", "Bridgend", "Barry"),
    "south-yorkshire": ("Sheffield", "Doncaster", "Rotherham", "Barnsley"),
    "staffordshire": ("Hanley", "Stafford", "Burton", "Tamworth"),
    "suffolk": ("Ipswich", "Bury St Edmunds", "Lowestoft", "Felixstowe"),
    "surrey": ("Guildford", "Staines", "Woking", "Reigate"),
    "sussex": ("Brighton", "Crawley", "Eastbourne", "Hastings", "Worthing"),
    "thames-valley": ("Reading", "Oxford", "Milton Keynes", "Slough", "High Wycombe"),
    "warwickshire": ("Leamington Spa", "Nuneaton", "Rugby", "Stratford"),
    "west-mercia": ("Worcester", "Shrewsbury", "Hereford", "Telford", "Kidderminster"),
    "west-midlands": ("Birmingham", "Coventry", "Wolverhampton", "Walsall", "Dudley", "West Bromwich"),
    "west-yorkshire": ("Leeds", "Bradford", "Huddersfield", "Wakefield", "Keighley", "Halifax"),
    "wiltshire": ("Swindon", "Salisbury", "Chippenham", "Trowbridge"),
    "police-scotland": ("Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Perth", "Inverness"),
    "northern-ireland": ("Belfast", "Derry", "Lisburn", "Newry"),
    "btp": ("London Bridge", "Manchester Piccadilly", "Birmingham New Street", "Leeds station"),
    "civil-nuclear": ("Sellafield", "Dounreay", "Sizewell"),
    "mod-police": ("Wethersfield", "Faslane", "Aldermaston"),
}

ALIASES: dict[str, str] = {
    "metropolitan": "the Met",
    "greater-manchester": "GMP",
    "west-midlands": "West Mids Police",
    "btp": "BTP",
    "northern-ireland": "PSNI",
    "police-scotland": "Police Scotland",
    "thames-valley": "TVP",
    "mod-police": "MOD police",
    "civil-nuclear": "the nuclear police",
    "devon-and-cornwall": "Devon and Cornwall",
    "avon-and-somerset": "Avon and Somerset",
    "hampshire": "Hampshire Police",
    "city-of-london": "City of London",
    "dyfed-powys": "Dyfed Powys",
}

# Rough relative volume of reports per force (larger forces, more reports).
LARGE_FORCES = frozenset({
    "greater-manchester", "west-midlands", "west-yorkshire", "thames-valley", "merseyside",
    "police-scotland", "hampshire", "kent", "lancashire", "essex", "south-yorkshire",
    "northumbria", "avon-and-somerset", "sussex", "devon-and-cornwall", "south-wales",
})
SMALL_FORCES = frozenset({"city-of-london", "civil-nuclear", "mod-police", "btp"})

NOT_LISTED: tuple[str, ...] = (
    "not sure which force",
    "National Crime Agency",
    "Port of Dover Police",
    "could be the Met or Essex, he lives on the border",
)


def force_weight(code: str) -> int:
    """How often a force comes up, relative to the others."""
    if code == "metropolitan":
        return 30
    if code in LARGE_FORCES:
        return 5
    return 1 if code in SMALL_FORCES else 2


def alias(code: str) -> str:
    """What a member of the public might call the force."""
    if code in ALIASES:
        return ALIASES[code]
    name = FORCE_NAMES[code].split(" (")[0]
    for suffix in (" Constabulary", " Police"):
        name = name.removesuffix(suffix)
    return f"{name} police"
