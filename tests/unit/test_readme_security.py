"""The README's security section states every sign-in and session setting with its real default,
and names tests that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
# Every setting read from the environment in config.py, with the default it falls back on.
DEFAULTS = dict(
    re.findall(r'os\.environ\.get\("((?:SIGN_IN|SESSION)_[A-Z_]+)", "([^"]*)"\)', (ROOT / "config.py").read_text())
)


def test_every_throttling_and_session_setting_is_in_the_readme_with_its_default():
    assert {"SIGN_IN_ADDRESS_MAX_FAILURES", "SESSION_MAX_HOURS", "SESSION_IDLE_MINUTES"} <= set(DEFAULTS)
    for name, default in DEFAULTS.items():
        assert f"| `{name}` | {default} |" in README, name


def test_the_tests_the_readme_names_exist():
    section = README[README.index("## Security: sign-in and sessions") : README.index("## Architecture")]
    named = set(re.findall(r"`(test_[a-z_]+)`", section)) | set(re.findall(r"::(test_[a-z_]+)", section))
    assert len(named) >= 10
    tests = "".join(p.read_text() for p in (ROOT / "tests" / "integration").glob("test_*.py"))
    assert not [name for name in named if f"def {name}(" not in tests]
