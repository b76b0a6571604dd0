"""Demo data for this part (filled by the part; see /tmp/common.md)."""


def seed(stdout=None) -> int:
    return 0
