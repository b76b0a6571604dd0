"""Information processing fees (Regulations Art. 42; 国办函〔2020〕109号).

Free by default. A request is charged by one schedule only, never both:

* per item: the same applicant's requests in one calendar month, cumulative:
  items 1-10 free; 11-30 ¥100 each; from 31, every further band of 10 costs
  ¥100 more per item (31-40 ¥200, 41-50 ¥300, ...);
* per page (paper, e-mail or copies): pages 1-30 free; 31-100 ¥10 each;
  101-200 ¥20 each; from 201 ¥40 each. Each band applies to its part only.
"""

from dataclasses import dataclass
from decimal import Decimal

ITEMS = "items"
PAGES = "pages"


def item_price(n: int) -> int:
    """The price of the applicant's n-th item of the month (1-based)."""
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 * (2 + (n - 31) // 10)


def page_price(n: int) -> int:
    """The price of the n-th page of the request (1-based)."""
    if n <= 30:
        return 0
    if n <= 100:
        return 10
    if n <= 200:
        return 20
    return 40


@dataclass(frozen=True)
class Fee:
    schedule: str  # ITEMS or PAGES
    units: int  # items in this request, or pages
    earlier_items: int  # the applicant's items earlier in the month (per-item schedule only)
    amount: Decimal
    lines: tuple  # (first unit, last unit, price per unit, subtotal), for the notice

    @property
    def is_free(self):
        return self.amount == 0


def _bands(first: int, last: int, price) -> tuple:
    """Group consecutive units of the same price: (first, last, price, subtotal)."""
    lines = []
    for n in range(first, last + 1):
        p = price(n)
        if lines and lines[-1][2] == p:
            start, _end, _p, subtotal = lines[-1]
            lines[-1] = (start, n, p, subtotal + p)
        else:
            lines.append((n, n, p, p))
    return tuple(lines)


def by_items(items: int, earlier_items: int = 0) -> Fee:
    """The fee for `items` items when the applicant already asked for `earlier_items` this month."""
    if items < 0 or earlier_items < 0:
        raise ValueError("counts cannot be negative")
    lines = _bands(earlier_items + 1, earlier_items + items, item_price)
    return Fee(ITEMS, items, earlier_items, Decimal(sum(line[3] for line in lines)), lines)


def by_pages(pages: int) -> Fee:
    if pages < 0:
        raise ValueError("counts cannot be negative")
    lines = _bands(1, pages, page_price)
    return Fee(PAGES, pages, 0, Decimal(sum(line[3] for line in lines)), lines)
