"""Social opinion collection: one module per part, re-exported here."""

from opinions.models.board import BoardEntry  # noqa: F401
from opinions.models.cases import Category, Kind, Opinion, OpinionFile  # noqa: F401
from opinions.models.petitions import *  # noqa: F401,F403
from opinions.models.surveys import *  # noqa: F401,F403
