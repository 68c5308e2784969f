"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).

Each hash or check takes 64 MiB for a moment; 40 sign-ups at once took the server from
253 MB to 2.5 GB. So the async callers (`hash_async`, `verify_async`) queue for one of
SLOTS threads, one per core (more would not finish sooner): the memory it takes is bounded
by SLOTS x 64 MiB, whatever the number of requests. The queue costs no thread while waiting.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
SLOTS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
# Not anyio's thread pool (40 threads, shared with other work): this one is ours, sized to
# the cores, and not bound to one event loop (tests run several apps, each on its own).
_POOL = ThreadPoolExecutor(max_workers=SLOTS, thread_name_prefix="argon2")
# Verified when the account does not exist, so that both answers take the same time.
_DUMMY = _hasher.hash("cospai: no such account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


async def hash_async(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_POOL, hash_password, password)


async def verify_async(stored: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_POOL, verify, stored, password)
