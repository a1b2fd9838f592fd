"""PRISMA 2020 counts, their arithmetic, the diagram and the template export."""

from dataclasses import replace
from xml.etree import ElementTree

import pytest

from compendium import flow, render
from compendium.dataset import DEMONSTRATION_NOTE
from support import study_protocol

REASONS = {
    "a": "not an RCT",
    "b": "not PS",
    "c": "participants not in a mental health service",
    "d": "not one to one",
    "e": "not measuring a mental health outcome",
    "f": "reporting from the same trial already listed",
}
FLOW = flow.Flow(
    identified_by_database={"Ovid APA PsycInfo": 310, "Ovid MEDLINE": 222},
    duplicates_removed=101,
    records_screened=431,
    records_excluded=384,
    reports_sought=47,
    reports_not_retrieved=0,
    reports_assessed=47,
    reports_excluded_by_reason={"a": 12, "b": 9, "c": 6, "d": 7, "e": 4, "f": 3},
    studies_included_from_databases=6,
    other_identified_by_method={
        "prior review": 19,
        "online search": 14,
        "citation tracking": 4,
        "expert consultation": 7,
    },
    other_reports_sought=44,
    other_reports_not_retrieved=0,
    other_reports_assessed=44,
    other_reports_excluded_by_reason={"not a training manual": 8},
    other_included=36,
    included_by_type={"trial report": 26, "training manual": 9, "change model": 7},
    **flow.words(study_protocol()),
)


def test_a_flow_that_adds_up_has_no_issues():
    assert flow.arithmetic(FLOW) == []


@pytest.mark.parametrize(
    "change,code",
    [
        ({"duplicates_removed": 600}, "removed_gt_identified"),
        ({"records_screened": 430}, "screened_ne_identified_minus_removed"),
        ({"records_excluded": 500}, "excluded_gt_screened"),
        ({"reports_sought": 46}, "sought_ne_screened_minus_excluded"),
        ({"reports_not_retrieved": 1}, "assessed_ne_sought_minus_not_retrieved"),
        ({"studies_included_from_databases": 7}, "included_ne_assessed_minus_excluded"),
        ({"other_reports_sought": 43}, "other_sought_ne_identified"),
        ({"other_reports_assessed": 40}, "other_assessed_ne_sought_minus_not_retrieved"),
        ({"other_included": 35}, "other_included_ne_assessed_minus_excluded"),
        ({"included_by_type": {"trial report": 27}}, "total_ne_sum_of_arms"),
    ],
)
def test_each_arithmetic_check_names_the_box_at_fault(change, code):
    issues = flow.arithmetic(replace(FLOW, **change))
    assert code in [issue.code for issue in issues]


def svg_text(path):
    """The text of every ``<text>`` element of an SVG, as a reader or a screen reader gets it."""
    root = ElementTree.parse(path).getroot()
    return [
        "".join(element.itertext()).replace("\u00a0", " ")
        for element in root.iter("{http://www.w3.org/2000/svg}text")
    ]


def test_the_diagram_shows_every_count_read_back_from_the_svg(tmp_path):
    written = render.save_figure(
        flow.diagram(FLOW, REASONS, illustrative_reasons=True),
        tmp_path / "prisma_flow",
        note=DEMONSTRATION_NOTE,
    )
    svg = next(p for p in written if p.suffix == ".svg")
    drawn = " ".join(" ".join(svg_text(svg)).split())
    for number in (
        532,
        222,
        310,
        101,
        431,
        384,
        47,
        0,
        41,
        12,
        9,
        6,
        7,
        4,
        3,
        44,
        8,
        42,
        26,
        19,
        14,
    ):
        assert f"(n = {number})" in drawn, number
    for box in (
        "Records screened (n = 431)",
        "Duplicate records (n = 101)",
        "Reports excluded (n = 41)",
        "(a) not an RCT (n = 12)",
        "Publications included in the review (n = 42)",
        "Trial reports (n = 26)",
        "Prior systematic review (n = 19)",
        "Citation searching (n = 23)",
        "Expert consultation (n = 7)",
        "Counts by reason: illustrative",
        "Identification of new studies via databases and registers",
        "Demonstration data",
    ):
        assert box in drawn, box


def test_the_diagram_is_byte_identical_from_run_to_run(tmp_path):
    one = render.save_figure(flow.diagram(FLOW, REASONS), tmp_path / "a", note=None)
    two = render.save_figure(flow.diagram(FLOW, REASONS), tmp_path / "b", note=None)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]


def test_the_prisma2020_template_export_has_the_template_rows_and_our_counts():
    template = flow.prisma2020_template(FLOW, REASONS)
    assert list(template.columns) == [
        "data",
        "node",
        "box",
        "description",
        "boxtext",
        "tooltips",
        "url",
        "n",
    ]
    n = dict(zip(template["data"], template["n"], strict=False))
    assert n["database_results"] == 532
    assert n["database_specific_results"] == "Ovid APA PsycInfo, 310; Ovid MEDLINE, 222"
    assert n["duplicates"] == 101
    assert n["records_screened"] == 431
    assert n["dbr_excluded"].startswith("(a) not an RCT, 12; (b) not PS, 9")
    assert n["citations_results"] == 23  # citation searching and the prior review's list
    assert n["website_results"] == 14
    assert n["organisation_results"] == 7
    assert n["other_excluded"] == "not a training manual, 8"
    assert n["total_studies"] == 42
    text = dict(zip(template["data"], template["boxtext"], strict=False))
    assert text["organisation_results"] == "Expert consultation"
    assert text["citations_results"] == (
        "Citation searching (prior systematic review 19; backward citation tracking 4)"
    )
    assert "demonstration" not in " ".join(template["boxtext"]).lower()


def test_the_template_says_what_the_diagram_says_line_by_line():
    template = flow.prisma2020_template(FLOW, REASONS, illustrative_reasons=True, note="Demo")
    rows = template.set_index("data")
    for box in flow.boxes(FLOW, REASONS, illustrative_reasons=True):
        for line in box.lines:
            if line.prisma in rows.index and line.count is not None:
                cell = rows.loc[line.prisma, "n"]
                assert str(line.count) in str(cell), (box.name, line.label, cell)
                assert line.label in rows.loc[line.prisma, "boxtext"] + str(cell)
    assert "counts by reason illustrative" in rows.loc["dbr_excluded", "boxtext"]
    headers = template[template["box"].isin(["newstud", "othstud"])]["boxtext"]
    assert headers.str.endswith("(Demo)").all()
    assert headers.iloc[0].startswith("Identification of new studies via databases and registers")


def test_each_other_source_stands_on_one_prisma_line():
    placed = [m for methods in FLOW.method_lines.values() for m in methods]
    assert sorted(placed) == sorted(FLOW.other_identified_by_method)
