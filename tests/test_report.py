"""The HTML report as a reader opens it: the result first, every figure, and nothing fetched
from the internet; checked in headless Chromium where the machine has it."""

from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

from compendium import report
from compendium.steps import STEPS

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_index_opens_with_the_verdict_the_kind_of_data_the_diagram_and_key_numbers(full_run):
    text = (full_run.project.report / "index.html").read_text()
    verdict = text.index('class="verdict pass"')
    assert "Reproduction check: 32 of 32 reported numbers match the data" in text
    assert "<strong>demonstration data</strong>" in text
    assert text.index('src="../figures/prisma_flow.png"') > verdict
    assert text.index("<h2>Key numbers</h2>") < text.index("<h2>The steps</h2>")
    for label in ("records identified in the databases", "publications included"):
        assert re.search(rf"<td>{label}</td><td class='n'>\d+</td>", text), label


def test_the_index_shows_every_figure_as_a_thumbnail_under_the_step_that_made_it(full_run):
    text = (full_run.project.report / "index.html").read_text()
    sections = text.split('<section class="step">')[1:]
    assert len(sections) == len(STEPS)
    for figure in sorted(full_run.project.figures.glob("*.png")):
        makers = [s for s in sections if f'<img src="../figures/{figure.name}"' in s]
        assert len(makers) == 1, figure.name
        for fmt in ("pdf", "png", "svg"):
            assert f'href="../figures/{figure.stem}.{fmt}"' in makers[0]


def test_no_page_of_the_report_fetches_anything_from_the_internet(full_run):
    pages = sorted(full_run.project.report.glob("*.html"))
    assert len(pages) == len(STEPS) + 1
    for page in pages:
        assert report.external_resources(page) == [], page.name
        assert report.broken_links(page) == [], page.name


def test_a_page_loading_a_script_from_the_internet_is_caught(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<script src="https://cdnjs.cloudflare.com/require.min.js"></script>'
        '<link rel="stylesheet" href="//example.org/a.css"><a href="https://doi.org/x">ok</a>'
    )
    assert report.external_resources(page) == [
        "https://cdnjs.cloudflare.com/require.min.js",
        "//example.org/a.css",
    ]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


def test_every_page_loads_offline_with_its_images_and_links_in_chromium(
    full_run, browser, tmp_path
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fetched = []

    def offline(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:  # no network: what a page asks of the internet is refused, and noted
            fetched.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    for html in sorted(full_run.project.report.glob("*.html")):
        page.goto(html.as_uri(), wait_until="load")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])"
        )
        assert all(ok for _, ok in images), (html.name, images)
        links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        for link in links:
            if link.startswith("file://"):
                target = Path(urllib.parse.unquote(urllib.parse.urlparse(link).path))
                assert target.exists(), (html.name, link)
        if html.name == "index.html":
            assert len(images) >= 5  # the PRISMA diagram and a thumbnail of each figure
            page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
        if html.name.startswith(("01_", "04_", "06_")):
            assert images, f"{html.name} shows no figure"
    assert fetched == [] and failed == []
