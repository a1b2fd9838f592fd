"""EndNote tagged exports (.enw, Refer): Google Scholar, publishers, CNKI; one quirk per test."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from compendium import columns as col
from compendium.readers import ReaderError, read_export, read_records


def _write(tmp_path: Path, text: str, name: str = "export.enw", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def test_journal_article_and_conference_paper(fixture):
    export = read_export(fixture("endnote_tagged.enw"))
    df = export.records
    assert export.format == "EndNote tagged (.enw)"
    assert len(df) == 2
    article, paper = df.iloc[0], df.iloc[1]
    assert article[col.AUTHORS] == "Rivera, Ana M.; Okafor, Chidi"
    assert article[col.JOURNAL] == "Psychiatric Services"  # %J
    assert (article[col.VOLUME], article[col.ISSUE], article[col.PAGES]) == ("72", "4", "401-409")
    assert article[col.DOI] == "10.1176/appi.ps.2021.0042"  # %R
    assert article[col.YEAR] == 2021
    assert paper[col.AUTHORS] == "Ryu, Neung; Jo, Hye-Young"  # "Given Family" turned round
    assert paper[col.JOURNAL].startswith("Proceedings of the 2021 CHI")  # %B
    assert paper[col.DOI] == "10.1145/3411764.3445000"  # a DOI link in %U
    assert paper[col.DATABASE] is pd.NA
    assert json.loads(df[col.RAW].iloc[1])[-1] == ["K", "peer support, mHealth"]


def test_untagged_lines_continue_a_value_crlf(tmp_path):
    # CNKI wraps abstracts onto untagged lines; "%50" and "% of" are no tags either.
    text = (
        "%0 Journal Article\n%A 张明远\n%T 同伴支持\n%D 2021\n%8 2021-03-01\n"
        "%X First half of the abstract,\n second half.\n%50 of them stayed.\n\n\n"
        "%T Second record\n%0 Journal Article\n%8 September  1, 2009\n"
    )
    df = read_records(_write(tmp_path, text, newline="\r\n"))
    assert len(df) == 2
    abstract = "First half of the abstract, second half. %50 of them stayed."
    assert df.iloc[0][col.ABSTRACT] == abstract
    assert df.iloc[0][col.AUTHORS] == "张明远"
    assert list(df[col.YEAR]) == [2021, 2009]  # %D, else %8


def test_database_and_pmid_from_name_of_database(tmp_path):
    text = "%0 Journal Article\n%T One\n%M 31234567\n%~ PubMed\n\n%0 Generic\n%T Two\n%M 99\n"
    df = read_records(_write(tmp_path, text))
    assert list(df[col.DATABASE].fillna("")) == ["PubMed", ""]
    assert list(df[col.PMID].fillna("")) == ["31234567", ""]  # %M is a PMID only in MEDLINE


def test_an_untagged_line_opening_a_record_is_an_error(tmp_path):
    path = _write(tmp_path, "%0 Journal Article\n%T One\n\nstray text\n%T Two\n")
    with pytest.raises(ReaderError) as info:
        read_records(path)
    assert info.value.line == 4
    assert "'%0 Journal Article'" in str(info.value)


@pytest.mark.parametrize("first", ["%% BibDesk comment", "% Encoding: UTF-8"])
def test_a_bibtex_file_opening_with_tex_comments_stays_bibtex(tmp_path, first):
    path = _write(tmp_path, f"{first}\n\n@article{{a,\n title = {{%T One}}\n}}\n", "x.bib")
    assert read_export(path).format == "BibTeX"
