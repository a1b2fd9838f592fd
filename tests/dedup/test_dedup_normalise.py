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


def test_match_authors_keeps_family_and_first_initial() -> None:
    assert norm.match_authors("Müller, Anna Maria; O'Brien, J.") == "muller a obrien j"
    assert norm.match_authors("Müller, A M; O'Brien, John") == norm.match_authors(
        "Muller, Anna; OBrien, J"
    )
    assert norm.match_authors(pd.NA) == ""


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
    ],
)
def test_pages_agree(a: str, b: str, expected: str) -> None:
    assert norm.pages_agree(norm.page_range(a), norm.page_range(b)) == expected


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
