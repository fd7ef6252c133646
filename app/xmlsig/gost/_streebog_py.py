"""Streebog-512 in pure Python: the fallback when OpenSSL's gost provider is missing.

GOST R 34.11-2012 as the standard defines it, with the usual speed-up: the L, P and S steps
of a round fused into eight tables of 256 64-bit words (built at first use from the S-box
``_PI`` and the matrix ``_A``: 2048 words we would rather derive than paste). A 64-byte
block is a 512-bit integer whose bytes are in the order of the message, as in
``gostcrypto``, OpenSSL and Kalkan. About 1.2 s per MB (gostcrypto: 11.7 s): fine for a
form, slow for attachments, hence the warning in ``streebog``.
"""

from __future__ import annotations

import functools

_PI = bytes.fromhex(
    "fceedd11cf6e3116fbc4fada23c5044de977f0db932e99ba1736f1bb14cd5fc1"
    "f918655ae25cef21811c3c428b018e4f058402aee36a8fa0060bed987fd4d31f"
    "eb342c51eac848abf22a68a2fd3aceccb5700e56080c7612bf7213479cb75d87"
    "15a19629107b9ac7f391786f9d9eb2b13275193dff358a7e6d54c680c3bd0d57"
    "dff524a93ea843c9d779d6f67c22b903e00fecde7a94b0bcdce828504e330a4a"
    "a79760731e0062441ab83882649f2641ad454692275e552f8ca3a57d69d5953b"
    "0758b34086ac1df730376be488d9e789e11b83494c3ff8fe8d53aa90cad88561"
    "207167a42d2b095bcb9b25d0bee56c5259a674d2e6f4b4c0d166afc2394b63b6"
)
_A = (
    0x641c314b2b8ee083, 0xc83862965601dd1b, 0x8d70c431ac02a736, 0x07e095624504536c,
    0x0edd37c48a08a6d8, 0x1ca76e95091051ad, 0x3853dc371220a247, 0x70a6a56e2440598e,
    0xa48b474f9ef5dc18, 0x550b8e9e21f7a530, 0xaa16012142f35760, 0x492c024284fbaec0,
    0x9258048415eb419d, 0x39b008152acb8227, 0x727d102a548b194e, 0xe4fa2054a80b329c,
    0xf97d86d98a327728, 0xeffa11af0964ee50, 0xc3e9224312c8c1a0, 0x9bcf4486248d9f5d,
    0x2b838811480723ba, 0x561b0d22900e4669, 0xac361a443d1c8cd2, 0x456c34887a3805b9,
    0x5b068c651810a89e, 0xb60c05ca30204d21, 0x71180a8960409a42, 0xe230140fc0802984,
    0xd960281e9d1d5215, 0xafc0503c273aa42a, 0x439da0784e745554, 0x86275df09ce8aaa8,
    0x0321658cba93c138, 0x0642ca05693b9f70, 0x0c84890ad27623e0, 0x18150f14b9ec46dd,
    0x302a1e286fc58ca7, 0x60543c50de970553, 0xc0a878a0a1330aa6, 0x9d4df05d5f661451,
    0xaccc9ca9328a8950, 0x4585254f64090fa0, 0x8a174a9ec8121e5d, 0x092e94218d243cba,
    0x125c354207487869, 0x24b86a840e90f0d2, 0x486dd4151c3dfdb9, 0x90dab52a387ae76f,
    0x46b60f011a83988e, 0x8c711e02341b2d01, 0x05e23c0468365a02, 0x0ad97808d06cb404,
    0x14aff010bdd87508, 0x2843fd2067adea10, 0x5086e740ce47c920, 0xa011d380818e8f40,
    0x83478b07b2468764, 0x1b8e0b0e798c13c8, 0x3601161cf205268d, 0x6c022c38f90a4c07,
    0xd8045870ef14980e, 0xad08b0e0c3282d1c, 0x47107ddd9b505a38, 0x8e20faa72ba0b470,
)
_C = (
    (0xdd806559f2a64507, 0x05767436cc744d23, 0xa2422a08a460d315, 0x4b7ce09192676901,
     0x714eb88d7585c4fc, 0x2f6a76432e45d016, 0xebcb2f81c0657c1f, 0xb1085bda1ecadae9),
    (0xe679047021b19bb7, 0x55dda21bd7cbcd56, 0x5cb561c2db0aa7ca, 0x9ab5176b12d69958,
     0x61d55e0f16b50131, 0xf3feea720a232b98, 0x4fe39d460f70b5d7, 0x6fa3b58aa99d2f1a),
    (0x991e96f50aba0ab2, 0xc2b6f443867adb31, 0xc1c93a376062db09, 0xd3e20fe490359eb1,
     0xf2ea7514b1297b7b, 0x06f15e5f529c1f8b, 0x0a39fc286a3d8435, 0xf574dcac2bce2fc7),
    (0x220cbebc84e3d12e, 0x3453eaa193e837f1, 0xd8b71333935203be, 0xa9d72c82ed03d675,
     0x9d721cad685e353f, 0x488e857e335c3c7d, 0xf948e1a05d71e4dd, 0xef1fdfb3e81566d2),
    (0x601758fd7c6cfe57, 0x7a56a27ea9ea63f5, 0xdfff00b723271a16, 0xbfcd1747253af5a3,
     0x359e35d7800fffbd, 0x7f151c1f1686104a, 0x9a3f410c6ca92363, 0x4bea6bacad474799),
    (0xfa68407a46647d6e, 0xbf71c57236904f35, 0x0af21f66c2bec6b6, 0xcffaa6b71c9ab7b4,
     0x187f9ab49af08ec6, 0x2d66c4f95142a46c, 0x6fa4c33b7a3039c0, 0xae4faeae1d3ad3d9),
    (0x8886564d3a14d493, 0x3517454ca23c4af3, 0x06476983284a0504, 0x0992abc52d822c37,
     0xd3473e33197a93c9, 0x399ec6c7e6bf87c9, 0x51ac86febf240954, 0xf4c70e16eeaac5ec),
    (0xa47f0dd4bf02e71e, 0x36acc2355951a8d9, 0x69d18d2bd1a5c42f, 0xf4892bcb929b0690,
     0x89b4443b4ddbc49a, 0x4eb7f8719c36de1e, 0x03e7aa020c6e4141, 0x9b1f5b424d93c9a7),
    (0x7261445183235adb, 0x0e38dc92cb1f2a60, 0x7b2b8a9aa6079c54, 0x800a440bdbb2ceb1,
     0x3cd955b7e00d0984, 0x3a7d3a1b25894224, 0x944c9ad8ec165fde, 0x378f5a541631229b),
    (0x74b4c7fb98459ced, 0x3698fad1153bb6c3, 0x7a1e6c303b7652f4, 0x9fe76702af69334b,
     0x1fffe18a1b336103, 0x8941e71cff8a78db, 0x382ae548b2e4f3f3, 0xabbedea680056f52),
    (0x6bcaa4cd81f32d1b, 0xdea2594ac06fd85d, 0xefbacd1d7d476e98, 0x8a1d71efea48b9ca,
     0x2001802114846679, 0xd8fa6bbbebab0761, 0x3002c6cd635afe94, 0x7bcd9ed0efc889fb),
    (0x48bc924af11bd720, 0xfaf417d5d9b21b99, 0xe71da4aa88e12852, 0x5d80ef9d1891cc86,
     0xf82012d430219f9b, 0xcda43c32bcdf1d77, 0xd21380b00449b17a, 0x378ee767f11631ba),
)

_MASK = (1 << 512) - 1


@functools.cache
def _tables() -> tuple[tuple[int, ...], ...]:
    """T[i][b]: the word that byte b at byte i of a column contributes after S, P and L."""
    tables = []
    for i in range(8):
        row = []
        for value in _PI:
            word = 0
            for bit in range(8):
                if value >> bit & 1:
                    word ^= _A[8 * i + bit]
            row.append(word)
        tables.append(tuple(row))
    return tuple(tables)


def _lps(state: int) -> int:
    t0, t1, t2, t3, t4, t5, t6, t7 = _tables()
    b = state.to_bytes(64, "little")
    out = 0
    for j in range(8):
        out |= (
            t0[b[j]] ^ t1[b[8 + j]] ^ t2[b[16 + j]] ^ t3[b[24 + j]]
            ^ t4[b[32 + j]] ^ t5[b[40 + j]] ^ t6[b[48 + j]] ^ t7[b[56 + j]]
        ) << (64 * j)
    return out


@functools.cache
def _round_constants() -> tuple[int, ...]:
    return tuple(sum(word << (64 * j) for j, word in enumerate(words)) for words in _C)


def _compress(h: int, n: int, m: int) -> int:
    """g_N(h, m)."""
    key = _lps(h ^ n)
    state = key ^ m
    for constant in _round_constants():
        state = _lps(state)
        key = _lps(key ^ constant)
        state ^= key
    return state ^ h ^ m


class Streebog512:
    """hashlib-like: ``update``, ``digest``, ``hexdigest``, ``copy``."""

    name = "streebog512"
    digest_size = 64
    block_size = 64

    def __init__(self, data: bytes = b""):
        self._h = 0
        self._n = 0
        self._sigma = 0
        self._pending = b""
        if data:
            self.update(data)

    def update(self, data: bytes) -> None:
        data = self._pending + bytes(data)
        whole = len(data) - len(data) % 64
        for start in range(0, whole, 64):
            block = int.from_bytes(data[start : start + 64], "little")
            self._h = _compress(self._h, self._n, block)
            self._n = (self._n + 512) & _MASK
            self._sigma = (self._sigma + block) & _MASK
        self._pending = data[whole:]

    def copy(self) -> Streebog512:
        other = Streebog512()
        other._h, other._n, other._sigma, other._pending = (
            self._h, self._n, self._sigma, self._pending
        )
        return other

    def digest(self) -> bytes:
        last = int.from_bytes(self._pending + b"\x01" + bytes(63 - len(self._pending)), "little")
        h = _compress(self._h, self._n, last)
        n = (self._n + 8 * len(self._pending)) & _MASK
        sigma = (self._sigma + last) & _MASK
        h = _compress(h, 0, n)
        h = _compress(h, 0, sigma)
        return h.to_bytes(64, "little")

    def hexdigest(self) -> str:
        return self.digest().hex()
