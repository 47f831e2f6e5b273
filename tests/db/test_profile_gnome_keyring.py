"""A real gnome-keyring, under a private D-Bus session: a password stored while it is unlocked is found; once
the keyring is locked (and no unlock prompt can show) the program says "locked", not "nothing stored", and
storing says in Chinese that the keyring is locked. Skipped where gnome-keyring or dbus-run-session is missing
(.ci/run installs gnome-keyring)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = r"""
import json, secretstorage
from app.db import profile as profiles
profile = profiles.ConnectionProfile(kind="server", backend="postgresql", host="192.168.1.10", port=5432,
                                     database="govdesk", user="clerk")
seen = {"available": profiles.keyring_available()}
profiles.store_password(profile, "s3cret")
seen["unlocked"] = list(map(str, profiles.read_password(profile).__dict__.values()))
connection = secretstorage.dbus_init()
for collection in secretstorage.get_all_collections(connection):
    collection.lock()
seen["locked"] = list(map(str, profiles.read_password(profile).__dict__.values()))
try:
    profiles.store_password(profile, "other")
    seen["store"] = "stored"
except profiles.KeyringUnavailable as error:
    seen["store"] = str(error)
print(json.dumps(seen, ensure_ascii=False))
"""

SESSION = """
eval "$(printf 'unlock-me\\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$PYTHON" -c "$CHECK"
"""


@pytest.mark.skipif(
    not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")),
    reason="没有 gnome-keyring-daemon 或 dbus-run-session：apt-get install gnome-keyring dbus 后可运行",
)
def test_a_locked_gnome_keyring_is_said_to_be_locked(tmp_path: Path) -> None:
    pytest.importorskip("secretstorage")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "XDG_RUNTIME_DIR": str(runtime),
        "DISPLAY": "",  # the unlock prompt cannot show: the user has dismissed it, in effect
        "PYTHON": sys.executable,
        "CHECK": CHECK,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    (tmp_path / "home").mkdir()
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", SESSION], env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["available"] is True
    assert seen["unlocked"] == ["s3cret", "found"]
    assert seen["locked"] == ["None", "locked"]
    assert "已锁定" in seen["store"]
