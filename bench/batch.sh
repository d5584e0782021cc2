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

measure() { # label, command...
    local label=$1; shift
    local start end rss
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$dir/rss" "$@" > /dev/null 2>"$dir/stderr" || true
    end=$(date +%s.%N)
    rss=$(tail -1 "$dir/rss")
    python3 - "$label" "$start" "$end" "$rss" "$n" <<'PY'
import sys
label, start, end, rss, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
secs = end - start
print(f"{label:<28} {n} files in {secs:.3f} s = {n / secs:,.0f} files/s, peak RSS {rss / 1024:.1f} MiB")
PY
    echo "$(python3 -c "print($(date +%s.%N) - $start)")" > /dev/null
    echo "$end $start" > "$dir/last-$label"
}

measure check "$bin" check "${files[@]}"
measure score-json "$bin" score --format json "${files[@]}"
python3 - "$dir/last-check" "$dir/last-score-json" <<'PY'
import sys
def secs(p):
    end, start = map(float, open(p).read().split())
    return end - start
print(f"score/check time ratio: {secs(sys.argv[2]) / secs(sys.argv[1]):.2f}")
PY
# One file as a whole process, best of 20.
best=999
for _ in $(seq 20); do
    s=$(date +%s%N); "$bin" score --format json examples/strong-regulated.toml > /dev/null; e=$(date +%s%N)
    t=$(( (e - s) / 1000 )); [ "$t" -lt "$best" ] && best=$t
done
echo "single file, whole process: best of 20 = $((best / 1000)).$(( (best % 1000) / 100 )) ms"
