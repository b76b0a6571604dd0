"""Online consultation, public side: questions (questions.py); interpretations, lectures, interviews (content.py)."""
