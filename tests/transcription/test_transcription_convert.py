"""The CTranslate2 -> openai-whisper converter: layout, fused and quantized weights, caching."""

from __future__ import annotations

import re

import numpy as np
import pytest
from transcription_fixtures import ENGLISH, NO_LIMIT

from transcription import TranscriptionError, transcribe_file
from transcription.convert import ct2_to_openai, ensure_checkpoint, read_ct2_model
from transcription.synth import word_error_rate
from transcription.weights import ModelSource, resolve_ct2

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_variables():
    return read_ct2_model(resolve_ct2("tiny.en").read("model.bin"))


def test_the_checkpoint_loads_in_openai_whisper_with_the_same_weights(whisper_cache, tiny_variables):
    import whisper

    path = ensure_checkpoint(resolve_ct2("tiny.en"), whisper_cache)
    written = path.stat().st_mtime_ns
    assert ensure_checkpoint(resolve_ct2("tiny.en"), whisper_cache) == path  # converted once, then reused
    assert path.stat().st_mtime_ns == written
    model = whisper.load_model(str(path), device="cpu")
    assert model.dims.n_vocab == 51864 and not model.is_multilingual
    assert (model.dims.n_audio_layer, model.dims.n_text_layer, model.dims.n_text_head) == (4, 4, 6)
    fused = tiny_variables["decoder/layer_2/self_attention/linear_0/weight"].astype(np.float32)
    key = model.decoder.blocks[2].attn.key.weight.detach().numpy()
    assert np.array_equal(key, fused[384:768])
    cross_value = tiny_variables["decoder/layer_1/attention/linear_1/weight"].astype(np.float32)[384:]
    assert np.array_equal(model.decoder.blocks[1].cross_attn.value.weight.detach().numpy(), cross_value)
    positions = tiny_variables["decoder/position_encodings/encodings"].astype(np.float32)
    assert np.array_equal(model.decoder.positional_embedding.detach().numpy(), positions)


def _int8_copy(variables: dict[str, np.ndarray], folder) -> bytes:
    """The tiny.en weights re-saved by CTranslate2's own writer, quantized to int8."""
    from ctranslate2.specs import whisper_spec

    spec = whisper_spec.WhisperSpec(4, 6, 4, 6)
    for name, value in variables.items():
        if value.ndim and name != "decoder/projection/weight":
            _set(spec, name, value.astype(np.float32))
    spec.decoder.projection.weight = variables["decoder/embeddings/weight"].astype(np.float32)
    vocabulary = (resolve_ct2("tiny.en").directory / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
    spec.register_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")
    folder.mkdir()
    spec.save(str(folder))
    return (folder / "model.bin").read_bytes()


def _set(spec, name: str, value: np.ndarray) -> None:
    *path, leaf = name.split("/")
    node = spec
    for part in path:
        match = re.fullmatch(r"(\w+?)_(\d+)", part)
        if match and isinstance(getattr(node, match.group(1), None), list):
            node = getattr(node, match.group(1))[int(match.group(2))]
        else:
            node = getattr(node, part)
    setattr(node, leaf, value)


def test_int8_weights_are_dequantized_and_still_transcribe(tmp_path, tiny_variables, whisper_cache, voice_message):
    folder = tmp_path / "tiny-int8"
    data = _int8_copy(tiny_variables, folder)
    assert b"weight_scale" in data
    dequantized = read_ct2_model(data)
    for name in ("encoder/conv1/weight", "decoder/layer_0/ffn/linear_0/weight", "decoder/embeddings/weight"):
        original = tiny_variables[name].astype(np.float32)
        rows = np.abs(original).reshape(original.shape[0], -1).max(axis=1)
        error = np.abs(dequantized[name] - original).reshape(original.shape[0], -1).max(axis=1)
        assert np.all(error <= rows / 127 * 0.51 + 1e-6), name  # half a quantization step per row
    for name in ("decoder/layer_0/ffn/linear_0/bias", "encoder/position_encodings/encodings"):
        assert np.array_equal(dequantized[name], tiny_variables[name])  # not quantized
    dims, _ = ct2_to_openai(dequantized)
    assert dims["n_vocab"] == 51864
    transcript = transcribe_file(
        voice_message, engine="openai-whisper", model=str(folder), cache_dir=whisper_cache, **NO_LIMIT
    )
    assert word_error_rate(ENGLISH, transcript.text) <= 0.2, transcript.text


def test_a_file_that_is_not_a_whisper_model_is_refused(tmp_path):
    source = ModelSource("broken", files={"model.bin": b"\x06\x00\x00\x00" + b"\x00" * 40})
    with pytest.raises(TranscriptionError, match="not a CTranslate2 Whisper model"):
        ensure_checkpoint(source, tmp_path)
    assert not any(tmp_path.iterdir())
