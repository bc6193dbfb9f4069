"""Digest computation whose state survives between HTTP requests.

A chunked upload may send each PATCH to a different web process, so the hash
state has to travel with the upload record rather than live in one process.
Python's hashlib cannot export its state, so we drive OpenSSL's SHA-2 context
structs through ctypes (the same libcrypto hashlib uses) and keep the raw
struct bytes. If that library is not available the hasher reports that it is
not resumable, and the upload service re-reads the staged data at the end.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
from functools import cache

# sizeof(SHA256_CTX) and sizeof(SHA512_CTX) in OpenSSL (stable since 0.9.8).
_CONTEXT_SIZES = {"sha256": 112, "sha512": 216}
_DIGEST_SIZES = {"sha256": 32, "sha512": 64}


@cache
def _libcrypto() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("crypto")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
        for algo in ("SHA256", "SHA512"):
            getattr(lib, f"{algo}_Init").argtypes = [ctypes.c_char_p]
            getattr(lib, f"{algo}_Update").argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
            getattr(lib, f"{algo}_Final").argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    except (OSError, AttributeError):
        return None
    return lib


class ResumableHasher:
    """A SHA-256/512 hasher whose state can be saved as bytes and restored later."""

    def __init__(self, algorithm: str, state: bytes | None = None) -> None:
        if algorithm not in _CONTEXT_SIZES:
            raise ValueError(f"unsupported algorithm {algorithm}")
        self.algorithm = algorithm
        self._lib = _libcrypto()
        self._fallback = None
        if self._lib is None:
            if state:
                raise ValueError("hash state cannot be restored without libcrypto")
            self._fallback = hashlib.new(algorithm)
            return
        prefix = algorithm.upper()
        self._update = getattr(self._lib, f"{prefix}_Update")
        self._final = getattr(self._lib, f"{prefix}_Final")
        size = _CONTEXT_SIZES[algorithm]
        if state:
            if len(state) != size:
                raise ValueError("hash state has the wrong size")
            self._ctx = ctypes.create_string_buffer(state, size)
        else:
            self._ctx = ctypes.create_string_buffer(size)
            getattr(self._lib, f"{prefix}_Init")(self._ctx)

    @property
    def resumable(self) -> bool:
        return self._fallback is None

    def update(self, data: bytes) -> None:
        if self._fallback is not None:
            self._fallback.update(data)
        else:
            self._update(self._ctx, data, len(data))

    def state(self) -> bytes:
        """The raw context to store with the upload ("" when not resumable)."""
        return b"" if self._fallback is not None else self._ctx.raw

    def hexdigest(self) -> str:
        """The digest so far; the hasher itself stays usable."""
        if self._fallback is not None:
            return self._fallback.hexdigest()
        copy = ctypes.create_string_buffer(self._ctx.raw, len(self._ctx.raw))
        out = ctypes.create_string_buffer(_DIGEST_SIZES[self.algorithm])
        self._final(out, copy)
        return out.raw.hex()
