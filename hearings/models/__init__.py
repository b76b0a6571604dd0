"""Decision-making hearings: drafts open for public comment (drafts.py) and hearings (hearings.py)."""

from hearings.models.drafts import *  # noqa: F401,F403
from hearings.models.hearings import *  # noqa: F401,F403
