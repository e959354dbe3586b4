"""`python -m demo OUT_DIR [--people N] [--messages N] [--events N] [--seed S]`: write a demo world."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from demo import generate_world


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--messages", type=int)
    parser.add_argument("--events", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    summary = generate_world(args.out_dir, seed=args.seed, people=args.people, years=args.years,
                             messages=args.messages, events=args.events)
    print(f"{summary.people} people, {summary.messages} messages, {summary.events} events, "
          f"{summary.linkedin_messages} LinkedIn messages, {summary.cards} cards "
          f"in {time.perf_counter() - began:.1f} s -> {summary.inbox}")


if __name__ == "__main__":
    main()
