"""The languages Whisper knows, by code, and how to name them to the people who read a transcript.

:func:`display_name` gives a language's own name beside its English one where the two differ ("Cymraeg /
Welsh", "Français / French"), so that a witness recognises their language and the secretariat can read the label.
Right-to-left names (Arabic, Urdu, Persian, ...) are given in English only: mixed with left-to-right text in one
label, they reorder it.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

ENGLISH = "en"
UNDETERMINED = "und"  # ISO 639-2 "undetermined": no speech was heard to tell the language by

# Every language code Whisper's multilingual models can detect and transcribe, with its English name.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "Chinese",
    "de": "German",
    "es": "Spanish",
    "ru": "Russian",
    "ko": "Korean",
    "fr": "French",
    "ja": "Japanese",
    "pt": "Portuguese",
    "tr": "Turkish",
    "pl": "Polish",
    "ca": "Catalan",
    "nl": "Dutch",
    "ar": "Arabic",
    "sv": "Swedish",
    "it": "Italian",
    "id": "Indonesian",
    "hi": "Hindi",
    "fi": "Finnish",
    "vi": "Vietnamese",
    "he": "Hebrew",
    "uk": "Ukrainian",
    "el": "Greek",
    "ms": "Malay",
    "cs": "Czech",
    "ro": "Romanian",
    "da": "Danish",
    "hu": "Hungarian",
    "ta": "Tamil",
    "no": "Norwegian",
    "th": "Thai",
    "ur": "Urdu",
    "hr": "Croatian",
    "bg": "Bulgarian",
    "lt": "Lithuanian",
    "la": "Latin",
    "mi": "Maori",
    "ml": "Malayalam",
    "cy": "Welsh",
    "sk": "Slovak",
    "te": "Telugu",
    "fa": "Persian",
    "lv": "Latvian",
    "bn": "Bengali",
    "sr": "Serbian",
    "az": "Azerbaijani",
    "sl": "Slovenian",
    "kn": "Kannada",
    "et": "Estonian",
    "mk": "Macedonian",
    "br": "Breton",
    "eu": "Basque",
    "is": "Icelandic",
    "hy": "Armenian",
    "ne": "Nepali",
    "mn": "Mongolian",
    "bs": "Bosnian",
    "kk": "Kazakh",
    "sq": "Albanian",
    "sw": "Swahili",
    "gl": "Galician",
    "mr": "Marathi",
    "pa": "Punjabi",
    "si": "Sinhala",
    "km": "Khmer",
    "sn": "Shona",
    "yo": "Yoruba",
    "so": "Somali",
    "af": "Afrikaans",
    "oc": "Occitan",
    "ka": "Georgian",
    "be": "Belarusian",
    "tg": "Tajik",
    "sd": "Sindhi",
    "gu": "Gujarati",
    "am": "Amharic",
    "yi": "Yiddish",
    "lo": "Lao",
    "uz": "Uzbek",
    "fo": "Faroese",
    "ht": "Haitian Creole",
    "ps": "Pashto",
    "tk": "Turkmen",
    "nn": "Norwegian Nynorsk",
    "mt": "Maltese",
    "sa": "Sanskrit",
    "lb": "Luxembourgish",
    "my": "Burmese",
    "bo": "Tibetan",
    "tl": "Tagalog",
    "mg": "Malagasy",
    "as": "Assamese",
    "tt": "Tatar",
    "haw": "Hawaiian",
    "ln": "Lingala",
    "ha": "Hausa",
    "ba": "Bashkir",
    "jw": "Javanese",
    "su": "Sundanese",
    "yue": "Cantonese",
}

# Languages' own names, where they differ from the English name (left-to-right scripts only).
ENDONYMS: dict[str, str] = {
    "cy": "Cymraeg",
    "br": "Brezhoneg",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "it": "Italiano",
    "pt": "Português",
    "pl": "Polski",
    "nl": "Nederlands",
    "ro": "Română",
    "lt": "Lietuvių",
    "lv": "Latviešu",
    "et": "Eesti",
    "bg": "Български",
    "ru": "Русский",
    "uk": "Українська",
    "tr": "Türkçe",
    "el": "Ελληνικά",
    "hu": "Magyar",
    "cs": "Čeština",
    "sk": "Slovenčina",
    "sl": "Slovenščina",
    "hr": "Hrvatski",
    "sr": "Српски",
    "sq": "Shqip",
    "sv": "Svenska",
    "da": "Dansk",
    "no": "Norsk",
    "fi": "Suomi",
    "is": "Íslenska",
    "mt": "Malti",
    "eu": "Euskara",
    "ca": "Català",
    "gl": "Galego",
    "so": "Soomaali",
    "sw": "Kiswahili",
    "hi": "हिन्दी",
    "pa": "ਪੰਜਾਬੀ",
    "bn": "বাংলা",
    "gu": "ગુજરાતી",
    "ta": "தமிழ்",
    "zh": "中文",
    "yue": "粵語",
    "ja": "日本語",
    "ko": "한국어",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
}


def normalise_code(code: str | None) -> str | None:
    """A language code as Whisper spells it (lower case, no region: "en-GB" -> "en"), or None for none."""
    if code is None:
        return None
    code = code.strip().lower().replace("_", "-")
    return code.split("-")[0] or None


def is_known(code: str | None) -> bool:
    """True for a code Whisper can transcribe."""
    return normalise_code(code) in LANGUAGES


def language_name(code: str | None) -> str:
    """The English name of a language ("cy" -> "Welsh"); "undetermined" when no language was found; the code
    itself for one Whisper does not know."""
    normal = normalise_code(code)
    if normal is None or normal == UNDETERMINED:
        return "undetermined"
    return LANGUAGES.get(normal, normal)


def display_name(code: str | None) -> str:
    """The label to show: the language's own name, then its English one when they differ ("Cymraeg / Welsh");
    the English name alone otherwise ("English", "Arabic")."""
    normal = normalise_code(code)
    english = language_name(normal)
    own = ENDONYMS.get(normal or "")
    return f"{own} / {english}" if own else english
