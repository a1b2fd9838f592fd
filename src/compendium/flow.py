"""The PRISMA 2020 flow: counts from the screening ledger, their arithmetic, and the diagram.

Every box is a query over the ledger (:func:`counts`), so the diagram cannot disagree with the
record-level decisions. :func:`arithmetic` checks the counts as named issues (in the spirit of
CoLRev's prisma-flow-diagram validation codes), which also catches a flow typed in by hand.
The diagram follows the PRISMA 2020 template for new reviews that searched databases and other
sources; :func:`prisma2020_template` gives the same counts in the CSV template of the PRISMA2020
R package and Shiny app, for those who restyle their diagrams there.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import matplotlib.figure
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from compendium import render
from compendium import screening as s

# How each other-source method is named in the diagram, in this order.
OTHER_METHODS = {
    s.PRIOR_REVIEW: "Prior systematic review",
    s.ONLINE_SEARCH: "Websites",
    s.CITATION_TRACKING: "Citation searching",
    s.EXPERTS: "Expert consultation",
}
TYPE_LABELS = {
    s.TRIAL_REPORT: "Trial reports",
    s.TRAINING_MANUAL: "Training manuals",
    s.CHANGE_MODEL: "Change model papers",
}


@dataclass(frozen=True)
class Flow:
    """The numbers in every box of the diagram."""

    identified_by_database: dict[str, int]
    duplicates_removed: int
    records_screened: int
    records_excluded: int
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_excluded_by_reason: dict[str, int]
    studies_included_from_databases: int
    other_identified_by_method: dict[str, int]
    other_reports_sought: int
    other_reports_not_retrieved: int
    other_reports_assessed: int
    other_reports_excluded_by_reason: dict[str, int]
    other_included: int
    included_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def identified(self) -> int:
        return sum(self.identified_by_database.values())

    @property
    def reports_excluded(self) -> int:
        return sum(self.reports_excluded_by_reason.values())

    @property
    def other_identified(self) -> int:
        return sum(self.other_identified_by_method.values())

    @property
    def other_reports_excluded(self) -> int:
        return sum(self.other_reports_excluded_by_reason.values())

    @property
    def included(self) -> int:
        return sum(self.included_by_type.values())


def _count_by(frame: pd.DataFrame, column: str, order: list[str] | None = None) -> dict[str, int]:
    counted = frame[column].value_counts().to_dict()
    keys = order if order is not None else sorted(counted)
    return {key: int(counted.get(key, 0)) for key in keys if key in counted or order}


def counts(ledger: pd.DataFrame, reason_codes: list[str]) -> Flow:
    """Every box's count, from the ledger."""
    searched = ledger[ledger[s.SOURCE] == s.DATABASE_SEARCH]
    screened = searched[searched[s.OUTCOME] != s.DUPLICATE]
    sought = screened[screened[s.OUTCOME] != s.EXCLUDED_TITLE_ABSTRACT]
    assessed = sought[sought[s.OUTCOME] != s.REPORT_NOT_RETRIEVED]
    excluded = assessed[assessed[s.OUTCOME] == s.EXCLUDED_FULL_TEXT]
    other = ledger[ledger[s.SOURCE] != s.DATABASE_SEARCH]
    other_excluded = other[other[s.OUTCOME] == s.REMOVED]
    included = ledger[ledger[s.OUTCOME] == s.INCLUDED]
    return Flow(
        identified_by_database=_count_by(searched, s.DATABASE),
        duplicates_removed=int((searched[s.OUTCOME] == s.DUPLICATE).sum()),
        records_screened=len(screened),
        records_excluded=int((screened[s.OUTCOME] == s.EXCLUDED_TITLE_ABSTRACT).sum()),
        reports_sought=len(sought),
        reports_not_retrieved=int((sought[s.OUTCOME] == s.REPORT_NOT_RETRIEVED).sum()),
        reports_assessed=len(assessed),
        reports_excluded_by_reason=_count_by(excluded, s.REASON, reason_codes),
        studies_included_from_databases=int((assessed[s.OUTCOME] == s.INCLUDED).sum()),
        other_identified_by_method=_count_by(other, s.SOURCE, list(OTHER_METHODS)),
        other_reports_sought=len(other),
        other_reports_not_retrieved=0,  # other-source sheets list what was obtained
        other_reports_assessed=len(other),
        other_reports_excluded_by_reason=_count_by(other_excluded, s.REASON),
        other_included=int((other[s.OUTCOME] == s.INCLUDED).sum()),
        included_by_type=_count_by(included, s.PUBLICATION_TYPE, list(TYPE_LABELS)),
    )


@dataclass(frozen=True)
class Issue:
    """One failed PRISMA arithmetic check: a code, what is wrong, and the box at fault."""

    code: str
    message: str
    box: str

    def __str__(self) -> str:
        return f"{self.code} ({self.box}): {self.message}"


def arithmetic(flow: Flow) -> list[Issue]:
    """Every PRISMA arithmetic check that fails (an empty list: the flow adds up)."""
    checks = [
        (
            "removed_gt_identified",
            "duplicates_removed",
            flow.duplicates_removed <= flow.identified,
            f"{flow.duplicates_removed} duplicates removed of {flow.identified} identified",
        ),
        (
            "screened_ne_identified_minus_removed",
            "records_screened",
            flow.records_screened == flow.identified - flow.duplicates_removed,
            f"{flow.records_screened} screened, but {flow.identified} identified "
            f"- {flow.duplicates_removed} removed = {flow.identified - flow.duplicates_removed}",
        ),
        (
            "excluded_gt_screened",
            "records_excluded",
            flow.records_excluded <= flow.records_screened,
            f"{flow.records_excluded} excluded of {flow.records_screened} screened",
        ),
        (
            "sought_ne_screened_minus_excluded",
            "reports_sought",
            flow.reports_sought == flow.records_screened - flow.records_excluded,
            f"{flow.reports_sought} sought, but {flow.records_screened} screened "
            f"- {flow.records_excluded} excluded = {flow.records_screened - flow.records_excluded}",
        ),
        (
            "assessed_ne_sought_minus_not_retrieved",
            "reports_assessed",
            flow.reports_assessed == flow.reports_sought - flow.reports_not_retrieved,
            f"{flow.reports_assessed} assessed, but {flow.reports_sought} sought "
            f"- {flow.reports_not_retrieved} not retrieved",
        ),
        (
            "included_ne_assessed_minus_excluded",
            "studies_included_from_databases",
            flow.studies_included_from_databases == flow.reports_assessed - flow.reports_excluded,
            f"{flow.studies_included_from_databases} included, but {flow.reports_assessed} "
            f"assessed - {flow.reports_excluded} excluded",
        ),
        (
            "other_sought_ne_identified",
            "other_reports_sought",
            flow.other_reports_sought == flow.other_identified,
            f"{flow.other_reports_sought} sought of {flow.other_identified} identified",
        ),
        (
            "other_assessed_ne_sought_minus_not_retrieved",
            "other_reports_assessed",
            flow.other_reports_assessed
            == flow.other_reports_sought - flow.other_reports_not_retrieved,
            f"{flow.other_reports_assessed} assessed, but {flow.other_reports_sought} sought "
            f"- {flow.other_reports_not_retrieved} not retrieved",
        ),
        (
            "other_included_ne_assessed_minus_excluded",
            "other_included",
            flow.other_included == flow.other_reports_assessed - flow.other_reports_excluded,
            f"{flow.other_included} included, but {flow.other_reports_assessed} assessed "
            f"- {flow.other_reports_excluded} excluded",
        ),
        (
            "total_ne_sum_of_arms",
            "included",
            flow.included == flow.studies_included_from_databases + flow.other_included,
            f"{flow.included} in total, but {flow.studies_included_from_databases} + "
            f"{flow.other_included} from the two arms",
        ),
    ]
    return [Issue(code, message, box) for code, box, ok, message in checks if not ok]


def reason_table(excluded_by_reason: dict[str, int], reasons: dict[str, str]) -> pd.DataFrame:
    """Reports excluded at full text by reason, every reason listed (zero included)."""
    rows = [(code, reasons.get(code, code), n) for code, n in excluded_by_reason.items()]
    rows.append(("", "total", sum(excluded_by_reason.values())))
    return pd.DataFrame(rows, columns=["code", "reason", "reports excluded"])


def box_table(flow: Flow, reasons: dict[str, str]) -> pd.DataFrame:
    """Every box of the diagram and its text, one line each, for reading in a notebook."""
    texts = box_texts(flow, reasons)
    return pd.DataFrame(
        [(box, " ".join(text.replace(NBSP, " ").split())) for box, text in texts.items()],
        columns=["box", "text"],
    )


def diagram_numbers(flow: Flow) -> dict[str, int]:
    """The diagram's counts that the manuscript's text does not state, under their own keys."""
    return {
        "prisma_reports_sought": flow.reports_sought,
        "prisma_reports_not_retrieved": flow.reports_not_retrieved,
        "prisma_other_records_identified": flow.other_identified,
        "prisma_other_reports_assessed": flow.other_reports_assessed,
        "prisma_other_reports_excluded": flow.other_reports_excluded,
        "prisma_other_included": flow.other_included,
        "prisma_included": flow.included,
    }


# --- the diagram ---------------------------------------------------------------------------------

WIDTH_INCHES = 6.85  # 174 mm: a journal's full text width
HEIGHT_INCHES = 7.4
FONT_SIZE = 6.5


NBSP = "\u00a0"  # keeps "(n = 12)" on one line when a box's text is wrapped


def _n(count: int) -> str:
    return f"(n{NBSP}={NBSP}{count})"


def box_texts(flow: Flow, reasons: dict[str, str]) -> dict[str, str]:
    """The text of every box, keyed by box name (also used to check the drawn diagram)."""
    databases = "\n".join(f"{name} {_n(n)}" for name, n in flow.identified_by_database.items())
    by_reason = "\n".join(
        f"({code}) {reasons.get(code, code)} {_n(n)}"
        for code, n in flow.reports_excluded_by_reason.items()
    )
    methods = "\n".join(
        f"{OTHER_METHODS.get(method, method)} {_n(n)}"
        for method, n in flow.other_identified_by_method.items()
    )
    other_reasons = "\n".join(
        f"{reason} {_n(n)}" for reason, n in flow.other_reports_excluded_by_reason.items()
    )
    by_type = "\n".join(
        f"{TYPE_LABELS.get(kind, kind)} {_n(n)}" for kind, n in flow.included_by_type.items()
    )
    return {
        "identified": f"Records identified from databases {_n(flow.identified)}:\n{databases}",
        "removed": (
            f"Records removed before screening:\nDuplicate records {_n(flow.duplicates_removed)}"
        ),
        "screened": f"Records screened {_n(flow.records_screened)}",
        "excluded": f"Records excluded {_n(flow.records_excluded)}",
        "sought": f"Reports sought for retrieval {_n(flow.reports_sought)}",
        "not_retrieved": f"Reports not retrieved {_n(flow.reports_not_retrieved)}",
        "assessed": f"Reports assessed for eligibility {_n(flow.reports_assessed)}",
        "reports_excluded": f"Reports excluded {_n(flow.reports_excluded)}:\n{by_reason}",
        "new_studies": (
            f"New trial reports included from the database search "
            f"{_n(flow.studies_included_from_databases)}"
        ),
        "other_identified": f"Records identified {_n(flow.other_identified)} from:\n{methods}",
        "other_sought": f"Reports sought for retrieval {_n(flow.other_reports_sought)}",
        "other_not_retrieved": f"Reports not retrieved {_n(flow.other_reports_not_retrieved)}",
        "other_assessed": f"Reports assessed for eligibility {_n(flow.other_reports_assessed)}",
        "other_excluded": f"Reports excluded {_n(flow.other_reports_excluded)}:\n{other_reasons}",
        "included": f"Publications included in the review {_n(flow.included)}:\n{by_type}",
    }


def _wrap(text: str, width: int) -> str:
    return "\n".join(
        textwrap.fill(line, width=width, subsequent_indent="  ") for line in text.splitlines()
    )


def diagram(flow: Flow, reasons: dict[str, str]) -> matplotlib.figure.Figure:
    """The PRISMA 2020 flow diagram for a new review with database and other-source arms."""
    texts = box_texts(flow, reasons)
    fig, ax = render.figure()
    fig.set_size_inches(WIDTH_INCHES, HEIGHT_INCHES)
    fig.set_layout_engine("none")
    ax.set_position((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.axis("off")

    # columns (x, width) and rows (y centre, height), in axes units
    main, side, other, other_side = (6, 24), (33, 20), (56, 21), (80, 19.5)
    rows = {
        "identified": (85, 12),
        "screened": (68, 6),
        "sought": (57, 6),
        "assessed": (40, 6),
        "new": (24, 7),
        "included": (8, 10),
    }

    def draw_box(
        name: str,
        column: tuple[float, float],
        y: float,
        height: float,
        *,
        align: str = "center",
        chars: int = 38,
        color: str = "white",
    ) -> None:
        x, width = column
        ax.add_patch(
            FancyBboxPatch(
                (x, y - height / 2),
                width,
                height,
                boxstyle="square,pad=0",
                lw=0.6,
                ec="black",
                fc=color,
            )
        )
        tx = x + width / 2 if align == "center" else x + 0.8
        ax.text(
            tx,
            y,
            _wrap(texts[name], chars),
            ha=align,
            va="center",
            fontsize=FONT_SIZE,
            linespacing=1.25,
        )

    def arrow(start: tuple[float, float], end: tuple[float, float]) -> None:
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "lw": 0.6,
                "color": "black",
                "shrinkA": 0,
                "shrinkB": 0,
                "mutation_scale": 6,
            },
        )

    def header(text: str, x: float, width: float, color: str) -> None:
        ax.add_patch(
            FancyBboxPatch(
                (x, 94),
                width,
                4.5,
                boxstyle="round,pad=0,rounding_size=0.8",
                lw=0.6,
                ec="black",
                fc=color,
            )
        )
        ax.text(
            x + width / 2,
            96.25,
            text,
            ha="center",
            va="center",
            fontsize=FONT_SIZE + 0.5,
            weight="bold",
        )

    def phase(text: str, top: float, bottom: float) -> None:
        ax.add_patch(
            FancyBboxPatch(
                (0.5, bottom),
                3.8,
                top - bottom,
                boxstyle="round,pad=0,rounding_size=0.8",
                lw=0.6,
                ec="black",
                fc="#9dc3e6",
            )
        )
        ax.text(
            2.4,
            (top + bottom) / 2,
            text,
            rotation=90,
            ha="center",
            va="center",
            fontsize=FONT_SIZE + 0.5,
            weight="bold",
        )

    header("Identification of new studies via databases", 6, 47, "#ffe699")
    header("Identification of new studies via other methods", 56, 43.5, "#d9d9d9")
    phase("Identification", 92, 78)
    phase("Screening", 76, 29)
    phase("Included", 27, 2)

    y, h = rows["identified"]
    draw_box("identified", main, y, h, chars=30)
    draw_box("removed", side, y, h, chars=26)
    draw_box("other_identified", other, y, h + 1, align="left", chars=28)
    y, h = rows["screened"]
    draw_box("screened", main, y, h, chars=30)
    draw_box("excluded", side, y, h, chars=26)
    y, h = rows["sought"]
    draw_box("sought", main, y, h, chars=30)
    draw_box("not_retrieved", side, y, h, chars=26)
    draw_box("other_sought", other, y, h, chars=28)
    draw_box("other_not_retrieved", other_side, y, h, chars=25)
    y, h = rows["assessed"]
    draw_box("assessed", main, y, h, chars=30)
    draw_box("reports_excluded", side, 40.5, 22, align="left", chars=27)
    draw_box("other_assessed", other, y, h, chars=28)
    draw_box("other_excluded", other_side, y, h + 2, align="left", chars=26)
    y, h = rows["new"]
    draw_box("new_studies", main, y, h, chars=30)
    y, h = rows["included"]
    draw_box("included", (6, 71), y, h, chars=70)

    mx, sx = main[0] + main[1] / 2, side[0]
    ox, osx = other[0] + other[1] / 2, other_side[0]
    for top, bottom in (
        ("identified", "screened"),
        ("screened", "sought"),
        ("sought", "assessed"),
        ("assessed", "new"),
    ):
        arrow((mx, rows[top][0] - rows[top][1] / 2), (mx, rows[bottom][0] + rows[bottom][1] / 2))
    for row in ("identified", "screened", "sought"):
        arrow((main[0] + main[1], rows[row][0]), (sx, rows[row][0]))
    arrow((main[0] + main[1], rows["assessed"][0]), (sx, rows["assessed"][0]))
    arrow(
        (ox, rows["identified"][0] - (rows["identified"][1] + 1) / 2),
        (ox, rows["sought"][0] + rows["sought"][1] / 2),
    )
    arrow(
        (ox, rows["sought"][0] - rows["sought"][1] / 2),
        (ox, rows["assessed"][0] + rows["assessed"][1] / 2),
    )
    arrow((other[0] + other[1], rows["sought"][0]), (osx, rows["sought"][0]))
    arrow((other[0] + other[1], rows["assessed"][0]), (osx, rows["assessed"][0]))
    arrow(
        (mx, rows["new"][0] - rows["new"][1] / 2),
        (mx, rows["included"][0] + rows["included"][1] / 2),
    )
    arrow(
        (ox, rows["assessed"][0] - rows["assessed"][1] / 2),
        (ox, rows["included"][0] + rows["included"][1] / 2),
    )
    return fig


# --- the PRISMA2020 R package / Shiny app template -----------------------------------------------

# (data key, node, box, label) in the template's order; the label is ours.
_TEMPLATE_ROWS = (
    ("NA", "node4", "prevstud", "Previous studies"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review"),
    ("NA", "node6", "newstud", "Identification of new studies via databases and registers"),
    ("database_results", "node7", "box2", "Records identified from databases"),
    ("database_specific_results", "NA", "box2", "Records identified from each database"),
    ("register_results", "NA", "box2", "Records identified from registers"),
    ("register_specific_results", "NA", "box2", "Records identified from each register"),
    ("NA", "node16", "othstud", "Identification of new studies via other methods"),
    ("website_results", "node17", "box11", "Records identified from websites"),
    ("organisation_results", "NA", "box11", "Records identified from organisations"),
    ("citations_results", "NA", "box11", "Records identified from citation searching"),
    ("duplicates", "node8", "box3", "Duplicate records removed"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons"),
    ("records_screened", "node9", "box4", "Records screened"),
    ("records_excluded", "node10", "box5", "Records excluded"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other methods)"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other methods)"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility"),
    ("dbr_excluded", "node14", "box9", "Reports excluded"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other methods)"),
    ("other_excluded", "node21", "box15", "Reports excluded (other methods)"),
    ("new_studies", "node15", "box10", "New studies included in review"),
    ("new_reports", "NA", "box10", "Reports of new included studies"),
    ("total_studies", "node22", "box16", "Total studies included in review"),
    ("total_reports", "NA", "box16", "Reports of total included studies"),
    ("identification", "node1", "identification", "Identification"),
    ("screening", "node2", "screening", "Screening"),
    ("included", "node3", "included", "Included"),
)


def prisma2020_template(
    flow: Flow, reasons: dict[str, str], *, note: str | None = None
) -> pd.DataFrame:
    """The counts in the PRISMA2020 package's CSV template (columns data, node, box,
    description, boxtext, tooltips, url, n).

    The template has no box for a prior review's included articles or for experts: the prior
    review's articles are entered as citation searching (its reference list was searched) and
    the experts' suggestions as organisations; our own diagram names both as they are.
    A ``note`` (the demonstration-data note) is added to the title box, so the diagram drawn
    from this file says it too.
    """
    other = flow.other_identified_by_method
    by_database = "; ".join(f"{name}, {n}" for name, n in flow.identified_by_database.items())
    excluded = "; ".join(
        f"{reasons.get(code, code)}, {n}" for code, n in flow.reports_excluded_by_reason.items()
    )
    other_excluded = "; ".join(
        f"{reason}, {n}" for reason, n in flow.other_reports_excluded_by_reason.items()
    )
    values: dict[str, object] = {
        "previous_studies": 0,
        "previous_reports": 0,
        "database_results": flow.identified,
        "database_specific_results": by_database,
        "register_results": 0,
        "register_specific_results": "",
        "website_results": other.get(s.ONLINE_SEARCH, 0),
        "organisation_results": other.get(s.EXPERTS, 0),
        "citations_results": other.get(s.CITATION_TRACKING, 0) + other.get(s.PRIOR_REVIEW, 0),
        "duplicates": flow.duplicates_removed,
        "excluded_automatic": 0,
        "excluded_other": 0,
        "records_screened": flow.records_screened,
        "records_excluded": flow.records_excluded,
        "dbr_sought_reports": flow.reports_sought,
        "dbr_notretrieved_reports": flow.reports_not_retrieved,
        "other_sought_reports": flow.other_reports_sought,
        "other_notretrieved_reports": flow.other_reports_not_retrieved,
        "dbr_assessed": flow.reports_assessed,
        "dbr_excluded": excluded,
        "other_assessed": flow.other_reports_assessed,
        "other_excluded": other_excluded,
        "new_studies": flow.studies_included_from_databases + flow.other_included,
        "new_reports": flow.studies_included_from_databases + flow.other_included,
        "total_studies": flow.included,
        "total_reports": flow.included,
    }
    rows = [
        {
            "data": data,
            "node": node,
            "box": box,
            "description": label,
            "boxtext": label,
            "tooltips": label if node != "NA" else "NA",
            "url": "NA",
            "n": values.get(data, 0),
        }
        for data, node, box, label in _TEMPLATE_ROWS
    ]
    if note:
        rows[3]["boxtext"] = f"{rows[3]['boxtext']} ({note})"
    return pd.DataFrame(
        rows, columns=["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    )
