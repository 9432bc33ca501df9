"""Convert CTranslate2 Whisper weights into an openai-whisper checkpoint, once, into a cache folder.

openai-whisper loads ``{"dims": {...}, "model_state_dict": {...}}`` saved with ``torch.save``; the offline
models ship in CTranslate2's ``model.bin``. That file is a documented binary layout (see
``ctranslate2/specs/model_spec.py``, ``ModelSpec._serialize``), all little-endian::

    u32 binary version (6), string spec name ("WhisperSpec"), u32 spec revision, u32 variable count
    per variable: string name, u8 rank, u32 dims[rank], u8 dtype, u32 byte count, raw bytes
    u32 alias count; per alias: string alias, string target      (string = u16 length incl. NUL, bytes, NUL)

dtype ids: 0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16. Weights quantized to int8 carry a
``<name>_scale`` per output row (value = int8 / scale); int16 ones a single scale. CTranslate2 fuses the
self-attention's query, key and value into one ``linear_0`` (key bias stored as zeros), and the cross-attention's
key and value into ``linear_1``; layer norms are ``gamma``/``beta``; the output projection is an alias of the
token embedding. Positional embeddings are stored as ``position_encodings/encodings`` (sinusoids for the encoder,
learned for the decoder).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import struct
import tempfile
from pathlib import Path

import numpy as np

from .errors import TranscriptionError
from .weights import PINNED_SHA256, ModelSource

log = logging.getLogger(__name__)

CONVERTER_VERSION = 1
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}


def read_ct2_model(data: bytes) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 ``model.bin`` by name (aliases resolved), quantized weights dequantized.

    Arrays are float16/float32 views or copies; scalars (``num_heads`` and flags) are 0-d arrays.
    """
    raw, aliases = _parse(memoryview(data))
    for alias, target in aliases.items():
        if target in raw:
            raw[alias] = raw[target]
            if f"{target}_scale" in raw:
                raw[f"{alias}_scale"] = raw[f"{target}_scale"]
    return _dequantize(raw)


def ct2_to_openai(variables: dict[str, np.ndarray]) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """openai-whisper's ``dims`` and ``model_state_dict`` (as numpy arrays) from CTranslate2 Whisper variables."""
    encoder_layers = _count_layers(variables, "encoder")
    decoder_layers = _count_layers(variables, "decoder")
    embeddings = variables["decoder/embeddings/weight"]
    dims = {
        "n_mels": int(variables["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(variables["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(variables["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(variables["encoder/num_heads"]),
        "n_audio_layer": encoder_layers,
        "n_vocab": int(embeddings.shape[0]),
        "n_text_ctx": int(variables["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(embeddings.shape[1]),
        "n_text_head": int(variables["decoder/num_heads"]),
        "n_text_layer": decoder_layers,
    }
    state: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        _copy(state, f"encoder.{conv}", variables, f"encoder/{conv}")
    state["encoder.positional_embedding"] = variables["encoder/position_encodings/encodings"]
    for i in range(encoder_layers):
        ct2, ours = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _fused_self_attention(state, f"{ours}.attn", variables, f"{ct2}/self_attention")
        _norm(state, f"{ours}.attn_ln", variables, f"{ct2}/self_attention/layer_norm")
        _feed_forward(state, ours, variables, f"{ct2}/ffn")
    _norm(state, "encoder.ln_post", variables, "encoder/layer_norm")
    state["decoder.token_embedding.weight"] = embeddings
    state["decoder.positional_embedding"] = variables["decoder/position_encodings/encodings"]
    for i in range(decoder_layers):
        ct2, ours = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _fused_self_attention(state, f"{ours}.attn", variables, f"{ct2}/self_attention")
        _norm(state, f"{ours}.attn_ln", variables, f"{ct2}/self_attention/layer_norm")
        _cross_attention(state, f"{ours}.cross_attn", variables, f"{ct2}/attention")
        _norm(state, f"{ours}.cross_attn_ln", variables, f"{ct2}/attention/layer_norm")
        _feed_forward(state, ours, variables, f"{ct2}/ffn")
    _norm(state, "decoder.ln", variables, "decoder/layer_norm")
    projection = variables.get("decoder/projection/weight")
    if projection is not None and projection is not embeddings and not np.array_equal(projection, embeddings):
        log.warning("the output projection differs from the token embedding; openai-whisper ties them")
    return dims, state


def ensure_checkpoint(source: ModelSource, cache_dir: str | os.PathLike[str]) -> Path:
    """The openai-whisper checkpoint for ``source``, converted into ``cache_dir`` on first use and reused after.

    The file is named after the weights' SHA-256, so changed weights get a new checkpoint; it is written to a
    temporary file and renamed, so a crash never leaves half a checkpoint behind.
    """
    digest = PINNED_SHA256.get(source.name, {}).get("model.bin") or _sha256_of(source)
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(source.name).name) or "model"
    target = Path(cache_dir).expanduser() / f"{safe_name}-{digest[:16]}-v{CONVERTER_VERSION}.pt"
    if target.is_file():
        return target
    log.info("converting the %s weights for openai-whisper into %s", source.name, target)
    try:
        variables = read_ct2_model(source.read("model.bin"))
        dims, state = ct2_to_openai(variables)
    except (KeyError, ValueError, IndexError, struct.error) as error:
        raise TranscriptionError(f"the {source.name} weights are not a CTranslate2 Whisper model: {error}") from error
    _save(target, dims, state)
    return target


def _save(target: Path, dims: dict[str, int], state: dict[str, np.ndarray]) -> None:
    import torch

    tensors = {name: torch.from_numpy(np.array(value, copy=True)) for name, value in state.items()}
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            torch.save({"dims": dims, "model_state_dict": tensors}, stream)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sha256_of(source: ModelSource) -> str:
    return hashlib.sha256(source.read("model.bin")).hexdigest()


def _parse(buffer: memoryview) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    offset = 0

    def unpack(fmt: str) -> int:
        nonlocal offset
        (value,) = struct.unpack_from("<" + fmt, buffer, offset)
        offset += struct.calcsize("<" + fmt)
        return value

    def string() -> str:
        nonlocal offset
        length = unpack("H")
        text = bytes(buffer[offset : offset + length - 1]).decode("utf-8")
        offset += length
        return text

    version = unpack("I")
    if version < 5:
        raise ValueError(f"CTranslate2 binary version {version} is too old (5 or later is read)")
    spec = string()
    if spec != "WhisperSpec":
        raise ValueError(f"the model is a {spec}, not a WhisperSpec")
    unpack("I")  # spec revision
    variables: dict[str, np.ndarray] = {}
    for _ in range(unpack("I")):
        name = string()
        shape = tuple(unpack("I") for _ in range(unpack("B")))
        dtype = _DTYPES[unpack("B")]
        size = unpack("I")
        raw = buffer[offset : offset + size]
        offset += size
        variables[name] = _array(raw, dtype, shape)
    aliases = {}
    for _ in range(unpack("I")):
        alias = string()
        aliases[alias] = string()
    return variables, aliases


def _array(raw: memoryview, dtype: object, shape: tuple[int, ...]) -> np.ndarray:
    if dtype == "bfloat16":  # the top half of a float32
        halves = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return halves.view(np.float32).reshape(shape)
    return np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape)


def _dequantize(raw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    variables = {}
    for name, value in raw.items():
        if name.endswith("_scale"):
            continue
        scale = raw.get(f"{name}_scale")
        if scale is not None and value.dtype in (np.int8, np.int16):
            floats = value.astype(np.float32)
            if scale.ndim == 0:  # int16: one scale for the whole matrix
                value = floats / np.float32(scale)
            else:  # int8: one scale per output row (conv weights flattened to rows)
                rows = floats.reshape(floats.shape[0], -1) / scale.astype(np.float32)[:, None]
                value = rows.reshape(floats.shape)
        variables[name] = value
    return variables


def _count_layers(variables: dict[str, np.ndarray], part: str) -> int:
    pattern = re.compile(rf"^{part}/layer_(\d+)/")
    indexes = {int(match.group(1)) for name in variables if (match := pattern.match(name))}
    if not indexes:
        raise ValueError(f"no {part} layers")
    return max(indexes) + 1


def _copy(state: dict, ours: str, variables: dict, ct2: str) -> None:
    state[f"{ours}.weight"] = variables[f"{ct2}/weight"]
    state[f"{ours}.bias"] = variables[f"{ct2}/bias"]


def _norm(state: dict, ours: str, variables: dict, ct2: str) -> None:
    state[f"{ours}.weight"] = variables[f"{ct2}/gamma"]
    state[f"{ours}.bias"] = variables[f"{ct2}/beta"]


def _feed_forward(state: dict, ours: str, variables: dict, ct2: str) -> None:
    _copy(state, f"{ours}.mlp.0", variables, f"{ct2}/linear_0")
    _copy(state, f"{ours}.mlp.2", variables, f"{ct2}/linear_1")
    _norm(state, f"{ours}.mlp_ln", variables, f"{ct2}/layer_norm")


def _fused_self_attention(state: dict, ours: str, variables: dict, ct2: str) -> None:
    """Split ``linear_0`` (query, key, value stacked on the output axis); ``linear_1`` is the output."""
    query, key, value = np.split(variables[f"{ct2}/linear_0/weight"], 3, axis=0)
    query_bias, _key_bias, value_bias = np.split(variables[f"{ct2}/linear_0/bias"], 3)
    # openai-whisper's key has no bias; a key bias adds the same amount to every score of a query, which the
    # softmax cancels, so leaving it out changes nothing (CTranslate2 stores zeros there anyway).
    state[f"{ours}.query.weight"], state[f"{ours}.query.bias"] = query, query_bias
    state[f"{ours}.key.weight"] = key
    state[f"{ours}.value.weight"], state[f"{ours}.value.bias"] = value, value_bias
    _copy(state, f"{ours}.out", variables, f"{ct2}/linear_1")


def _cross_attention(state: dict, ours: str, variables: dict, ct2: str) -> None:
    """``linear_0`` is the query, ``linear_1`` the key and value stacked, ``linear_2`` the output."""
    _copy(state, f"{ours}.query", variables, f"{ct2}/linear_0")
    key, value = np.split(variables[f"{ct2}/linear_1/weight"], 2, axis=0)
    _key_bias, value_bias = np.split(variables[f"{ct2}/linear_1/bias"], 2)
    state[f"{ours}.key.weight"] = key
    state[f"{ours}.value.weight"], state[f"{ours}.value.bias"] = value, value_bias
    _copy(state, f"{ours}.out", variables, f"{ct2}/linear_2")
