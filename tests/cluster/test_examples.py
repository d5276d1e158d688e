"""examples/piki/cluster: the shipped ejabberd, HAProxy and bridge files work as documented."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from slixmpp.componentxmpp import ComponentXMPP

from bridge.config import parse_config
from bridge.storage import PostgresUrl
from demo import process
from demo.ejabberd import EjabberdNode, Epmd, new_cookie
from demo.prosody import free_port, make_certificate

pytestmark = pytest.mark.cluster
CLUSTER = Path(__file__).resolve().parents[2] / "examples" / "piki" / "cluster"
DOMAIN = "chat.piki.example"


def _pem(folder: Path) -> Path:
    """chat.piki.example's certificate and key in one file, as ejabberd and HAProxy take them."""
    make_certificate(folder / "cert.pem", folder / "key.pem", DOMAIN)
    pem = folder / f"{DOMAIN}.pem"
    pem.write_text((folder / "cert.pem").read_text() + (folder / "key.pem").read_text())
    return pem


class ExampleNode(EjabberdNode):
    """A node whose ejabberd.yml is the shipped example, moved to free loopback ports."""

    def write_config(self) -> None:
        super().write_config()
        pem = _pem(self.directory)
        text = (CLUSTER / "ejabberd.yml").read_text()
        for port, new in ((5222, self.c2s_port), (5223, self.api_port), (5347, self.component_port)):
            text = text.replace(f"port: {port}\n", f"port: {new}\n")
        text = text.replace("@PRIVATE_IP@", "127.0.0.1").replace("@COMPONENT_SECRET@", self.secret)
        text = text.replace("/etc/ejabberd/certs/chat.piki.example.pem", str(pem))
        (self.directory / "ejabberd.yml").write_text(text)
        process.give_to(self.directory, "ejabberd")


@pytest.fixture
def folder() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("ejabberd nodes run as the ejabberd user: needs root")
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"tiski-example-{os.getpid()}-{free_port()}"
    path.mkdir(mode=0o711)  # the ejabberd user enters it (pytest's own tmp folder is private)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def test_shipped_ejabberd_config_runs_and_takes_the_bridge(folder: Path) -> None:
    assert "@PRIVATE_IP@" in (CLUSTER / "ejabberd.yml").read_text()
    epmd = Epmd(folder / "epmd.log")
    node = ExampleNode(folder / "xmpp1", "ejabberd@localhost", 0, new_cookie(), "s3cret-for-the-test")
    node.domain, node.component = DOMAIN, f"patrons.{DOMAIN}"
    try:
        await epmd.start()
        node.epmd_port = epmd.port
        await node.start()  # c2s (STARTTLS), direct TLS and the component port all open
        component = ComponentXMPP(node.component, node.secret, "127.0.0.1", node.component_port)
        started = component.loop.create_future()
        component.add_event_handler("session_start", lambda _: started.set_result(True))
        component.connect()
        assert await started  # the handshake with the secret filled in
        component.disconnect()
        await component.disconnected
    finally:
        await node.stop()
        await epmd.stop()


def test_shipped_haproxy_config_is_valid(tmp_path: Path) -> None:
    pem = _pem(tmp_path)
    text = (CLUSTER / "haproxy.cfg").read_text()
    assert "timeout tunnel" in text and "balance leastconn" in text and "option httpchk GET /health" in text
    config = tmp_path / "haproxy.cfg"
    config.write_text(text.replace(f"/etc/haproxy/certs/{DOMAIN}.pem", str(pem)))
    checked = subprocess.run(
        ["haproxy", "-c", "-f", str(config)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_shipped_bridge_config_names_both_nodes(tmp_path: Path) -> None:
    raw = yaml.safe_load((CLUSTER / "bridge.yaml").read_text())
    raw["xmpp"]["secret"] = raw["xmpp"].pop("secret_file") and "s3cret"
    config = parse_config(raw, CLUSTER)
    assert config.xmpp.addresses == (("10.77.0.1", 5347), ("10.77.0.2", 5347))
    assert config.xmpp.component == f"patrons.{DOMAIN}"
    assert isinstance(config.database, PostgresUrl)  # the one database every bridge shares
    haproxy = (CLUSTER / "haproxy.cfg").read_text()
    assert f"{config.web.host}:{config.web.port}" in haproxy
