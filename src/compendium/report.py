"""The HTML report: one page per executed notebook and an index linking every step, figure
and table, under ``outputs/report/``. Open ``outputs/report/index.html`` in a browser; no
Jupyter needed to read the analysis.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from compendium import dataset, notebooks
from compendium.errors import OutputError
from compendium.io import write_text
from compendium.paths import Project
from compendium.steps import STEPS, Step

if TYPE_CHECKING:
    from nbformat import NotebookNode

_LINK = re.compile(r"""(?:href|src)="([^"#]+)(?:#[^"]*)?\"""")


def write_notebook_page(project: Project, step: Step, executed: NotebookNode) -> Path:
    """``outputs/report/<step>.html`` from the normalised executed notebook."""
    # nbconvert is imported here: it is slow to import and only needed when a step ran.
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(executed, resources={"metadata": {"name": step.name}})
    return write_text(project.report / f"{step.name}.html", body)


def _first_heading(notebook: Path) -> str:
    for cell in notebooks.cells(notebook):
        if cell["cell_type"] == "markdown":
            for line in cell["source"].splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem


def _files(folder: Path) -> dict[str, list[str]]:
    """Files grouped by stem: ``{"prisma_flow": ["pdf", "png", "svg"]}``."""
    grouped: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.*")) if folder.exists() else []:
        grouped.setdefault(path.stem, []).append(path.suffix.lstrip("."))
    return grouped


def _links(prefix: str, stem: str, formats: list[str]) -> str:
    return " · ".join(f'<a href="{prefix}/{html.escape(stem)}.{fmt}">{fmt}</a>' for fmt in formats)


def index_html(project: Project) -> str:
    card = dataset.load(project.dataset_card)
    note = f'<p class="note"><strong>{html.escape(card.note)}</strong></p>' if card.note else ""
    steps = []
    for step in STEPS:
        title = html.escape(_first_heading(project.root / step.notebook))
        if (project.report / f"{step.name}.html").exists():
            steps.append(
                f'<tr><td><a href="{step.name}.html">{step.name}</a></td><td>{title}</td>'
                f"<td>{html.escape(step.method)}</td>"
                f'<td><a href="../notebooks/{step.name}.ipynb">ipynb</a></td></tr>'
            )
        else:
            steps.append(
                f"<tr><td>{step.name}</td><td>{title}</td><td>{html.escape(step.method)}</td>"
                "<td>not run yet</td></tr>"
            )
    figures = [
        f"<li>{html.escape(stem)}: {_links('../figures', stem, formats)}</li>"
        for stem, formats in _files(project.figures).items()
    ]
    tables = [
        f"<li>{html.escape(stem)}: {_links('../tables', stem, formats)}</li>"
        for stem, formats in _files(project.tables).items()
    ]
    results = [
        f'<li><a href="../{path.name}">{path.name}</a></li>'
        for path in sorted(project.outputs.glob("*.*"))
    ]
    none = "<li>none yet</li>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(card.title)}: report</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left; }}
.note {{ color: #9b1c1c; border: 1px solid #9b1c1c; padding: .5rem; }}
</style>
</head>
<body>
<h1>Typology of Mental Health Peer Support Work Components: the analysis</h1>
<p>Dataset: {html.escape(card.title)}
({html.escape(card.kind)} data, {html.escape(card.licence)}).</p>
{note}
<h2>Steps</h2>
<table>
<tr><th>notebook</th><th>what it does</th><th>method step (Arksey and O'Malley)</th>
<th>executed notebook</th></tr>
{chr(10).join(steps)}
</table>
<h2>Numbers</h2>
<ul>
{chr(10).join(results) or none}
</ul>
<h2>Figures</h2>
<ul>
{chr(10).join(figures) or none}
</ul>
<h2>Tables</h2>
<ul>
{chr(10).join(tables) or none}
</ul>
</body>
</html>
"""


def broken_links(page: Path) -> list[str]:
    """Relative links in ``page`` whose target does not exist."""
    text = page.read_text(encoding="utf-8")
    targets = [link for link in _LINK.findall(text) if "://" not in link]
    return [link for link in targets if not (page.parent / link).exists()]


def write_index(project: Project) -> Path:
    """Write ``outputs/report/index.html`` and check that every link on it resolves."""
    page = write_text(project.report / "index.html", index_html(project))
    broken = broken_links(page)
    if broken:
        msg = f"{project.relative(page)}: links to missing files: {', '.join(broken)}"
        raise OutputError(msg)
    return page
