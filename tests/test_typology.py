"""The typology: each change-log operation and its errors, 16/11 to 16/8, coding, coverage,
Table 1 (and its DOCX), the component network meta-analysis table, the demo part."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from compendium import abstraction as dat
from compendium import demo, render
from compendium import typology as ty
from compendium.dataset import DEMONSTRATION_NOTE
from compendium.demo import protocol as study
from compendium.demo import typology as typology_part
from support import write_protocol
from test_abstraction import REVIEW, demo_context, write_demo

# --- a tiny typology to change ----------------------------------------------------------------

ITEMS = [
    ("prep", "theme", "1", "preparation"),
    ("training", "component", "1.1", "training"),
    ("workbook", "sub-component", "1.1.1", "workbook"),
    ("role-play", "sub-component", "1.1.2", "role play"),
    ("match", "component", "1.2", "service user match"),
    ("practice", "theme", "2", "practice"),
    ("relationship", "component", "2.1", "relationship building"),
    ("recording", "component", "2.2", "recording"),
    ("log", "sub-component", "2.2.1", "activity log"),
]


def tiny() -> pd.DataFrame:
    table = pd.DataFrame(ITEMS, columns=[ty.ITEM_ID, ty.LEVEL, ty.NUMBER, ty.NAME])
    return ty.check_typology(
        table.assign(**{ty.DEFINITION: "", ty.EXAMPLE: ""}), where="initial_typology.csv"
    )


def log(*changes: dict) -> pd.DataFrame:
    base = {name: "" for name in (*ty.CHANGE_LOG_COLUMNS, *ty.CHANGE_LOG_OPTIONAL)}
    base |= {ty.PROVENANCE: ty.PAPER, ty.TEXT_PROVENANCE: ty.PAPER}
    rows = [
        {**base, ty.CHANGE_ID: f"CL{i}", ty.REASON: "a reason", **change}
        for i, change in enumerate(changes, start=1)
    ]
    return pd.DataFrame(rows, columns=list(base))


def apply(*changes: dict) -> ty.Refinement:
    return ty.apply_change_log(tiny(), log(*changes), where="change_log.csv")


def numbered(typology: pd.DataFrame) -> dict[str, str]:
    return dict(zip(typology[ty.NUMBER], typology[ty.NAME], strict=True))


def refused(*changes: dict) -> str:
    with pytest.raises(ty.TypologyError) as error:
        apply(*changes)
    return str(error.value)


# --- reading the typology ---------------------------------------------------------------------


def test_a_typology_keeps_its_numbers_and_knows_each_parent():
    typology = tiny()
    assert typology[ty.NUMBER].tolist() == [row[2] for row in ITEMS]
    parents = dict(zip(typology[ty.ITEM_ID], typology[ty.PARENT_ID], strict=True))
    assert parents["workbook"] == "training" and parents["training"] == "prep"
    assert set(typology[ty.PROVENANCE]) == {ty.PAPER}  # no source column: the study's own


def test_typology_errors_are_listed_at_once():
    table = pd.DataFrame(ITEMS, columns=[ty.ITEM_ID, ty.LEVEL, ty.NUMBER, ty.NAME])
    table = table.assign(**{ty.DEFINITION: "", ty.EXAMPLE: ""})
    table.loc[1, ty.NUMBER] = "1.1.9"  # a component numbered like a sub-component
    table.loc[4, ty.LEVEL] = "element"
    table.loc[8, ty.NUMBER] = "2.7.1"  # no component 2.7
    table.loc[3, ty.ITEM_ID] = "workbook"
    with pytest.raises(ty.TypologyError) as error:
        ty.check_typology(table, where="initial_typology.csv")
    message = str(error.value)
    assert "initial_typology.csv: 6 problem(s)" in message
    assert "rows 4, 5, item_id: 'workbook': repeated" in message
    assert "row 6, level: 'element': expected one of 'theme'" in message
    assert "row 3: number '1.1.9' of component 'training': expected the form '3.1'" in message
    assert "row 4: number '1.1.1': no item numbered '1.1'" in message
    assert "row 5: number '1.1.2': no item numbered '1.1'" in message
    assert "row 10: number '2.7.1': no item numbered '2.7'" in message


def test_a_gap_in_the_numbers_is_refused():
    table = pd.DataFrame(ITEMS, columns=[ty.ITEM_ID, ty.LEVEL, ty.NUMBER, ty.NAME])
    table = table.assign(**{ty.DEFINITION: "", ty.EXAMPLE: ""})
    table.loc[4, ty.NUMBER] = "1.3"
    with pytest.raises(ty.TypologyError, match=r"numbers under 'prep' are 1.1, 1.3: expected"):
        ty.check_typology(table, where="initial_typology.csv")


def test_a_missing_column_is_named():
    with pytest.raises(ty.TypologyError, match=r"expected also definition, example"):
        ty.check_typology(pd.DataFrame(ITEMS, columns=list(ty.TYPOLOGY_COLUMNS[:4])), where="t")


# --- each operation ---------------------------------------------------------------------------


def test_remove_a_sub_component_renumbers_its_siblings_and_redirects_to_its_parent():
    result = apply({ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "workbook"})
    assert numbered(result.typology)["1.1.1"] == "role play"
    assert "workbook" not in set(result.typology[ty.ITEM_ID])
    assert result.redirects.values.tolist() == [["workbook", "training", "CL1"]]
    assert ty.count_changes(result.changes, ty.REMOVE, ty.SUB_COMPONENT) == 1


def test_remove_an_item_that_holds_others_is_refused():
    message = refused({ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "recording"})
    assert "row 2 (CL1, remove 'recording'): component 'recording' still holds" in message
    assert "'activity log': remove, move or merge them first" in message


def test_move_a_component_to_another_theme_at_a_position():
    result = apply(
        {ty.OPERATION: ty.MOVE, ty.ITEM_ID: "match", ty.TARGET: "practice"} | {ty.POSITION: "1"}
    )
    assert numbered(result.typology) == {
        "1": "preparation",
        "1.1": "training",
        "1.1.1": "workbook",
        "1.1.2": "role play",
        "2": "practice",
        "2.1": "service user match",
        "2.2": "relationship building",
        "2.3": "recording",
        "2.3.1": "activity log",
    }
    assert ty.count_changes(result.changes, ty.MOVE, ty.COMPONENT) == 1


def test_move_without_position_goes_last_and_takes_its_sub_components():
    result = apply({ty.OPERATION: ty.MOVE, ty.ITEM_ID: "training", ty.TARGET: "practice"})
    assert numbered(result.typology)["2.3"] == "training"
    assert numbered(result.typology)["2.3.2"] == "role play"


@pytest.mark.parametrize(
    "change,expected",
    [
        (
            {ty.TARGET: "relationship"},
            "target 'relationship' is a component: a component belongs in a theme",
        ),
        ({ty.TARGET: "nowhere"}, "target 'nowhere': no such item"),
        ({ty.TARGET: ""}, "target is empty: expected the theme to hold the component"),
        ({ty.TARGET: "practice", ty.POSITION: "4"}, "position 4: expected 1 to 3"),
    ],
)
def test_move_errors(change, expected):
    assert expected in refused({ty.OPERATION: ty.MOVE, ty.ITEM_ID: "match", **change})


def test_rename_keeps_id_place_and_codings():
    result = apply(
        {ty.OPERATION: ty.RENAME, ty.ITEM_ID: "recording", ty.NEW_NAME: "record-keeping"}
    )
    row = result.typology.set_index(ty.ITEM_ID).loc["recording"]
    assert (row[ty.NUMBER], row[ty.NAME]) == ("2.2", "record-keeping")
    assert result.redirects.empty
    assert ty.count_changes(result.changes, ty.RENAME, ty.COMPONENT) == 1


@pytest.mark.parametrize(
    "new_name,expected",
    [
        ("training", "new_name 'training': already the name of component 'training'"),
        ("recording", "new_name 'recording': the item already has this name"),
        ("", "new_name is empty"),
    ],
)
def test_rename_errors(new_name, expected):
    change = {ty.OPERATION: ty.RENAME, ty.ITEM_ID: "recording", ty.NEW_NAME: new_name}
    assert expected in refused(change)


def test_add_a_component_at_a_position():
    result = apply(
        {
            ty.OPERATION: ty.ADD,
            ty.ITEM_ID: "hope",
            ty.LEVEL: ty.COMPONENT,
            ty.TARGET: "practice",
            ty.POSITION: "2",
            ty.NEW_NAME: "hope",
            ty.DEFINITION: "Supporting hope.",
            ty.PROVENANCE: ty.ILLUSTRATIVE,
        }
    )
    assert numbered(result.typology)["2.2"] == "hope"
    assert numbered(result.typology)["2.3"] == "recording"
    added = result.typology.set_index(ty.ITEM_ID).loc["hope"]
    assert (added[ty.DEFINITION], added[ty.PROVENANCE]) == ("Supporting hope.", ty.ILLUSTRATIVE)


@pytest.mark.parametrize(
    "change,expected",
    [
        ({ty.ITEM_ID: "match"}, "item_id 'match': already in the typology"),
        ({ty.LEVEL: "element"}, "level 'element': expected one of"),
        ({ty.TARGET: "training"}, "target 'training' is a component"),
        ({ty.LEVEL: ty.THEME, ty.TARGET: "practice"}, "a theme has no parent"),
        ({ty.NEW_NAME: "recording"}, "already the name of component 'recording'"),
    ],
)
def test_add_errors(change, expected):
    base = {
        ty.OPERATION: ty.ADD,
        ty.ITEM_ID: "new",
        ty.LEVEL: ty.COMPONENT,
        ty.TARGET: "practice",
        ty.NEW_NAME: "new one",
    }
    assert expected in refused(base | change)


def test_merge_moves_sub_items_and_codings_to_the_target():
    result = apply({ty.OPERATION: ty.MERGE, ty.ITEM_ID: "recording", ty.TARGET: "training"})
    assert numbered(result.typology)["1.1.3"] == "activity log"
    assert "recording" not in set(result.typology[ty.ITEM_ID])
    assert result.redirects.values.tolist() == [["recording", "training", "CL1"]]


@pytest.mark.parametrize(
    "target,expected",
    [
        ("recording", "an item cannot be merged into itself"),
        ("workbook", "target 'workbook' is a sub-component: a component merges into another"),
        ("gone", "target 'gone': no such item"),
    ],
)
def test_merge_errors(target, expected):
    assert expected in refused({ty.OPERATION: ty.MERGE, ty.ITEM_ID: "recording", ty.TARGET: target})


def test_change_log_row_errors_are_listed_at_once():
    changes = log(
        {ty.OPERATION: "split", ty.ITEM_ID: "training"},
        {ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "workbook", ty.REASON: ""},
        {ty.OPERATION: ty.MOVE, ty.ITEM_ID: "match", ty.TARGET: "practice", ty.POSITION: "x"},
        {ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "", ty.CHANGE_ID: "CL1"},
    )
    with pytest.raises(ty.TypologyError) as error:
        ty.apply_change_log(tiny(), changes, where="change_log.csv")
    message = str(error.value)
    assert "change_log.csv: 5 problem(s)" in message
    assert "row 2, operation: 'split': expected one of 'remove', 'move'" in message
    assert "row 3, reason: '': expected the reason for the change" in message
    assert "row 4, position: 'x': expected a whole number" in message
    assert "row 5, item_id: '': expected the item the change is about" in message
    assert "rows 2, 5, change_id: 'CL1': repeated" in message


def test_every_refused_change_is_listed_not_only_the_first():
    message = refused(
        {ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "nothing"},
        {ty.OPERATION: ty.RENAME, ty.ITEM_ID: "match", ty.NEW_NAME: "training"},
    )
    assert "2 problem(s)" in message
    assert "row 2 (CL1, remove 'nothing'): item_id 'nothing': no such item" in message
    assert "row 3 (CL2, rename 'match'): new_name 'training'" in message


# --- coding -----------------------------------------------------------------------------------


def candidates(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {dat.CANDIDATE_ID: cid, dat.PUBLICATION_ID: pub, dat.PUBLICATION_TYPE: kind}
            for cid, (pub, kind) in zip(
                [f"CC{i}" for i in range(1, len(pairs) + 1)], pairs, strict=True
            )
        ]
    )


def coding_of(*item_ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        {dat.CANDIDATE_ID: [f"CC{i}" for i in range(1, len(item_ids) + 1)], ty.ITEM_ID: item_ids}
    )


def test_codings_to_removed_items_follow_the_change_log_and_are_listed():
    result = apply(
        {ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "log"},
        {ty.OPERATION: ty.MERGE, ty.ITEM_ID: "recording", ty.TARGET: "relationship"},
    )
    long_list = candidates(("T1", study.TRIAL_REPORT), ("T1", study.TRIAL_REPORT), ("M1", "x"))
    coded = ty.recode(coding_of("log", "workbook", "match"), long_list, tiny(), result, where="c")
    assert coded[ty.ITEM_ID].tolist() == ["relationship", "workbook", "match"]
    assert coded[ty.COMPONENT_ID].tolist() == ["relationship", "training", "match"]
    assert coded[ty.REDIRECTED_BY].tolist() == ["CL1; CL2", "", ""]
    assert ty.redirected(coded)[dat.CANDIDATE_ID].tolist() == ["CC1"]


def test_coding_errors_are_listed_at_once():
    result = apply({ty.OPERATION: ty.REMOVE, ty.ITEM_ID: "workbook"})
    long_list = candidates(*[("T1", study.TRIAL_REPORT)] * 4)
    coding = coding_of("nothing", "prep", "training").assign(
        **{dat.CANDIDATE_ID: ["CC1", "CC2", "CC9"]}
    )
    with pytest.raises(ty.TypologyError) as error:
        ty.recode(coding, long_list, tiny(), result, where="coding.csv")
    message = str(error.value)
    assert "coding.csv: 5 problem(s)" in message
    assert "row 4: candidate_id 'CC9': not in the DAT's candidate components" in message
    assert "candidate component 'CC3': not coded" in message
    assert "candidate component 'CC4': not coded" in message
    assert "row 2: item_id 'nothing' (candidate 'CC1'): not an item" in message
    assert "row 3: item_id 'prep' (candidate 'CC2') leads to theme 'preparation'" in message


def test_a_candidate_coded_twice_is_refused():
    coding = coding_of("match", "training").assign(**{dat.CANDIDATE_ID: ["CC1", "CC1"]})
    with pytest.raises(ty.TypologyError, match=r"rows 2, 3, candidate_id: 'CC1': repeated"):
        ty.recode(coding, candidates(("T1", study.TRIAL_REPORT)), tiny(), apply(), where="c")


# --- the demonstration typology: the paper's changes -----------------------------------------


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """The demo typology and DAT applied as notebook 06 applies them."""
    folder = tmp_path_factory.mktemp("demo")
    context = demo_context("extraction", "typology")
    write_demo(context, folder, "")
    inputs = ty.read_inputs(folder / "typology")
    table = dat.read_dat(folder / "extraction", REVIEW)
    long_list = dat.candidate_components_table(table)
    refinement = ty.apply_change_log(inputs.initial, inputs.change_log, where="change_log.csv")
    coding = ty.recode(inputs.coding, long_list, inputs.initial, refinement, where="coding.csv")
    return inputs, table, refinement, coding, context


def test_the_demo_typology_goes_from_16_and_11_to_16_and_8(demo_run):
    inputs, _, refinement, _, context = demo_run
    found = ty.numbers(inputs.initial, refinement, inputs.experts)
    expected = {key: context.reported[key] for key in found}
    assert found == expected
    assert found["typology_initial_subcomponents"] == 11
    assert found["typology_final_subcomponents"] == 8
    assert found["typology_final_components"] == 16


def test_the_demo_typology_holds_what_the_paper_states(demo_run):
    inputs, _, refinement, _, _ = demo_run
    final = refinement.typology
    names = dict(zip(final[ty.NAME], final[ty.NUMBER], strict=True))
    assert names["service user match"] == "3.1"
    assert names["relationship building"] == "3.2"
    assert "record-keeping" in names and "recording" not in names
    assert not {"activity log", "workbook", "fidelity check"} & set(names)
    themes = final[final[ty.LEVEL] == ty.THEME][ty.NAME].tolist()
    assert themes == ["recruitment", "preparation", "practice", "PSW wellbeing"]
    initial = dict(zip(inputs.initial[ty.NAME], inputs.initial[ty.NUMBER], strict=True))
    assert initial["service user match"].startswith("2.")  # preparation, at first
    for name in ("activity log", "workbook", "fidelity check", "recording"):
        row = inputs.initial[inputs.initial[ty.NAME] == name].iloc[0]
        assert row[ty.PROVENANCE] == ty.PAPER
    assert set(inputs.change_log[ty.PROVENANCE]) == {ty.PAPER}
    assert set(inputs.change_log[ty.TEXT_PROVENANCE]) == {ty.ILLUSTRATIVE}


def test_demo_experts_have_the_papers_count_and_countries_and_no_names(demo_run):
    experts = demo_run[0].experts
    assert len(experts) == 21
    assert set(experts[ty.COUNTRY]) == {
        "Australia",
        "Canada",
        "England",
        "Germany",
        "Japan",
        "Scotland",
        "USA",
    }
    assert experts[ty.EXPERT_ID].tolist() == [f"E{i:02d}" for i in range(1, 22)]
    assert "yes" in set(experts[ty.LIVED_EXPERIENCE])


def test_demo_codings_to_the_removed_sub_components_go_to_their_components(demo_run):
    _, _, _, coding, _ = demo_run
    moved = ty.redirected(coding)
    assert set(moved[ty.CODED_ITEM_ID]) == {"activity-log", "workbook", "fidelity-check"}
    parents = {"activity-log": "recording", "workbook": "training", "fidelity-check": "supervision"}
    assert (moved[ty.CODED_ITEM_ID].map(parents) == moved[ty.ITEM_ID]).all()


def test_demo_typology_part_needs_the_extraction_hand_over():
    with pytest.raises(ValueError, match=r"needs context.shared\['candidate_components'\]"):
        typology_part.generate(demo.Context(reported={"experts_consulted": 21}))


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_sums(demo_run):
    _, table, refinement, coding, _ = demo_run
    coverage = ty.coverage(coding, refinement.typology, REVIEW)
    components = coverage[coverage[ty.LEVEL] == ty.COMPONENT]
    subs = coverage[coverage[ty.LEVEL] == ty.SUB_COMPONENT]
    assert len(components) == 16 and len(subs) == 8
    assert components[ty.CANDIDATE_COMPONENTS].sum() == len(coding) == 242
    assert (components[ty.CANDIDATE_COMPONENTS] > 0).all()
    by_type = list(ty.type_columns(REVIEW).values())
    assert by_type == ["trial_reports", "training_manuals", "change_models"]
    assert (coverage[by_type].sum(axis=1) == coverage[ty.PUBLICATIONS]).all()
    kinds = table.publications[dat.PUBLICATION_TYPE].value_counts()
    for kind, column in ty.type_columns(REVIEW).items():
        assert (coverage[column] <= kinds[kind]).all()
    for number, count in zip(subs[ty.NUMBER], subs[ty.CANDIDATE_COMPONENTS], strict=True):
        parent = components[components[ty.NUMBER] == number.rsplit(".", 1)[0]]
        assert count <= parent[ty.CANDIDATE_COMPONENTS].item()


def test_coverage_counts_publications_by_the_protocols_types_under_their_keys(tmp_path):
    from test_abstraction import ANOTHER_PROTOCOL

    review = write_protocol(tmp_path, ANOTHER_PROTOCOL)
    assert ty.type_columns(review) == {"review": "reviews", "study": "studies"}
    long_list = candidates(("S1", "study"), ("S2", "study"), ("R1", "review"), ("S1", "study"))
    coding = ty.recode(
        coding_of("workbook", "match", "match", "relationship"),
        long_list,
        tiny(),
        apply(),
        where="c",
    )
    coverage = ty.coverage(coding, tiny(), review)
    assert coverage.columns.tolist() == [
        ty.NUMBER,
        ty.LEVEL,
        ty.NAME,
        ty.CANDIDATE_COMPONENTS,
        ty.PUBLICATIONS,
        "reviews",
        "studies",
    ]
    rows = coverage.set_index(ty.NUMBER)
    assert rows.loc["1.2", ["publications", "reviews", "studies"]].tolist() == [2, 1, 1]
    assert rows.loc["1.1", ["publications", "reviews", "studies"]].tolist() == [1, 0, 1]
    # the trials of the component network meta-analysis: the type the database search found
    publications = long_list.drop_duplicates(dat.PUBLICATION_ID)
    cnma = ty.cnma_table(coding, publications, tiny(), review)
    assert cnma[dat.PUBLICATION_ID].tolist() == ["S1", "S2"]
    assert ty.cnma_columns(tiny(), review)["meaning"].iloc[0].startswith("The study's id")
    # the heat map: a column per type, headed by the protocol's label and its count
    figure = ty.coverage_heatmap(coverage, publications, review)
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert labels == ["Systematic\nreviews\n(n = 1)", "Primary\nstudies\n(n = 2)"]


# --- tables -----------------------------------------------------------------------------------


def test_table_1_has_a_row_per_component_and_sub_component_with_marks(demo_run):
    final = demo_run[2].typology
    table = ty.table_1(final)
    assert len(table) == 24
    assert table.loc[table["Number"] == "3.1", "Component"].item() == "service user match"
    assert table.loc[table["Number"] == "1.1", "Component"].item().endswith(" †")
    assert table["Definition"].str.endswith(" ‡").all()
    assert len(ty.table_1_footnotes(final)) == 2
    assert ty.table_1_footnotes(final.assign(provenance="paper", text_provenance="paper")) == ()


def test_table_1_docx_opens_holds_every_row_and_is_byte_identical(demo_run, tmp_path):
    import docx

    table = ty.table_1(demo_run[2].typology)
    footnotes = ty.table_1_footnotes(demo_run[2].typology)
    paths = [
        render.save_docx_table(
            table,
            tmp_path / f"{name}.docx",
            caption="Table 1 Typology",
            note=DEMONSTRATION_NOTE,
            footnotes=footnotes,
            group_by="Theme",
        )
        for name in ("one", "two")
    ]
    assert paths[0].read_bytes() == paths[1].read_bytes()
    document = docx.Document(str(paths[0]))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Number", "Component", "Sub-component", "Definition", "Example"]
    body = [row for row in rows[1:] if len(set(row)) > 1]  # theme rows span the width
    assert body == table.drop(columns="Theme").values.tolist()
    themes = [row[0] for row in rows[1:] if len(set(row)) == 1]
    assert themes == list(dict.fromkeys(table["Theme"]))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Table 1 Typology"
    assert paragraphs[-1] == DEMONSTRATION_NOTE and paragraphs[1:-1] == list(footnotes)


def test_before_and_after_lists_every_change(demo_run):
    inputs, _, refinement, _, _ = demo_run
    table = ty.before_after(inputs.initial, refinement).set_index("name_before")
    assert len(table) == 31
    assert table.loc["service user match", ["number_before", "number_after"]].tolist() == [
        "2.2",
        "3.1",
    ]
    assert table.loc["recording", "name_after"] == "record-keeping"
    assert table.loc["workbook", "change"] == "remove (CL02)"
    assert (table["change"] != "none").sum() == 5


def test_cnma_table_has_a_row_per_trial_report_and_a_column_per_component(demo_run):
    _, table, refinement, coding, _ = demo_run
    cnma = ty.cnma_table(coding, table.publications, refinement.typology, REVIEW)
    labels = [c for c in cnma.columns if c.startswith("c")]
    assert len(cnma) == 26 and len(labels) == 16
    assert set(cnma[labels].to_numpy().ravel()) <= {0, 1}
    for _, row in cnma.iterrows():
        assert row["treatment"].split("+") == [c for c in labels if row[c] == 1]
    documented = ty.cnma_columns(refinement.typology, REVIEW)["column"].tolist()
    assert documented == cnma.columns.tolist()


# --- notebooks 05 and 06, run by the pipeline in a copy of the project ----------------------


@pytest.mark.slow
def test_notebooks_05_and_06_run_and_write_their_declared_outputs(project):
    from compendium import integrity, pipeline
    from compendium.io import write_bytes, write_text
    from compendium.steps import by_name
    from test_abstraction import included_table

    context = demo_context("extraction", "typology")
    for name, content in context.files.items():
        (write_bytes if isinstance(content, bytes) else write_text)(project.raw / name, content)
    write_text(
        project.processed / "included_publications.csv",
        included_table().to_csv(index=False, lineterminator="\n"),
    )
    integrity.update(project.raw)
    result = pipeline.run(
        project, only=["05", "06"], allow_mismatch=True, trust_earlier_outputs=True
    )
    assert result.ran == ["05_data_abstraction", "06_typology"]
    for step in ("05", "06"):
        for pattern in by_name(step).outputs:
            assert list(project.root.glob(pattern)), pattern
    found = {}
    for step in ("05_data_abstraction", "06_typology"):
        entries = json.loads((project.step_numbers / f"{step}.json").read_text())
        found |= {key: entry["value"] for key, entry in entries.items()}
    reported = {key: value for key, value in context.reported.items() if key in found}
    assert {key: found[key] for key in reported} == reported and len(reported) == 12
    table_1 = render.read_table(project.tables / "table1_typology.csv")
    assert len(table_1) == 24
    assert "Demonstration data" in (project.tables / "table1_typology.md").read_text()
