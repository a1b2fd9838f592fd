"""``search_strategy.yaml``: the search's key elements, as the paper states them.

The study's full strategy is its Electronic Supplementary Material 1, which is not public. The
four concepts are the paper's ("RCTs, peer support work, mental health, one to one"); the
example terms under each are illustrative.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compendium.demo import Context

STRATEGY = """\
# The search's key elements. The study's full strategy (Electronic Supplementary Material 1)
# is not public: the concepts are the paper's, the example terms under them are illustrative.
databases: [Ovid MEDLINE, Ovid APA PsycInfo]
searched: August 2022
demonstration: example terms illustrative; concepts, databases and date from the paper
concepts:
  - concept: RCTs
    terms: [randomized controlled trial.pt., random*.ti,ab., trial.ti,ab.]
  - concept: peer support work
    terms: [peer support*.ti,ab., peer worker*.ti,ab., peer specialist*.ti,ab., peer mentor*.ti,ab.]
  - concept: mental health
    terms: [exp Mental Disorders/, mental health.ti,ab., mental illness*.ti,ab., psychiatr*.ti,ab.]
  - concept: one to one
    terms: [one-to-one.ti,ab., individual*.ti,ab., dyad*.ti,ab.]
"""


def generate(context: Context) -> None:
    context.write("search_strategy.yaml", STRATEGY)
