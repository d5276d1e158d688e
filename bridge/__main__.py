"""`python -m bridge --config FILE`: run the bridge until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from bridge.app import Bridge
from bridge.config import load_config
from bridge.errors import BridgeError

log = logging.getLogger("bridge")


async def run(config_path: Path) -> int:
    config = load_config(config_path)
    bridge = Bridge(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await bridge.start()
    print(
        f"Tiski bridge running on http://{config.web.host}:{bridge.port} (component {config.xmpp.component})",
        flush=True,
    )
    await stop.wait()
    log.info("shutting down")
    await bridge.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bridge", description="Run the Tiski bridge.")
    parser.add_argument("--config", required=True, type=Path, help="the bridge's YAML config file")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return asyncio.run(run(args.config))
    except BridgeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a roster or tag file problem names itself
        if type(e).__name__ in ("RosterError", "TagError", "FaqError"):
            print(f"error: {e}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
