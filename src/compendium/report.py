"""The HTML report: one page per executed notebook and an index, under ``outputs/report/``.

Open ``outputs/report/index.html`` in a browser; no Jupyter and no network needed. The index
opens with the result (the reproduction check's verdict, the kind of data, the PRISMA flow
diagram and the key numbers), then every step with its figures as thumbnails, and every
table. The notebook pages are nbconvert's JupyterLab template without the scripts it would
load from the internet (require.js, MathJax, Mermaid, widgets): the notebooks use none of
them, and a report must open the same offline.
"""

from __future__ import annotations

import fnmatch
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from compendium import columns as col
from compendium import dataset, notebooks, numbers
from compendium.errors import CompendiumError, OutputError
from compendium.io import write_text
from compendium.paths import Project
from compendium.steps import STEPS, Step

if TYPE_CHECKING:
    from nbformat import NotebookNode

_LINK = re.compile(r"""(?:href|src)="([^"#]+)(?:#[^"]*)?\"""")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

#: nbconvert's lab template, less every script it fetches from the internet, and with a
#: link back to the report's index above each notebook.
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block body_header -%}
{{ super() }}
<nav style="padding: .5rem 1rem; font-family: sans-serif">
<a href="index.html">&larr; the report's index</a></nav>
{%- endblock body_header -%}
"""

#: The numbers the index shows first, with their labels (others are in the check below them).
KEY_NUMBERS = {
    "records_identified_databases": "records identified in the databases",
    "duplicates_removed": "duplicates removed",
    "records_screened_title_abstract": "records screened on title and abstract",
    "full_texts_assessed": "full texts assessed",
    "publications_included": "publications included",
    "candidate_components": "candidate components",
    "typology_final_themes": "themes in the final typology",
    "typology_final_components": "components in the final typology",
    "typology_final_subcomponents": "sub-components in the final typology",
}

PRISMA_FIGURE = "prisma_flow"


def write_notebook_page(project: Project, step: Step, executed: NotebookNode) -> Path:
    """``outputs/report/<step>.html`` from the normalised executed notebook."""
    # nbconvert is imported here: it is slow to import and only needed when a step ran.
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file="offline.html.j2",
        extra_loaders=[DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})],
    )
    body, _ = exporter.from_notebook_node(executed, resources={"metadata": {"name": step.name}})
    return write_text(project.report / f"{step.name}.html", body)


def _first_heading(notebook: Path) -> str:
    for cell in notebooks.cells(notebook):
        if cell["cell_type"] == "markdown":
            for line in cell["source"].splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem


def _grouped(folder: Path, names: list[str]) -> dict[str, list[str]]:
    """Files grouped by stem, formats sorted: ``{"prisma_flow": ["pdf", "png", "svg"]}``."""
    grouped: dict[str, list[str]] = {}
    for name in sorted(names):
        path = folder / name
        grouped.setdefault(path.stem, []).append(path.suffix.lstrip("."))
    return grouped


def _made_by(project: Project, step: Step, folder: Path) -> list[str]:
    """The names of the files in ``folder`` that ``step`` declares as outputs."""
    if not folder.is_dir():
        return []
    relative = project.relative(folder)
    patterns = [p for p in step.outputs if p.startswith(relative + "/")]
    return [
        path.name
        for path in sorted(folder.iterdir())
        if path.is_file() and any(fnmatch.fnmatch(f"{relative}/{path.name}", p) for p in patterns)
    ]


def _links(prefix: str, stem: str, formats: list[str]) -> str:
    return " · ".join(f'<a href="{prefix}/{html.escape(stem)}.{fmt}">{fmt}</a>' for fmt in formats)


def _thumbnail(stem: str, formats: list[str]) -> str:
    image = (
        f'<a href="../figures/{html.escape(stem)}.png">'
        f'<img src="../figures/{html.escape(stem)}.png" alt="{html.escape(stem)}"></a>'
        if "png" in formats
        else ""
    )
    return (
        f'<figure class="thumb">{image}<figcaption>{html.escape(stem)}: '
        f"{_links('../figures', stem, formats)}</figcaption></figure>"
    )


def _check(project: Project) -> tuple[str, str, list[tuple[str, object, object, str]]]:
    """The verdict (css class, sentence) and every reported number's row."""
    try:
        computed = numbers.load_computed(project.step_numbers)
        reported = numbers.load_reported(project.reported_numbers)
    except CompendiumError as error:
        return "fail", f"The reproduction check could not be made: {error}", []
    if not computed:
        return "pending", "The reproduction check has not run yet: no step has run.", []
    check = numbers.check(reported, computed)
    summary = numbers.verdict(check, allow_mismatch=True)
    verdict = "pass" if not len(numbers.failures(check)) else "fail"
    rows = [
        (row[col.KEY], row[col.REPORTED], row[col.COMPUTED], row[col.STATUS])
        for _, row in check.iterrows()
    ]
    return verdict, f"Reproduction check: {summary}.", rows


def _value(value: object) -> str:
    import pandas as pd

    return "" if pd.isna(value) else html.escape(str(value))


def index_html(project: Project) -> str:
    card = dataset.load(project.dataset_card)
    note = f'<p class="note"><strong>{html.escape(card.note)}</strong></p>' if card.note else ""
    verdict, sentence, rows = _check(project)
    by_key = {key: (reported, computed, status) for key, reported, computed, status in rows}
    key_numbers = [
        f"<tr><td>{html.escape(label)}</td><td class='n'>{_value(by_key[key][1])}</td>"
        f"<td class='n'>{_value(by_key[key][0])}</td><td>{html.escape(by_key[key][2])}</td></tr>"
        for key, label in KEY_NUMBERS.items()
        if key in by_key
    ]
    every_number = [
        f"<tr><td>{html.escape(key)}</td><td class='n'>{_value(computed)}</td>"
        f"<td class='n'>{_value(reported)}</td><td>{html.escape(status)}</td></tr>"
        for key, reported, computed, status in rows
    ]
    prisma = ""
    if (project.figures / f"{PRISMA_FIGURE}.png").exists():
        formats = _grouped(project.figures, [p.name for p in project.figures.glob("prisma_flow.*")])
        prisma = (
            f'<figure class="main"><a href="../figures/{PRISMA_FIGURE}.png">'
            f'<img src="../figures/{PRISMA_FIGURE}.png" alt="PRISMA 2020 flow diagram"></a>'
            f"<figcaption>PRISMA 2020 flow diagram: "
            f"{_links('../figures', PRISMA_FIGURE, formats[PRISMA_FIGURE])}</figcaption></figure>"
        )
    steps = []
    for step in STEPS:
        title = html.escape(_first_heading(project.root / step.notebook))
        ran = (project.report / f"{step.name}.html").exists()
        page = f'<a href="{step.name}.html">{title}</a>' if ran else f"{title} (not run yet)"
        notebook = (
            f' · <a href="../notebooks/{step.name}.ipynb">executed notebook (ipynb)</a>'
            if (project.executed_notebooks / f"{step.name}.ipynb").exists()
            else ""
        )
        figures = _grouped(project.figures, _made_by(project, step, project.figures))
        tables = _grouped(project.tables, _made_by(project, step, project.tables))
        parts = [
            f'<section class="step"><h3>{page}</h3>',
            f"<p>{html.escape(step.method)}{notebook}</p>",
        ]
        if figures:
            parts.append(
                '<div class="thumbs">'
                + "".join(_thumbnail(stem, fmts) for stem, fmts in figures.items())
                + "</div>"
            )
        if tables:
            parts.append(
                "<p>Tables: "
                + "; ".join(
                    f"{html.escape(stem)} ({_links('../tables', stem, fmts)})"
                    for stem, fmts in tables.items()
                )
                + "</p>"
            )
        parts.append("</section>")
        steps.append("\n".join(parts))
    results = [
        f'<li><a href="../{path.name}">{path.name}</a></li>'
        for path in sorted(project.outputs.glob("*.*"))
    ]
    none = "<li>none yet</li>"
    key_table = (
        "<table><tr><th>number</th><th>computed</th><th>the manuscript</th><th>check</th></tr>\n"
        + "\n".join(key_numbers)
        + "</table>"
        if key_numbers
        else ""
    )
    every_table = (
        "<details><summary>Every number the manuscript reports</summary>\n"
        "<table><tr><th>key</th><th>computed</th><th>the manuscript</th><th>status</th></tr>\n"
        + "\n".join(every_number)
        + "</table></details>"
        if every_number
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(card.title)}: report</title>
<style>
body {{ font-family: sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem;
  line-height: 1.4; }}
table {{ border-collapse: collapse; margin: .5rem 0; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.note {{ color: #9b1c1c; border: 1px solid #9b1c1c; padding: .5rem; }}
.verdict {{ font-size: 1.15rem; padding: .6rem .8rem; border-left: .4rem solid; }}
.verdict.pass {{ border-color: #1a7f37; background: #e9f7ee; }}
.verdict.fail {{ border-color: #9b1c1c; background: #fbeaea; }}
.verdict.pending {{ border-color: #888; background: #f2f2f2; }}
.result {{ display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }}
figure {{ margin: 0; }}
figure.main img {{ max-width: 30rem; width: 100%; border: 1px solid #ddd; }}
.thumbs {{ display: flex; flex-wrap: wrap; gap: 1rem; }}
figure.thumb img {{ height: 9rem; border: 1px solid #ddd; }}
figcaption {{ font-size: .85rem; }}
section.step {{ border-top: 1px solid #ddd; padding: .3rem 0 .6rem; }}
section.step h3 {{ margin: .4rem 0 .2rem; }}
</style>
</head>
<body>
<h1>Typology of Mental Health Peer Support Work Components: the analysis</h1>
<p class="verdict {verdict}">{html.escape(sentence)}</p>
<p>Dataset: {html.escape(card.title)}
(<strong>{html.escape(card.kind)} data</strong>, {html.escape(card.licence)}).</p>
{note}
<div class="result">
{prisma}
<div>
<h2>Key numbers</h2>
{key_table}
{every_table}
</div>
</div>
<h2>The steps</h2>
{chr(10).join(steps)}
<h2>Numbers and manifest</h2>
<ul>
{chr(10).join(results) or none}
</ul>
</body>
</html>
"""


def broken_links(page: Path) -> list[str]:
    """Relative links in ``page`` whose target does not exist."""
    text = page.read_text(encoding="utf-8")
    # a link with a scheme (https:, mailto:, an image inlined as data:) is no file to look for
    targets = [link for link in _LINK.findall(text) if not _SCHEME.match(link)]
    return [link for link in targets if not (page.parent / link).exists()]


def external_resources(page: Path) -> list[str]:
    """What ``page`` would fetch from the internet: scripts, styles, images (not links)."""
    text = page.read_text(encoding="utf-8")
    fetched = re.findall(r"""<(?:script|img|iframe)\b[^>]*\bsrc=["']([^"']+)""", text, re.I)
    fetched += re.findall(r"""<link\b[^>]*\bhref=["']([^"']+)""", text, re.I)
    fetched += re.findall(r"""@import\s+(?:url\()?["']?([^"')\s;]+)""", text, re.I)
    return [url for url in fetched if re.match(r"(?:https?:)?//", url)]


def write_index(project: Project) -> Path:
    """Write ``outputs/report/index.html`` and check that every link on it resolves."""
    page = write_text(project.report / "index.html", index_html(project))
    broken = broken_links(page)
    if broken:
        msg = f"{project.relative(page)}: links to missing files: {', '.join(broken)}"
        raise OutputError(msg)
    return page
