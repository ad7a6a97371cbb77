"""Typed readers of the environment for config/settings.py.

Each reader turns one variable into a Python value, or stops the start with an
ImproperlyConfigured that names the variable and the expected form, rather than a bare
ValueError traceback far from the cause. Every name read is recorded in `VARIABLES`, so the
README's configuration table can be checked against what the settings really read, and a
name read twice is refused: a setting has one home.
"""

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
# Django REST framework reads a rate as "<count>/<period>" and looks only at the period's first
# letter; anything else fails on the first API request, so it is checked at start instead.
_RATE = re.compile(r"^\d+/(s|m|h|d)[a-z]*$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class Variable:
    """One environment variable the settings read: its expected form, and what it replaces."""

    name: str
    form: str
    deprecated_for: str = ""


# Every variable read so far, in reading order (aliases included, marked deprecated).
VARIABLES: dict[str, Variable] = {}


def start_reading() -> None:
    """Forget what was read: the settings module is starting (again) from its first line."""
    VARIABLES.clear()


def _declare(name: str, form: str, deprecated_for: str = "") -> None:
    """Record that `name` is read; refuse a second read, which would be a second home."""
    if name in VARIABLES:
        raise ImproperlyConfigured(
            f"{name} is read twice in config/settings.py: read it once and reuse the setting."
        )
    VARIABLES[name] = Variable(name, form, deprecated_for)


def _malformed(name: str, value: str, form: str) -> ImproperlyConfigured:
    """The error for a value that does not have the expected form."""
    return ImproperlyConfigured(
        f"Environment variable {name}={value!r} is malformed: expected {form} "
        "(see the configuration table in README.md)."
    )


def _read(
    name: str,
    default: T,
    form: str,
    convert: Callable[[str], T],
    aliases: Iterable[str] = (),
) -> T:
    """Read `name` (or a deprecated alias) with `convert`; empty or unset means the default."""
    _declare(name, form)
    found: dict[str, T] = {}
    for candidate in (name, *aliases):
        if candidate != name:
            _declare(candidate, form, deprecated_for=name)
        raw = os.environ.get(candidate, "").strip()
        if not raw:
            continue
        try:
            found[candidate] = convert(raw)
        except (KeyError, ValueError):
            raise _malformed(candidate, raw, form) from None
    values = list(found.values())
    if any(value != values[0] for value in values[1:]):
        given = ", ".join(f"{key}={value!r}" for key, value in found.items())
        raise ImproperlyConfigured(f"{given} disagree: they are one setting; set only {name}.")
    return next(iter(found.values())) if found else default


def env_str(name: str, default: str = "") -> str:
    """A text value, kept exactly as written (a password may end with a space)."""
    _declare(name, "text")
    return os.environ.get(name, default)


def env_int(
    name: str, default: int, *, minimum: int | None = None, aliases: Iterable[str] = ()
) -> int:
    """A whole number, at least `minimum` when given."""
    form = "a whole number" if minimum is None else f"a whole number of at least {minimum}"

    def convert(raw: str) -> int:
        value = int(raw)
        if minimum is not None and value < minimum:
            raise ValueError(raw)
        return value

    return int(_read(name, default, form, convert, aliases))


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    """A number (a decimal point, not a comma), at least `minimum` when given."""
    form = "a number such as 2.5" + ("" if minimum is None else f", at least {minimum:g}")

    def convert(raw: str) -> float:
        value = float(raw)
        # float() accepts "nan" and "inf", which no duration or distance can be.
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(raw)
        if minimum is not None and value < minimum:
            raise ValueError(raw)
        return value

    return float(_read(name, default, form, convert))


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no value: 1, true, yes, on or 0, false, no, off (any case)."""

    def convert(raw: str) -> bool:
        word = raw.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(raw)

    return _read(name, default, "1/0, true/false, yes/no or on/off", convert)


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blank items are dropped."""
    _declare(name, "a comma-separated list")
    raw = os.environ.get(name)
    return [item.strip() for item in (default if raw is None else raw).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    """One of `choices`, matched without regard to case."""
    allowed = {choice.lower(): choice for choice in choices}
    form = "one of " + ", ".join(repr(choice) for choice in allowed.values())

    def convert(raw: str) -> str:
        return allowed[raw.lower()]  # a KeyError is a value outside the choices

    return _read(name, default, form, convert)


def env_log_level(name: str, default: str) -> str:
    """A logging level name (DEBUG, INFO, WARNING, ERROR, CRITICAL), any case."""
    return env_choice(name, default, _LOG_LEVELS)


def env_rate(name: str, default: str) -> str:
    """A request rate in Django REST framework's form: "<count>/<second|minute|hour|day>"."""

    def convert(raw: str) -> str:
        if not _RATE.match(raw):
            raise ValueError(raw)
        return raw

    form = 'a rate such as "120/minute" (per second, minute, hour or day)'
    return _read(name, default, form, convert)


def env_database_url(name: str, default: str, **options) -> dict:
    """A database address (dj-database-url's form) as Django's DATABASES entry; empty: default."""
    form = "a database URL such as postgres://user@host:5432/relais or sqlite:///path"

    def convert(raw: str) -> dict:
        # dj-database-url raises ValueError for an unknown scheme; a URL without a scheme, or
        # with no database name, would only fail at the first query.
        if "://" not in raw or raw.endswith("://"):
            raise ValueError(raw)
        return dj_database_url.parse(raw, **options)

    value = _read(name, None, form, convert)
    return value if value is not None else dj_database_url.parse(default, **options)
