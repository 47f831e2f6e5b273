"""Password hashing (argon2) and the password rules users are told about."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import ValidationError

MIN_PASSWORD_LENGTH = 8

# OWASP's argon2id setting (19 MiB, 2 passes): strong, yet light enough for an office PC that starts
# the program many times a day. Old hashes keep their own parameters and still verify.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so a wrong name takes as long as a wrong password."""
    return _hasher.hash("govdesk-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要{MIN_PASSWORD_LENGTH}位", field="password")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise ValidationError("密码需要同时包含字母和数字", field="password")
    if username and password.lower() == username.lower():
        raise ValidationError("密码不能与用户名相同", field="password")
