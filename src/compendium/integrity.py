"""Raw data integrity: ``data/raw/SHA256SUMS``.

The raw files are the evidence; the pipeline never writes to them and refuses to run on files
that differ from their recorded checksums. A deliberate change (an author replacing the
demonstration data with the study's files) is recorded with ``compendium checksums --update``.
The registry is a plain ``name sha256`` list, one line a file, sorted by name, as pooch keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compendium.errors import InputError, RawDataChanged
from compendium.io import read_input_text, sha256, write_text

REGISTRY_NAME = "SHA256SUMS"


@dataclass(frozen=True)
class Change:
    name: str
    what: str  # "changed" | "missing" | "not recorded"

    def __str__(self) -> str:
        return f"{self.name}: {self.what}"


def raw_files(raw: Path) -> list[str]:
    """Every file under ``raw`` except the registry itself, as sorted posix paths."""
    return sorted(
        path.relative_to(raw).as_posix()
        for path in raw.rglob("*")
        if path.is_file() and path.name != REGISTRY_NAME and "__pycache__" not in path.parts
    )


def compute(raw: Path) -> dict[str, str]:
    return {name: sha256(raw / name) for name in raw_files(raw)}


def read_registry(path: Path) -> dict[str, str]:
    if not path.exists():
        msg = f"{path}: missing; run `compendium checksums --update` to record data/raw"
        raise InputError(msg)
    registry: dict[str, str] = {}
    for number, line in enumerate(read_input_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rsplit(maxsplit=1)
        if len(parts) != 2 or len(parts[1]) != 64:
            msg = f"{path}: line {number}: {line!r}: expected 'name sha256'"
            raise InputError(msg)
        registry[parts[0]] = parts[1].lower()
    return registry


def differences(raw: Path) -> list[Change]:
    """How ``raw`` differs from its registry (empty when it matches)."""
    recorded = read_registry(raw / REGISTRY_NAME)
    present = compute(raw)
    changes = [Change(name, "missing") for name in recorded if name not in present]
    changes += [Change(name, "not recorded") for name in present if name not in recorded]
    changes += [
        Change(name, "changed")
        for name, digest in present.items()
        if name in recorded and recorded[name] != digest
    ]
    return sorted(changes, key=lambda change: change.name)


def verify(raw: Path) -> None:
    """Raise :class:`RawDataChanged` naming every file that differs from the registry."""
    changes = differences(raw)
    if changes:
        listed = "\n".join(f"  data/raw/{change}" for change in changes)
        msg = (
            f"data/raw differs from {REGISTRY_NAME}:\n{listed}\n"
            "If the change is deliberate, record it with `compendium checksums --update`."
        )
        raise RawDataChanged(msg)


def update(raw: Path) -> list[Change]:
    """Record the current raw files; return what changed since the last record."""
    registry = raw / REGISTRY_NAME
    changes = differences(raw) if registry.exists() else []
    lines = [f"{name} {digest}\n" for name, digest in compute(raw).items()]
    write_text(registry, "".join(lines))
    return changes
