"""The body's working hours come from the configuration; the old one-number-per-family
setting is refused by name rather than silently ignored."""

from __future__ import annotations

from datetime import time

import pytest

from app.config import DEFAULTS
from app.errors import ConfigError
from app.settings import Settings


def _config(**changes):
    return {**DEFAULTS, "QUJAT_BLOB_DIR": "/tmp/blobs", **changes}


def test_the_default_working_day_is_nine_to_half_past_six_in_almaty():
    hours = Settings.from_config(_config()).working_hours
    assert (hours.start, hours.end, hours.zone) == (time(9), time(18, 30), "Asia/Almaty")


def test_working_hours_follow_the_configuration_and_the_bodys_zone():
    settings = Settings.from_config(_config(QUJAT_WORKING_HOURS="08:00-17:00",
                                            QUJAT_TIMEZONE="Asia/Aqtobe"))
    assert (settings.working_hours.end, settings.working_hours.zone) == (time(17), "Asia/Aqtobe")


@pytest.mark.parametrize("value", ["18:00-09:00", "nine to six", "25:00-26:00"])
def test_working_hours_that_are_not_hours_are_refused_by_name(value):
    with pytest.raises(ConfigError) as refused:
        Settings.from_config(_config(QUJAT_WORKING_HOURS=value))
    assert refused.value.details["setting"] == "QUJAT_WORKING_HOURS"


def test_the_old_deadline_setting_is_refused_by_name():
    with pytest.raises(ConfigError) as refused:
        Settings.from_config(_config(
            QUJAT_DEADLINE_WORKING_DAYS={"appeal": 15, "application": 30}))
    assert refused.value.details["setting"] == "QUJAT_DEADLINE_WORKING_DAYS"
    assert "/admin/deadline-rules" in str(refused.value)
