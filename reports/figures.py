"""Numbers checked before they are printed.

Every sentence of counts in a report is written from the same `CountsRow` as the table beside
it, and before a report is rendered each count's parts are held to its whole: the four-way
status (completed on time + late, not completed within the deadline + overdue, ongoing) and the
reporting compliance of the period (sent on time + late, not yet due + overdue). A count that
does not add up fails the build with a message naming it, rather than printing a wrong figure.
"""

from dataclasses import dataclass


class FiguresDoNotAddUp(ValueError):
    """A report's counts do not sum to their whole: the report is not built."""


@dataclass(frozen=True)
class SumCheck:
    """`whole`, counted on its own (the rows behind it), must equal the sum of `parts`."""

    label: str
    whole: int
    parts: tuple[tuple[str, int], ...]

    @property
    def holds(self) -> bool:
        return self.whole == sum(n for _, n in self.parts)

    def message(self) -> str:
        written = " + ".join(f"{name} {n}" for name, n in self.parts)
        return (
            f"{self.label}: {written} = {sum(n for _, n in self.parts)}, "
            f"không bằng tổng số {self.whole}"
        )


def sums_check(checks: list[SumCheck]) -> None:
    """Raise FiguresDoNotAddUp naming every count that does not add up."""
    wrong = [check for check in checks if not check.holds]
    if wrong:
        # The first few in full, so the message stays readable where it is kept (500 chars).
        shown = "; ".join(
            f"{c.label}: tổng các phần {sum(n for _, n in c.parts)}, tổng số {c.whole}"
            for c in wrong[:3]
        )
        more = f" (và {len(wrong) - 3} chỗ khác)" if len(wrong) > 3 else ""
        raise FiguresDoNotAddUp(f"Số liệu không khớp: {shown}{more}")
