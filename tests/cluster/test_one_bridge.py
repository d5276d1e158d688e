"""A private ejabberd node for one bridge: ejabberd 23.01 refuses `component_number: 1`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from slixmpp.componentxmpp import ComponentXMPP

from demo.ejabberd import EjabberdNode, Epmd, new_cookie
from demo.prosody import free_port

pytestmark = pytest.mark.cluster


@pytest.fixture
def folder() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("ejabberd nodes run as the ejabberd user: needs root")
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"tiski-one-bridge-{os.getpid()}-{free_port()}"
    path.mkdir(mode=0o711)  # the ejabberd user enters it (pytest's own tmp folder is private)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def test_node_for_one_bridge_starts_and_takes_the_component(folder: Path) -> None:
    epmd = Epmd(folder / "epmd.log")
    node = EjabberdNode(
        folder / "xmpp1", "ejabberd1@localhost", 0, new_cookie(), "s3cret", component_number=1
    )
    try:
        await epmd.start()
        node.epmd_port = epmd.port
        await node.start()
        assert "domain_balancing" not in (node.directory / "ejabberd.yml").read_text()
        component = ComponentXMPP(node.component, node.secret, "127.0.0.1", node.component_port)
        started = component.loop.create_future()
        component.add_event_handler("session_start", lambda _: started.set_result(True))
        component.connect()
        assert await started
        component.disconnect()
        await component.disconnected
    finally:
        await node.stop()
        await epmd.stop()
