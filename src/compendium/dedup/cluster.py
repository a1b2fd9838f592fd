"""Clustering with hard constraints: union-find that refuses a join a conflict forbids.

Pairwise checks are not enough: A may match B by title and B match C, while A and C carry
different DOIs. Each cluster therefore keeps the values that constrain it (its DOI,
volume, pages, years and kind of item), and two clusters join automatically only when
those agree. People may join clusters that conflict on DOI, volume, pages or year (they
see both records; a page misprinted in one database is a conflict only to a rule), but
never an erratum, comment or reply with an article (:data:`ABSOLUTE`).
"""

from __future__ import annotations

from compendium.dedup.match import MAX_YEAR_GAP
from compendium.dedup.normalise import pages_agree, volumes_conflict

CONSTRAINED = ("doi", "pmid", "marker")
# Conflicts no decision overrides: an erratum, comment or reply is another publication.
ABSOLUTE = frozenset({"marker"})


class Clusters:
    """Records as clusters; ``join`` merges two clusters unless their values conflict."""

    def __init__(self, rows: list[dict]) -> None:
        self.parent = list(range(len(rows)))
        self.values = [
            {
                **{f: r[f] for f in CONSTRAINED},
                "pages": {r["pages"]} if any(r["pages"]) else set(),
                "volumes": {(r["volume"], r["issues"])} if r["volume"] else set(),
                "low": r["year"],
                "high": r["year"],
            }
            for r in rows
        ]
        self.reason: list[str] = [""] * len(rows)  # why each record first joined a cluster

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def conflict(self, i: int, j: int) -> str:
        """The conflict that forbids putting ``i`` and ``j`` in one cluster, ``""`` if none."""
        a, b = self.values[self.find(i)], self.values[self.find(j)]
        if a["marker"] != b["marker"]:
            return "marker"
        # Two PMIDs do not make two publications: a database can index one article twice,
        # and that is a duplicate this stage must find. Two DOIs do.
        if a["doi"] and b["doi"] and a["doi"] != b["doi"]:
            return "doi"
        if any(volumes_conflict(v, w) for v in a["volumes"] for w in b["volumes"]):
            return "volume"
        if any(pages_agree(p, q) == "different" for p in a["pages"] for q in b["pages"]):
            return "pages"
        years = [y for y in (a["low"], a["high"], b["low"], b["high"]) if y >= 0]
        if years and max(years) - min(years) > MAX_YEAR_GAP:
            return "year"
        return ""

    def join(self, i: int, j: int, reason: str, *, decided: bool = False) -> bool:
        """Merge the clusters of ``i`` and ``j``; False (and nothing changed) on a conflict.

        ``decided``: people said the two are one publication, which overrides every
        conflict but an :data:`ABSOLUTE` one.
        """
        root_i, root_j = self.find(i), self.find(j)
        if root_i == root_j:
            return True
        found = self.conflict(i, j)
        if found and (not decided or found in ABSOLUTE):
            return False
        a, b = self.values[root_i], self.values[root_j]
        merged = {f: a[f] or b[f] for f in CONSTRAINED}
        merged["pages"] = a["pages"] | b["pages"]
        merged["volumes"] = a["volumes"] | b["volumes"]
        years = [y for y in (a["low"], a["high"], b["low"], b["high"]) if y >= 0]
        merged["low"], merged["high"] = (min(years), max(years)) if years else (-1, -1)
        root, other = min(root_i, root_j), max(root_i, root_j)
        self.parent[other] = root
        self.values[root] = merged
        for k in (i, j):
            if not self.reason[k]:
                self.reason[k] = reason
        return True

    def labels(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]
