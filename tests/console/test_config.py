"""The console's config file (CONTRACTS §3)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from console.config import TlsMode, load_config, parse_config
from console.errors import ConfigError

BASE = {
    "xmpp": {
        "jid": "tampere@chat.example/desk-1",
        "password": "pw",
        "host": "127.0.0.1",
        "port": 5222,
        "tls": "required",
    },
    "bridge": "patrons.chat.example",
}


def write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "console.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


def test_example_from_contracts(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, {**BASE, "lang": "fi", "log": "var/c.sqlite3", "roster": "rota.yaml"}))
    assert cfg.xmpp.bare == "tampere@chat.example" and cfg.xmpp.resource == "desk-1"
    assert cfg.xmpp.tls is TlsMode.REQUIRED and cfg.lang == "fi"
    assert cfg.log == tmp_path / "var" / "c.sqlite3"
    assert cfg.roster == tmp_path / "rota.yaml"
    assert cfg.retention_days == 365 and cfg.alerts.bell and cfg.alerts.highlight


def test_password_file_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("s3cret\n")
    xmpp = {**BASE["xmpp"], "password_file": "secret"}
    del xmpp["password"]
    assert load_config(write(tmp_path, {**BASE, "xmpp": xmpp})).xmpp.password == "s3cret"


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_tls_off_on_loopback(tmp_path: Path, host: str) -> None:
    xmpp = {**BASE["xmpp"], "tls": "off", "host": host}
    assert load_config(write(tmp_path, {**BASE, "xmpp": xmpp})).xmpp.tls is TlsMode.OFF


def test_tls_off_refused_elsewhere(tmp_path: Path) -> None:
    xmpp = {**BASE["xmpp"], "tls": "off", "host": "chat.example"}
    with pytest.raises(ConfigError, match="only to a server on this machine"):
        load_config(write(tmp_path, {**BASE, "xmpp": xmpp}))


def test_bare_yaml_off_means_tls_off(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("xmpp: {jid: a@b/c, password: x, host: 127.0.0.1, tls: off}\nbridge: p.b\n")
    assert load_config(p).xmpp.tls is TlsMode.OFF


def test_missing_ca_file_is_named(tmp_path: Path) -> None:
    xmpp = {**BASE["xmpp"], "ca_file": "ca.pem"}
    with pytest.raises(ConfigError, match=r"ca\.pem does not exist"):
        load_config(write(tmp_path, {**BASE, "xmpp": xmpp}))
    (tmp_path / "ca.pem").write_text("x")
    assert load_config(write(tmp_path, {**BASE, "xmpp": xmpp})).xmpp.ca_file == tmp_path / "ca.pem"


def test_jid_needs_a_resource(tmp_path: Path) -> None:
    xmpp = {**BASE["xmpp"], "jid": "tampere@chat.example"}
    with pytest.raises(ConfigError, match="no resource"):
        load_config(write(tmp_path, {**BASE, "xmpp": xmpp}))


def test_alerts_and_retention(tmp_path: Path) -> None:
    cfg = load_config(
        write(tmp_path, {**BASE, "retention_days": 30, "alerts": {"bell": False, "repeat_seconds": 60}})
    )
    assert cfg.retention_days == 30
    assert not cfg.alerts.bell and cfg.alerts.highlight and cfg.alerts.repeat_seconds == 60
    with pytest.raises(ConfigError, match="unknown alerts option"):
        load_config(write(tmp_path, {**BASE, "alerts": {"sound": True}}))


def test_waiting_chats_ring_again_every_minute_by_default(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, BASE))
    assert cfg.alerts.repeat_seconds == 60 and cfg.alerts.escalate
    off = load_config(write(tmp_path, {**BASE, "alerts": {"repeat_seconds": 0}}))
    assert off.alerts.repeat_seconds == 0


def test_lang_from_locale() -> None:
    raw = dict(BASE)
    assert parse_config(raw, Path("."), "x", {"LANG": "fi_FI.UTF-8"}).lang == "fi"
    assert parse_config(raw, Path("."), "x", {"LANG": "en_GB.UTF-8"}).lang == "en"


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_demo_clock_runs_the_console_from_the_bridges_demo_instant(tmp_path) -> None:
    from datetime import UTC, datetime, timedelta

    from console.clock import shifted_clock
    from console.config import parse_config

    raw = {
        "xmpp": {"jid": "tampere@chat.localhost/seat", "password": "x", "host": "127.0.0.1", "tls": "off"},
        "bridge": "patrons.chat.localhost",
        "demo_clock": "2026-11-23T10:30:00+02:00",
    }
    config = parse_config(raw, tmp_path, "console.yaml", environ={})
    assert config.demo_clock == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    now = shifted_clock(config.demo_clock)()
    assert abs(now - datetime(2026, 11, 23, 8, 30, tzinfo=UTC)) < timedelta(seconds=5)
    raw["demo_clock"] = "2026-11-23T10:30:00"
    with pytest.raises(ConfigError, match="UTC offset"):
        parse_config(raw, tmp_path, "console.yaml", environ={})


def test_receipt_resend_seconds(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, BASE)).receipt_resend_seconds == 15
    assert load_config(write(tmp_path, {**BASE, "receipt_resend_seconds": 0})).receipt_resend_seconds == 0
    for bad in (2, -1, "soon", True):
        with pytest.raises(ConfigError, match=r"receipt_resend_seconds must be .* 5 or more"):
            load_config(write(tmp_path, {**BASE, "receipt_resend_seconds": bad}))


async def test_the_demo_clock_reaches_the_local_log_and_lines_without_a_stamp(tmp_path: Path) -> None:
    """One clock: build_app hands the config's demo clock to the app, the local log (drafts,
    chats, pruning) and the XMPP back end (lines that carry no delay stamp)."""
    from datetime import UTC, datetime, timedelta

    from console.__main__ import build_app
    from console.stanzas import chat_event

    path = write(
        tmp_path,
        {**BASE, "demo_clock": "2026-11-23T10:30:00+02:00", "log": str(tmp_path / "log.sqlite3")},
    )
    app = build_app(path)
    demo = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    for clock in (app.now, app.chat_log.clock, app.backend.clock):  # type: ignore[attr-defined]
        assert abs(clock() - demo) < timedelta(seconds=5)
    await app.chat_log.open()
    try:
        await app.chat_log.set_draft("p-aaaa", "luonnos")
        async with app.chat_log.db.execute("SELECT updated FROM drafts") as cur:
            (updated,) = await cur.fetchone()  # type: ignore[misc]
        assert updated.startswith("2026-11-23T08:3")
    finally:
        await app.chat_log.close()
    line = chat_event({"session": "p-aaaa", "kind": "line"}, "Hei", None, demo).line  # type: ignore[attr-defined]
    assert line.ts == demo
