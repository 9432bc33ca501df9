"""The demo's recordings, shipped with the package: two voice messages (one in Spanish), a filmed statement, the
sound of a youth worker's video (the demo makes the large video around it) and the two speakers' tracks of the oral
session's recording (the chair reading a question out, a witness answering it).

They were spoken once by espeak-ng and encoded with PyAV (:mod:`demo.make_media` makes them again); the demo
reads them from the package, so it needs no speech synthesis at run time.
"""

from __future__ import annotations

import logging
from importlib import resources

log = logging.getLogger(__name__)

VOICE = (
    "Many of the families we work with do not read English, so the public health leaflets did not reach them. "
    "We recorded the advice as voice notes in five languages and shared them in community groups."
)
FILMED = (
    "The biggest barrier was data. People in asylum hotels could not afford to stay online, "
    "and with the libraries closed they had no wifi at all."
)
SPANISH = (
    "Muchas personas mayores de nuestro barrio hablan solo español. Durante el confinamiento las llamamos cada "
    "semana por teléfono, y así nadie se quedó sin comida ni sin medicinas."
)
YOUTH = (
    "Our youth club moved online within a week, but the young people most at risk had no laptop at home. "
    "We dropped off activity packs and rang every one of them on Friday evenings."
)
QUESTION_READ = "How did the community hubs find the residents who were shielding?"
RECORDED_ANSWER = (
    "We started from the council's list of people who were shielding. Our coordinator, Funmi Okonkwo, gave "
    "each volunteer one street, and they knocked on every door where nobody answered the phone."
)
SPANISH_FILE = "voice-message-es.ogg"  # a voice message in Spanish, spoken by espeak-ng at 175 words a minute
VOICE_FILE = "voice-message.ogg"  # Ogg/Opus, as Discord sends a voice message
FILMED_FILE = "statement.mp4"  # H.264 picture, AAC sound
YOUTH_FILE = "youth-club.ogg"  # the sound of the youth worker's video
CHAIR_TRACK_FILE = "session-chair.ogg"  # the chair's track of the session's recording
WITNESS_TRACK_FILE = "session-witness.ogg"  # a witness's track of the session's recording
FOLDER = "media"


def recording(name: str) -> bytes:
    """The bytes of one of the demo's recordings (such as :data:`VOICE_FILE`)."""
    return resources.files(__package__).joinpath(FOLDER).joinpath(name).read_bytes()
