"""The interface strings as pages receive them: keyed by a short hash of their English text.

``window.LearnmarkMessages`` maps each string a script writes (in English) to the language's;
keyed by the English itself, the keys were a third of the Welsh course.js, which every page
loads. Keyed by its FNV-1a hash (32 bits over UTF-16 code units, base 36, as
``Learnmark.messageKey`` in i18n.js computes it), a key is at most 7 characters. Strings whose
hashes collide keep their English keys, which the script looks up as well.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 16777619
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=4096)  # the same strings, for every module's dispatch page and every package
def message_key(text: str) -> str:
    """``text``'s key: the hash JavaScript's ``Learnmark.messageKey`` gives it."""
    value = FNV_OFFSET
    encoded = text.encode("utf-16-le")
    for i in range(0, len(encoded), 2):  # JavaScript's charCodeAt: UTF-16 code units
        value = ((value ^ int.from_bytes(encoded[i:i + 2], "little")) * FNV_PRIME) & 0xFFFFFFFF
    out = ""
    while True:
        value, digit = divmod(value, 36)
        out = DIGITS[digit] + out
        if not value:
            return out


def shipped(messages: dict) -> dict:
    """``Messages.browser()`` keyed as pages look strings up; ``@`` keys (``@date``) are kept as they are."""
    keys = {text: text if text.startswith("@") else message_key(text) for text in messages}
    taken = Counter(keys.values())
    return {(key if taken[key] == 1 else text): messages[text] for text, key in keys.items()}
