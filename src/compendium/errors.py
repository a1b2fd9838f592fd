"""The project's exceptions.

Each carries what went wrong and where (file, line or row, value, what was expected), so
that a person can fix the input without reading the code. The library raises; it never prints.
"""

from __future__ import annotations


class CompendiumError(Exception):
    """Base class for every error the compendium raises on purpose."""


class InputError(CompendiumError, ValueError):
    """An input file does not hold what the pipeline expects."""


class RawDataChanged(CompendiumError):
    """A file under data/raw differs from data/raw/SHA256SUMS."""


class ParameterError(CompendiumError, ValueError):
    """A parameter given to a step is not one its notebook declares, or has the wrong type."""


class StepFailed(CompendiumError):
    """A notebook raised while the pipeline ran it."""


class OutputError(CompendiumError):
    """A step wrote a file it did not declare, or did not write one it declared."""


class StaleInputs(ParameterError):
    """A step asked to run alone reads outputs of an earlier step that is out of date."""


class RunInProgress(CompendiumError):
    """Another run holds this project's lock."""
