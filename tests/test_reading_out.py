"""A question read out by its asker is recognised however Whisper splits or mishears a few of its words, and an
answer that takes up the question's words is not taken for a reading."""

import pytest

from inquiry.sessions.recordings import reads_question

QUESTION = "What did the lockdown mean for older people in your area?"


@pytest.mark.parametrize(
    ("said", "reads"),
    [
        ("What did the lockdown mean for older people in your area?", True),
        ("What did the lock down mean for all the people in your area?", True),  # heard with one thread
        ("what did lockdown mean for older people in your area", True),
        ("Thank you.", False),
        ("The day centres closed, and many older people were left completely alone.", False),
        ("Lockdown meant older people in our area were cut off from everyone.", False),
    ],
)
def test_a_reading_of_the_question_is_recognised(said, reads):
    assert reads_question(said, QUESTION) is reads
