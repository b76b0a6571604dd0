"""Government information disclosure (Regulations on Open Government Information, 2019).

documents: proactive disclosure (Art. 19-26) and the guide and catalogue (Art. 12).
requests: disclosure requests (Art. 27-45), cases on the shared machinery.
reports: the annual report (Art. 49-50).
"""

from disclosure.models.documents import Attachment, Category, Document, Guide, Topic  # noqa: F401
from disclosure.models.reports import AnnualReport  # noqa: F401
from disclosure.models.requests import (  # noqa: F401
    Consultation,
    DisclosureRequest,
    ReplyFile,
    ReplyType,
)
