"""The demonstration dataset: a deterministic, documented generator of ``data/raw``.

The study's own search exports are licensed database records and cannot be redistributed, and
its screening decisions, data abstraction table and codings are not public. So the compendium
ships files with exactly the study's shape and published counts, made here. Where the paper
states a fact (a count, a database, an exclusion reason, a named component, an expert change)
the generator uses it as the paper states it, reading the counts from
``data/raw/reported_numbers.yaml``; everything else is illustrative and labelled so, item by item.

The generator is seeded: ``compendium demo-data`` writes the same bytes every time. Each part
of the dataset is a function ``generate(context)`` in :data:`PARTS`, with its own random stream
so that changing one part never changes another. What a part knows that the data must not
reveal (which records it planted as duplicates, say) goes to ``tests/demo_truth/``, which only
tests read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from compendium import numbers
from compendium.demo import (
    card,
    dedup,
    extraction,
    protocol,
    screening,
    searches,
    strategy,
    typology,
)
from compendium.io import write_bytes, write_text
from compendium.paths import Project

#: The paper's online publication date, 2023-08-14.
SEED = 20230814


@dataclass
class Context:
    """What a part of the generator needs, and where its files go."""

    reported: dict[str, int | float]
    files: dict[str, str | bytes] = field(default_factory=dict)  # data/raw path -> content
    truth: dict[str, str] = field(default_factory=dict)  # demo_truth-relative path -> text
    #: what one part hands to a later one (e.g. the included publications, for the DAT)
    shared: dict[str, object] = field(default_factory=dict)

    def rng(self, part: str) -> random.Random:
        """A random stream of the part's own, the same on every run and machine."""
        return random.Random(f"{SEED}:{part}")

    def write(self, relative: str, text: str | bytes) -> None:
        """A file of ``data/raw``: text (UTF-8, ``\\n``) or bytes (a workbook)."""
        if relative in self.files:
            msg = f"demonstration data: {relative} written by two parts"
            raise ValueError(msg)
        self.files[relative] = text

    def write_truth(self, relative: str, text: str) -> None:
        self.truth[relative] = text


#: The parts of the dataset, in the order they are made.
PARTS = (
    card.generate,
    protocol.generate,
    strategy.generate,
    searches.generate,
    dedup.generate,
    screening.generate,
    extraction.generate,
    typology.generate,
)


def build(reported_numbers: Path) -> Context:
    """Make every part in memory (nothing is written)."""
    reported = {key: entry.value for key, entry in numbers.load_reported(reported_numbers).items()}
    context = Context(reported=reported)
    for part in PARTS:
        part(context)
    return context


def generate(project: Project) -> list[Path]:
    """Write the demonstration dataset into ``project``'s ``data/raw`` and its truth files."""
    context = build(project.reported_numbers)
    written = [
        (write_bytes if isinstance(content, bytes) else write_text)(project.raw / name, content)
        for name, content in sorted(context.files.items())
    ]
    written += [
        write_text(project.demo_truth / name, text) for name, text in sorted(context.truth.items())
    ]
    return written
