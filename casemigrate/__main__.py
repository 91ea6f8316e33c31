"""Command line: ``python -m casemigrate demo``.

The demo runs a worked cutover for a synthetic municipality, generated in memory
from a fixed seed, and prints the plan, the findings and the figures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from casemigrate._demo import run_demo

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="casemigrate", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="a worked cutover for a synthetic municipality")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--citizens", type=int, default=400, help="citizens (default 400)")
    demo.add_argument("--language", choices=("en", "da"), default="en",
                      help="the report's language: en (default) or da")
    args = parser.parse_args(argv)
    if args.command == "demo":
        print(run_demo(seed=args.seed, citizens=args.citizens, language=args.language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
