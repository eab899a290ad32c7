"""``python -m bench [NAME ...]``: run the benchmarks (all by default)."""

from __future__ import annotations

import sys

from bench import busy, cards, drill, impact, load, pictures, printing, receipts, sales, verify

BENCHMARKS = {
    "sales": sales.run,
    "receipts": receipts.run,
    "bluetooth": receipts.run_bluetooth,
    "printing": printing.run,
    "cards": cards.run,
    "pictures": pictures.run,
    "verify": verify.run,
    "impact": impact.run,
    "load": load.run,
    "busy": busy.run,
    "drill": drill.run,
}


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        print(f"== {name}")
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
