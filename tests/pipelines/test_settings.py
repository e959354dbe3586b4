"""The config file: values read, secrets and wrong types refused in one line."""

from __future__ import annotations

import pytest

from pipelines.settings import SettingsError, load_settings


def settings_from(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_values_are_read_and_overrides_win(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'inbox = "/data/inbox"\n[owner]\nemails = ["Me@Example.com"]\ndefault_region = "GB"\ntimezone = "Europe/London"\n'
        "[privacy]\nstore_titles = true\n[scoring]\nchange_probability = 0.2\ninteractions_per_day = 2\n",
        encoding="utf-8",
    )
    settings = load_settings(path, owner_emails=["other@example.com"])
    assert str(settings.inbox) == "/data/inbox"
    assert settings.owner_emails == ["me@example.com", "other@example.com"]
    assert (settings.default_region, settings.store_titles, settings.scoring.change_probability) == ("GB", True, 0.2)
    assert settings.scoring.interactions_per_day == 2
    assert settings.owner_timezone == "Europe/London"
    assert load_settings(tmp_path / "missing.toml").owner_timezone == "UTC"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[owner]\nemails = "me@x.com"\n', "[owner] emails must be a list"),
        ('owner = "x"\n', "[owner] must be a table"),
        ('[owner]\ntimezone = "Mars/Olympus"\n', "[owner] timezone must be an IANA time zone such as Europe/London"),
        ('[owner]\ntimezone = "PST"\n', "[owner] timezone must be an IANA time zone"),  # DuckDB takes it, Dagster not
        ("[owner]\ntimezone = 1\n", "[owner] timezone must be a string"),
        ("[privacy]\nstore_titles = 1\n", "[privacy] store_titles must be true or false"),
        ('[scoring]\nchange_probability = "soon"\n', "[scoring] change_probability must be a number"),
        ("[scoring]\nhalf_lives = 3\n", "unknown [scoring] setting 'half_lives'"),
        ("[scoring]\ninteractions_per_day = 0\n", "[scoring] interactions_per_day must be a whole number of at least 1"),
        ("[scoring]\ninteractions_per_day = 1.5\n", "[scoring] interactions_per_day must be a whole number"),
        ("[scoring]\nhalf_life_days = 0\n", "[scoring] half_life_days must be above 0"),
        ("[scoring]\nchange_probability = 1.5\n", "[scoring] change_probability must be between 0 and 1"),
        ('[accounts]\nname = "x"\n', "accounts ([[accounts]] entries) must be a list"),
        ('[[accounts]]\nname = "x"\n', "needs a name and a kind"),
        ('[[accounts]]\nname = "x"\nkind = "imap"\npassword = "hunter2"\n', "secrets never go in the config file"),
        ("[owner\n", "config.toml"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(SettingsError) as raised:
        settings_from(tmp_path, text)
    assert message in str(raised.value)
    assert "hunter2" not in str(raised.value)
