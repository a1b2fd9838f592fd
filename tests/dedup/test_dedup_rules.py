"""The kinds of duplicate that exports make, each merged, put to people or linked.

Every case is one publication as two databases export it (or an erratum beside its
article); ``BASE`` is the publication, and each test changes what its case is about.
"""

from __future__ import annotations

import pandas as pd
import pytest
from dedup_records import BASE, build, variant

from compendium import columns
from compendium.dedup import find_duplicates, linked_items, schema, uncertain_pairs
from compendium.dedup.match import prepare

NO_IDS = {columns.DOI: pd.NA, columns.PMID: pd.NA}


def matched_by(*rows: dict) -> list[str]:
    return find_duplicates(build(*rows))[schema.MATCHED_BY].tolist()


@pytest.mark.parametrize(
    "authors",
    [
        "Yasuhiro Kotera; Chris Newby; Ashleigh Charles",  # given names first
        "Kotera Y; Newby C; Charles A",  # initials, MEDLINE style
        "Kotera, Y.; null; Newby, C.; Charles, A.",  # a stray null
        "ALTS Group",  # a group's name for the people
        pd.NA,  # no authors at all
    ],
)
def test_same_title_journal_volume_and_pages_merge_whatever_the_authors(authors) -> None:
    other = variant(**NO_IDS, **{columns.AUTHORS: authors, columns.JOURNAL: "J Ment Health"})
    assert matched_by(dict(BASE), other)[1] in {
        "title+authors+year+journal+pages",
        "title+year+journal+volume+pages",
    }


@pytest.mark.parametrize(
    ("authors", "merged"),
    [
        ("Yasuhiro Kotera; Chris Newby; Ashleigh Charles", True),
        ("Kotera Y; Newby C; Charles A", True),
        ("Smith, John; Brown, Alex", False),  # control: other people
    ],
)
def test_authors_in_another_shape_still_count_as_the_same_authors(authors, merged) -> None:
    # no volume or pages: only a rule that needs the authors can merge the two
    unplaced = {columns.VOLUME: pd.NA, columns.PAGES: pd.NA}
    other = variant(**NO_IDS, **unplaced, **{columns.AUTHORS: authors})
    rule = matched_by(variant(**unplaced), other)[1]
    assert (rule == "title+authors+year+journal") is merged


def test_page_ranges_listed_in_another_order_are_the_same_pages() -> None:
    base = variant(**{columns.PAGES: "230-5, 246-51"})
    other = variant(**NO_IDS, **{columns.PAGES: "246-251, 230-235", columns.AUTHORS: pd.NA})
    assert matched_by(base, other)[1] == "title+year+journal+volume+pages"


def test_a_journal_abbreviation_written_without_spaces_is_the_journal() -> None:
    other = variant(**NO_IDS, **{columns.JOURNAL: "JMentHealth", columns.AUTHORS: pd.NA})
    assert matched_by(dict(BASE), other)[1] == "title+year+journal+volume+pages"


def test_a_translated_title_in_brackets_with_the_same_place_merges() -> None:
    base = variant(**{columns.TITLE: "Peer support work in community mental health teams"})
    translated = variant(
        **NO_IDS,
        **{
            columns.TITLE: "[Peer support in teams of community mental health care]",
            columns.AUTHORS: pd.NA,
        },
    )
    assert matched_by(base, translated)[1] == "translated title+year+journal+volume+pages"


def test_a_translated_title_without_the_place_is_not_merged() -> None:
    # control: the same two titles without volume and pages are two publications
    base = variant(**{columns.TITLE: "Peer support work in community mental health teams"})
    translated = variant(
        **NO_IDS,
        **{
            columns.TITLE: "[Peer support in teams of community mental health care]",
            columns.AUTHORS: pd.NA,
            columns.VOLUME: pd.NA,
            columns.PAGES: pd.NA,
        },
    )
    assert matched_by(base, translated) == ["", ""]


def test_a_title_with_its_original_beside_it_matches_the_title_alone() -> None:
    original = BASE[columns.TITLE] + "; Trabalho de apoio entre pares em equipas comunitarias"
    other = variant(**NO_IDS, **{columns.TITLE: original, columns.JOURNAL: "Rev Saude Mental"})
    assert matched_by(dict(BASE), other)[1] == "title+authors+year+volume+pages"


def test_a_journal_name_learnt_from_a_parallel_title() -> None:
    parallel = variant(**{columns.JOURNAL: "Ai zheng = Aizheng = Chinese journal of cancer"})
    chinese = variant(**NO_IDS, **{columns.JOURNAL: "Aizheng"})
    english = variant(**NO_IDS, **{columns.JOURNAL: "Chinese Journal of Cancer"})
    other = variant(**{columns.JOURNAL: "Psychiatric Services", columns.DOI: "10.1/other"})
    journals = prepare(build(parallel, chinese, english, other))["journal"].tolist()
    assert journals[1].split(" = ") == ["aizheng", "ai zheng", "chinese journal cancer"]
    assert journals[3] == "psychiatric services"
    # control: without the record that gives both names, they are two journals
    assert prepare(build(chinese, english))["journal"].tolist() == [
        "aizheng",
        "chinese journal cancer",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({columns.VOLUME: "12", columns.JOURNAL: "Schizophr Bull", columns.PAGES: "S12"},
         "same title and authors, volumes differ"),  # a conference abstract and its article
        ({columns.PAGES: "747-761"}, "same title and authors, pages differ"),  # a misprint
        ({columns.YEAR: 2019, columns.VOLUME: pd.NA}, "same title and authors, years differ"),
    ],
)  # fmt: skip
def test_a_conflict_with_the_same_title_and_authors_is_put_to_people(change, reason) -> None:
    records = build(dict(BASE), variant(**NO_IDS, **change))
    assert find_duplicates(records)[schema.KEPT].all()
    assert uncertain_pairs(records)[schema.REASON].tolist() == [reason]


def test_a_conflict_with_other_authors_is_not_put_to_people() -> None:
    # control for the case above: the authors are what makes the pair worth a look
    change = {columns.VOLUME: "12", columns.PAGES: "S12", columns.AUTHORS: "Smith, J; Brown, A"}
    assert uncertain_pairs(build(dict(BASE), variant(**NO_IDS, **change))).empty


def test_an_erratum_is_linked_to_its_article_never_merged_or_asked() -> None:
    erratum = variant(
        **NO_IDS, **{columns.TITLE: "Erratum: " + BASE[columns.TITLE], columns.PAGES: "900"}
    )
    records = build(dict(BASE), erratum)
    found = find_duplicates(records)
    assert found[schema.KEPT].all()
    assert found[schema.LINKED_TO].tolist() == ["", "erratum of r1"]  # the audit says so
    assert uncertain_pairs(records).empty
    links = linked_items(records)
    assert links[[columns.RECORD_ID, "kind", "article_id"]].values.tolist() == [
        ["r2", "erratum", "r1"]
    ]


def test_an_erratum_is_linked_to_the_record_kept_for_its_article() -> None:
    erratum = variant(**NO_IDS, **{columns.TITLE: "Correction to: " + BASE[columns.TITLE]})
    records = build(dict(BASE), variant(**{columns.JOURNAL: "J Ment Health"}), erratum)
    links = linked_items(records, find_duplicates(records))
    assert links[[columns.RECORD_ID, "article_id"]].values.tolist() == [["r3", "r1"]]


def test_an_article_noting_its_erratum_is_no_erratum() -> None:
    noted = BASE[columns.TITLE] + " [Erratum appears in J Ment Health 2024;33(1):12]"
    assert matched_by(dict(BASE), variant(**{columns.TITLE: noted})) == ["", "doi"]


def test_an_erratum_titled_only_erratum_is_linked_where_the_articles_note_says() -> None:
    noted = BASE[columns.TITLE] + " [Erratum appears in J Ment Health. 2024 Jan;33(1):12]"
    article = variant(**{columns.TITLE: noted})
    erratum = variant(
        **NO_IDS,
        **{
            columns.TITLE: "Erratum",
            columns.AUTHORS: pd.NA,
            columns.YEAR: 2024,
            columns.VOLUME: "33",
            columns.PAGES: "12",
        },
    )
    elsewhere = variant(**NO_IDS, **{columns.TITLE: "Erratum", columns.VOLUME: "34"})
    links = linked_items(build(article, erratum, elsewhere))
    assert links[[columns.RECORD_ID, "kind", "article_id"]].values.tolist() == [
        ["r2", "erratum", "r1"]
    ]


def test_an_items_label_after_the_title_is_not_part_of_what_it_is_about() -> None:
    erratum = variant(**NO_IDS, **{columns.TITLE: BASE[columns.TITLE] + " [Erratum]"})
    links = linked_items(build(dict(BASE), erratum))
    assert links[[columns.RECORD_ID, "kind", "article_id"]].values.tolist() == [
        ["r2", "erratum", "r1"]
    ]


def test_a_translated_title_with_the_same_volume_and_pages_is_put_to_people() -> None:
    # a journal under its name in another language, and a translation worded otherwise
    translated = variant(
        **NO_IDS,
        **{
            columns.TITLE: "[Work of peers in teams for the community]",
            columns.JOURNAL: "Revista de Saude Mental",
            columns.AUTHORS: pd.NA,
        },
    )
    records = build(dict(BASE), translated)
    assert find_duplicates(records)[schema.KEPT].all()
    assert uncertain_pairs(records)[schema.REASON].tolist() == [
        "a translated title, same volume and pages"
    ]


@pytest.mark.parametrize(("pages", "merged"), [("S12", False), ("745-759", True)])
def test_titles_differing_by_a_number_on_a_single_page_are_two_abstracts(pages, merged) -> None:
    # a supplement prints several abstracts to a page: the same page and a title alike but
    # for a number ("phase 2" and "phase 3") are two; on a page range they are one article
    base = {columns.PAGES: pages, columns.AUTHORS: pd.NA}
    first = variant(**NO_IDS, **base, **{columns.TITLE: BASE[columns.TITLE] + ", phase 2"})
    second = variant(**NO_IDS, **base, **{columns.TITLE: BASE[columns.TITLE] + ", phase 3"})
    records = build(first, second)
    assert (find_duplicates(records)[schema.CLUSTER_ID].nunique() == 1) is merged
    assert len(uncertain_pairs(records)) == (0 if merged else 1)


def test_a_journal_name_learnt_from_one_doi_under_two_names() -> None:
    # the same DOI and title under "Aizheng" and "Chinese Journal of Cancer" say the two
    # names are one journal; a third record, without DOI, then matches by its place
    chinese = variant(**{columns.JOURNAL: "Aizheng"})
    english = variant(**{columns.JOURNAL: "Chinese Journal of Cancer"})
    other_title = "Peer support workers in cancer care: a survey of their roles"
    unplaced = {columns.TITLE: other_title, columns.AUTHORS: pd.NA, columns.PMID: pd.NA}
    third = variant(**unplaced, **{columns.DOI: pd.NA, columns.JOURNAL: "Aizheng",
                                   columns.PAGES: "12-19"})  # fmt: skip
    fourth = variant(**unplaced, **{columns.DOI: pd.NA, columns.PAGES: "12-19",
                                    columns.JOURNAL: "Chinese Journal of Cancer"})  # fmt: skip
    assert matched_by(chinese, english, third, fourth)[3] == "title+year+journal+volume+pages"
    # control: without the pair that gives both names, the two are other journals
    assert matched_by(third, fourth) == ["", ""]
