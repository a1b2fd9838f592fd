"""Screening decisions and other-source lists for the demonstration dataset.

Made to reproduce the paper's study-selection counts from record-level decisions:

- title/abstract: every record left after deduplication gets a decision; 47 go on to full
  text (some as *maybe*), the rest are excluded;
- double screening: the sample the team drew before screening (fraction and seed in
  ``protocol.yaml``), screened by a second reviewer, with a realistic handful
  of disagreements and how each was resolved;
- full text: 6 included trial reports and 41 exclusions spread over the paper's reasons (a)
  to (f). The paper does not report the split; the one here is illustrative;
- other sources: the prior review's 19 included articles, 14 documents from the online search
  (8 not training manuals), 4 change models from citation tracking, and the experts' 1 trial
  report, 3 manuals and 3 change models.

The counts come from ``data/raw/reported_numbers.yaml``; which records, what decisions and
every text are illustrative, and every row of every sheet says so in its ``demonstration``
column. The records come from the search part (``context.shared["search_records"]``); the
record a duplicate cluster keeps is its first copy in reading order, as deduplication keeps it.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from compendium import columns as col
from compendium import screening as s
from compendium import tables
from compendium.demo import protocol

#: The exclusion reasons' provenance column, as the sheet names it.
REASONS_PROVENANCE = tables.EXCLUSION_REASONS.header(col.PROVENANCE)

if TYPE_CHECKING:
    from compendium.demo import Context

ILLUSTRATIVE = "illustrative"
FIRST_REVIEWER, SECOND_REVIEWER = "YK", "AC"  # the paper's initials for the two screeners
PROTOCOL_SEED, PROTOCOL_FRACTION = protocol.SEED, protocol.FRACTION
SAMPLE_INCLUDES = 5  # records in the double-screened sample that go on to full text
MAYBES = 7  # of the records sent to full text, those marked maybe rather than include

REASONS = (  # the paper's wording of the full-text exclusion reasons
    ("a", "not an RCT"),
    ("b", "not PS"),
    ("c", "participants not in a mental health service"),
    ("d", "not one to one"),
    ("e", "not measuring a mental health outcome"),
    ("f", "reporting from the same trial already listed"),
)
# Illustrative: the paper gives the reasons but not how many reports each excluded.
REASON_SPLIT = {"a": 11, "b": 8, "c": 7, "d": 7, "e": 5, "f": 3}
# Which designs of record each reason can plausibly exclude.
REASON_DESIGNS = {
    "a": ("pilot", "protocol", "cohort", "mixed", "economic", "conference"),
    "b": ("rct", "pilot"),
    "c": ("rct", "pilot"),
    "d": ("rct", "pilot"),
    "e": ("rct", "pilot"),
    "f": ("secondary", "protocol", "mixed"),
}
INCLUDED_DESIGNS = ("rct",)

SAMPLE_DISAGREEMENTS = (  # (second reviewer's decision, agreed, how it was resolved)
    (
        s.EXCLUDE,
        None,
        "discussed: kept for full text, the abstract did not say whether support was one to one",
    ),
    (s.INCLUDE, s.EXCLUDE, "discussed: excluded, a survey of peer workers, not a trial"),
    (s.INCLUDE, s.EXCLUDE, "discussed: excluded, group peer support only"),
)


def _csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _kept(context: Context) -> list[dict]:
    records = context.shared.get("search_records")
    if not records:
        msg = "demonstration screening needs the search part's records (context.shared)"
        raise ValueError(msg)
    return sorted((r for r in records if r["role"] == "first"), key=lambda r: r["record_id"])


def _full_text_choice(context: Context, kept: list[dict], sample: set[str]) -> dict[str, str]:
    """record_id -> full-text outcome (``include`` or a reason code) for the records sent on."""
    rng = context.rng("screening:full text")
    included_n = context.reported["trial_reports_from_database_search"]
    assessed_n = context.reported["full_texts_assessed"]
    if sum(REASON_SPLIT.values()) + included_n != assessed_n:
        msg = (
            f"illustrative reason split sums to {sum(REASON_SPLIT.values())}, "
            f"not {assessed_n - included_n}"
        )
        raise ValueError(msg)
    chosen: dict[str, str] = {}
    wanted = [("include", INCLUDED_DESIGNS)] * included_n
    for code, n in REASON_SPLIT.items():
        wanted += [(code, REASON_DESIGNS[code])] * n
    # a few of the double-screened sample go to full text, as about a tenth of all records do
    in_sample = [r for r in kept if r["record_id"] in sample]
    others = [r for r in kept if r["record_id"] not in sample]
    rng.shuffle(in_sample)
    rng.shuffle(others)
    sample_left = SAMPLE_INCLUDES
    for outcome, designs in wanted:
        pools = ([in_sample] if sample_left else []) + [others]
        for pool in pools:
            match = next(
                (r for r in pool if r["design"] in designs and r["record_id"] not in chosen), None
            )
            if match is not None:
                chosen[match["record_id"]] = outcome
                if pool is in_sample:
                    sample_left -= 1
                break
        else:
            msg = f"no record of design {designs} left for full-text outcome {outcome!r}"
            raise ValueError(msg)
    return chosen


def generate(context: Context) -> None:
    kept = _kept(context)
    ids = [r["record_id"] for r in kept]
    sample = set(s.double_screening_sample(ids, fraction=PROTOCOL_FRACTION, seed=PROTOCOL_SEED))
    full_text = _full_text_choice(context, kept, sample)
    rng = context.rng("screening:title abstract")
    excluded_later = sorted(k for k, v in full_text.items() if v != "include")
    maybes = set(rng.sample(excluded_later, MAYBES))

    def decision(record_id: str) -> str:
        if record_id not in full_text:
            return s.EXCLUDE
        return s.MAYBE if record_id in maybes else s.INCLUDE

    title = {r["record_id"]: r["title"] for r in kept}
    context.write(
        f"screening/{tables.TITLE_ABSTRACT_SCREENING.name}.csv",
        _csv(
            [
                {
                    col.RECORD_ID: k,
                    col.TITLE: title[k],
                    col.REVIEWER: FIRST_REVIEWER,
                    col.DECISION: decision(k),
                    tables.DEMONSTRATION: ILLUSTRATIVE,
                }
                for k in ids
            ],
            [col.RECORD_ID, col.TITLE, col.REVIEWER, col.DECISION, tables.DEMONSTRATION],
        ),
    )
    context.write(
        f"screening/{tables.DOUBLE_SCREENING.name}.csv",
        _double(context, sorted(sample), title, decision),
    )
    context.write(
        f"screening/{tables.EXCLUSION_REASONS.name}.csv",
        _csv(
            [
                {col.CODE: code, col.REASON: reason, REASONS_PROVENANCE: "paper"}
                for code, reason in REASONS
            ],
            [col.CODE, col.REASON, REASONS_PROVENANCE],
        ),
    )
    context.write(
        f"screening/{tables.FULL_TEXT_SCREENING.name}.csv",
        _csv(
            [
                {
                    col.RECORD_ID: k,
                    col.TITLE: title[k],
                    col.REVIEWER: FIRST_REVIEWER,
                    col.DECISION: s.INCLUDE if full_text[k] == "include" else s.EXCLUDE,
                    col.REASON: "" if full_text[k] == "include" else full_text[k],
                    tables.DEMONSTRATION: ILLUSTRATIVE,
                }
                for k in sorted(full_text)
            ],
            [
                col.RECORD_ID,
                col.TITLE,
                col.REVIEWER,
                col.DECISION,
                col.REASON,
                tables.DEMONSTRATION,
            ],
        ),
    )
    other_sources(context)


def _double(context: Context, sample: list[str], title: dict[str, str], decision) -> str:
    rng = context.rng("screening:double")
    progressed = [k for k in sample if decision(k) != s.EXCLUDE]
    excluded = [k for k in sample if decision(k) == s.EXCLUDE]
    planted = rng.sample(progressed, 1) + rng.sample(excluded, 2)
    plan = dict(zip(planted, SAMPLE_DISAGREEMENTS, strict=True))
    rows = []
    for k in sample:
        first = decision(k)
        second, agreed, resolution = first, "", ""
        if k in plan:
            second, agreed_decision, resolution = plan[k]
            agreed = agreed_decision or first
        rows.append(
            {
                col.RECORD_ID: k,
                col.TITLE: title[k],
                col.REVIEWER_1: FIRST_REVIEWER,
                col.DECISION_1: first,
                col.REVIEWER_2: SECOND_REVIEWER,
                col.DECISION_2: second,
                col.AGREED: agreed,
                col.RESOLUTION: resolution,
                tables.DEMONSTRATION: ILLUSTRATIVE,
            }
        )
    columns = [
        col.RECORD_ID,
        col.TITLE,
        col.REVIEWER_1,
        col.DECISION_1,
        col.REVIEWER_2,
        col.DECISION_2,
        col.AGREED,
        col.RESOLUTION,
        tables.DEMONSTRATION,
    ]
    return _csv(rows, columns)


# --- other sources ------------------------------------------------------------------------------

FAMILIES = (
    "Abebe",
    "Andersen",
    "Bauer",
    "Castillo",
    "Chen",
    "Da Silva",
    "Dubois",
    "Evans",
    "Fischer",
    "Gallagher",
    "Haddad",
    "Ito",
    "Jansen",
    "Kaur",
    "Kowalski",
    "Lindqvist",
    "Martin",
    "Mensah",
    "Nakamura",
    "Novak",
    "O'Brien",
    "Okafor",
    "Park",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Singh",
    "Tanaka",
    "Van Dijk",
    "Walker",
    "Yilmaz",
    "Zhang",
)
INITIALS = ("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T")
POPULATIONS = (
    "adults with severe mental illness",
    "people leaving psychiatric hospital",
    "adults with psychosis",
    "service users of community mental health teams",
    "adults with depression in primary care",
    "people with bipolar disorder",
    "adults discharged from acute inpatient care",
    "people using crisis services",
)
OUTCOMES = (
    "recovery",
    "hope",
    "empowerment",
    "readmission",
    "quality of life",
    "self-efficacy",
    "loneliness",
    "engagement with services",
)
TRIAL_TITLES = (
    "A randomised controlled trial of one-to-one peer support for {population}",
    "Peer support for {population}: a randomised controlled trial",
    "Effect of peer worker support on {outcome} among {population}: randomised trial",
    "Peer mentoring to improve {outcome} in {population}: a pragmatic randomised trial",
)
MANUAL_TITLES = (
    "Peer support worker training manual",
    "Training programme for mental health peer workers",
    "Peer support in mental health services: a facilitator's handbook",
    "Becoming a peer support worker: course workbook and guide",
    "Peer recovery specialist training curriculum",
    "One-to-one peer support: training for practice",
    "Intentional peer support: core training materials",
    "Peer support supervision: a training guide for supervisors",
    "Lived experience in practice: peer worker induction course",
    "Peer support for mental health recovery: trainer's manual",
)
NOT_MANUALS = (
    ("Peer support services: information leaflet for service users", "a service leaflet"),
    ("Peer support worker: job description and person specification", "a job description"),
    ("Peer support in the workforce plan: policy briefing", "a policy briefing"),
    ("Annual report of a peer-led mental health charity", "an annual report"),
    ("Peer support: frequently asked questions", "a web page of questions and answers"),
    ("Evaluation report of a local peer support pilot", "an evaluation report"),
    ("Recruiting peer workers: guidance for managers", "guidance for managers"),
    ("Peer support network newsletter", "a newsletter"),
)
MODEL_TITLES = (
    "How peer support works: a change model",
    "Mechanisms of action of mental health peer support",
    "A theory of change for one-to-one peer support work",
    "What makes peer support effective? A conceptual framework",
    "Peer support and recovery: a model of the active ingredients",
    "Lived experience as the mechanism of peer support: a change model",
    "Towards a logic model of peer support work in mental health services",
)


def _authors(rng, n: int) -> str:
    families = rng.sample(FAMILIES, n)
    return "; ".join(f"{family}, {rng.choice(INITIALS)}." for family in families)


def _trial_title(rng) -> str:
    return rng.choice(TRIAL_TITLES).format(
        population=rng.choice(POPULATIONS), outcome=rng.choice(OUTCOMES)
    )


def other_sources(context: Context) -> None:
    rng = context.rng("screening:other sources")
    r = context.reported
    tag = {tables.DEMONSTRATION: ILLUSTRATIVE}
    prior = [
        {
            col.PUBLICATION_ID: f"PR{i:02d}",
            col.AUTHORS: _authors(rng, 3),
            col.YEAR: rng.randint(2003, 2019),
            col.TITLE: _trial_title(rng),
            col.DECISION: s.INCLUDE,
            col.REASON: "",
            **tag,
        }
        for i in range(1, r["trial_reports_from_prior_review"] + 1)
    ]
    online_n, removed_n = r["manuals_identified_online"], r["manuals_removed_not_manuals"]
    kept_titles = rng.sample(MANUAL_TITLES, online_n - removed_n)
    removed = rng.sample(NOT_MANUALS, removed_n)
    documents = [(t, s.INCLUDE, "", "") for t in kept_titles]
    documents += [(t, s.EXCLUDE, "not a training manual", what) for t, what in removed]
    rng.shuffle(documents)
    online = [
        {
            col.PUBLICATION_ID: f"OM{i:02d}",
            col.AUTHORS: "",
            col.YEAR: rng.randint(2010, 2022),
            col.TITLE: title,
            "organisation": f"Peer support organisation {i} (illustrative)",
            col.DECISION: decision,
            col.REASON: reason,
            col.NOTE: what,
            **tag,
        }
        for i, (title, decision, reason, what) in enumerate(documents, start=1)
    ]
    models = rng.sample(
        MODEL_TITLES, r["change_models_from_citation_tracking"] + r["change_models_from_experts"]
    )
    tracked = [
        {
            col.PUBLICATION_ID: f"CT{i:02d}",
            col.AUTHORS: _authors(rng, 2),
            col.YEAR: rng.randint(2008, 2021),
            col.TITLE: models[i - 1],
            "found_in": prior[rng.randrange(len(prior))][col.PUBLICATION_ID],
            col.DECISION: s.INCLUDE,
            col.REASON: "",
            **tag,
        }
        for i in range(1, r["change_models_from_citation_tracking"] + 1)
    ]
    suggested = [(protocol.TRIAL_REPORT, _trial_title(rng))] * 0
    suggested += [
        (protocol.TRIAL_REPORT, _trial_title(rng)) for _ in range(r["trial_reports_from_experts"])
    ]
    spare_manuals = [t for t in MANUAL_TITLES if t not in kept_titles]
    suggested += [
        (protocol.TRAINING_MANUAL, t) for t in rng.sample(spare_manuals, r["manuals_from_experts"])
    ]
    suggested += [(protocol.CHANGE_MODEL, t) for t in models[len(tracked) :]]
    experts = [
        {
            col.PUBLICATION_ID: f"EX{i:02d}",
            col.PUBLICATION_TYPE: kind,
            col.AUTHORS: _authors(rng, 2) if kind != protocol.TRAINING_MANUAL else "",
            col.YEAR: rng.randint(2012, 2022),
            col.TITLE: title,
            "suggested_by": f"E{rng.randint(1, 21):02d}",
            col.DECISION: s.INCLUDE,
            col.REASON: "",
            **tag,
        }
        for i, (kind, title) in enumerate(suggested, start=1)
    ]
    base = [col.PUBLICATION_ID, col.AUTHORS, col.YEAR, col.TITLE]
    end = [col.DECISION, col.REASON, tables.DEMONSTRATION]
    context.write("other_sources/prior_review.csv", _csv(prior, base + end))
    context.write(
        "other_sources/online_search.csv",
        _csv(online, [*base, "organisation", *end[:2], col.NOTE, end[2]]),
    )
    context.write("other_sources/citation_tracking.csv", _csv(tracked, [*base, "found_in", *end]))
    context.write(
        "other_sources/expert_suggestions.csv",
        _csv(experts, [col.PUBLICATION_ID, col.PUBLICATION_TYPE, *base[1:], "suggested_by", *end]),
    )
    _hand_on_included(context, prior, online, tracked, experts)


def _hand_on_included(context: Context, prior, online, tracked, experts) -> None:
    """The included publications, for the data abstraction table's part of the dataset."""
    records = {r["record_id"]: r for r in context.shared["search_records"]}
    included = []
    full_text = context.files[f"screening/{tables.FULL_TEXT_SCREENING.name}.csv"]
    for row in csv.DictReader(io.StringIO(full_text)):
        if row[col.DECISION] == s.INCLUDE:
            record = records[row[col.RECORD_ID]]
            included.append(
                {
                    col.PUBLICATION_ID: row[col.RECORD_ID],
                    col.PUBLICATION_TYPE: protocol.TRIAL_REPORT,
                    col.SOURCE: col.DATABASE_SEARCH,
                    col.TITLE: record["title"],
                    col.AUTHORS: record["authors"],
                    col.YEAR: record["year"],
                }
            )
    for rows, source, kind in (
        (prior, protocol.PRIOR_REVIEW, protocol.TRIAL_REPORT),
        (online, protocol.ONLINE_SEARCH, protocol.TRAINING_MANUAL),
        (tracked, protocol.CITATION_TRACKING, protocol.CHANGE_MODEL),
        (experts, protocol.EXPERTS, None),
    ):
        for row in rows:
            if row[col.DECISION] == s.INCLUDE:
                included.append(
                    {
                        col.PUBLICATION_ID: row[col.PUBLICATION_ID],
                        col.PUBLICATION_TYPE: kind or row[col.PUBLICATION_TYPE],
                        col.SOURCE: source,
                        col.TITLE: row[col.TITLE],
                        col.AUTHORS: row[col.AUTHORS],
                        col.YEAR: row[col.YEAR],
                    }
                )
    context.shared["included_publications"] = sorted(included, key=lambda r: r[col.PUBLICATION_ID])
