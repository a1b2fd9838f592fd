"""The words of the demonstration typology: items, changes, candidate names, expert roles.

What the paper states is used as it states it (``paper``): the four themes; 16 components and
11 sub-components at first; the sub-components "activity log", "workbook" and "fidelity
check", removed by the experts; "service user match", moved from preparation to practice
(final 3.1); "recording", renamed "record-keeping"; "relationship building" (final 3.2); the
experts' count and countries. Everything else is ``illustrative``: the other component and
sub-component names (some borrow words the discussion uses, such as recruitment processes,
training, supervision and peer discussion), where the three removed sub-components sat, every
definition and example, the reasons for the changes, the candidate components' wording and
each expert's role.
"""

from __future__ import annotations

PAPER, ILLUSTRATIVE = "paper", "illustrative"

#: (item_id, level, number, name, source, definition, example); definitions and examples are
#: all illustrative (the paper's Table 1 text is not public).
INITIAL_TYPOLOGY: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "recruitment",
        "theme",
        "1",
        "recruitment",
        PAPER,
        "Finding and employing people with lived experience for the peer support worker role.",
        "Posts were advertised through service user networks.",
    ),
    (
        "recruitment-process",
        "component",
        "1.1",
        "recruitment process",
        ILLUSTRATIVE,
        "How the peer support worker post is advertised, applied for and filled.",
        "The post was advertised through local user-led organisations.",
    ),
    (
        "role-description",
        "sub-component",
        "1.1.1",
        "role description",
        ILLUSTRATIVE,
        "A written description of the role, its tasks and its limits.",
        "A job description listed what peer support workers do and do not do.",
    ),
    (
        "selection-interview",
        "sub-component",
        "1.1.2",
        "selection interview",
        ILLUSTRATIVE,
        "An interview panel that includes a person with lived experience.",
        "A service user sat on the interview panel.",
    ),
    (
        "lived-experience-criteria",
        "component",
        "1.2",
        "lived experience criteria",
        ILLUSTRATIVE,
        "The lived experience a peer support worker is expected to have.",
        "Applicants had personal experience of using mental health services.",
    ),
    (
        "employment-conditions",
        "component",
        "1.3",
        "employment conditions",
        ILLUSTRATIVE,
        "Pay, hours and contract of the peer support worker post.",
        "Peer support workers were employed part time on a paid contract.",
    ),
    (
        "preparation",
        "theme",
        "2",
        "preparation",
        PAPER,
        "Getting peer support workers, teams and services ready before peer support starts.",
        "Teams were briefed before the first peer support worker started.",
    ),
    (
        "training",
        "component",
        "2.1",
        "training",
        ILLUSTRATIVE,
        "Structured preparation of peer support workers for the role.",
        "Peer support workers completed a ten-day training course.",
    ),
    (
        "workbook",
        "sub-component",
        "2.1.1",
        "workbook",
        PAPER,
        "A written workbook completed during training.",
        "Each trainee kept a workbook of exercises.",
    ),
    (
        "role-play-practice",
        "sub-component",
        "2.1.2",
        "role-play practice",
        ILLUSTRATIVE,
        "Practising peer support conversations during training.",
        "Trainees practised sharing their story in pairs.",
    ),
    (
        "service-user-match",
        "component",
        "2.2",
        "service user match",
        PAPER,
        "Pairing a service user with a peer support worker who shares characteristics or "
        "experiences with them.",
        "Service users were offered a peer support worker of the same gender.",
    ),
    (
        "team-preparation",
        "component",
        "2.3",
        "team preparation",
        ILLUSTRATIVE,
        "Preparing the mental health team to work alongside peer support workers.",
        "Staff attended a briefing on the peer support worker role.",
    ),
    (
        "role-clarity",
        "component",
        "2.4",
        "role clarity",
        ILLUSTRATIVE,
        "A shared understanding of what the peer support worker does and does not do.",
        "The team agreed which tasks belong to the peer role.",
    ),
    (
        "practice",
        "theme",
        "3",
        "practice",
        PAPER,
        "What peer support workers do with service users.",
        "Weekly one-to-one meetings in the community.",
    ),
    (
        "relationship-building",
        "component",
        "3.1",
        "relationship building",
        PAPER,
        "Developing a trusting and mutual relationship between peer support worker and "
        "service user.",
        "The first meetings were spent getting to know each other.",
    ),
    (
        "sharing-lived-experience",
        "component",
        "3.2",
        "sharing lived experience",
        ILLUSTRATIVE,
        "The peer support worker drawing on and sharing their own experience.",
        "The worker told how they had coped with a hospital stay.",
    ),
    (
        "recovery-story",
        "sub-component",
        "3.2.1",
        "recovery story",
        ILLUSTRATIVE,
        "Telling one's own recovery story where it helps the service user.",
        "The worker described what had helped their own recovery.",
    ),
    (
        "hope-and-recovery-focus",
        "component",
        "3.3",
        "hope and recovery focus",
        ILLUSTRATIVE,
        "Supporting hope and the service user's own recovery goals.",
        "Together they set goals the service user chose.",
    ),
    (
        "practical-support",
        "component",
        "3.4",
        "practical support",
        ILLUSTRATIVE,
        "Help with everyday and practical tasks the service user chooses.",
        "The worker went with the service user to a housing appointment.",
    ),
    (
        "service-navigation",
        "sub-component",
        "3.4.1",
        "service navigation",
        ILLUSTRATIVE,
        "Helping the service user find and use services.",
        "The worker explained how to ask for a medication review.",
    ),
    (
        "community-connection",
        "sub-component",
        "3.4.2",
        "community connection",
        ILLUSTRATIVE,
        "Linking the service user with groups and activities in the community.",
        "They visited a local walking group together.",
    ),
    (
        "recording",
        "component",
        "3.5",
        "recording",
        PAPER,
        "Keeping records of peer support contacts.",
        "Notes of each meeting were kept in the service's record.",
    ),
    (
        "activity-log",
        "sub-component",
        "3.5.1",
        "activity log",
        PAPER,
        "A log of each contact with the service user.",
        "Date, length and type of each contact were logged.",
    ),
    (
        "psw-wellbeing",
        "theme",
        "4",
        "PSW wellbeing",
        PAPER,
        "Looking after the wellbeing of peer support workers in their role.",
        "Workers had protected time for reflection.",
    ),
    (
        "supervision",
        "component",
        "4.1",
        "supervision",
        ILLUSTRATIVE,
        "Regular supervision of peer support workers.",
        "Workers met their supervisor every two weeks.",
    ),
    (
        "fidelity-check",
        "sub-component",
        "4.1.1",
        "fidelity check",
        PAPER,
        "Checking that peer support is delivered as intended.",
        "Supervisors reviewed a sample of sessions against the manual.",
    ),
    (
        "peer-supervision",
        "sub-component",
        "4.1.2",
        "peer supervision",
        ILLUSTRATIVE,
        "Supervision by another peer support worker.",
        "An experienced peer support worker supervised new workers.",
    ),
    (
        "non-peer-supervision",
        "sub-component",
        "4.1.3",
        "non-peer supervision",
        ILLUSTRATIVE,
        "Supervision by a staff member who does not hold a peer role.",
        "A clinical psychologist supervised the team.",
    ),
    (
        "peer-discussion",
        "component",
        "4.2",
        "peer discussion",
        ILLUSTRATIVE,
        "Peer support workers meeting to discuss their work with each other.",
        "Monthly meetings of all peer support workers in the service.",
    ),
    (
        "self-care",
        "component",
        "4.3",
        "self-care",
        ILLUSTRATIVE,
        "Peer support workers looking after their own mental health.",
        "Each worker kept a personal wellbeing plan.",
    ),
    (
        "workload",
        "component",
        "4.4",
        "workload",
        ILLUSTRATIVE,
        "Keeping a peer support worker's caseload and hours manageable.",
        "No worker supported more than eight service users at a time.",
    ),
)

#: (change_id, operation, item_id, target, position, new_name, reason): the changes the paper
#: reports (source paper); their reasons are not public (text illustrative).
CHANGE_LOG: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "CL01",
        "remove",
        "activity-log",
        "",
        "",
        "",
        "Experts saw an activity log as one way of record-keeping, not a component of its own.",
    ),
    (
        "CL02",
        "remove",
        "workbook",
        "",
        "",
        "",
        "Experts saw a workbook as training material rather than a component of peer support.",
    ),
    (
        "CL03",
        "remove",
        "fidelity-check",
        "",
        "",
        "",
        "Experts saw fidelity checking as a research and management task outside peer support.",
    ),
    (
        "CL04",
        "move",
        "service-user-match",
        "practice",
        "1",
        "",
        "Matching happens with the service user when peer support starts, so it belongs with "
        "practice, first.",
    ),
    (
        "CL05",
        "rename",
        "recording",
        "",
        "",
        "record-keeping",
        "Record-keeping names the ongoing task more clearly than recording.",
    ),
)

#: What each item's candidate components were called in the (illustrative) publications.
CANDIDATE_NAMES: dict[str, tuple[str, ...]] = {
    "recruitment-process": ("recruitment of peer workers", "advertising the post", "hiring"),
    "role-description": ("job description", "written role outline", "role specification"),
    "selection-interview": (
        "interview panel with peers",
        "selection interview",
        "service user on the panel",
    ),
    "lived-experience-criteria": (
        "lived experience requirement",
        "personal experience of services",
        "eligibility for the peer role",
    ),
    "employment-conditions": ("paid employment", "part-time contract", "salary and hours"),
    "training": ("peer support training", "initial training course", "ongoing training"),
    "workbook": ("training workbook", "exercise book", "trainee workbook"),
    "role-play-practice": ("role play", "practice conversations", "skills rehearsal"),
    "service-user-match": ("matching", "pairing on shared experience", "gender match"),
    "team-preparation": ("staff briefing", "preparing the team", "organisational readiness"),
    "role-clarity": ("clear role boundaries", "role clarity", "defined peer tasks"),
    "relationship-building": (
        "building rapport",
        "trusting relationship",
        "mutual connection",
        "engagement",
    ),
    "sharing-lived-experience": ("self-disclosure", "sharing experience", "using lived experience"),
    "recovery-story": ("telling one's story", "recovery narrative", "personal story"),
    "hope-and-recovery-focus": ("instilling hope", "recovery goals", "role modelling recovery"),
    "practical-support": (
        "practical help",
        "help with daily tasks",
        "accompanying to appointments",
    ),
    "service-navigation": ("navigating services", "signposting", "help with appointments"),
    "community-connection": ("community links", "social inclusion", "connecting to groups"),
    "recording": ("case notes", "documentation", "recording contacts"),
    "activity-log": ("contact log", "activity record", "session log"),
    "supervision": ("regular supervision", "line management", "supervision sessions"),
    "fidelity-check": ("fidelity monitoring", "adherence check", "fidelity scale"),
    "peer-supervision": ("supervision by a peer", "peer-led supervision", "senior peer support"),
    "non-peer-supervision": (
        "clinical supervision",
        "supervision by staff",
        "professional supervision",
    ),
    "peer-discussion": ("peer worker meetings", "reflective group", "co-reflection"),
    "self-care": ("wellbeing plan", "self-care", "looking after oneself"),
    "workload": ("manageable caseload", "workload limits", "protected hours"),
}

#: How often each theme's items appear in each type of publication (illustrative weights).
THEME_WEIGHTS: dict[str, dict[str, int]] = {
    "trial report": {"recruitment": 1, "preparation": 2, "practice": 4, "psw-wellbeing": 2},
    "training manual": {"recruitment": 2, "preparation": 4, "practice": 3, "psw-wellbeing": 3},
    "change model": {"recruitment": 1, "preparation": 1, "practice": 5, "psw-wellbeing": 2},
}

#: The experts' countries, as the paper lists them.
EXPERT_COUNTRIES: tuple[str, ...] = (
    "Australia",
    "Canada",
    "England",
    "Germany",
    "Japan",
    "Scotland",
    "USA",
)
EXPERT_ROLES: tuple[str, ...] = ("practitioner", "researcher", "practitioner and researcher")
EXPERT_BACKGROUNDS: tuple[str, ...] = (
    "peer support",
    "psychiatry",
    "nursing",
    "psychotherapy",
    "clinical psychology",
)

#: Illustrative DAT values.
COUNTRIES: tuple[str, ...] = (
    "USA",
    "England",
    "Australia",
    "Canada",
    "Germany",
    "Netherlands",
    "Hong Kong",
    "Scotland",
)
SETTINGS: tuple[str, ...] = ("community", "inpatient", "outpatient", "community and inpatient")
POPULATIONS: tuple[str, ...] = (
    "adults with severe mental illness",
    "adults with psychosis",
    "adults with depression",
    "adults discharged from inpatient care",
    "adults using community mental health services",
)
QUOTES: tuple[str, ...] = (
    "Peer workers offered {name} throughout the intervention.",
    "The programme included {name} as part of each contact.",
    "{Name} was described as central to the peer role.",
    "Staff and peers agreed that {name} mattered to service users.",
)
