"""Reproducible research compendium for Kotera et al. (2023)."""
