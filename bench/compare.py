"""Compare the home page of two `make bench` results (issue #6: at N=100,000 within 20 % of N=1,000).

    .venv/bin/python bench/compare.py bench/results/<date>-postgresql-1000.md bench/results/<date>-postgresql-100000.md

Reads the origin home page req/s of each file (page cache off) and prints both and their ratio.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.targets import compare_home, home_figure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    figures = []
    for path in (args.first, args.second):
        figure = home_figure(path.read_text())
        if figure is None:
            sys.exit(f"compare: no origin home page figure in {path}")
        figures.append({**figure, "file": path.name})
    print(compare_home(*figures))


if __name__ == "__main__":
    main()
