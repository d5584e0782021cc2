#!/usr/bin/env bash
# Batch benchmark: generates N distinct arrangements, then times validation
# only (`check`) against scoring with JSON Lines output, printing files/s, the
# score/check ratio and peak RSS, plus one single file scored as a whole
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
python3 - "$dir/last-check" "$dir/last-score-json" <<'PY'
import sys
check, score = (float(open(p).read()) for p in sys.argv[1:3])
print(f"score/check time ratio: {score / check:.2f}")
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
