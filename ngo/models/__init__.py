"""NGO services and development, mutual assistance and the citizen showcase: one module per part."""

from ngo.models.board import *  # noqa: F401,F403
from ngo.models.development import *  # noqa: F401,F403
from ngo.models.organizations import Membership, Organization  # noqa: F401
from ngo.models.showcase import *  # noqa: F401,F403
from ngo.models.venues import *  # noqa: F401,F403
