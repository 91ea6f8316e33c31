"""Command line: ``python -m casemigrate demo | rules | rule CODE``.

* ``demo`` runs a worked cutover for a synthetic municipality, generated in memory
  from a fixed seed, and prints the plan, the findings and the figures
  (``--language da`` in Danish).
* ``rules`` lists every rule: code, name and severity (``--markdown`` prints the whole
  catalogue, as ``docs/rules.md`` holds it).
* ``rule CODE`` prints one rule's page: what it checks, why it matters, an example, how
  to resolve it and where it comes from (``--language da`` in Danish).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from casemigrate._demo import run_demo
from casemigrate.catalogue import rule_page, rules_markdown, rules_table

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Example:
        >>> main(["rule", "CM205", "--language", "da"])
        CM205 cases-without-citizen (INFO)
        ...
        0
        >>> main(["rule", "CM999"])
        'CM999' is not a rule code; `python -m casemigrate rules` lists them
        2
    """
    parser = argparse.ArgumentParser(prog="casemigrate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="a worked cutover for a synthetic municipality")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--citizens", type=int, default=400, help="citizens (default 400)")
    demo.add_argument("--language", choices=("en", "da"), default="en",
                      help="the report's language: en (default) or da")
    listing = commands.add_parser("rules", help="list every rule: code, name and severity")
    listing.add_argument("--language", choices=("en", "da"), default="en")
    listing.add_argument("--markdown", action="store_true",
                         help="print the whole catalogue as docs/rules.md holds it")
    one = commands.add_parser("rule", help="print one rule's page")
    one.add_argument("code", help="a rule code, e.g. CM206")
    one.add_argument("--language", choices=("en", "da"), default="en")
    args = parser.parse_args(argv)
    if args.command == "demo":
        print(run_demo(seed=args.seed, citizens=args.citizens, language=args.language))
    elif args.command == "rules":
        print(rules_markdown(), end="") if args.markdown else print(rules_table(args.language))
    else:
        try:
            print(rule_page(args.code, args.language))
        except KeyError as error:
            print(error.args[0], file=sys.stdout)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
