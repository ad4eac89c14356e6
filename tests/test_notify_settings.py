"""Mail settings: environment over obligations.toml, and errors that name the key and a good value."""

from __future__ import annotations

from pathlib import Path

import pytest

from obligations.notify.settings import DEFAULT_REMINDER_DAYS, SettingsError, load_settings

FILE = """
OBLIGATIONS_SMTP_HOST = "mail.example.go.kr"
OBLIGATIONS_SMTP_SECURITY = "starttls"
OBLIGATIONS_MAIL_FROM = "의무 알림 <obligations@example.go.kr>"
OBLIGATIONS_REMINDER_DAYS = [14, 7, 0]
OBLIGATIONS_LEDGER = "/var/lib/obligations/ledger.sqlite"
"""


def test_defaults_without_file_or_environment(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.host is None and settings.security == "none" and settings.port == 25
    assert settings.reminder_days == DEFAULT_REMINDER_DAYS
    assert settings.mail_from.addr_spec == "obligations@localhost"


def test_file_in_the_current_directory_and_environment_wins(tmp_path: Path) -> None:
    (tmp_path / "obligations.toml").write_text(FILE, encoding="utf-8")
    settings = load_settings(environ={"OBLIGATIONS_SMTP_HOST": "relay.internal"}, cwd=tmp_path)
    assert settings.host == "relay.internal"
    assert settings.security == "starttls" and settings.port == 587  # the port follows the security
    assert settings.mail_from.display_name == "의무 알림"
    assert settings.reminder_days == (14, 7, 0)
    assert settings.ledger == Path("/var/lib/obligations/ledger.sqlite")


def test_config_option_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(
        'OBLIGATIONS_SMTP_HOST = "a.example.org"\nOBLIGATIONS_SMTP_PORT = 2525\n', encoding="utf-8"
    )
    settings = load_settings(path, environ={}, cwd=tmp_path)
    assert (settings.host, settings.port) == ("a.example.org", 2525)
    with pytest.raises(SettingsError, match="cannot read the settings file"):
        load_settings(tmp_path / "missing.toml", environ={}, cwd=tmp_path)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"OBLIGATIONS_SMTP_SECURITY": "ssl"},
            "OBLIGATIONS_SMTP_SECURITY 'ssl' is not one of none, starttls, tls",
        ),
        (
            {"OBLIGATIONS_SMTP_PORT": "smtp"},
            "OBLIGATIONS_SMTP_PORT must be a whole number from 1 to 65535; got: 'smtp'",
        ),
        (
            {
                "OBLIGATIONS_SMTP_HOST": "mail.example.org",
                "OBLIGATIONS_SMTP_USER": "u",
                "OBLIGATIONS_SMTP_PASSWORD": "p",
            },
            "the password would cross the network unencrypted",
        ),
        ({"OBLIGATIONS_SMTP_USER": "u"}, "OBLIGATIONS_SMTP_PASSWORD is not"),
        ({"OBLIGATIONS_MAIL_FROM": "not an address"}, "OBLIGATIONS_MAIL_FROM must be an address"),
        ({"OBLIGATIONS_REMINDER_DAYS": "30,two"}, "must list whole days such as 30,14,7,3,1,0"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(environ=environ, cwd=tmp_path)


def test_unknown_key_in_the_file(tmp_path: Path) -> None:
    (tmp_path / "obligations.toml").write_text('OBLIGATIONS_SMTP_HOTS = "x"\n', encoding="utf-8")
    with pytest.raises(
        SettingsError, match="unknown setting 'OBLIGATIONS_SMTP_HOTS'; known settings: OBLIGATIONS_SMTP_HOST"
    ):
        load_settings(environ={}, cwd=tmp_path)
