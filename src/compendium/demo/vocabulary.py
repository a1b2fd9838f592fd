"""Word lists for the demonstration search exports, kept as data so they read and change easily.

Every entry here is illustrative: the journals are real mental-health journals (name, NLM
abbreviation, print ISSN, publisher, the year and volume they had then), but no article made
from them exists. Names are a varied international pool of common family and given names;
their combinations are invented. Trial names are made up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Journal:
    """A real journal, and how its articles are numbered and cited."""

    name: str
    abbreviation: str  # NLM title abbreviation
    issn: str
    country: str  # country of publication, as MEDLINE gives it
    publisher: str
    first_year: int  # first year used here (the journal's start, or 1995)
    first_volume: int  # its volume in first_year
    issues: int  # issues a year; 0 = continuous publication with article numbers
    doi_stem: str  # a fictional DOI stem under the Crossref test prefix
    medline: bool = True  # indexed in MEDLINE (every journal here is in PsycINFO)
    volumes_per_year: int = 1
    supplements: bool = False  # prints congress abstracts in supplements
    article_prefix: str = ""  # "e" for BMJ Open's e-numbers

    def volume(self, year: int, month: int) -> int:
        """The volume of an issue: journals count volumes from their first year."""
        extra = (month - 1) * self.volumes_per_year // 12
        return self.first_volume + (year - self.first_year) * self.volumes_per_year + extra


JOURNALS: tuple[Journal, ...] = (
    Journal("Psychiatric Services", "Psychiatr Serv", "1075-2730", "United States",
            "American Psychiatric Association Publishing", 1995, 46, 12, "ps"),
    Journal("Psychiatric Rehabilitation Journal", "Psychiatr Rehabil J", "1095-158X",
            "United States", "Educational Publishing Foundation", 1995, 19, 4, "prj"),
    Journal("Community Mental Health Journal", "Community Ment Health J", "0010-3853",
            "United States", "Springer", 1995, 31, 6, "cmhj"),
    Journal("Journal of Mental Health", "J Ment Health", "0963-8237", "England",
            "Taylor & Francis", 1995, 4, 6, "jmh"),
    Journal("International Journal of Social Psychiatry", "Int J Soc Psychiatry", "0020-7640",
            "England", "Sage Publications", 1995, 41, 8, "isp"),
    Journal("British Journal of Psychiatry", "Br J Psychiatry", "0007-1250", "England",
            "Cambridge University Press", 1995, 166, 12, "bjp", volumes_per_year=2),
    Journal("Social Psychiatry and Psychiatric Epidemiology",
            "Soc Psychiatry Psychiatr Epidemiol", "0933-7954", "Germany", "Springer", 1995, 30,
            12, "sppe"),
    Journal("Trials", "Trials", "1745-6215", "England", "BioMed Central", 2006, 7, 0, "trials"),
    Journal("BMJ Open", "BMJ Open", "2044-6055", "England", "BMJ Publishing Group", 2011, 1, 0,
            "bmjopen", article_prefix="e0"),
    Journal("BMC Psychiatry", "BMC Psychiatry", "1471-244X", "England", "BioMed Central", 2001,
            1, 0, "bmcpsy"),
    Journal("Administration and Policy in Mental Health and Mental Health Services Research",
            "Adm Policy Ment Health", "0894-587X", "United States", "Springer", 1995, 22, 6,
            "apmh"),
    Journal("Journal of Psychiatric and Mental Health Nursing",
            "J Psychiatr Ment Health Nurs", "1351-0126", "England", "Wiley-Blackwell", 1995, 2,
            6, "jpm"),
    Journal("International Journal of Mental Health Nursing", "Int J Ment Health Nurs",
            "1445-8330", "Australia", "Wiley-Blackwell", 2000, 9, 6, "inm"),
    Journal("Issues in Mental Health Nursing", "Issues Ment Health Nurs", "0161-2840", "England",
            "Taylor & Francis", 1995, 16, 12, "imhn"),
    Journal("Schizophrenia Bulletin", "Schizophr Bull", "0586-7614", "United States",
            "Oxford University Press", 1995, 21, 6, "schbul", supplements=True),
    Journal("Psychiatric Quarterly", "Psychiatr Q", "0033-2720", "United States", "Springer",
            1995, 66, 4, "psyq"),
    Journal("Frontiers in Psychiatry", "Front Psychiatry", "1664-0640", "Switzerland",
            "Frontiers Media", 2010, 1, 0, "fpsyt"),
    Journal("Early Intervention in Psychiatry", "Early Interv Psychiatry", "1751-7885",
            "Australia", "Wiley-Blackwell", 2007, 1, 4, "eip", supplements=True),
    Journal("Australian and New Zealand Journal of Psychiatry", "Aust N Z J Psychiatry",
            "0004-8674", "England", "Sage Publications", 1995, 29, 12, "anp"),
    Journal("Canadian Journal of Psychiatry", "Can J Psychiatry", "0706-7437", "Canada",
            "Sage Publications", 1995, 40, 12, "cjp"),
    Journal("Journal of Dual Diagnosis", "J Dual Diagn", "1550-4263", "England",
            "Taylor & Francis", 2005, 1, 4, "jdd"),
    Journal("Psychological Medicine", "Psychol Med", "0033-2917", "England",
            "Cambridge University Press", 1995, 25, 6, "psm"),
    Journal("Epidemiology and Psychiatric Sciences", "Epidemiol Psychiatr Sci", "2045-7960",
            "England", "Cambridge University Press", 2011, 20, 4, "eps"),
    Journal("Health and Social Care in the Community", "Health Soc Care Community", "0966-0410",
            "England", "Wiley-Blackwell", 1995, 3, 6, "hsc"),
    Journal("Journal of Nervous and Mental Disease", "J Nerv Ment Dis", "0022-3018",
            "United States", "Lippincott Williams & Wilkins", 1995, 183, 12, "nmd"),
    Journal("BJPsych Open", "BJPsych Open", "2056-4724", "England",
            "Cambridge University Press", 2015, 1, 6, "bjo"),
    Journal("European Psychiatry", "Eur Psychiatry", "0924-9338", "France", "Elsevier", 1995,
            10, 8, "eurpsy", supplements=True),
    Journal("Journal of Community Psychology", "J Community Psychol", "0090-4392",
            "United States", "Wiley", 1995, 23, 4, "jcop"),
    Journal("American Journal of Community Psychology", "Am J Community Psychol", "0091-0562",
            "United States", "Springer", 1995, 23, 6, "ajcp"),
    Journal("Journal of Psychosocial Nursing and Mental Health Services",
            "J Psychosoc Nurs Ment Health Serv", "0279-3695", "United States", "Slack", 1995,
            33, 12, "jpn"),
    Journal("Mental Health and Social Inclusion", "Ment Health Soc Incl", "2042-8308",
            "England", "Emerald", 2010, 14, 4, "mhsi", medline=False),
    Journal("Journal of Mental Health Training, Education and Practice",
            "J Ment Health Train Educ Pract", "1755-6228", "England", "Emerald", 2006, 1, 4,
            "jmhtep", medline=False),
    Journal("Mental Health Review Journal", "Ment Health Rev J", "1361-9322", "England",
            "Emerald", 1996, 1, 4, "mhrj", medline=False),
    Journal("Psychosis", "Psychosis", "1752-2439", "England", "Taylor & Francis", 2009, 1, 4,
            "psychosis", medline=False),
)  # fmt: skip

# Journals that publish protocols (for trial protocols).
PROTOCOL_JOURNALS: tuple[str, ...] = ("Trials", "BMJ Open", "BMC Psychiatry")

# (region, family names, given names). Given names are mixed; a middle initial may be added.
NAMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("uk", ("Thompson", "Walker", "Hughes", "Edwards", "O'Connor", "Murphy", "Fletcher",
            "Pearson", "Sutherland", "Gallagher", "Whitfield", "Ashworth", "Doyle", "Rees"),
     ("Rachel", "Thomas", "Claire", "Gareth", "Siobhan", "Helen", "Daniel", "Fiona", "Owen",
      "Laura", "Niamh", "Ciaran", "Joanna", "Rhys")),
    ("us", ("Johnson", "Rodriguez", "Washington", "Kowalski", "Sullivan", "Bennett", "Chavez",
            "Harris", "Mitchell", "Goldberg", "Reyes", "Brooks", "Nguyen", "Delgado"),
     ("Jennifer", "Marcus", "Ashley", "Tyrone", "Megan", "Kevin", "Latoya", "Brian", "Carmen",
      "Jeffrey", "Dana", "Luis", "Kimberly", "Andre")),
    ("de", ("Müller", "Schäfer", "Wagner", "Becker", "Hoffmann", "Krüger", "Zimmermann",
            "Schröder", "Lehmann", "Vogel"),
     ("Katrin", "Jürgen", "Anja", "Matthias", "Ulrike", "Stefan", "Birgit", "Jörg", "Silke",
      "Tobias")),
    ("nl", ("van den Berg", "de Vries", "Jansen", "Bakker", "Visser", "Smit", "de Jong",
            "van Dijk", "Mulder", "Vermeulen"),
     ("Maarten", "Ingrid", "Sander", "Femke", "Joost", "Marieke", "Bram", "Lieke", "Wouter",
      "Annemiek")),
    ("nordic", ("Andersen", "Nielsen", "Johansson", "Lindqvist", "Halvorsen", "Virtanen",
                "Eriksson", "Sørensen", "Bergström", "Hansen"),
     ("Mette", "Søren", "Ingrid", "Anders", "Sanna", "Jukka", "Åsa", "Lars", "Kirsten",
      "Henrik")),
    ("south", ("García", "Fernández", "Rossi", "Bianchi", "Oliveira", "Santos", "Moreno",
               "Conti", "Ferreira", "Martínez", "Romano", "Pereira"),
     ("José", "María", "Giulia", "Marco", "João", "Ana", "Lucía", "Paolo", "Inês", "Javier",
      "Chiara", "Tiago")),
    ("pl", ("Kowalczyk", "Nowak", "Wiśniewska", "Zieliński", "Dvořák", "Horváth"),
     ("Łukasz", "Agnieszka", "Tomasz", "Katarzyna", "Petra", "Zoltán")),
    ("cn", ("Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wong", "Lau", "Chan", "Zhou"),
     ("Wei", "Xiaoling", "Jun", "Mei", "Hao", "Yan", "Ka Ming", "Siu Wai", "Lei", "Jing")),
    ("jp", ("Tanaka", "Suzuki", "Yamamoto", "Nakamura", "Kobayashi", "Watanabe", "Sato",
            "Fujita"),
     ("Yuki", "Hiroshi", "Akiko", "Takeshi", "Naoko", "Kenji", "Mariko", "Shinji")),
    ("kr", ("Kim", "Park", "Lee", "Choi", "Jung", "Kang"),
     ("Min-Jung", "Seung-Hoon", "Ji-Yeon", "Dong-Hyun", "Eun-Ji", "Jae-Won")),
    ("in", ("Sharma", "Patel", "Iyer", "Menon", "Reddy", "Chatterjee", "Gupta", "Nair", "Rao",
            "Banerjee"),
     ("Priya", "Rahul", "Ananya", "Vikram", "Deepa", "Arjun", "Kavita", "Sanjay", "Meera",
      "Rohan")),
    ("africa", ("Okafor", "Mensah", "Nakato", "Mwangi", "Dlamini", "Adeyemi", "Osei",
                "Kiprono", "Ndlovu", "Abebe"),
     ("Chinwe", "Kwame", "Florence", "Joseph", "Thandiwe", "Oluwaseun", "Ama", "Samuel",
      "Nomsa", "Tesfaye")),
    ("il", ("Cohen", "Levi", "Mizrahi", "Ben-Zeev", "Shapira", "Friedman"),
     ("Noa", "Yael", "Avi", "Tamar", "Eyal", "Michal")),
    ("arab", ("Haddad", "Al-Mansour", "Khalil", "Nasser", "Farouk", "Saleh"),
     ("Layla", "Omar", "Rania", "Karim", "Hana", "Tarek")),
    ("latam", ("Gonçalves", "Rocha", "Castillo", "Vargas", "Mendoza", "Cardoso"),
     ("Mariana", "Rodrigo", "Valentina", "Andrés", "Camila", "Felipe")),
)  # fmt: skip

# Where an author works, by region: (city, country). Departments are combined with them.
PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "uk": (("Nottingham", "United Kingdom"), ("Leeds", "United Kingdom"),
           ("Glasgow", "United Kingdom"), ("Cardiff", "United Kingdom"),
           ("Dublin", "Ireland"), ("Melbourne", "Australia"), ("Auckland", "New Zealand")),
    "us": (("Boston", "USA"), ("New Haven", "USA"), ("Chicago", "USA"), ("Baltimore", "USA"),
           ("Toronto", "Canada"), ("Vancouver", "Canada"), ("Philadelphia", "USA")),
    "de": (("Hamburg", "Germany"), ("Leipzig", "Germany"), ("Zurich", "Switzerland"),
           ("Vienna", "Austria")),
    "nl": (("Utrecht", "Netherlands"), ("Groningen", "Netherlands"), ("Leuven", "Belgium")),
    "nordic": (("Copenhagen", "Denmark"), ("Oslo", "Norway"), ("Stockholm", "Sweden"),
               ("Helsinki", "Finland")),
    "south": (("Madrid", "Spain"), ("Barcelona", "Spain"), ("Milan", "Italy"),
              ("Lisbon", "Portugal"), ("Porto", "Portugal"), ("Verona", "Italy")),
    "pl": (("Warsaw", "Poland"), ("Prague", "Czech Republic"), ("Budapest", "Hungary")),
    "cn": (("Hong Kong", "China"), ("Shanghai", "China"), ("Taipei", "Taiwan"),
           ("Singapore", "Singapore")),
    "jp": (("Tokyo", "Japan"), ("Osaka", "Japan"), ("Sapporo", "Japan")),
    "kr": (("Seoul", "South Korea"), ("Busan", "South Korea")),
    "in": (("Bengaluru", "India"), ("Pune", "India"), ("Chennai", "India"), ("Delhi", "India")),
    "africa": (("Kampala", "Uganda"), ("Accra", "Ghana"), ("Nairobi", "Kenya"),
               ("Cape Town", "South Africa"), ("Ibadan", "Nigeria")),
    "il": (("Haifa", "Israel"), ("Tel Aviv", "Israel"), ("Jerusalem", "Israel")),
    "arab": (("Beirut", "Lebanon"), ("Amman", "Jordan"), ("Doha", "Qatar")),
    "latam": (("Sao Paulo", "Brazil"), ("Santiago", "Chile"), ("Bogota", "Colombia")),
}  # fmt: skip

DEPARTMENTS: tuple[str, ...] = (
    "Department of Psychiatry",
    "School of Health Sciences",
    "Institute of Mental Health",
    "Department of Social Work",
    "School of Nursing and Midwifery",
    "Centre for Mental Health Research",
    "Department of Psychology",
    "Department of Health Services Research",
)

# Words a headline-style title leaves in lower case (unless they start it).
SMALL_WORDS: tuple[str, ...] = (
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "per", "the", "to", "vs", "versus", "via", "with",
)  # fmt: skip

# Slots of titles and abstracts. Interventions read after "of"/"for" in running text.
INTERVENTIONS: tuple[str, ...] = (
    "peer support",
    "one-to-one peer support",
    "peer mentoring",
    "peer-delivered recovery coaching",
    "a peer-led self-management programme",
    "peer navigation",
    "peer-supported discharge",
    "intentional peer support",
    "a peer-run crisis respite service",
    "peer-facilitated recovery groups",
    "online peer support",
    "a peer bridger programme",
    "peer-led wellness recovery action planning",
    "peer-supported open dialogue",
    "peer-delivered health coaching",
    "telephone peer support",
    "family peer advocacy",
    "peer-led psychoeducation",
    "peer-delivered suicide prevention follow-up",
    "peer support in early intervention teams",
    "peer-assisted transition from hospital",
    "peer specialist services",
    "a peer-led hearing voices group",
    "peer-delivered employment support",
)

POPULATIONS: tuple[str, ...] = (
    "adults with severe mental illness",
    "people with psychosis",
    "people with first-episode psychosis",
    "adults discharged from psychiatric inpatient care",
    "people with bipolar disorder",
    "veterans with posttraumatic stress disorder",
    "adults with depression in primary care",
    "homeless adults with mental illness",
    "young people in early intervention services",
    "people with co-occurring substance use disorders",
    "women with perinatal depression",
    "older adults with serious mental illness",
    "people with borderline personality disorder",
    "users of community mental health teams",
    "people with schizophrenia",
    "refugees with mental health problems",
    "people leaving prison with mental illness",
    "university students with psychological distress",
    "people at risk of suicide",
    "people with eating disorders",
    "adults with long-term mental health conditions",
    "people with anxiety disorders",
)

OUTCOMES: tuple[str, ...] = (
    "personal recovery",
    "hope",
    "empowerment",
    "psychiatric readmission",
    "self-efficacy",
    "loneliness",
    "quality of life",
    "psychiatric symptoms",
    "social inclusion",
    "internalised stigma",
    "service engagement",
    "days in hospital",
    "employment",
    "wellbeing",
    "patient activation",
    "medication adherence",
    "social functioning",
    "crisis care use",
)

SETTINGS: tuple[str, ...] = (
    "community mental health services",
    "acute inpatient wards",
    "early intervention in psychosis services",
    "crisis resolution teams",
    "primary care",
    "forensic mental health services",
    "supported housing",
    "Veterans Affairs medical centres",
    "emergency departments",
    "assertive community treatment teams",
    "recovery colleges",
    "clubhouses",
    "rural mental health services",
    "secondary mental health care",
)

COUNTRIES: tuple[str, ...] = (
    "Australia",
    "Canada",
    "England",
    "Germany",
    "India",
    "Uganda",
    "the Netherlands",
    "Israel",
    "the United States",
    "New Zealand",
    "Japan",
    "Denmark",
    "Scotland",
    "Hong Kong",
    "Switzerland",
    "Sweden",
    "Brazil",
    "South Africa",
    "Ireland",
    "Chile",
)

TOPICS: tuple[str, ...] = (
    "role clarity",
    "boundaries and dual relationships",
    "disclosure of lived experience",
    "supervision and support",
    "workplace stigma",
    "burnout and wellbeing",
    "training needs",
    "the helping relationship",
    "power and co-production",
    "job satisfaction",
    "integration into multidisciplinary teams",
    "recruitment and retention",
    "record-keeping and documentation",
    "matching peers with service users",
    "sustaining hope",
    "organisational readiness",
    "payment and career progression",
    "mutuality and reciprocity",
)

INFORMANTS: tuple[str, ...] = (
    "peer support workers",
    "peer specialists",
    "peer mentors",
    "service users",
    "mental health nurses",
    "team managers",
    "family carers",
    "psychiatrists",
    "lived experience practitioners",
    "peer navigators",
)

COMPARATORS: tuple[str, ...] = (
    "usual care",
    "treatment as usual",
    "enhanced usual care",
    "a waiting list",
    "clinician-delivered support",
    "an information booklet",
)

QUOTES: tuple[str, ...] = (
    "Someone who has been there",
    "I could be myself",
    "Walking alongside",
    "More than a friend, less than a professional",
    "It gave me hope",
    "Not just another worker",
    "We speak the same language",
    "A foot in both camps",
    "Being believed",
    "The person behind the diagnosis",
)

# Names of made-up trials, for papers from one trial.
TRIALS: tuple[str, ...] = (
    "PEERWAY",
    "LINKUP",
    "HOPEWELL",
    "STEPALONG",
    "TOGETHER-MH",
    "CONNECT-P",
    "SHOREBIRD",
)

MEASURES: tuple[str, ...] = (
    "Questionnaire about the Process of Recovery",
    "Herth Hope Index",
    "Empowerment Scale",
    "Recovery Assessment Scale",
    "Warwick-Edinburgh Mental Wellbeing Scale",
    "Brief Psychiatric Rating Scale",
    "UCLA Loneliness Scale",
    "Manchester Short Assessment of Quality of Life",
)

MONTHS: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

# MEDLINE headings (Ovid writes major headings with "*"); PsycINFO subject headings.
MESH_COMMON: tuple[str, ...] = ("Adult", "Female", "Humans", "Male", "Middle Aged")
MESH_TOPICAL: tuple[str, ...] = (
    "*Peer Group",
    "*Social Support",
    "*Mental Disorders/th [Therapy]",
    "*Mental Health Services/og [Organization & Administration]",
    "*Community Mental Health Services",
    "*Psychiatric Rehabilitation/mt [Methods]",
    "Patient Readmission",
    "Quality of Life",
    "Hope",
    "Empowerment",
    "Self Efficacy",
    "*Schizophrenia/rh [Rehabilitation]",
    "Treatment Outcome",
    "Social Stigma",
    "Loneliness",
    "Young Adult",
    "*Counseling/mt [Methods]",
    "*Psychotic Disorders/th [Therapy]",
    "Health Personnel/px [Psychology]",
)
PSYCINFO_HEADINGS: tuple[str, ...] = (
    "*Peer Counseling",
    "*Mental Health Services",
    "*Recovery (Disorders)",
    "*Peers",
    "*Social Support",
    "Empowerment",
    "Hope",
    "Serious Mental Illness",
    "Psychosis",
    "Treatment Effectiveness Evaluation",
    "Self-Efficacy",
    "Quality of Life",
    "Stigma",
    "Psychiatric Hospital Readmission",
    "Community Mental Health Services",
    "Mental Health Personnel",
    "Lived Experience",
)

# --- titles and abstracts: templates filled with the slots above ---------------------------

TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    # design -> (main, subtitle) templates; the main title is sentence case
    "rct": (
        ("{Intervention} for {population}", "a randomised controlled trial"),
        ("Effectiveness of {intervention} on {outcome} among {population}",
         "a randomized controlled trial"),
        ("{Intervention} versus {comparator} for {population} in {setting}",
         "a pragmatic randomised trial"),
        ("Can {intervention} improve {outcome} for {population}?", "a randomized trial"),
        ("Effect of {intervention} on {outcome} and {outcome2} in {population}",
         "results of a multicentre randomised trial"),
    ),
    "pilot": (
        ("{Intervention} for {population}", "a feasibility randomised controlled trial"),
        ("A pilot randomized trial of {intervention} in {setting}", ""),
        ("Feasibility and acceptability of {intervention} for {population} in {country}", ""),
    ),
    "protocol": (
        ("{Intervention} for {population} in {setting}",
         "study protocol for a randomised controlled trial"),
        ("Protocol for a cluster randomised trial of {intervention} in {setting}", ""),
    ),
    "qualitative": (
        ("Experiences of {informants} in {setting}", "a qualitative study of {topic}"),
        ('"{quote}"', "{informants}\u2019 accounts of {topic} in {setting}"),
        ("How do {informants} understand {topic}?", "an interview study in {country}"),
        ("Lived experience at work", "{topic} among {informants} in {setting}"),
    ),
    "review": (
        ("{Intervention} for {population}", "a systematic review and meta-analysis"),
        ("A scoping review of {topic} in peer support for {population}", ""),
        ("What works in {intervention} for {outcome}?", "a realist review"),
    ),
    "cohort": (
        ("{Outcome} among {population} receiving {intervention}",
         "a {months}-month cohort study in {country}"),
        ("Predictors of {outcome} after {intervention} in {setting}", ""),
    ),
    "survey": (
        ("{Topic} among {informants} in {country}", "a national survey"),
        ("Attitudes of {informants} towards {intervention} in {setting}", "a survey"),
    ),
    "mixed": (
        ("Implementing {intervention} in {setting}", "a mixed-methods evaluation in {country}"),
        ("Hope, empowerment and {outcome} in {population}",
         "a mixed-methods evaluation of {intervention}"),
    ),
    "economic": (
        ("Cost-effectiveness of {intervention} for {population}",
         "an economic evaluation alongside a randomised trial"),
        ("Is {intervention} worth the cost?", "a cost-utility analysis in {setting}"),
        ("Costs of {outcome} in {population} offered {intervention} in {country}", ""),
    ),
    "measure": (
        ("Development and validation of a measure of {topic} for {informants}", ""),
        ("Measuring fidelity to {intervention} in {setting}",
         "development of a fidelity index"),
    ),
    "secondary": (
        ("Mechanisms of change in {intervention}",
         "secondary analysis of a randomised trial among {population}"),
        ("Who benefits from {intervention}?", "moderators of effects on {outcome} in {population}"),
    ),
}  # fmt: skip
DESIGN_WEIGHTS: dict[str, float] = {
    "rct": 24, "pilot": 8, "protocol": 5, "qualitative": 18, "review": 7, "cohort": 8,
    "survey": 10, "mixed": 7, "economic": 3, "measure": 4, "secondary": 6,
}  # fmt: skip

BACKGROUND = (
    "Peer support, in which people with lived experience of mental distress support others, "
    "is increasingly offered alongside clinical care in {setting}.",
    "Peer support workers draw on their own experience of mental health problems to support "
    "others, yet the evidence on what they do remains mixed.",
    "Despite growing investment in peer support workers in {setting}, little is known about "
    "{topic}.",
    "{Population} often report low hope and few opportunities for mutual support after "
    "contact with services.",
    "Trials of peer support have reported inconsistent effects on {outcome}, partly because "
    "interventions are poorly described.",
    "Hope, empowerment and connectedness are central to personal recovery, and peer support "
    "may strengthen each of them.",
    "The move from inpatient care to the community is a period of high risk for readmission "
    "and disengagement from services.",
    "Peer workers are increasingly employed in {country}, but their roles are often unclear "
    "to colleagues.",
)
AIMS: dict[str, tuple[str, ...]] = {
    "rct": ("This trial tested whether {intervention} improved {outcome} among {population} "
            "compared with {comparator}.",),
    "pilot": ("We assessed the feasibility and acceptability of {intervention} for "
              "{population} and estimated parameters for a definitive trial.",),
    "protocol": ("This paper describes the protocol of a two-arm randomised controlled trial "
                 "of {intervention} for {population} in {setting}.",),
    "qualitative": ("We explored how {informants} experience {topic} in {setting}.",),
    "review": ("We reviewed studies of {intervention} for {population}, with {outcome} as the "
               "main outcome.",),
    "cohort": ("We examined whether contact with {intervention} predicted {outcome} over "
               "{months} months among {population}.",),
    "survey": ("We surveyed {informants} in {setting} to describe {topic}.",),
    "mixed": ("This evaluation examined the implementation and outcomes of {intervention} in "
              "{setting}.",),
    "economic": ("We estimated the cost-effectiveness of {intervention} compared with "
                 "{comparator} for {population}.",),
    "measure": ("We developed and tested a brief measure of {topic} for use with "
                "{informants}.",),
    "secondary": ("Using data from a randomised trial, we examined for whom and how "
                  "{intervention} changed {outcome}.",),
}  # fmt: skip
METHODS: dict[str, tuple[str, ...]] = {
    "rct": ("{n} participants from {k} sites in {country} were randomly allocated to "
            "{intervention} or {comparator}; the primary outcome, {outcome}, was assessed at "
            "{months} months, and secondary measures included the {measure}.",),
    "pilot": ("{n} participants were randomised; we recorded recruitment, retention and "
              "fidelity, and interviewed {k} participants and peer workers.",),
    "protocol": ("We will recruit {n} participants from {k} services in {country}. The "
                 "primary outcome is {outcome} at {months} months; secondary outcomes include "
                 "{outcome2} and the {measure}.",),
    "qualitative": ("Semi-structured interviews with {n} {informants} in {country} were "
                    "analysed thematically.",
                    "We held {k} focus groups with {n} {informants} and analysed them with "
                    "framework analysis.",),
    "review": ("We searched five databases to {year_before} and included {k} studies "
               "({n} participants).",),
    "cohort": ("A cohort of {n} {population} in {country} was followed for {months} months.",),
    "survey": ("{n} {informants} from {k} organisations in {country} completed an online "
               "questionnaire.",),
    "mixed": ("Routine data on {n} service users were combined with interviews with {k} "
              "staff and peer workers.",),
    "economic": ("Costs and quality-adjusted life years were estimated for {n} trial "
                 "participants over {months} months.",),
    "measure": ("Items were drafted with {informants}, refined in cognitive interviews and "
                "tested in {n} respondents.",),
    "secondary": ("We analysed data from {n} participants with mixed-effects models, testing "
                  "{outcome2} as a mediator.",),
}  # fmt: skip
RESULTS: dict[str, tuple[str, ...]] = {
    "rct": ("At {months} months, participants offered {intervention} reported higher "
            "{outcome} than those in the control group (adjusted mean difference {d}, 95% CI "
            "{lo} to {hi}).",
            "There was no significant difference in {outcome} at {months} months (adjusted "
            "mean difference {dn}, 95% CI {nlo} to {nhi}), but {outcome2} improved.",),
    "pilot": ("Recruitment reached {pct}% of the target, retention at follow-up was high, and "
              "the intervention was delivered as intended.",),
    "protocol": ("Recruitment began in {year_before}.",),
    "qualitative": ("Three themes were identified: building trust through shared experience, "
                    "negotiating {topic}, and the value of {outcome}.",
                    "Participants described {topic} as both a strength and a strain, shaped by "
                    "team culture and supervision.",),
    "review": ("Peer support was associated with small improvements in {outcome} (standardised "
               "mean difference {smd}), with low certainty of evidence.",),
    "cohort": ("More contact with peer workers was associated with better {outcome} (odds "
               "ratio 1.{d2}), after adjustment for baseline severity.",),
    "survey": ("Most respondents ({pct}%) valued peer workers, but {pct2}% reported unclear "
               "expectations about {topic}.",),
    "mixed": ("The service reached {pct}% of eligible people; {outcome} improved and staff "
              "described changes in team culture.",),
    "economic": ("{Intervention} cost more but produced more quality-adjusted life years, "
                 "with a probability of {pct}% of being cost-effective.",),
    "measure": ("The {k}-item scale had good internal consistency (alpha {alpha}) and fitted a "
                "one-factor model.",),
    "secondary": ("Effects on {outcome} were partly explained by {outcome2}, and were larger "
                  "in participants with fewer social contacts.",),
}  # fmt: skip
CONCLUSIONS = (
    "Peer support can complement professional care, but its components need clearer description.",
    "Services introducing peer workers should attend to training, supervision and role clarity.",
    "These findings support wider provision of peer support in {setting}.",
    "A definitive trial is warranted.",
    "Further research should describe the components of peer support interventions in more detail.",
    "Organisations need to prepare teams before peer workers start.",
)

# Designs for papers from one trial: the main report, and the companions that are not it.
TRIAL_TITLES: dict[str, tuple[str, str]] = {
    "main": ("{Intervention} for {population} ({acronym})", "a randomised controlled trial"),
    "protocol": ("{Intervention} for {population} in {setting} ({acronym})",
                 "study protocol for a randomised controlled trial"),
    "follow-up": ("Twelve-month outcomes of {intervention} for {population}",
                  "follow-up of the {acronym} randomised controlled trial"),
    "process": ("Implementing {intervention} in the {acronym} trial",
                "a mixed-methods process evaluation"),
    "secondary": ("{Intervention} for {population} ({acronym})",
                  "secondary outcomes of a randomised controlled trial"),
}  # fmt: skip
