"""`[triage]` in escdesk.toml: the weights and the meeting, checked at start-up (R-TRI-1/2)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from escdesk.config import load_settings
from escdesk.domain.errors import InvalidInput


def test_the_toml_file_sets_the_meeting_and_the_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "escdesk.toml"
    path.write_text(
        '[triage]\ndays = ["tuesday"]\ntime = "09:30"\ntimezone = "Europe/Berlin"\n'
        "[triage.weights]\nbug = 50\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ESCDESK_CONFIG", str(path))
    config = load_settings().triage_config()
    assert config.weights.bug == 50 and config.weights.enhancement == 10
    assert config.schedule.days == (1,) and config.schedule.at == time(9, 30)


def test_a_wrong_weight_stops_start_up_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "escdesk.toml"
    path.write_text("[triage.weights]\nbugs = 50\n", encoding="utf-8")
    monkeypatch.setenv("ESCDESK_CONFIG", str(path))
    with pytest.raises(InvalidInput) as refused:
        load_settings()
    assert refused.value.field == "triage.weights.bugs"
