"""The normalisers: each rule, and the values that must come out missing."""

from __future__ import annotations

import pandas as pd
import pytest

from compendium.records import (
    normalise_authors,
    normalise_doi,
    normalise_pages,
    normalise_title,
    normalise_year,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1002/CPP.2398", "10.1002/cpp.2398"),
        ("https://doi.org/10.1002/cpp.2398", "10.1002/cpp.2398"),
        ("http://dx.doi.org/10.1177/2325967120950040", "10.1177/2325967120950040"),
        ("doi: 10.1016/j.beth.2021.09.007", "10.1016/j.beth.2021.09.007"),
        ("10.1161/STROKEAHA.118.021126 [doi]", "10.1161/strokeaha.118.021126"),
        ("  10.1/abc.  ", None),  # registrant too short: not a DOI
        ("S0000-0000(00)00000-0 [pii]", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_doi(value, expected):
    result = normalise_doi(value)
    assert (result is pd.NA) if expected is None else (result == expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019//", 2019),
        ("2019/09//undefined", 2019),
        ("2019 Mar", 2019),
        ("April 2015", 2015),
        ("n.d.", None),
        ("12345", None),
        (None, None),
        (2020, 2020),
    ],
)
def test_normalise_year(value, expected):
    result = normalise_year(value)
    assert (result is pd.NA) if expected is None else (result == expected)


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        (["Trindade, Ines A", "Irons, Chris"], "Trindade, Ines A; Irons, Chris"),
        (["Nguyen TN", "Smith J.A."], "Nguyen, TN; Smith, J.A."),
        (["Jan Paul Frolke"], "Frolke, Jan Paul"),
        (["Max Van Kleek", "Ludwig van Beethoven"], "Van Kleek, Max; van Beethoven, Ludwig"),
        (["Plato"], "Plato"),
        # initials of any alphabet: the family name stays first
        (
            ["Kowalczyk Ł", "Ødegård ÅK", "Çelik Ö.", "Šimek J-Ž"],
            "Kowalczyk, Ł; Ødegård, ÅK; Çelik, Ö.; Šimek, J-Ž",
        ),
        (["Łukasz Kowalczyk"], "Kowalczyk, Łukasz"),  # a given name, turned round
        ("Smith, Jane; Jones, Kate", "Smith, Jane; Jones, Kate"),
        ([], None),
        (None, None),
    ],
)
def test_normalise_authors(authors, expected):
    result = normalise_authors(authors)
    assert (result is pd.NA) if expected is None else (result == expected)


def test_normalise_pages_keeps_abbreviated_ranges():
    assert normalise_pages(" 123-9 ") == "123-9"
    assert normalise_pages("") is pd.NA


def test_normalise_title_collapses_whitespace_only():
    assert normalise_title("Peer  Support:\n the [Article]") == "Peer Support: the [Article]"
