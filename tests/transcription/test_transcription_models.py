"""Transcript and Segment: JSON-safe round trips, emptiness."""

from __future__ import annotations

import json
import pickle

from transcription import Segment, Transcript


def _transcript(**changes) -> Transcript:
    fields = {
        "language": "es",
        "text": "el gobierno debería apoyar",
        "segments": [Segment(0.0, 2.5, "el gobierno"), Segment(2.5, 4.0, "debería apoyar", speaker="Sam Okafor")],
        "engine": "faster-whisper",
        "model": "base",
        "duration": 4.25,
        "translation": "the government should support",
        "translation_segments": [Segment(0.0, 4.0, "the government should support")],
    }
    fields.update(changes)
    return Transcript(**fields)


def test_a_transcript_survives_json_and_pickle():
    transcript = _transcript()
    data = json.loads(json.dumps(transcript.to_dict()))
    assert Transcript.from_dict(data) == transcript
    assert pickle.loads(pickle.dumps(transcript)) == transcript
    assert data["segments"][1] == {"start": 2.5, "end": 4.0, "text": "debería apoyar", "speaker": "Sam Okafor"}


def test_without_translation_the_dict_has_no_translation_keys():
    transcript = _transcript(translation=None, translation_segments=None)
    data = transcript.to_dict()
    assert "translation" not in data and "translation_segments" not in data
    assert Transcript.from_dict(data).translation_segments is None


def test_empty_means_no_speech():
    assert _transcript(text="  ", segments=[]).is_empty
    assert not _transcript().is_empty
