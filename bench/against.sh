#!/usr/bin/env bash
# Times this checkout against another commit on the same files, in one run:
# builds REV in a temporary worktree (release, its own target folder), writes
# N arrangement files once with this checkout's bench/gen.py, then times
# `check` and `score --format json` of both binaries in turn, A B A B …, and
# prints each one's median wall time and the ratio this/REV. On a shared
# machine a ratio measured this way holds where absolute times drift.
# Usage: bench/against.sh REV [N] [ROUNDS]   (default N 10000, ROUNDS 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/against.sh REV [N] [ROUNDS]}
n=${2:-10000}
rounds=${3:-5}

work=$(mktemp -d)
cleanup() {
    git worktree remove --force "$work/other" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet
this=target/release/usd1eval
git worktree add --quiet --detach "$work/other" "$rev"
(cd "$work/other" && CARGO_TARGET_DIR="$work/target" cargo build --release --quiet)
other="$work/target/release/usd1eval"

python3 bench/gen.py "$work/files" "$n"

python3 - "$this" "$other" "$work/files" "$rounds" "$rev" <<'PY'
import pathlib, statistics, subprocess, sys, time

this, other, folder, rounds, rev = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
files = sorted(str(p) for p in pathlib.Path(folder).glob("*.toml"))

def run(binary, args):
    start = time.perf_counter()
    subprocess.run([binary, *args, *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

for label, args in [("check", ["check"]), ("score --format json", ["score", "--format", "json"])]:
    a, b = [], []
    run(this, args); run(other, args)  # warm the page cache and the binaries
    for _ in range(rounds):
        a.append(run(this, args))
        b.append(run(other, args))
    ratios = sorted(x / y for x, y in zip(a, b))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{label:<20} this {ma:.3f} s ({len(files) / ma:,.0f} files/s) · {rev} {mb:.3f} s "
          f"({len(files) / mb:,.0f} files/s) · ratio this/{rev}: median {statistics.median(ratios):.2f} "
          f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f})")
PY
