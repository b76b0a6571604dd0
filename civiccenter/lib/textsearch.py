"""Full-text search of Chinese and English text in plain PostgreSQL (no extension).

PostgreSQL's parsers do not segment Chinese: a run of Han characters becomes one
token, so words inside it are never found. Here a run of Han characters is
indexed as its overlapping two-character pairs (一网通办 → 一网 网通 通办), and
Latin text and digits as lower-cased words, stored with the `simple`
configuration in a weighted `tsvector` column with a GIN index. A query is
tokenised the same way and its tokens are joined by AND; callers recheck the
candidates with `icontains` where pairs alone could match out of order. This is
the idea of Lucene's CJK analyzer; measured in platform-notes.md (top 20 of 100k
documents in 12-26 ms, index about 100 MB).
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"([{HAN}]+)|([0-9A-Za-z]+)")


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII (ＰＭ２.５ → PM2.5), so both forms find each other."""
    return unicodedata.normalize("NFKC", text or "")


def tokens(text: str) -> list[str]:
    """Han runs as overlapping pairs (a lone character as itself), Latin words and numbers lower-cased."""
    out = []
    for han, latin in TOKEN_RE.findall(normalize(text)):
        if han:
            out.extend([han] if len(han) == 1 else [han[i : i + 2] for i in range(len(han) - 1)])
        else:
            out.append(latin.lower())
    return out


def search_vector(*weighted: tuple[str, str]):
    """A tsvector expression for (text, weight) pairs, for saving into a SearchVectorField.

    Usable on insert and in bulk_create: it is computed from values, not columns.
    """
    parts = [SearchVector(Value(" ".join(tokens(text))), weight=weight, config="simple") for text, weight in weighted]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def search_query(text: str) -> SearchQuery | None:
    """Every token of the query must occur (AND); None when the text has nothing searchable.

    A lone Han character is matched as a prefix of the pairs (税 finds 税务 but not 个税; callers who
    need it may recheck with icontains). Tokens are only Han characters, letters and digits, so they
    need no quoting in the raw tsquery.
    """
    parts = []
    for token in dict.fromkeys(tokens(text)):
        parts.append(f"{token}:*" if len(token) == 1 and re.match(f"[{HAN}]", token) else token)
    if not parts:
        return None
    return SearchQuery(" & ".join(parts), search_type="raw", config="simple")


def words(text: str) -> list[str]:
    """The query's words as typed (split on spaces), for the exact `icontains` recheck."""
    return [word for word in normalize(text).split() if word][:10]
