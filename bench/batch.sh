#!/usr/bin/env bash
# Batch benchmark: generates N distinct arrangements, then times validation
# only (`check`) against scoring with JSON Lines output, printing files/s and
# peak RSS against their floors, plus one single file scored as a whole
# process. Usage: bench/batch.sh [N] (default 10000). Needs python3 and
# /usr/bin/time (Debian: apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
cargo build --release --quiet
bin=target/release/usd1eval
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/gen.py "$dir" "$n"
files=("$dir"/*.toml)

measure() { # label, command... (best of 3 runs, peak RSS of the largest)
    local label=$1; shift
    local best="" rss=0 start end
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        /usr/bin/time -f '%M' -o "$dir/rss" "$@" > /dev/null 2>"$dir/stderr" || true
        end=$(date +%s.%N)
        best=$(python3 -c "import sys; t = $end - $start; print(t if '$best' == '' else min(t, float('$best')))")
        rss=$(python3 -c "print(max($rss, $(tail -1 "$dir/rss")))")
    done
    python3 - "$label" "$best" "$rss" "$n" <<'PY'
import sys
label, secs, rss, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"{label:<28} {n} files in {secs:.3f} s = {n / secs:,.0f} files/s, peak RSS {rss / 1024:.1f} MiB (best of 3)")
PY
    echo "$best" > "$dir/last-$label"
}

measure check "$bin" check "${files[@]}"
measure score-json "$bin" score --format json "${files[@]}"
python3 - "$n" "$dir/last-check" "$dir/last-score-json" <<'PY'
import sys
n = int(sys.argv[1])
check, score = (n / float(open(p).read()) for p in sys.argv[2:4])
# The floors (issue #25, docs/architecture.md); peak RSS must stay under 50
# MiB, and one file as a whole process under 3 ms.
for label, rate, floor in [("check", check, 30_000), ("score --format json", score, 12_000)]:
    verdict = "meets" if rate >= floor else f"MISSES by {floor - rate:,.0f}"
    print(f"floor {label}: {floor:,} files/s: {verdict}")
PY
# One file as a whole process: best and median of 41 runs, and an empty
# process (/bin/true) timed the same way, for scale.
python3 - "$bin" <<'PY'
import subprocess, sys, time

def times(command):
    runs = []
    for _ in range(41):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return runs[0], runs[len(runs) // 2]

best, median = times([sys.argv[1], "score", "--format", "json", "examples/strong-regulated.toml"])
empty, _ = times(["/bin/true"])
print(f"single file, whole process: best {best:.2f} ms, median {median:.2f} ms (/bin/true: {empty:.2f} ms)")
PY
