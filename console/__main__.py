"""`python -m console --config FILE`: start the librarian console."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from console.errors import ConsoleError

if TYPE_CHECKING:
    from console.app import ConsoleApp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m console", description="Tiski librarian console (a desk client)."
    )
    parser.add_argument("--config", required=True, type=Path, help="console YAML config file")
    parser.add_argument("--debug-log", type=Path, help="write a debug log to this file")
    args = parser.parse_args(argv)
    if args.debug_log:
        logging.basicConfig(
            filename=args.debug_log,
            level=logging.DEBUG,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    else:
        logging.basicConfig(level=logging.CRITICAL)
    try:
        app = build_app(args.config)
    except ConsoleError as exc:
        print(f"tiski console: {exc}", file=sys.stderr)
        return 2
    app.run()
    return app.return_code or 0


def build_app(config_path: Path) -> ConsoleApp:
    """The real app for a config file: XMPP back end, local log, roster, canned answers."""
    from console.app import ConsoleApp
    from console.canned import load_canned
    from console.clock import shifted_clock, system_clock
    from console.config import load_config
    from console.duty import Roster
    from console.errors import ConfigError
    from console.log import ChatLog
    from console.xmpp import DeskClient

    config = load_config(config_path)
    try:
        roster = Roster.load(config.roster)
    except ImportError as exc:
        raise ConfigError(f"roster {config.roster}: the rota package is missing ({exc})") from exc
    except Exception as exc:
        raise ConfigError(f"roster {config.roster}: {exc}") from exc
    clock = shifted_clock(config.demo_clock) if config.demo_clock else system_clock
    return ConsoleApp(
        DeskClient(config.xmpp, config.bridge, lang=config.lang, clock=clock),
        ChatLog(config.log, clock),
        lang=config.lang,
        alerts=config.alerts,
        retention_days=config.retention_days,
        receipt_resend_seconds=config.receipt_resend_seconds,
        roster=roster,
        canned=load_canned(config.canned),
        clock=clock,
    )


if __name__ == "__main__":
    sys.exit(main())
