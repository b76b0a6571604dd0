"""Government information disclosure (Regulations on Open Government Information, 2019).

documents: proactive disclosure (Art. 19-26) and the guide and catalogue (Art. 12).
requests: disclosure requests (Art. 27-45), cases on the shared machinery; their moves in request_moves,
their replies (types, files provided) in replies, their consultations (Art. 32, 34) in consultations.
reports: the annual report (Art. 49-50).
"""

from disclosure.models.consultations import Consultation  # noqa: F401
from disclosure.models.documents import Attachment, Category, Document, Guide, Topic  # noqa: F401
from disclosure.models.replies import ReplyFile, ReplyType  # noqa: F401
from disclosure.models.reports import AnnualReport  # noqa: F401
from disclosure.models.requests import DisclosureRequest  # noqa: F401
