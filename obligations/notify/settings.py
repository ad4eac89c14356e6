"""Settings (registry, mail, ledger): environment variables, or the same keys in ``obligations.toml``.

The file is the one named by ``--config``, else ``obligations.toml`` in the current directory, if there is
one. A variable set in the environment wins over the file, so that a secret (the password) can stay out of
the file and a one-off run can override a setting without editing it.

Example ``obligations.toml``::

    OBLIGATIONS_SMTP_HOST = "mail.example.go.kr"
    OBLIGATIONS_SMTP_PORT = 587
    OBLIGATIONS_SMTP_SECURITY = "starttls"
    OBLIGATIONS_SMTP_USER = "obligations"
    OBLIGATIONS_MAIL_FROM = "의무 알림 <obligations@example.go.kr>"
    OBLIGATIONS_REMINDER_DAYS = [30, 14, 7, 3, 1, 0]
    OBLIGATIONS_REGISTRY = "/srv/agreements"      # or: registry = "/srv/agreements"
    keepers = ["registry-keeper"]                 # or: OBLIGATIONS_KEEPERS = "registry-keeper,it-desk"

A relative ``OBLIGATIONS_REGISTRY`` in the file is taken from the file's folder; in the environment, from the
current directory. See docs/operations.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Literal

from obligations.textfile import FileRefused, NotText, decode_utf8, read_limited, refuse_control_characters

CONFIG_NAME = "obligations.toml"
Security = Literal["none", "starttls", "tls"]
SECURITIES: tuple[Security, ...] = ("none", "starttls", "tls")
DEFAULT_PORTS: dict[Security, int] = {"none": 25, "starttls": 587, "tls": 465}
DEFAULT_REMINDER_DAYS = (30, 14, 7, 3, 1, 0)
DEFAULT_FROM = "obligations@localhost"

KEYS = (
    "OBLIGATIONS_SMTP_HOST",
    "OBLIGATIONS_SMTP_PORT",
    "OBLIGATIONS_SMTP_USER",
    "OBLIGATIONS_SMTP_PASSWORD",
    "OBLIGATIONS_SMTP_SECURITY",
    "OBLIGATIONS_SMTP_CAFILE",  # a private CA for an internal relay; certificates are always verified
    "OBLIGATIONS_SMTP_TIMEOUT",
    "OBLIGATIONS_MAIL_FROM",
    "OBLIGATIONS_LEDGER",
    "OBLIGATIONS_OUTBOX",
    "OBLIGATIONS_REMINDER_DAYS",
    "OBLIGATIONS_REGISTRY",  # the case files read when a command is given no PATH
    "OBLIGATIONS_KEEPERS",  # contacts keys of the registry's keepers, mailed what would otherwise go unseen
)
# The file may spell these keys as the short words the documentation uses.
_FILE_ALIASES = {"registry": "OBLIGATIONS_REGISTRY", "keepers": "OBLIGATIONS_KEEPERS"}
_CONTACT_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ENVIRONMENT = "the environment"
_ADDR_SPEC = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the key, where it came from and a good value."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = None
    security: Security = "none"
    cafile: Path | None = None
    timeout: float = 30.0
    mail_from: Address = field(default_factory=lambda: Address(addr_spec=DEFAULT_FROM))
    ledger: Path | None = None
    outbox: Path | None = None
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    registry: Path | None = None
    keepers: tuple[str, ...] = ()  # contacts keys


def is_addr_spec(text: str) -> bool:
    """A plain ASCII ``local@domain``: what may go into an envelope and a To header without quoting.

    Deliberately narrower than RFC 5321: an owner's address comes from a case file, and anything unusual
    there is more likely a mistake or an injection attempt than a real mailbox.
    """
    return len(text) <= 254 and _ADDR_SPEC.fullmatch(text) is not None


def load_settings(
    config: Path | None = None, environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> MailSettings:
    """Read the settings; ``config`` is ``--config FILE`` (which must exist), else ``./obligations.toml``."""
    environ = os.environ if environ is None else environ
    values: dict[str, tuple[object, str]] = {}
    path = config if config is not None else (cwd or Path.cwd()) / CONFIG_NAME
    if config is not None or path.exists() or path.is_symlink():  # a FIFO or a dangling link is refused
        for key, value in _read_file(path).items():
            values[key] = (value, str(path))
    for key in KEYS:
        if environ.get(key, "") != "":
            values[key] = (environ[key], _ENVIRONMENT)
    return _settings(values)


def _read_file(path: Path) -> dict[str, object]:
    import tomllib  # here: most runs have no settings file, and every command's start-up would pay for it

    try:
        text = decode_utf8(read_limited(path, "settings files"))
        refuse_control_characters(text)
        data = tomllib.loads(text)
    except FileRefused as error:
        raise SettingsError(f"cannot read the settings file {str(path)!r}: {error.reason}") from error
    except NotText as error:
        raise SettingsError(f"{path}:{error.line}: {error.reason}; a settings file is UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(
            f'{path}: not valid TOML ({error}); e.g. OBLIGATIONS_SMTP_HOST = "mail.example.org"'
        ) from error
    unknown = sorted(set(data) - set(KEYS) - set(_FILE_ALIASES))
    if unknown:
        raise SettingsError(
            f"{path}: unknown setting {unknown[0]!r}; known settings: {', '.join(KEYS)} "
            "(see docs/operations.md)"
        )
    for alias, key in _FILE_ALIASES.items():
        if alias in data and key in data:
            raise SettingsError(f"{path}: {alias!r} and {key!r} name the same setting; keep one")
        if alias in data:
            data[key] = data.pop(alias)
    return data


def _settings(values: dict[str, tuple[object, str]]) -> MailSettings:
    def text(key: str) -> str | None:
        if key not in values:
            return None
        value, where = values[key]
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise SettingsError(f"{key} (from {where}) must be text; got: {value!r}")
        return str(value).strip() or None

    security = (text("OBLIGATIONS_SMTP_SECURITY") or "none").lower()
    if security not in SECURITIES:
        raise SettingsError(
            f"OBLIGATIONS_SMTP_SECURITY {security!r} is not one of {', '.join(SECURITIES)} "
            f"(from {values['OBLIGATIONS_SMTP_SECURITY'][1]})"
        )
    sec: Security = security
    host = text("OBLIGATIONS_SMTP_HOST")
    user = text("OBLIGATIONS_SMTP_USER")
    password = text("OBLIGATIONS_SMTP_PASSWORD")
    if user and password is None:
        raise SettingsError("OBLIGATIONS_SMTP_USER is set but OBLIGATIONS_SMTP_PASSWORD is not")
    if user and sec == "none" and host not in _LOOPBACK:
        # Refused rather than warned: a nightly job would send the password in clear every night.
        raise SettingsError(
            "OBLIGATIONS_SMTP_USER is set with OBLIGATIONS_SMTP_SECURITY none: the password would cross the "
            "network unencrypted; use starttls or tls"
        )
    cafile = text("OBLIGATIONS_SMTP_CAFILE")
    if cafile and not Path(cafile).is_file():
        raise SettingsError(f"OBLIGATIONS_SMTP_CAFILE {cafile!r} is not a readable file")
    return MailSettings(
        host=host,
        port=_number("OBLIGATIONS_SMTP_PORT", text("OBLIGATIONS_SMTP_PORT"), DEFAULT_PORTS[sec], 1, 65535),
        user=user,
        password=password,
        security=sec,
        cafile=Path(cafile) if cafile else None,
        timeout=float(_number("OBLIGATIONS_SMTP_TIMEOUT", text("OBLIGATIONS_SMTP_TIMEOUT"), 30, 1, 3600)),
        mail_from=_mail_from(text("OBLIGATIONS_MAIL_FROM") or DEFAULT_FROM),
        ledger=_path(text("OBLIGATIONS_LEDGER")),
        outbox=_path(text("OBLIGATIONS_OUTBOX")),
        reminder_days=_reminder_days(values.get("OBLIGATIONS_REMINDER_DAYS")),
        registry=_registry(values.get("OBLIGATIONS_REGISTRY")),
        keepers=_keepers(values.get("OBLIGATIONS_KEEPERS")),
    )


def _number(key: str, text: str | None, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise SettingsError(f"{key} must be a whole number from {low} to {high}; got: {text!r}")
    return int(text)


def _path(text: str | None) -> Path | None:
    return Path(text).expanduser() if text else None


def _registry(entry: tuple[object, str] | None) -> Path | None:
    """The registry folder; relative to the settings file when it comes from one."""
    if entry is None:
        return None
    value, where = entry
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(
            f"OBLIGATIONS_REGISTRY (from {where}) must name a folder such as '/srv/agreements'"
        )
    path = Path(value.strip()).expanduser()
    return path if where == _ENVIRONMENT or path.is_absolute() else Path(where).parent / path


def _mail_from(text: str) -> Address:
    name, addr = parseaddr(text)
    if not is_addr_spec(addr) or any(ch in text for ch in "\r\n"):
        raise SettingsError(
            f"OBLIGATIONS_MAIL_FROM must be an address such as 'obligations@example.org' or "
            f"'의무 알림 <obligations@example.org>'; got: {text!r}"
        )
    return Address(display_name=name, addr_spec=addr)


def _reminder_days(entry: tuple[object, str] | None) -> tuple[int, ...]:
    """``30,14,7`` (environment) or ``[30, 14, 7]`` (file): days before a date on which to remind again."""
    if entry is None:
        return DEFAULT_REMINDER_DAYS
    value, where = entry
    items: list[object] = []
    items.extend(value if isinstance(value, list) else str(value).replace(" ", "").split(","))
    days: list[int] = []
    for item in items:
        if isinstance(item, bool) or not (
            isinstance(item, int) or (isinstance(item, str) and item.isdigit())
        ):
            raise SettingsError(
                f"OBLIGATIONS_REMINDER_DAYS (from {where}) must list whole days such as 30,14,7,3,1,0; "
                f"got: {value!r}"
            )
        days.append(int(item))
    return tuple(sorted(set(days), reverse=True))


def _keepers(entry: tuple[object, str] | None) -> tuple[str, ...]:
    """``registry-keeper,it-desk`` (environment) or ``["registry-keeper", "it-desk"]`` (file): keys of
    contacts.yaml, in the form every owner key has."""
    if entry is None:
        return ()
    value, where = entry
    items = value if isinstance(value, list) else str(value).split(",")
    keys = [item.strip() if isinstance(item, str) else item for item in items]
    for key in keys:
        if not isinstance(key, str) or not _CONTACT_KEY.fullmatch(key):
            raise SettingsError(
                f"OBLIGATIONS_KEEPERS (from {where}) must list keys of contacts.yaml such as "
                f"'registry-keeper,it-desk'; got: {key!r}"
            )
    return tuple(dict.fromkeys(str(key) for key in keys))
