"""The PRISMA 2020 flow: counts from the screening ledger, their arithmetic, and the diagram.

Every box is a query over the ledger (:func:`counts`, through :func:`compendium.ledger.at`),
so the diagram cannot disagree with the record-level decisions. :func:`arithmetic` checks the
counts as named issues (in the spirit of CoLRev's prisma-flow-diagram validation codes), which
also catches a flow typed in by hand; :func:`check` raises them.
The diagram follows the PRISMA 2020 template for new reviews that searched databases and other
sources. It is drawn from one table of boxes (:func:`boxes`: each box's lines, counts and
place), which :func:`prisma2020_template` reads too, to fill the CSV template of the PRISMA2020
R package and Shiny app for those who restyle their diagrams there: the two cannot disagree.
PRISMA 2020's "other methods" arm has three lines (websites, organisations, citation
searching); the protocol (:mod:`compendium.protocol`) says which line each of the review's
other sources is counted on, and the labels of its sources and publication types. A review
with no other sources gets the databases arm alone.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace

import matplotlib.figure
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from compendium import columns as col
from compendium import ledger as lg
from compendium import render, tables
from compendium.errors import CompendiumError
from compendium.numbers import sourced
from compendium.protocol import PRISMA_LINES, Protocol

#: PRISMA 2020's lines for records identified by other methods: the PRISMA2020 template's
#: data key for each line the protocol can name (:data:`compendium.protocol.PRISMA_LINES`).
PRISMA_LINE_KEYS = {
    "websites": "website_results",
    "organisations": "organisation_results",
    "citation searching": "citations_results",
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
    # the words the diagram uses, from the protocol
    method_labels: dict[str, str] = field(default_factory=dict)  # each other source's label
    method_notes: dict[str, str] = field(default_factory=dict)  # what each source's sheet holds
    method_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)  # PRISMA line: sources
    type_labels: dict[str, str] = field(default_factory=dict)  # each publication type's label
    database_records: str = "studies"  # what the database records are, in the plural

    @property
    def has_other_methods(self) -> bool:
        return bool(self.method_labels)

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


def counts(ledger: pd.DataFrame, reason_codes: list[str], protocol: Protocol) -> Flow:
    """Every box's count, each a query over the ledger's stages (:func:`compendium.ledger.at`),
    with the protocol's words for the sources and publication types."""
    databases, other = lg.DATABASES, lg.OTHER_METHODS
    sources = protocol.other_sources
    return Flow(
        identified_by_database=lg.count_by(
            lg.at(ledger, lg.IDENTIFIED, of=databases),
            col.DATABASE,
            [database.name for database in protocol.databases],
        ),
        duplicates_removed=len(lg.removed_at(ledger, lg.IDENTIFIED, of=databases)),
        records_screened=len(lg.at(ledger, lg.SCREENED, of=databases)),
        records_excluded=len(lg.removed_at(ledger, lg.SCREENED, of=databases)),
        reports_sought=len(lg.at(ledger, lg.SOUGHT, of=databases)),
        reports_not_retrieved=len(lg.removed_at(ledger, lg.SOUGHT, of=databases)),
        reports_assessed=len(lg.at(ledger, lg.ASSESSED, of=databases)),
        reports_excluded_by_reason=lg.count_by(
            lg.removed_at(ledger, lg.ASSESSED, of=databases), col.REASON, reason_codes
        ),
        studies_included_from_databases=len(lg.at(ledger, lg.INCLUDED, of=databases)),
        other_identified_by_method=lg.count_by(
            lg.at(ledger, lg.IDENTIFIED, of=other), col.SOURCE, [s.name for s in sources]
        ),
        other_reports_sought=len(lg.at(ledger, lg.SOUGHT, of=other)),
        other_reports_not_retrieved=len(lg.removed_at(ledger, lg.SOUGHT, of=other)),
        other_reports_assessed=len(lg.at(ledger, lg.ASSESSED, of=other)),
        other_reports_excluded_by_reason=lg.count_by(
            lg.removed_at(ledger, lg.ASSESSED, of=other), col.REASON
        ),
        other_included=len(lg.at(ledger, lg.INCLUDED, of=other)),
        included_by_type=lg.count_by(
            lg.at(ledger, lg.INCLUDED), col.PUBLICATION_TYPE, list(protocol.type_names)
        ),
        **words(protocol),
    )


def words(protocol: Protocol) -> dict[str, object]:
    """The protocol's words the diagram uses: each source's label, what it holds and the PRISMA
    line it is counted on, each publication type's label, and what the database records are."""
    sources = protocol.other_sources
    return {
        "method_labels": {s.name: s.label for s in sources},
        "method_notes": {s.name: s.what or s.name for s in sources},
        "method_lines": {
            line: tuple(s.name for s in sources if s.prisma == line)
            for line in PRISMA_LINE_KEYS
            if any(s.prisma == line for s in sources)
        },
        "type_labels": {kind.name: kind.label for kind in protocol.publication_types},
        "database_records": protocol.publication_type(protocol.database_search_type).label.lower(),
    }


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


class FlowError(CompendiumError):
    """The flow's counts do not add up (one or more :class:`Issue`)."""


def check(flow: Flow) -> Flow:
    """``flow``, if every PRISMA arithmetic check passes; otherwise an error listing each issue."""
    issues = arithmetic(flow)
    if issues:
        listed = "\n".join(f"  {issue}" for issue in issues)
        msg = f"the PRISMA flow does not add up: {len(issues)} issue(s):\n{listed}"
        raise FlowError(msg)
    return flow


def reason_table(excluded_by_reason: dict[str, int], reasons: dict[str, str]) -> pd.DataFrame:
    """Reports excluded at full text by reason, every reason listed (zero included)."""
    rows = [(code, reasons.get(code, code), n) for code, n in excluded_by_reason.items()]
    rows.append(("", "total", sum(excluded_by_reason.values())))
    return pd.DataFrame(rows, columns=["code", "reason", "reports excluded"])


def diagram_numbers(flow: Flow) -> dict[str, int]:
    """The diagram's counts that the manuscript's text does not state, under their own keys,
    each :func:`~compendium.numbers.sourced` from the ledger."""
    other = "other methods arm"
    entries = {
        "prisma_reports_sought": (flow.reports_sought, "databases arm, sought for retrieval"),
        "prisma_reports_not_retrieved": (
            flow.reports_not_retrieved,
            f"databases arm, outcome '{lg.REPORT_NOT_RETRIEVED}'",
        ),
        "prisma_other_records_identified": (flow.other_identified, f"{other}, identified"),
        "prisma_other_reports_assessed": (flow.other_reports_assessed, f"{other}, assessed"),
        "prisma_other_reports_excluded": (
            flow.other_reports_excluded,
            f"{other}, outcome '{lg.REMOVED}'",
        ),
        "prisma_other_included": (flow.other_included, f"{other}, included"),
        "prisma_included": (flow.included, "included"),
    }
    return {
        key: sourced(value, table=tables.LEDGER.relative, query=query)
        for key, (value, query) in entries.items()
    }


# --- the boxes: what the diagram draws and the PRISMA2020 template holds --------------------

WIDTH_INCHES = 6.85  # 174 mm: a journal's full text width
HEIGHT_INCHES = 7.4
FONT_SIZE = 6.5


NBSP = "\u00a0"  # keeps "(n = 12)" on one line when a box's text is wrapped


def _n(count: int) -> str:
    return f"(n{NBSP}={NBSP}{count})"


@dataclass(frozen=True)
class Line:
    """One line of a box: its words, its count, and the PRISMA2020 template row it fills.

    ``prisma`` is the template's ``data`` key, or its ``box`` for rows without one (the
    headers); lines sharing a key are listed together in that row ("name, n; name, n").
    ``detail`` says, in the template's box text, what the line adds up, and ``tooltip``,
    in the template's tooltip, what it counts.
    """

    label: str
    count: int | None = None
    prisma: str | None = None
    indent: bool = False
    detail: str = ""
    tooltip: str = ""

    @property
    def text(self) -> str:
        words = f"{'  ' if self.indent else ''}{self.label}"
        return words if self.count is None else f"{words} {_n(self.count)}"


@dataclass(frozen=True)
class Box:
    """A box of the diagram: its lines and where it is drawn (in units of 0 to 100 across
    and up the figure; ``y`` is its centre)."""

    name: str
    lines: tuple[Line, ...]
    x: float
    width: float
    y: float
    height: float
    kind: str = "box"  # "box", "header" (the arms' titles) or "phase" (the side labels)
    align: str = "center"
    chars: int = 30  # characters a line of its text holds before it wraps
    color: str = "white"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def boxes(flow: Flow, reasons: dict[str, str], *, illustrative_reasons: bool = False) -> list[Box]:
    """Every box of the diagram, with its text, count and position: the one table the diagram
    is drawn from and the PRISMA2020 template is filled from.

    ``illustrative_reasons`` marks the counts by exclusion reason as illustrative (the paper
    does not report them; the demonstration data makes them up).
    """
    other = flow.other_identified_by_method
    other_lines: list[Line] = [Line(f"Records identified {_n(flow.other_identified)} from:")]
    for line, methods in flow.method_lines.items():
        found = [(m, other.get(m, 0)) for m in methods]
        named = [(flow.method_labels.get(m, m), n) for m, n in found]
        # a line of one source takes that source's name; a line of several, PRISMA's own
        label = named[0][0] if len(found) == 1 else PRISMA_LINES[line]
        detail = "; ".join(f"{name.lower()} {n}" for name, n in named) if len(found) > 1 else ""
        counted = ", and ".join(flow.method_notes.get(m, m) for m in methods)
        if label != PRISMA_LINES[line]:
            counted += f", on PRISMA 2020's line for {line}"
        total = sum(n for _, n in found)
        other_lines.append(
            Line(label, total, PRISMA_LINE_KEYS[line], detail=detail, tooltip=f"{label}: {counted}")
        )
        if len(found) > 1:
            other_lines += [Line(name, n, indent=True) for name, n in named]
    excluded = [Line(f"Reports excluded {_n(flow.reports_excluded)}:")]
    excluded += [
        Line(f"({code}) {reasons.get(code, code)}", n, "dbr_excluded")
        for code, n in flow.reports_excluded_by_reason.items()
    ]
    if illustrative_reasons:
        excluded.append(Line("Counts by reason: illustrative"))
    other_excluded = [Line(f"Reports excluded {_n(flow.other_reports_excluded)}:")]
    other_excluded += [
        Line(reason, n, "other_excluded")
        for reason, n in flow.other_reports_excluded_by_reason.items()
    ]
    included = [Line(f"Publications included in the review {_n(flow.included)}:")]
    included += [
        Line(flow.type_labels.get(kind, kind), n) for kind, n in flow.included_by_type.items()
    ]
    identified = [
        Line("Records identified from databases", flow.identified, "database_results"),
        *(
            Line(name, n, "database_specific_results", indent=True)
            for name, n in flow.identified_by_database.items()
        ),
    ]
    # columns (x, width) and rows (y centre, height) of the layout, in the figure's units
    main, side, arm, arm_side = (6, 24), (33, 20), (56, 21), (80, 19.5)
    drawn = [
        Box(
            "databases_header",
            (Line("Identification of new studies via databases and registers", prisma="newstud"),),
            6, 47, 96.25, 4.5, kind="header", chars=80, color="#ffe699",
        ),
        Box(
            "other_header",
            (Line("Identification of new studies via other methods", prisma="othstud"),),
            56, 43.5, 96.25, 4.5, kind="header", chars=80, color="#d9d9d9",
        ),
        Box("identification", (Line("Identification", prisma="identification"),),
            0.5, 3.8, 85, 14, kind="phase", color="#9dc3e6"),
        Box("screening", (Line("Screening", prisma="screening"),),
            0.5, 3.8, 52.5, 47, kind="phase", color="#9dc3e6"),
        Box("included_phase", (Line("Included", prisma="included"),),
            0.5, 3.8, 14.5, 25, kind="phase", color="#9dc3e6"),
        Box("identified", tuple(identified), *main, 85, 12, chars=30),
        Box(
            "removed",
            (
                Line("Records removed before screening:"),
                Line("Duplicate records", flow.duplicates_removed, "duplicates"),
            ),
            *side, 85, 12, chars=26,
        ),
        Box("other_identified", tuple(other_lines), arm[0], 43.5, 85, 13, align="left", chars=60),
        Box("screened", (Line("Records screened", flow.records_screened, "records_screened"),),
            *main, 68, 6),
        Box("excluded", (Line("Records excluded", flow.records_excluded, "records_excluded"),),
            *side, 68, 6, chars=26),
        Box(
            "sought",
            (Line("Reports sought for retrieval", flow.reports_sought, "dbr_sought_reports"),),
            *main, 57, 6,
        ),
        Box(
            "not_retrieved",
            (
                Line(
                    "Reports not retrieved",
                    flow.reports_not_retrieved,
                    "dbr_notretrieved_reports",
                ),
            ),
            *side, 57, 6, chars=26,
        ),
        Box(
            "other_sought",
            (
                Line(
                    "Reports sought for retrieval",
                    flow.other_reports_sought,
                    "other_sought_reports",
                ),
            ),
            *arm, 57, 6, chars=28,
        ),
        Box(
            "other_not_retrieved",
            (
                Line(
                    "Reports not retrieved",
                    flow.other_reports_not_retrieved,
                    "other_notretrieved_reports",
                ),
            ),
            *arm_side, 57, 6, chars=25,
        ),
        Box(
            "assessed",
            (Line("Reports assessed for eligibility", flow.reports_assessed, "dbr_assessed"),),
            *main, 40, 6,
        ),
        Box("reports_excluded", tuple(excluded), *side, 40, 24, align="left", chars=27),
        Box(
            "other_assessed",
            (
                Line(
                    "Reports assessed for eligibility",
                    flow.other_reports_assessed,
                    "other_assessed",
                ),
            ),
            *arm, 40, 6, chars=28,
        ),
        Box("other_excluded", tuple(other_excluded), *arm_side, 40, 8, align="left", chars=26),
        Box(
            "new_studies",
            (
                Line(
                    f"New {flow.database_records} included from the database search",
                    flow.studies_included_from_databases,
                ),
            ),
            *main, 24, 7,
        ),
        Box("included", tuple(included), 6, 71, 8, 10, chars=70),
    ]  # fmt: skip
    if not flow.has_other_methods:  # the databases arm alone, as PRISMA 2020's template has it
        end = side[0] + side[1]  # the last box is as wide as the arm
        drawn = [
            replace(box, width=end - box.x, chars=46) if box.name == "included" else box
            for box in drawn
            if not box.name.startswith("other")
        ]
    return drawn


def box_texts(flow: Flow, reasons: dict[str, str], **options: bool) -> dict[str, str]:
    """The text of every box, keyed by box name (also used to check the drawn diagram)."""
    return {box.name: box.text for box in boxes(flow, reasons, **options)}


def box_table(flow: Flow, reasons: dict[str, str], **options: bool) -> pd.DataFrame:
    """Every box of the diagram, its text on one line and where it is drawn, for reading."""
    return pd.DataFrame(
        [
            (
                box.name,
                " ".join(box.text.replace(NBSP, " ").split()),
                box.x,
                box.y,
                box.width,
                box.height,
            )
            for box in boxes(flow, reasons, **options)
            if box.kind == "box"
        ],
        columns=["box", "text", "x", "y", "width", "height"],
    )


def _wrap(text: str, width: int) -> str:
    return "\n".join(
        textwrap.fill(line, width=width, subsequent_indent="  ") for line in text.splitlines()
    )


def diagram(
    flow: Flow, reasons: dict[str, str], *, illustrative_reasons: bool = False
) -> matplotlib.figure.Figure:
    """The PRISMA 2020 flow diagram for a new review with database and other-source arms,
    drawn from :func:`boxes`."""
    drawn = {
        box.name: box for box in boxes(flow, reasons, illustrative_reasons=illustrative_reasons)
    }
    # as wide as its boxes: a review with no other sources has the databases arm alone
    right = min(100.0, max(box.x + box.width for box in drawn.values()) + 2)
    fig, ax = render.figure()
    fig.set_size_inches(WIDTH_INCHES * right / 100, HEIGHT_INCHES)
    fig.set_layout_engine("none")
    ax.set_position((0, 0, 1, 1))
    ax.set_xlim(0, right)
    ax.set_ylim(0, 100)
    ax.axis("off")

    for box in drawn.values():
        rounded = box.kind != "box"
        ax.add_patch(
            FancyBboxPatch(
                (box.x, box.y - box.height / 2),
                box.width,
                box.height,
                boxstyle="round,pad=0,rounding_size=0.8" if rounded else "square,pad=0",
                lw=0.6,
                ec="black",
                fc=box.color,
            )
        )
        left = box.align == "left"
        ax.text(
            box.x + 0.8 if left else box.x + box.width / 2,
            box.y,
            _wrap(box.text, box.chars),
            ha="left" if left else "center",
            va="center",
            rotation=90 if box.kind == "phase" else 0,
            fontsize=FONT_SIZE + (0.5 if rounded else 0),
            weight="bold" if rounded else "normal",
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

    def down(upper: str, lower: str, x: float | None = None) -> None:
        top, bottom = drawn[upper], drawn[lower]
        x = bottom.x + bottom.width / 2 if x is None else x
        arrow((x, top.y - top.height / 2), (x, bottom.y + bottom.height / 2))

    def across(left: str, right: str) -> None:
        start, end = drawn[left], drawn[right]
        arrow((start.x + start.width, start.y), (end.x, start.y))

    for upper, lower in (
        ("identified", "screened"),
        ("screened", "sought"),
        ("sought", "assessed"),
        ("assessed", "new_studies"),
        ("other_identified", "other_sought"),
        ("other_sought", "other_assessed"),
    ):
        if upper in drawn:
            down(upper, lower)
    for left, right in (
        ("identified", "removed"),
        ("screened", "excluded"),
        ("sought", "not_retrieved"),
        ("assessed", "reports_excluded"),
        ("other_sought", "other_not_retrieved"),
        ("other_assessed", "other_excluded"),
    ):
        if left in drawn:
            across(left, right)
    for upper in ("new_studies", "other_assessed"):
        if upper in drawn:
            box = drawn[upper]
            down(upper, "included", x=box.x + box.width / 2)
    return fig


# --- the PRISMA2020 R package / Shiny app template -----------------------------------------------

# (data key, node, box, label) in the template's order; the label is the template's own.
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
#: Rows whose count is a list of "name, n" pairs in the template.
_LISTED = ("database_specific_results", "dbr_excluded", "other_excluded")


def prisma2020_template(
    flow: Flow,
    reasons: dict[str, str],
    *,
    note: str | None = None,
    illustrative_reasons: bool = False,
) -> pd.DataFrame:
    """The counts in the PRISMA2020 package's CSV template (columns data, node, box,
    description, boxtext, tooltips, url, n), filled from the same :func:`boxes` as the diagram.

    Each line of a box fills the template row it names (:attr:`Line.prisma`), with its count
    and, as ``boxtext`` (the words the PRISMA2020 app prints), its own label: the other
    sources stand where the diagram shows them (the protocol's ``prisma`` lines), and the
    ``tooltips`` say what each line adds up. Rows the diagram has no box for (a previous
    version of the review, registers, automation tools) are 0. The demonstration ``note`` goes
    in the title box of each arm; illustrative counts by reason say so in their box's text.
    """
    lines: dict[str, list[Line]] = {}
    for box in boxes(flow, reasons, illustrative_reasons=illustrative_reasons):
        for line in box.lines:
            if line.prisma:
                lines.setdefault(line.prisma, []).append(line)
    both_arms = flow.studies_included_from_databases + flow.other_included
    totals = {
        "new_studies": both_arms,
        "new_reports": both_arms,
        "total_studies": flow.included,
        "total_reports": flow.included,
    }
    rows = []
    for data, node, box, label in _TEMPLATE_ROWS:
        found = lines.get(data if data != "NA" else box, [])
        text, tip, n = label, label if node != "NA" else "NA", totals.get(data, 0)
        if data in _LISTED:
            n = "; ".join(f"{line.label}, {line.count}" for line in found)
            if data == "dbr_excluded" and illustrative_reasons:
                text = f"{label} (counts by reason illustrative: demonstration data)"
        elif found:
            line = found[0]
            text = line.label
            n = line.count if line.count is not None else 0
            if line.detail:
                text = f"{line.label} ({line.detail})"
            if line.tooltip:
                tip = line.tooltip
        if note and box in ("newstud", "othstud"):
            text = f"{text} ({note})"
        rows.append(
            {
                "data": data,
                "node": node,
                "box": box,
                "description": label,
                "boxtext": text,
                "tooltips": tip,
                "url": "NA",
                "n": n,
            }
        )
    return pd.DataFrame(
        rows, columns=["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    )
