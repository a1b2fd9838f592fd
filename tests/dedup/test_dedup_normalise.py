"""The matching normalisers, one quirk per test."""

from __future__ import annotations

import pandas as pd
import pytest

from compendium.dedup import normalise as norm


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Peer Support: A Review.", "peer support a review"),
        ("<i>Peer</i> support &amp; recovery", "peer support recovery"),
        ("Peer support in China [Chinese]", "peer support in china"),
        ("Peer support in Germany [Article in German]", "peer support in germany"),
        ("[Peer support in Japan]", "peer support in japan"),
        ("Peer support. [Review] [33 refs]", "peer support"),
        ("Effects of peer support: a trial.[Article]", "effects of peer support a trial"),
        ("Peer support [erratum appears in J Ment Health 2020;1(2):3]", "peer support"),
        ("Peer support [erratum appears in J Ment Health 20", "peer support"),
        ("Évaluation du soutien par les pairs", "evaluation du soutien par les pairs"),
        (pd.NA, ""),
    ],
)
def test_match_title(given: object, expected: str) -> None:
    assert norm.match_title(given) == expected


def test_a_note_holding_brackets_of_its_own_is_a_note() -> None:
    title = (
        '"Timing of chest tube removal.[Erratum appears in J Card Surg. 2011 Mar;26(2):244'
        ' Note: Yeshaaiahu, Michal [corrected to Yeshayahu, Michal]]"'
    )
    assert norm.match_title(title) == "timing of chest tube removal"
    assert norm.title_marker(title) == ""


@pytest.mark.parametrize(
    ("given", "parts", "translated"),
    [
        (
            "[Neoadjuvant chemotherapy in bronchial carcinoma] <ORIGINAL> NEOADJUVANTE "
            "CHEMOTHERAPIE BEIM BRONCHIALKARZINOM",
            (
                "neoadjuvant chemotherapy in bronchial carcinoma",
                "neoadjuvante chemotherapie beim bronchialkarzinom",
            ),
            True,
        ),
        (
            "Effect of airway pressure on pleural effusion; Efeito da pressao no derrame pleural",
            (
                "effect of airway pressure on pleural effusion",
                "efeito da pressao no derrame pleural",
            ),
            False,
        ),
        ("[Peer support in psychosis: a review of the trials]", (), True),
        ("Peer support in psychosis: a review", (), False),
    ],
)
def test_title_parts_and_translations(given: str, parts: tuple, translated: bool) -> None:
    assert norm.title_parts(given) == parts
    assert norm.is_translated_title(given) is translated


def test_title_without_marker_is_the_title_of_the_article_it_is_about() -> None:
    assert norm.title_without_marker("Erratum: Peer support in psychosis") == (
        "peer support in psychosis"
    )
    assert norm.title_without_marker("Comment on: Peer support in psychosis") == (
        "peer support in psychosis"
    )


def test_title_keeps_brackets_that_are_not_notes() -> None:
    assert norm.match_title("Outcomes [phase II] of peer support") == (
        "outcomes phase ii of peer support"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Erratum: Peer support in psychosis", "erratum"),
        ("Correction to: Peer support in psychosis", "erratum"),
        ("Corrigendum to 'Peer support in psychosis'", "erratum"),
        ("Comment on: Peer support in psychosis", "comment"),
        ("In reply: peer support in psychosis", "reply"),
        ("Notice of retraction: Peer support in psychosis", "retraction"),
        ("Peer support in psychosis. [Comment]", "comment"),
        ("Peer support in psychosis. [Erratum appears in Lancet 2020;1:2]", ""),
        ("Peer support in psychosis", ""),
    ],
)
def test_title_marker(given: str, expected: str) -> None:
    assert norm.title_marker(given) == expected


def test_match_authors_is_the_first_authors_first_name_word() -> None:
    assert norm.match_authors("Müller, Anna Maria; O'Brien, J.") == "muller"
    assert norm.match_authors("null; Łukasiewicz, Jan") == "lukasiewicz"
    assert norm.match_authors(pd.NA) == ""


def similarity(a: str, b: str) -> float | None:
    return norm.authors_similarity(norm.author_keys(a), norm.author_keys(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Smith, John A; Jones, Kate", "Smith JA; Jones K"),  # full names and MEDLINE initials
        ("Smith, J. A.; Jones, K.", "John A. Smith; Kate Jones"),  # given names first
        ("Santos, A L; Derchain, S F", "Luis Ferreira, Santos A; Francoise, Derchain S"),
        ("Zhao, Wei-Zhu; Wang, Ji-Kun", "Zhao, W. Z.; Wang, J. K."),  # hyphenated given names
        ("Hernandez Pedro, N.; Rios Trejo, M. A.", "Pedro, N. H.; Trejo, M. A."),
        ("van der Berg, Anna; de Vries, P", "Berg, A van der; Vries, P. de"),  # particles
        ("Müller, Ødegård; Łukasz, J", "Muller, Odegard; Lukasz, J"),  # letters NFKD keeps
        ("Smith, J; null; Jones, K", "Smith, J; Jones, K"),  # a stray "null"
        ("Smith, J; Jones, K; et al.", "Smith, J; Jones, K; Brown, L; Green, M"),  # cut short
        (
            "Abramov, D; Yeshayahu, M; Yeshaaiahu, M; Tsodikov, V",
            "Abramov, D; Yeshayahu, M; Tsodikov, V",
        ),  # a name repeated shifts the others: order is not compared
    ],
)
def test_one_author_list_in_any_shape_is_similar(a: str, b: str) -> None:
    assert similarity(a, b) == 100.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Wang, L; Li, X", "Wang, M; Li, Q"),  # same family names, other people
        ("Smith, John", "Jones, John"),
    ],
)
def test_other_authors_are_not_similar(a: str, b: str) -> None:
    assert similarity(a, b) == 0.0


@pytest.mark.parametrize("nobody", ["null", "NA", "et al.", "Anonymous", "", pd.NA])
def test_an_author_field_naming_nobody_has_no_authors(nobody: object) -> None:
    assert norm.author_keys(nobody) == ()
    assert similarity(nobody, "Smith, J") is None


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("J Ment Health", "Journal of Mental Health"),
        ("Psychiatr Serv", "Psychiatric Services"),
        ("Soc Sci Med", "Social Science & Medicine"),
        ("BMJ", "British Medical Journal"),
        ("BMJ (Clinical research ed.)", "BMJ"),
        ("PLoS ONE [Electronic Resource]", "PLoS One"),
        ("J Natl Cancer Inst", "Journal of the National Cancer Institute"),
        ("Circulation. Conference: American Heart Association", "Circulation"),
        ("Journal of Trauma", "Journal of Trauma: Injury, Infection and Critical Care"),
        ("Jthoraccardiovascsurg", "Journal of Thoracic & Cardiovascular Surgery"),
        ("Dtsch-Med-Wochenschr", "Deutsche Medizinische Wochenschrift"),
        ("Ai zheng = Aizheng = Chinese journal of cancer", "Chinese Journal of Cancer"),
        ("Ai zheng = Aizheng = Chinese journal of cancer", "Aizheng"),
        ("JAMA", "Journal of the American Medical Association"),
        (
            "Proc Natl Acad Sci U S A",
            "Proceedings of the National Academy of Sciences of the United States of America",
        ),
    ],
)
def test_journal_abbreviations_are_compatible(short: str, full: str) -> None:
    assert norm.journals_compatible(norm.match_journal(short), norm.match_journal(full))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lancet", "Lancet Oncology"),
        ("Journal of Mental Health", "Journal of Psychiatric Research"),
        ("BMJ Open", "BMJ"),
        ("J Clin Oncol", "Journal of Clinical Oncology Research"),
        ("Chinese Journal of Cancer", "Chinese Journal of Lung Cancer"),
        ("", "Lancet"),
    ],
)
def test_different_journals_are_not_compatible(a: str, b: str) -> None:
    assert not norm.journals_compatible(norm.match_journal(a), norm.match_journal(b))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("123-9", "123-129"),
        ("1112-18", "1112-1118"),
        ("745-759", "745-759"),
        ("S12-5", "s12-s15"),
        ("742-8; discussion 748-9", "742-748"),
    ],
)
def test_expand_pages(given: str, expected: str) -> None:
    assert norm.expand_pages(given) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("123-9", "123-129", "same"),
        ("123", "123-129", "same"),
        ("Suppl-29", "S417-S429", "compatible"),
        ("e12724", "1-6", "compatible"),
        ("c1804", "1014", "compatible"),
        ("488", "487-488", "compatible"),
        ("123-129", "223-229", "different"),
        ("", "223-229", "missing"),
        # an article printed in pieces, the pieces listed in another order
        ("230-5, 246-51", "246-51, 230-5", "same"),
        ("233-238+230-235+246-251", "230-5, 246-51, 233-8", "same"),
        ("233-238+230-235", "230-235", "same"),
        ("230-5, 246-51", "246-51, 300-5", "compatible"),
        ("viii108", "108", "same"),  # a supplement's roman number dropped by one export
        ("A175.E1638", "A175", "same"),  # a page and an abstract's number on it
        ("2243-5; author reply 2243-5", "2243-2245", "same"),
    ],
)
def test_pages_agree(a: str, b: str, expected: str) -> None:
    assert norm.pages_agree(norm.page_ranges(a), norm.page_ranges(b)) == expected


def test_page_ranges_stop_at_a_note_about_another_item() -> None:
    assert norm.page_ranges("742-8; discussion 748-9") == (("742", "748"),)
    assert norm.page_ranges("pp. 12-19") == (("12", "19"),)


def test_page_range_drops_leading_zeros_and_non_pages() -> None:
    assert norm.page_range("e0123") == ("e123", "")
    assert norm.page_range("Suppl-29") == ("", "29")


def test_volume_and_issue() -> None:
    assert norm.match_volume("36 Suppl 1") == "36"
    assert norm.match_volume("1)") == ""
    assert norm.issue_numbers("1 SUPPL. 1") == frozenset({"1"})
    assert norm.volumes_conflict(("57", frozenset()), ("58", frozenset()))
    assert not norm.volumes_conflict(("57", frozenset({"1"})), ("1", frozenset()))
    assert not norm.volumes_conflict(("57", frozenset()), ("", frozenset()))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("10.1080/ABC.1", "10.1080/abc.1"),
        ("https://doi.org/10.1080/abc.1", "10.1080/abc.1"),
        ("http://dx.doi.org/10.1016/S0735-1097%2813%2962048-3", "10.1016/s0735-1097(13)62048-3"),
        ("no doi", ""),
        (pd.NA, ""),
    ],
)
def test_match_doi(given: object, expected: str) -> None:
    assert norm.match_doi(given) == expected
