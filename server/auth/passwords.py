"""Password hashing for staff accounts: argon2id, with parameters that can grow over time."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
# argon2 would hash a megabyte happily; a cap keeps one request from costing much more than another.
MAX_LENGTH = 1024

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()


class PasswordError(ValueError):
    """A new password breaks the policy; ``code`` is ``too_short`` or ``too_long``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_policy(password: str) -> None:
    """Raise PasswordError unless ``password`` may be set as a staff password."""
    if len(password) < MIN_LENGTH:
        raise PasswordError("too_short")
    if len(password) > MAX_LENGTH:
        raise PasswordError("too_long")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; False for any mismatch, an over-long input or a bad hash.

    argon2 compares digests in constant time. A stored hash is never accepted as the password:
    it is hashed like any other input and cannot match itself.
    """
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (or is not one of ours)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


_dummy_hash: str | None = None


def burn_time(password: str) -> None:
    """Spend as long as a real verification, for log-ins of e-mails nobody has."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not a real password, only spends time")
    verify_password(_dummy_hash, password)
