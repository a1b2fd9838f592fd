"""BibTeX exports: Scopus, Web of Science, reference managers; one quirk per test."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from compendium import columns as col
from compendium.readers import ReaderError, read_export, read_records


def _write(tmp_path: Path, text: str, name: str = "export.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read_records(path)
    return info.value


def test_scopus_bibtex_with_its_export_header_and_a_repeated_key(fixture):
    export = read_export(fixture("bibtex_scopus.bib"))
    df = export.records
    assert export.format == "BibTeX"
    assert len(df) == 2  # "Rivera2021" twice: two articles, two records
    first = df.iloc[0]
    assert first[col.DATABASE] == "Scopus"
    assert first[col.AUTHORS] == "Rivera, A.M.; Okafor, C.; O'Neill, D."
    assert first[col.PAGES] == "e100245"  # the article number, for want of pages
    assert first[col.DOI] == "10.1176/appi.ps.2021.0042"
    assert (first[col.YEAR], first[col.VOLUME], first[col.ISSUE]) == (2021, "72", "4")
    # "%" is a per cent sign and "~" an approximation here, not LaTeX
    assert first[col.ABSTRACT].startswith("Peer support was offered one to one; 45% of")
    assert "(~12 weeks)" in first[col.ABSTRACT]
    assert df.iloc[1][col.TITLE] == "Training peer support workers: a mixed-methods evaluation"
    assert df.iloc[1][col.PAGES] == "150-158"
    assert df[col.RECORD_ID].is_unique


def test_web_of_science_bibtex_latex_read_as_text(fixture):
    df = read_records(fixture("bibtex_wos.bib"))
    first, chapter = df.iloc[0], df.iloc[1]
    assert first[col.DATABASE] == "Web of Science"  # from Unique-ID = {WOS:...}
    assert first[col.AUTHORS] == "Müller, Jörg; van der Berg, Piet; World Health Organization"
    assert first[col.TITLE] == "Lived experience & recovery: COVID-19 and peer support"
    assert first[col.ABSTRACT] == "Peer workers [n = 40] reported 30% more contact."
    assert first[col.PAGES] == "123-130"  # LaTeX's "--"
    assert first[col.JOURNAL] == "BMC PSYCHIATRY"
    assert chapter[col.JOURNAL] == "Recovery-Oriented Mental Health Services"  # booktitle
    assert chapter[col.DOI] == "10.1007/978-3-030-12345-6_7"  # "\_" in the export


def test_raw_keeps_every_field_as_written(fixture):
    raw = json.loads(read_records(fixture("bibtex_wos.bib"))[col.RAW].iloc[0])
    assert raw[:2] == [["ENTRYTYPE", "article"], ["ID", "WOS:000612345600001"]]
    assert ["Title", "{Lived experience {\\&} recovery: {COVID}-19 and peer support}"] in raw
    assert ["Month", "{JAN 12}"] in raw  # a field no column takes


def test_given_family_names_others_and_string_macros(tmp_path):
    path = _write(
        tmp_path,
        "% written by a reference manager\n"
        "@string{jmh = {Journal of Mental Health}}\n"
        "@comment{jabref-meta: databaseType:bibtex;}\n"
        '@preamble{ "\\newcommand{\\noop}[1]{}" }\n'
        "@article{smith2019,\n"
        "  author = {Jane A. Smith and Ludwig van Beethoven and Smith, Jr., John and others},\n"
        '  title = "Peer support {#}1 and \\#2",\n'
        "  journal = jmh # { (Abingdon)},\n"
        "  year = 2019,\n"
        "  month = jan,\n"
        "}\n",
    )
    df = read_records(path)
    assert len(df) == 1
    assert df.iloc[0][col.AUTHORS] == "Smith, Jane A.; van Beethoven, Ludwig; Smith, John Jr."
    assert df.iloc[0][col.JOURNAL] == "Journal of Mental Health (Abingdon)"
    assert df.iloc[0][col.TITLE] == "Peer support #1 and #2"  # "#" inside a value stays
    assert df.iloc[0][col.YEAR] == 2019
    assert df.iloc[0][col.DATABASE] is pd.NA  # nothing in the file names a database


def test_biblatex_fields_pmid_and_ebscohost_link(tmp_path):
    path = _write(
        tmp_path,
        "@article{a,\n"
        "  title = {One},\n"
        "  journaltitle = {Psychiatric Services},\n"
        "  date = {2020-05-01},\n"
        "  eprinttype = {pubmed},\n"
        "  eprint = {32000001},\n"
        "  url = {https://search.ebscohost.com/login.aspx?direct=true&db=psyh&AN=2020-1},\n"
        "}\n"
        "@article{b,\n"
        "  title = {Two},\n"
        "  pmid = {32000002},\n"
        "  url = {https://doi.org/10.1000/ABC.2},\n"
        "}\n",
    )
    df = read_records(path)
    assert list(df[col.PMID]) == ["32000001", "32000002"]
    assert df.iloc[0][col.JOURNAL] == "Psychiatric Services"
    assert df.iloc[0][col.YEAR] == 2020
    assert df.iloc[0][col.DATABASE] == "EBSCOhost APA PsycInfo"  # db=psyh
    assert df.iloc[1][col.DOI] == "10.1000/abc.2"  # from a doi.org link


def test_a_field_given_twice_keeps_both_values(tmp_path):
    path = _write(tmp_path, "@article{a,\n title = {First},\n note = {x},\n title = {Second}\n}\n")
    df = read_records(path)
    assert df.iloc[0][col.TITLE] == "First"
    raw = json.loads(df[col.RAW].iloc[0])
    assert ["title", "{First}"] in raw and ["title", "{Second}"] in raw


def test_an_entry_cut_off_by_the_end_of_the_file_is_an_error(tmp_path):
    path = _write(tmp_path, "@article{a, title = {One}}\n\n@article{b,\n  title = {Two},\n")
    error = _error(path)
    assert error.line == 3  # where the unfinished entry starts
    assert str(path) in str(error) and "end of file" in str(error)


def test_an_unclosed_brace_is_an_error_naming_its_entry(tmp_path):
    path = _write(tmp_path, "@article{a,\n  title = {One\n}\n@article{b, title = {Two}}\n")
    assert _error(path).line == 1


def test_fields_outside_any_entry_are_an_error(tmp_path):
    # An entry whose "@article{key," line was damaged: its fields would be a comment.
    path = _write(tmp_path, "@article{a, title = {One}}\n\narticle{b,\n  title = {Two},\n}\n")
    error = _error(path)
    assert error.line == 4
    assert "title = {" in str(error)


def test_a_macro_defined_twice_is_an_error(tmp_path):
    path = _write(tmp_path, "@string{j = {A}}\n@string{j = {B}}\n@article{a, journal = j}\n")
    assert _error(path).line == 2


def test_bibtex_is_recognised_by_content_not_name(tmp_path):
    path = _write(tmp_path, "\n@Article{a,\n title = {One}\n}\n", name="export.txt")
    assert read_export(path).format == "BibTeX"


def test_bibtexparser_messages_are_not_logged(fixture, caplog):
    read_records(fixture("bibtex_scopus.bib"))  # a repeated key: bibtexparser warns of it
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]


def test_a_per_cent_sign_beside_latex_is_no_comment(tmp_path):
    # In LaTeX "%" starts a comment; exports write it unescaped as a per cent sign.
    path = _write(tmp_path, '@article{a,\n abstract = {In 45% of {\\"o}ffentliche services},\n}\n')
    assert read_records(path).iloc[0][col.ABSTRACT] == "In 45% of öffentliche services"


def test_crossref_fields_pubmed_ids_and_unknown_macros(tmp_path):
    path = _write(
        tmp_path,
        "@inproceedings{talk,\n author = {Okafor, C.}, title = {Peer roles},\n"
        " crossref = {CONF2021}, pubmed = {34000001}\n}\n"
        "@article{PMID:34000002, title = {Two}, journal = {\\apjl},\n"
        " abstract = {p {\\textless} 0.05; a---b},\n number = {{S1}}\n}\n"
        "@proceedings{conf2021,\n booktitle = {Peer Support Conference 2021},\n"
        " year = {2021}\n}\n",
    )
    df = read_records(path)
    assert len(df) == 3  # the proceedings are an entry of the file too
    talk, article = df.iloc[0], df.iloc[1]
    assert (talk[col.JOURNAL], talk[col.YEAR]) == ("Peer Support Conference 2021", 2021)
    assert list(df[col.PMID][:2]) == ["34000001", "34000002"]  # a field; Europe PMC's key
    assert article[col.JOURNAL] == "\\apjl"  # a macro pylatexenc does not know, kept
    assert article[col.ABSTRACT] == "p < 0.05; a\u2014b"
    assert article[col.ISSUE] == "S1"


def test_crossref_never_lends_the_parents_identifiers(tmp_path):
    path = _write(
        tmp_path,
        "@inproceedings{talk, title = {Peer roles}, crossref = {conf}}\n"
        "@proceedings{conf, title = {Proceedings}, booktitle = {Proceedings},\n"
        " doi = {10.1000/proc}, year = {2021}}\n",
    )
    talk = read_records(path).iloc[0]
    assert (talk[col.TITLE], talk[col.JOURNAL]) == ("Peer roles", "Proceedings")
    assert talk[col.YEAR] == 2021
    assert talk[col.DOI] is pd.NA
