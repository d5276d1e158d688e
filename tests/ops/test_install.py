"""The production install of docs/operations.md, followed step by step in a temporary folder.

The machine's own /opt, /etc and /var are not touched: every documented path is moved under
the test's folder, ports are free loopback ports, and Prosody runs as a child process instead
of a systemd service. Everything else is as documented: `./tiski install` into a copy of the
checkout (a venv without test tools), the shipped Prosody config with only the component
secret filled in, `prosodyctl check config`, desk accounts from the roster with
`python -m rota accounts --run`, the bridge started from the installed venv with the example
config, `/health`, a desk signing in over TLS, and an online backup.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest
import slixmpp
import yaml

from demo.prosody import free_port, make_certificate

pytestmark = [
    pytest.mark.prosody,
    pytest.mark.skipif(shutil.which("prosodyctl") is None, reason="needs Prosody (./tiski setup)"),
]

ROOT = Path(__file__).resolve().parents[2]
PIKI = ROOT / "examples" / "piki"
DOMAIN = "chat.piki.example"
COMPONENT = "patrons.chat.piki.example"


def sh(*argv: str, cwd: Path | None = None, timeout: float = 300) -> str:
    """Run a documented command; fail with its output when it fails."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(argv)} → {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def moved(text: str, root: Path) -> str:
    """The documented absolute paths, under the test's folder instead of /."""
    for path in ("/etc/tiski", "/var/lib/tiski", "/etc/prosody", "/var/lib/prosody", "/var/log/prosody"):
        text = text.replace(f'"{path}', f'"{root}{path}').replace(f" {path}", f" {root}{path}")
    return text.replace('"/run/prosody/prosody.pid"', f'"{root}/run/prosody.pid"')


def install_checkout(opt: Path) -> None:
    """Step 1: the checkout at /opt/tiski, then `./tiski install`."""
    files = sh("git", "ls-files", "-z", cwd=ROOT).split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (opt / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, opt / name)
    sh(str(opt / "tiski"), "install", cwd=opt, timeout=900)


def prosody_config(etc: Path, root: Path, secret: str, c2s: int, component: int) -> Path:
    """Step 3: the shipped config with the secret filled in (sed in the docs)."""
    text = (PIKI / "prosody" / "prosody.cfg.lua").read_text()
    text = text.replace("@COMPONENT_SECRET@", secret)
    # Only for the test: its own folder, loopback, free ports, and root may run it.
    text = moved(text, root).replace('certificates = "certs"', f'certificates = "{etc}/certs"')
    text = text.replace('interfaces = { "*" }', 'interfaces = { "127.0.0.1" }')
    text = text.replace("c2s_ports = { 5222 }", f"c2s_ports = {{ {c2s} }}")
    text = text.replace("component_ports = { 5347 }", f"component_ports = {{ {component} }}")
    if os.geteuid() == 0:
        text = "run_as_root = true\n" + text
    path = etc / "prosody.cfg.lua"
    path.write_text(text)
    return path


class Desk(slixmpp.ClientXMPP):
    """A desk that signs in once over STARTTLS (the certificate trusted like a public CA's)."""

    def __init__(self, jid: str, password: str, port: int, ca: Path) -> None:
        super().__init__(f"{jid}/check", password)
        self.port, self.ca_certs = port, ca
        self.enable_direct_tls, self.enable_starttls, self.enable_plaintext = False, True, False
        self.result: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        for event, ok in (("session_start", True), ("failed_auth", False), ("connection_failed", False)):
            self.add_event_handler(event, lambda _, ok=ok: self.result.done() or self.result.set_result(ok))

    async def signs_in(self) -> tuple[bool, bool]:
        """Whether it signed in, and whether the stream was encrypted."""
        self.connect("127.0.0.1", self.port)
        try:
            ok = await asyncio.wait_for(self.result, 15)
            return ok, bool(self.transport and self.transport.get_extra_info("ssl_object"))
        finally:
            self.disconnect()


async def test_the_documented_production_install(tmp_path: Path) -> None:
    root = tmp_path / "root"
    opt, etc, etc_prosody = root / "opt" / "tiski", root / "etc" / "tiski", root / "etc" / "prosody"
    for folder in (
        opt,
        etc,
        etc_prosody / "certs",
        root / "var" / "lib" / "tiski",
        root / "var" / "lib" / "prosody",
    ):
        folder.mkdir(parents=True)
    (root / "var" / "log" / "prosody").mkdir(parents=True)
    (root / "run").mkdir()

    # 1. The code and a venv without test tools.
    await asyncio.to_thread(install_checkout, opt)
    venv_python = opt / ".venv" / "bin" / "python"
    sh(str(venv_python), "-c", "import bridge, console, rota, tags")
    for tool in ("playwright", "mypy", "pytest"):
        missing = await asyncio.create_subprocess_exec(
            str(venv_python), "-c", f"import {tool}", stderr=subprocess.DEVNULL
        )
        assert await missing.wait() != 0, f"{tool} is installed in the production venv"

    # 2. The configuration: the example folder to /etc/tiski, the secrets beside it.
    for name in ("bridge.yaml", "rota.yaml", "tags.yaml", "faq.yaml", "canned.yaml"):
        shutil.copy(opt / "examples" / "piki" / name, etc / name)
    secret = sh("openssl", "rand", "-hex", "32").strip()
    (etc / "component.secret").write_text(secret + "\n")
    (etc / "smtp-password").write_text("not-used-in-this-test\n")
    for name in ("component.secret", "smtp-password"):
        (etc / name).chmod(0o600)
    sh(str(venv_python), "-m", "rota", "check", str(etc / "rota.yaml"))

    # 3. Prosody: the shipped config, a certificate for the desk domain, `check config`.
    c2s, component_port, web_port = free_port(), free_port(), free_port()
    config = prosody_config(etc_prosody, root, secret, c2s, component_port)
    make_certificate(etc_prosody / "certs" / f"{DOMAIN}.crt", etc_prosody / "certs" / f"{DOMAIN}.key", DOMAIN)
    prosodyctl = f"prosodyctl --config {config}"
    checked = sh(*prosodyctl.split(), "check", "config")
    assert "All checks passed" in checked, checked
    prosody = await asyncio.create_subprocess_exec(
        "prosody", "--config", str(config), "-F", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    bridge: asyncio.subprocess.Process | None = None
    log = (root / "bridge.log").open("wb")
    try:
        await wait_port(c2s, prosody)

        # 4. The desk accounts from the roster.
        out = sh(str(venv_python), "-m", "rota", "accounts", str(etc / "rota.yaml"), "--run",
                 "--prosodyctl", prosodyctl, cwd=opt)  # fmt: skip
        passwords = dict(line.split("\t") for line in out.splitlines())
        assert len(passwords) == 37 and all(j.endswith(f"@{DOMAIN}") for j in passwords)

        # 5. The bridge, as the systemd unit starts it, from the installed venv.
        bridge_yaml = etc / "bridge.yaml"
        data = yaml.safe_load(moved(bridge_yaml.read_text(), root))
        assert data["xmpp"]["component"] == COMPONENT
        data["xmpp"]["port"], data["web"]["port"] = component_port, web_port  # test ports only
        bridge_yaml.write_text(yaml.safe_dump(data, allow_unicode=True))
        bridge = await asyncio.create_subprocess_exec(
            str(venv_python), "-m", "bridge", "--config", str(bridge_yaml),
            cwd=opt, stdout=log, stderr=log, env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8"},
        )  # fmt: skip
        health = await wait_health(web_port, bridge, root / "bridge.log")
        assert health == {"ok": True}, health  # the public check says no more than that
        assert (root / "var" / "lib" / "tiski" / "tiski.sqlite3").exists()  # outside the checkout
        assert not list(opt.rglob("*.sqlite3"))

        # 6. A desk signs in with a password from step 4, over TLS (plain is refused).
        desk = "tampere@" + DOMAIN
        ok, encrypted = await Desk(
            desk, passwords[desk], c2s, etc_prosody / "certs" / f"{DOMAIN}.crt"
        ).signs_in()
        assert ok and encrypted

        # 7. An online backup while the bridge runs, and its check.
        backup = root / "var" / "backups" / "tiski.sqlite3"
        backup.parent.mkdir(parents=True)
        database = root / "var" / "lib" / "tiski" / "tiski.sqlite3"
        if shutil.which("sqlite3"):
            sh("sqlite3", str(database), f".backup {backup}")
        else:
            python_backup(database, backup)
        with sqlite3.connect(backup) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT count(*) FROM sessions").fetchone() is not None
    finally:
        for proc in (bridge, prosody):
            if proc is not None and proc.returncode is None:
                proc.terminate()
                await asyncio.wait_for(proc.wait(), 30)
        log.close()


def python_backup(database: Path, backup: Path) -> None:
    """The documented Python form of the online backup (when the sqlite3 tool is missing)."""
    src = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    dst = sqlite3.connect(backup)
    with dst:
        src.backup(dst, pages=1024)
    dst.close()
    src.close()


async def wait_port(port: int, proc: asyncio.subprocess.Process) -> None:
    for _ in range(200):
        assert proc.returncode is None, "Prosody stopped"
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise TimeoutError(f"port {port}")


async def wait_health(port: int, proc: asyncio.subprocess.Process, log: Path) -> dict[str, object]:
    def get() -> dict[str, object]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return dict(json.load(response))

    for _ in range(300):
        if proc.returncode is not None:
            raise AssertionError(tail(log))
        try:
            health = await asyncio.to_thread(get)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        if health.get("ok") is True:  # /health is 503 until XMPP and the database both work
            return health
        await asyncio.sleep(0.1)
    raise AssertionError(f"no healthy bridge; {tail(log)}")


def tail(log: Path) -> str:
    return log.read_text()[-3000:]


def test_the_example_and_the_docs_agree() -> None:
    """examples/piki and docs/operations.md name the same domains, paths and ports."""
    bridge = yaml.safe_load((PIKI / "bridge.yaml").read_text())
    prosody = (PIKI / "prosody" / "prosody.cfg.lua").read_text()
    console = yaml.safe_load((PIKI / "console.yaml").read_text())
    rota = yaml.safe_load((PIKI / "rota.yaml").read_text())
    ops = (ROOT / "docs" / "operations.md").read_text()

    assert bridge["xmpp"]["component"] == COMPONENT and f'Component "{COMPONENT}"' in prosody
    assert f'VirtualHost "{DOMAIN}"' in prosody
    desks = [d for lib in rota["libraries"].values() for d in lib["desks"]] + rota["coordinators"]
    assert {d.split("@")[1] for d in desks} == {DOMAIN}
    assert console["bridge"] == COMPONENT and console["xmpp"]["jid"].split("/")[0] in desks
    assert re.search(r"component_ports = \{ (\d+) \}", prosody).group(1) == str(bridge["xmpp"]["port"])  # type: ignore[union-attr]
    assert 'component_interfaces = { "127.0.0.1", "::1" }' in prosody
    assert "c2s_require_encryption = true" in prosody and '"offline"' in prosody.split("modules_disabled")[1]
    assert '"mam"' not in prosody.split("modules_enabled")[1].split("}")[0]
    assert bridge["database"].startswith("/var/lib/tiski/") and bridge["xmpp"]["secret_file"].startswith(
        "/etc/tiski/"
    )
    assert "mail" in bridge and "privacy" in bridge and rota["coordinators"]
    assert "https://chat.piki.example" in bridge["web"]["allowed_origins"]  # the Host is never trusted
    named = [COMPONENT, DOMAIN, "/etc/tiski/bridge.yaml", "/var/lib/tiski", "@COMPONENT_SECRET@"]
    named += ["examples/piki/prosody/prosody.cfg.lua", "./tiski install", "python -m rota accounts"]
    named += ["LimitNOFILE=", ".backup"]
    for text in named:
        assert text in ops, f"docs/operations.md does not mention {text}"
