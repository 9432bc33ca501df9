"""Language benchmark: which model to transcribe English with, what detecting the language costs, and how speech
in other languages comes out, on 2 CPU threads with faster-whisper (int8, beam 5, batches of 8).

    python benchmarks/bench_languages.py            # about 4 minutes of English, 9 other languages
    python benchmarks/bench_languages.py --quick    # 3 English voices, 4 other languages

English: parts of the inquiry's call for evidence, each read by another synthetic voice (espeak-ng's British,
American, Scottish, Caribbean and received-pronunciation English; flite's four voices), as Ogg/Opus voice
messages. Each configuration transcribes every file with its models already loaded; the table gives the mean
word error rate over the files, speed as audio seconds per compute second ("x real time"), and how many files
were flagged for checking. What detection adds is timed on short messages and on one 3-minute passage: base
transcribing each file with the language detected, and with it given.

Other languages: the same three sentences (the government should support volunteers, many live alone without
the internet, local groups built networks of support) in each language, read by espeak-ng at its default rate,
transcribed with the default settings. Writes benchmarks/results/languages.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "benchmarks"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_transcription import PASSAGE  # noqa: E402

from transcription.decode import SAMPLE_RATE, decode_audio  # noqa: E402
from transcription.synth import normalise_words, spoken_samples, word_error_rate, write_media  # noqa: E402

log = logging.getLogger(__name__)

ESPEAK_ENGLISH = ("en-gb", "en-us", "en-gb-scotland", "en-029", "en-gb-x-rp")
FLITE_VOICES = ("slt", "awb", "rms", "kal16")
WORDS_PER_FILE = 80
# The same sentences in each language (espeak-ng voice = Whisper code, except where noted).
OTHER: dict[str, str] = {
    "es": "El Gobierno debería apoyar a los voluntarios que ayudan a las personas mayores. Muchas personas viven "
    "solas y no tienen acceso a internet. Las organizaciones locales han creado nuevas redes de apoyo durante la "
    "crisis.",
    "fr": "Le gouvernement devrait soutenir les bénévoles qui aident les personnes âgées. Beaucoup de gens vivent "
    "seuls et n'ont pas accès à internet. Les associations locales ont créé de nouveaux réseaux de solidarité "
    "pendant la crise.",
    "de": "Die Regierung sollte die Freiwilligen unterstützen, die älteren Menschen helfen. Viele Menschen leben "
    "allein und haben keinen Zugang zum Internet. Lokale Vereine haben während der Krise neue Netzwerke der "
    "Unterstützung aufgebaut.",
    "cy": "Dylai'r llywodraeth gefnogi'r gwirfoddolwyr sy'n helpu pobl hŷn. Mae llawer o bobl yn byw ar eu pennau eu "
    "hunain a does ganddyn nhw ddim mynediad i'r rhyngrwyd. Mae mudiadau lleol wedi creu rhwydweithiau cymorth "
    "newydd yn ystod yr argyfwng.",
    "it": "Il governo dovrebbe sostenere i volontari che aiutano le persone anziane. Molte persone vivono da sole e "
    "non hanno accesso a internet. Le associazioni locali hanno creato nuove reti di sostegno durante la crisi.",
    "pt": "O governo deveria apoiar os voluntários que ajudam as pessoas idosas. Muitas pessoas vivem sozinhas e não "
    "têm acesso à internet. As associações locais criaram novas redes de apoio durante a crise.",
    "nl": "De regering zou de vrijwilligers moeten steunen die ouderen helpen. Veel mensen wonen alleen en hebben "
    "geen toegang tot internet. Lokale organisaties hebben tijdens de crisis nieuwe steunnetwerken opgezet.",
    "pl": "Rząd powinien wspierać wolontariuszy, którzy pomagają osobom starszym. Wiele osób mieszka samotnie i nie "
    "ma dostępu do internetu. Lokalne organizacje stworzyły w czasie kryzysu nowe sieci wsparcia.",
    "ro": "Guvernul ar trebui să sprijine voluntarii care ajută persoanele în vârstă. Multe persoane locuiesc singure "
    "și nu au acces la internet. Organizațiile locale au creat noi rețele de sprijin în timpul crizei.",
}
QUICK_OTHER = ("es", "fr", "de", "cy")
NO_LIMIT = {"max_bytes": 1 << 40, "max_seconds": 1e9}


@dataclass
class Row:
    """One configuration's results on the English files."""

    name: str
    wers: list[float]
    audio: float
    compute: float
    flagged: int

    def line(self) -> str:
        mean = sum(self.wers) / len(self.wers)
        return (
            f"| {self.name} | {mean:.3f} | {max(self.wers):.3f} | {self.audio / self.compute:.1f}x | "
            f"{self.flagged} of {len(self.wers)} |"
        )


def english_files(folder: Path, quick: bool) -> list[tuple[str, Path, str]]:
    """(voice, voice message, text read) for each English voice."""
    words = PASSAGE.split()
    voices = [("espeak-ng " + v, v) for v in ESPEAK_ENGLISH] + [("flite " + v, v) for v in FLITE_VOICES]
    if quick:
        voices = [voices[0], voices[2], voices[5]]
    files = []
    for index, (label, voice) in enumerate(voices):
        start = (index * WORDS_PER_FILE) % max(1, len(words) - WORDS_PER_FILE)
        text = " ".join(words[start : start + WORDS_PER_FILE])
        wav = folder / f"en-{index}.wav"
        if label.startswith("flite"):
            subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(wav)], check=True, capture_output=True)
            samples = decode_audio(wav)
        else:
            samples = spoken_samples(text, folder, voice=voice)
        files.append((label, write_media(folder / f"en-{index}.ogg", samples), text))
    if not quick:  # one long piece of evidence: the whole passage, about 3 minutes
        samples = spoken_samples(PASSAGE, folder, voice="en-gb")
        files.append(("espeak-ng en-gb (long)", write_media(folder / "en-long.ogg", samples), PASSAGE))
    return files


def run_english(files: list[tuple[str, Path, str]], audio: float) -> tuple[list[Row], dict[str, list[float]]]:
    """Every configuration over the English files; and the detection's cost."""
    from transcription import transcribe_file
    from transcription.engines import load_engine
    from transcription.settings import DEFAULT

    configs = {
        "tiny.en alone (no detection)": {"model": "tiny.en", "multilingual_model": ""},
        "base, language given": {"model": "base", "language": "en"},
        "base, language detected": {"model": "base"},
        "base detects, tiny.en transcribes English": {"model": "tiny.en", "multilingual_model": "base"},
    }
    for options in configs.values():  # load every model before timing
        load_engine(DEFAULT.with_(model=options["model"], multilingual_model=options.get("multilingual_model")))
    rows = []
    for name, options in configs.items():
        wers, compute, flagged = [], 0.0, 0
        for _, path, text in files:
            started = time.perf_counter()
            transcript = transcribe_file(path, engine="faster-whisper", **options, **NO_LIMIT)
            compute += time.perf_counter() - started
            wers.append(word_error_rate(text, transcript.text))
            flagged += transcript.needs_review
            if transcript.needs_review:
                log.warning("%s flagged %s: %s", name, path.name, transcript.review_reasons)
        rows.append(Row(name, wers, audio, compute, flagged))
        log.warning("%s", rows[-1].line())
    base = load_engine(DEFAULT.with_(model="base"))
    cost = {"short": [0.0, 0.0], "long": [0.0, 0.0]}  # group -> [seconds with detection, with the language given]
    for label, path, _ in files:
        best = [float("inf"), float("inf")]
        for _ in range(3):  # each way three times, interleaved; the fastest run (other work on the machine)
            for way, language in enumerate((None, "en")):
                base.forget_encoding()
                started = time.perf_counter()
                base.transcribe(path, language=language)
                best[way] = min(best[way], time.perf_counter() - started)
        group = cost["long" if label.endswith("(long)") else "short"]
        group[0] += best[0]
        group[1] += best[1]
    return rows, cost


def run_other(folder: Path, codes: list[str]) -> list[str]:
    """The default settings on each language: table rows."""
    from transcription import transcribe_file
    from transcription.languages import display_name
    from transcription.settings import DEFAULT

    lines = []
    for code in codes:
        samples = spoken_samples(OTHER[code], folder, voice=code, words_per_minute=175)
        path = write_media(folder / f"{code}.ogg", samples)
        started = time.perf_counter()
        transcript = transcribe_file(path, engine=DEFAULT.engine, model=DEFAULT.model, **NO_LIMIT)
        seconds = time.perf_counter() - started
        english = set(normalise_words(transcript.translation or "").split())
        lines.append(
            f"| {display_name(code)} | {transcript.language} | {transcript.language_probability or 0:.2f} | "
            f"{transcript.detection.method if transcript.detection else '-'} | "
            f"{word_error_rate(OTHER[code], transcript.text):.2f} | "
            f"{'yes' if 'government' in english else 'no'} | {'yes' if transcript.needs_review else 'no'} | "
            f"{len(samples) / SAMPLE_RATE / seconds:.1f}x |"
        )
        log.warning("%s", lines[-1])
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write benchmarks/results/languages.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer voices and languages")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = english_files(folder, args.quick)
        audio = sum(len(decode_audio(path)) for _, path, _ in files) / SAMPLE_RATE
        rows, cost = run_english(files, audio)
        shorts = sum(not label.endswith("(long)") for label, _, _ in files)
        long = cost["long"]
        other = run_other(folder, list(QUICK_OTHER if args.quick else OTHER))
    command = "python benchmarks/bench_languages.py" + (" --quick" if args.quick else "")
    text = "\n".join(
        [
            "# Languages: the default model, detection cost, other languages",
            "",
            f"`{command}` on {platform.machine()}, {os.cpu_count()} cores visible, 2 threads, Python "
            f"{platform.python_version()}, faster-whisper int8, beam 5, batches of 8. 1-minute load average "
            f"{load_before:.2f} before and {os.getloadavg()[0]:.2f} after (the machine is shared).",
            "",
            f"## English: {len(files)} synthetic voices, {audio:.0f} s of speech",
            "",
            "| configuration | mean WER | worst WER | speed | flagged for checking |",
            "| --- | ---: | ---: | ---: | ---: |",
            *[row.line() for row in rows],
            "",
            "Detection's cost: base transcribing each English file with the language detected and with it given "
            "(each way three times, interleaved, the fastest run kept):",
            "",
            "| English evidence | language detected | language given | added by detection |",
            "| --- | ---: | ---: | ---: |",
            *[
                f"| {name} | {spent[0]:.1f} s | {spent[1]:.1f} s | {(spent[0] - spent[1]) / spent[1]:+.0%} |"
                for name, spent in ((f"{shorts} messages of about 30 s", cost["short"]), ("a 3-minute passage", long))
                if spent[1]
            ],
            "",
            "## Other languages, default settings (espeak-ng at 175 words a minute)",
            "",
            "| language | detected | probability | how | WER | translation says 'government' | needs checking | "
            "speed |",
            "| --- | --- | ---: | --- | ---: | --- | --- | ---: |",
            *other,
            "",
            "How: 'detected' is the detector's own answer, averaged over the windows it heard; 'decoded' means it "
            "was unsure (below 0.8, or windows disagreeing) and its likeliest languages were each decoded, the one "
            "read most surely being kept; 'unresolved', that none read cleanly (the likeliest is kept). WER is "
            "against the text espeak-ng read (robotic, sometimes barely intelligible speech: base did not recognise "
            "espeak-ng's Welsh, Portuguese or Dutch at all). 'Needs "
            "checking' is the transcript's `needs_review`; each flagged one carries its reasons (an uncertain "
            "language, repeated text, an unsure transcript or translation). Speed counts the translation pass and, "
            "when the detector was unsure, the candidates' decoding.",
            "",
        ]
    )
    (ROOT / "benchmarks" / "results" / "languages.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
