"""What the data in ``data/raw`` is: ``DATASET.yaml``.

The card says whether the files are the study's own (``kind: study``) or the demonstration
dataset the project generates (``kind: demonstration``), where they came from and under which
licence. Outputs made from demonstration data say so on their face (see :mod:`compendium.render`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compendium.errors import InputError
from compendium.io import load_yaml

KINDS = ("demonstration", "study")
REQUIRED = ("kind", "title", "provenance", "licence")

#: The note every figure and table made from demonstration data carries.
DEMONSTRATION_NOTE = (
    "Demonstration data: generated to the study's published counts; "
    "records and texts are illustrative (data/raw/DATASET.yaml)"
)


@dataclass(frozen=True)
class Dataset:
    kind: str
    title: str
    provenance: str
    licence: str

    @property
    def is_demonstration(self) -> bool:
        return self.kind == "demonstration"

    def illustrative(self, *texts: str) -> tuple[str, ...]:
        """``texts`` (footnotes saying what is illustrative) for demonstration data, else none."""
        return texts if self.is_demonstration else ()

    @property
    def note(self) -> str | None:
        """The visible note for outputs, or ``None`` for the study's own data."""
        return DEMONSTRATION_NOTE if self.is_demonstration else None


def load(path: str | Path) -> Dataset:
    """Read and check a dataset card."""
    path = Path(path)
    if not path.exists():
        msg = f"{path}: missing; expected a dataset card with {', '.join(REQUIRED)}"
        raise InputError(msg)
    card = load_yaml(path)
    if not isinstance(card, dict):
        msg = f"{path}: expected a mapping with {', '.join(REQUIRED)}, found {type(card).__name__}"
        raise InputError(msg)
    missing = [key for key in REQUIRED if not card.get(key)]
    if missing:
        msg = f"{path}: missing {', '.join(missing)}; expected all of {', '.join(REQUIRED)}"
        raise InputError(msg)
    if card["kind"] not in KINDS:
        msg = f"{path}: kind {card['kind']!r}: expected one of {', '.join(KINDS)}"
        raise InputError(msg)
    return Dataset(**{key: str(card[key]).strip() for key in REQUIRED})
