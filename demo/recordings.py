"""The demo's recordings: two voice messages (one in Spanish) and a filmed statement, shipped with the package.

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
SPANISH_FILE = "voice-message-es.ogg"  # a voice message in Spanish, spoken by espeak-ng at 175 words a minute
VOICE_FILE = "voice-message.ogg"  # Ogg/Opus, as Discord sends a voice message
FILMED_FILE = "statement.mp4"  # H.264 picture, AAC sound
FOLDER = "media"


def recording(name: str) -> bytes:
    """The bytes of one of the demo's recordings (:data:`VOICE_FILE`, :data:`SPANISH_FILE` or :data:`FILMED_FILE`)."""
    return resources.files(__package__).joinpath(FOLDER).joinpath(name).read_bytes()
