"""The XML readers' shortcuts: each gives what the plain reading would."""

from __future__ import annotations

import json

from compendium import columns as col
from compendium.readers import read_records

_MATHML = "http://www.w3.org/1998/Math/MathML"


def _write(tmp_path, body: str):
    path = tmp_path / "pubmed.xml"
    text = f'<?xml version="1.0"?>\n<PubmedArticleSet>\n{body}\n</PubmedArticleSet>\n'
    path.write_text(text, encoding="utf-8")
    return path


def _book(pmid: str, title: str) -> str:
    return (
        f"<PubmedBookArticle><BookDocument><PMID>{pmid}</PMID><Book><PubDate><Year>2001"
        f"</Year></PubDate><BookTitle>{title}</BookTitle></Book></BookDocument>"
        "</PubmedBookArticle>"
    )


def _article(pmid: str, title: str) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}"
        "</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    )


def test_pubmed_xml_articles_and_book_articles_in_document_order(tmp_path):
    # Without book articles the articles are found by tag alone; with them, in file order.
    path = _write(tmp_path, _book("1", "Book one") + _article("2", "Two") + _book("3", "Three"))
    df = read_records(path)
    assert list(df[col.PMID]) == ["1", "2", "3"]
    assert list(df[col.TITLE]) == ["Book one", "Two", "Three"]
    assert df[col.YEAR].iloc[0] == 2001


def test_pubmed_xml_field_from_an_element_the_pairs_do_not_read_as_a_value(tmp_path):
    # The title holds an element that is no inline markup: the pairs read that element,
    # not the title's text, while the title column is the whole text.
    title = f'Risk of <mml:math xmlns:mml="{_MATHML}"><mml:mi>x</mml:mi></mml:math> in <i>vitro</i>'
    df = read_records(_write(tmp_path, _article("4", title)))
    assert df[col.TITLE].iloc[0] == "Risk of x in vitro"
    pairs = json.loads(df[col.RAW].iloc[0])
    title_path = "PubmedArticle/MedlineCitation/Article/ArticleTitle"
    assert [title_path + f"/{{{_MATHML}}}math/{{{_MATHML}}}mi", "x"] in pairs
    assert not [p for p in pairs if p[0] == title_path]
