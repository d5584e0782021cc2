#!/usr/bin/env python3
"""Writes N distinct arrangement files into DIR, varied from the examples:
usd1eval bench/gen.py DIR N. Each file changes a few facts so that no two are
alike (name, sizes, dates, some booleans), and all of them are valid."""
import pathlib
import random
import re
import sys

def main() -> None:
    out, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    root = pathlib.Path(__file__).resolve().parent.parent / "examples"
    bases = [p.read_text() for p in sorted(root.glob("*.toml"))]
    rng = random.Random(42)
    for i in range(n):
        text = bases[i % len(bases)]
        text = re.sub(r'^name = ".*"$', f'name = "Bench Dollar {i}"', text, count=1, flags=re.M)
        text = re.sub(r"^outstanding_usd = .*$", f"outstanding_usd = {rng.randint(1, 10**11)}", text, count=1, flags=re.M)
        text = re.sub(r"^holders_count = .*$", f"holders_count = {rng.randint(0, 10**7)}", text, count=1, flags=re.M)
        for key in ("segregated", "travel_rule", "status_page", "api"):
            text = re.sub(rf"^{key} = (true|false)$", f"{key} = {rng.choice(['true', 'false'])}", text, count=1, flags=re.M)
        (out / f"arrangement-{i:05}.toml").write_text(text)

if __name__ == "__main__":
    main()
