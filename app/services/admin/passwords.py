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


# Passwords that pass the rules above yet are among the first a guesser tries: the lists of leaked
# passwords (in China and elsewhere), keyboard runs, and the demo data's own password. Only those of
# 8 or more characters with letters and digits are listed; shorter ones are refused anyway.
COMMON_PASSWORDS: frozenset[str] = frozenset(
    """
    password1 password12 password123 password1234 passw0rd p@ssw0rd1 pass1234 pass12345 password01
    abc12345 abc123456 abcd1234 abcd12345 abc123abc abc123123 a1234567 a12345678 a123456789 a1b2c3d4
    aa123456 aa1234567 aaa12345 aaa123456 qq123456 qq1234567 q1234567 q12345678 q1w2e3r4 q1w2e3r4t5
    qwer1234 qwert123 qwerty12 qwerty123 qwerty1234 qwe12345 qwe123456 qweasd123 qweqwe123 1qaz2wsx
    1qaz2wsx3edc zaq12wsx zxc12345 zxc123456 zxcv1234 asdf1234 asd12345 asd123456 asdasd123 1q2w3e4r
    1q2w3e4r5t 123qweasd 123456abc 12345abc 123456aa 123456qq 123456a 1234567a 12345678a 123456789a
    a123123123 abc123456789 woaini1314 woaini520 5201314a 1314520a iloveyou1 iloveyou2 iloveu123
    admin123 admin1234 admin12345 admin888 admin666 admin8888 administrator1 root1234 root12345
    test1234 test12345 test123456 user1234 guest123 welcome1 welcome123 welcome2024 letmein1 hello123
    hello1234 china123 china1234 beijing123 shanghai123 baidu123 taobao123 wang1234 zhang123 li123456
    love1234 football1 monkey123 dragon123 master123 sunshine1 princess1 superman1 batman123 trustno1
    changeme1 changeme123 default123 temp1234 secret123 system123 office123 govdesk1 govdesk123
    govdesk2024 govdesk2025 govdesk2026 gov12345 zhengfu123 bangongshi1 oa123456 oa1234567
    """.split()
)


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要{MIN_PASSWORD_LENGTH}位", field="password")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise ValidationError("密码需要同时包含字母和数字", field="password")
    if username and password.lower() == username.lower():
        raise ValidationError("密码不能与用户名相同", field="password")
    if password.lower() in COMMON_PASSWORDS:
        raise ValidationError("这个密码太常见，容易被猜中，请换一个不常见的密码", field="password")
