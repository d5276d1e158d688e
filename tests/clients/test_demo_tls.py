"""The demo's Prosody offers STARTTLS with a self-signed certificate, and plain stays possible.

Clients that insist on TLS (poezio, Gajim, Conversations) sign in to the demo after accepting
its certificate; here a slixmpp client does the same, trusting only that certificate.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import shutil
import signal
import ssl
import sys
from pathlib import Path

import pytest
import slixmpp

from demo.prosody import PrivateProsody, fingerprint
from tests.clients.mcabber import Mcabber
from tests.clients.profanity import Profanity

pytestmark = pytest.mark.prosody

ROOT = Path(__file__).resolve().parents[2]
JID = "tampere@chat.localhost"
PASSWORD = "demo"


class SignIn(slixmpp.ClientXMPP):
    """Signs in once and records whether the stream was encrypted, and with which certificate."""

    def __init__(self, port: int, *, tls: bool, trust: Path | None = None, jid: str = JID) -> None:
        super().__init__(f"{jid}/check", PASSWORD)
        self.port = port
        self.enable_direct_tls = False
        self.enable_starttls = tls
        self.enable_plaintext = not tls
        if not tls:
            self.plugin["feature_mechanisms"].unencrypted_plain = True
        if trust is not None:
            self.ca_certs = trust
        self.signed_in: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.peer_certificate: bytes | None = None
        self.add_event_handler("session_start", self._started)
        self.add_event_handler("failed_auth", lambda _: self._done(False))
        self.add_event_handler("connection_failed", lambda _: self._done(False))
        self.add_event_handler("ssl_invalid_chain", lambda _: self._done(False))

    def _done(self, ok: bool) -> None:
        if not self.signed_in.done():
            self.signed_in.set_result(ok)

    def _started(self, _: object) -> None:
        ssl_object = self.transport.get_extra_info("ssl_object") if self.transport else None
        if ssl_object is not None:
            self.peer_certificate = ssl_object.getpeercert(binary_form=True)
        self._done(True)

    async def run(self) -> bool:
        self.connect("127.0.0.1", self.port)
        try:
            return await asyncio.wait_for(self.signed_in, 15)
        finally:
            self.disconnect()
            await asyncio.sleep(0)


async def test_a_client_signs_in_with_starttls_to_the_demo_prosody(tmp_path: Path) -> None:
    async with PrivateProsody(tmp_path / "prosody", tls=True) as prosody:
        await prosody.register([(JID, PASSWORD)])
        cert = prosody.certificate_path

        client = SignIn(prosody.c2s_port, tls=True, trust=cert)
        assert await client.run(), (tmp_path / "prosody" / "prosody.log").read_text()[-2000:]
        assert client.peer_certificate is not None, "signed in without TLS"
        served = hashlib.sha256(client.peer_certificate).hexdigest().upper()
        assert fingerprint(cert).replace(":", "") == served  # what the demo prints to compare

        plain = SignIn(prosody.c2s_port, tls=False)  # loopback tools keep signing in without TLS
        assert await plain.run()
        assert plain.peer_certificate is None


async def test_a_client_that_does_not_trust_the_certificate_is_refused(tmp_path: Path) -> None:
    """The certificate is really checked: the system's CAs do not know the demo's own."""
    async with PrivateProsody(tmp_path / "prosody", tls=True) as prosody:
        await prosody.register([(JID, PASSWORD)])
        client = SignIn(prosody.c2s_port, tls=True)
        client.ssl_context = ssl.create_default_context()  # system CAs only
        assert not await client.run()


async def test_the_test_fixture_stays_without_tls(tmp_path: Path) -> None:
    async with PrivateProsody(tmp_path / "prosody") as prosody:
        assert not prosody.certificate_path.exists()
        assert '"tls"' in prosody.config_path.read_text().split("modules_disabled", 1)[1].splitlines()[0]


async def test_the_running_demo_offers_starttls_and_prints_its_fingerprint(tmp_path: Path) -> None:
    """`python -m demo --no-console`: the printed port and fingerprint are what a client meets."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "demo",
        "--no-console",
        "--port",
        "0",
        "--dir",
        str(tmp_path / "demo"),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    try:
        text = ""
        while "Press Ctrl+C" not in text:
            line = await asyncio.wait_for(proc.stdout.readline(), 60)
            assert line, f"the demo stopped:\n{text}"
            text += line.decode()
        port = int(re.search(r"server 127\.0\.0\.1 port (\d+)", text).group(1))  # type: ignore[union-attr]
        printed = re.search(r"SHA-256 ([0-9A-F:]{95})", text).group(1)  # type: ignore[union-attr]
        sha1 = re.search(r"SHA-1 ([0-9A-F:]{59})", text).group(1)  # type: ignore[union-attr]
        cert = tmp_path / "demo" / "prosody" / "certs" / "chat.piki.example.crt"  # the PIKI desks' domain
        assert sha1 == fingerprint(cert, "sha1")
        password = re.search(r"password '([^']+)'", text).group(1)  # type: ignore[union-attr]
        assert password == PASSWORD

        client = SignIn(port, tls=True, trust=cert, jid="tampere@chat.piki.example")
        assert await client.run(), text
        assert client.peer_certificate is not None
        assert hashlib.sha256(client.peer_certificate).hexdigest().upper() == printed.replace(":", "")
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)


@pytest.mark.skipif(shutil.which("mcabber") is None or shutil.which("tmux") is None, reason="mcabber")
async def test_mcabber_signs_in_with_tls_pinned_to_the_printed_fingerprint(tmp_path: Path) -> None:
    """The documented mcabber set-up for the demo: `set tls = 1` and the fingerprint pinned."""
    async with PrivateProsody(tmp_path / "prosody", tls=True) as prosody:
        await prosody.register([(JID, PASSWORD)])
        printed = fingerprint(prosody.certificate_path)
        mc = Mcabber(tmp_path / "home", JID, PASSWORD, prosody.c2s_port, fingerprint=printed)
        try:
            await mc.start()
            await mc.wait_until(lambda: "Connection established." in mc.trace(), "the sign-in")
            seen = re.search(r"Remote fingerprint: *SHA256:(\S+)", mc.trace())
            assert seen is not None, mc.trace()
            assert seen.group(1).replace(":", "").upper() == printed.replace(":", "")
        finally:
            await mc.close()

        wrong = "00:" * 31 + "00"
        mc = Mcabber(tmp_path / "home2", JID, PASSWORD, prosody.c2s_port, fingerprint=wrong)
        try:
            await mc.start()
            await mc.wait_until(lambda: "does not match expected fingerprint" in mc.trace(), "the check")
            assert "Connection established." not in mc.trace(), mc.trace()
        finally:
            await mc.close()


@pytest.mark.skipif(shutil.which("profanity") is None or shutil.which("tmux") is None, reason="profanity")
async def test_profanity_signs_in_with_tls_after_accepting_the_certificate(tmp_path: Path) -> None:
    """The documented profanity set-up for the demo: TLS as by default, `/tls allow` once."""
    async with PrivateProsody(tmp_path / "prosody", tls=True) as prosody:
        await prosody.register([(JID, PASSWORD)])
        printed = fingerprint(prosody.certificate_path, "sha1")
        prof = Profanity(tmp_path / "home", JID, PASSWORD, prosody.c2s_port, tls=True)
        try:
            await prof.start()
            await prof.wait_for(r"/tls allow")
            screen = await prof.screen()
            await prof.type("/tls allow")
            await prof.wait_for(r"logged in successfully")
            shown = re.search(r"Fingerprint +: ([0-9a-f]{40})", screen)
            assert shown is not None, screen
            assert shown.group(1).upper() == printed.replace(":", "")  # the SHA-1 the demo prints
        finally:
            await prof.close()
