#!/usr/bin/env bash
# Gate a disclosure file against its version on the main branch.
#
#   examples/ci/gate.sh [FILE] [BASE_REF]
#
# FILE defaults to arrangement.toml, BASE_REF to origin/main. Environment:
#   USD1EVAL      the usd1eval binary (default: usd1eval on PATH)
#   USD1EVAL_ARGS extra gate options (default: --fail-on-cap)
#   OUT_DIR       where reports go (default: usd1eval-reports)
#
# Exit codes are usd1eval's: 0 every gate passed, 1 a gate failed (the file
# regressed against BASE_REF, or another gate tripped), 2 the file could not
# be evaluated. Reports are written in every case: SARIF for code scanning,
# Markdown for a pull-request comment, JUnit for test dashboards.
set -uo pipefail

file=${1:-arrangement.toml}
base_ref=${2:-origin/main}
usd1eval=${USD1EVAL:-usd1eval}
extra=${USD1EVAL_ARGS:---fail-on-cap}
out_dir=${OUT_DIR:-usd1eval-reports}
mkdir -p "$out_dir"

baseline_args=()
if git cat-file -e "$base_ref:$file" 2>/dev/null; then
    git show "$base_ref:$file" > "$out_dir/base.toml"
    # The baseline is the main branch's report; if main's file cannot be
    # evaluated there is nothing to regress against, and the gate says so.
    if "$usd1eval" score --quiet --output "json=$out_dir/baseline.json" "$out_dir/base.toml"; then
        baseline_args=(--baseline "$out_dir/baseline.json")
    else
        echo "note: $file on $base_ref could not be evaluated; gating without a baseline" >&2
    fi
else
    echo "note: $file does not exist on $base_ref; gating without a baseline" >&2
fi

# shellcheck disable=SC2086 # USD1EVAL_ARGS is a list of options
"$usd1eval" score $extra "${baseline_args[@]}" \
    --output "sarif=$out_dir/usd1eval.sarif" \
    --output "markdown=$out_dir/usd1eval.md" \
    --output "junit=$out_dir/usd1eval.xml" \
    "$file"
status=$?
case $status in
    0) echo "usd1eval: every gate passed" >&2 ;;
    1) echo "usd1eval: a gate failed; see the findings above and $out_dir/usd1eval.md" >&2 ;;
    *) echo "usd1eval: $file could not be evaluated (exit $status)" >&2 ;;
esac
exit $status
