"""Online consultation: questions and answers, the knowledge base, policy interpretations, lectures, interviews.

questions: topics, questions (cases on the shared machinery), answers, "was this helpful" votes, the knowledge base.
content: policy interpretations with their images; online interviews with guests, questions, transcript and photos.
lectures: policy lectures with registrations and a waiting list.
"""

from consultation.models.content import (  # noqa: F401
    Guest,
    Interpretation,
    InterpretationImage,
    Interview,
    InterviewPhoto,
    InterviewQuestion,
    Turn,
)
from consultation.models.lectures import Lecture, Registration, sweep_lecture_reminders  # noqa: F401
from consultation.models.questions import (  # noqa: F401
    Answer,
    HelpfulVote,
    KnowledgeEntry,
    Question,
    Topic,
)
