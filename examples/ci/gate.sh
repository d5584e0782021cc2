#!/usr/bin/env bash
# Gate disclosure files against their versions on the base branch.
#
#   examples/ci/gate.sh [FILE...]
#
# The files default to $FILES (paths or globs, separated by spaces), else
# arrangement.toml. Environment, every variable optional:
#   BASE_REF      the branch the files are compared with (default origin/main)
#   BASELINE      a baseline report to use instead of scoring BASE_REF's files
#   USD1EVAL_ARGS gate options (default --fail-on-cap; empty: none)
#   FAIL_UNDER    --fail-under SCORE
#   WAIVERS       --waivers FILE
#   FORMAT        the format printed (default table; github annotates the files)
#   OUT_DIR       where reports go (default usd1eval-reports)
#   HISTORY       true: also watch each file's committed history
#                 (`usd1eval history --git FILE --fail-on-deterioration`),
#                 its alerts in Markdown beside the scorecard
#   USD1EVAL      the usd1eval binary (default usd1eval on PATH)
#
# Exit codes are usd1eval's: 0 every gate passed, 1 a gate failed (a file
# regressed against BASE_REF, or another gate tripped), 2 a file could not
# be evaluated. Reports are written in every case: SARIF for code scanning,
# Markdown for a pull-request comment or job summary, JUnit for dashboards.
# The GitHub workflow next to this script runs these same lines as one step.
set -uo pipefail

if [ $# -eq 0 ]; then
    # shellcheck disable=SC2086 # FILES is a list of paths or globs
    set -- ${FILES:-arrangement.toml}
fi
base_ref=${BASE_REF:-origin/main}
usd1eval=${USD1EVAL:-usd1eval}
out_dir=${OUT_DIR:-usd1eval-reports}
read -r -a gates <<< "${USD1EVAL_ARGS---fail-on-cap}"
if [ -n "${FAIL_UNDER:-}" ]; then gates+=(--fail-under "$FAIL_UNDER"); fi
if [ -n "${WAIVERS:-}" ]; then gates+=(--waivers "$WAIVERS"); fi
if [ -n "${FORMAT:-}" ]; then gates+=(--format "$FORMAT"); fi
mkdir -p "$out_dir"

baseline=${BASELINE:-}
if [ -z "$baseline" ]; then
    # Each file's version on the base branch, scored in one run: one report
    # per line, which usd1eval matches to the files by arrangement name.
    rm -rf "$out_dir/base" "$out_dir/baseline.jsonl"
    base_files=()
    for file in "$@"; do
        if git cat-file -e "$base_ref:$file" 2>/dev/null; then
            mkdir -p "$out_dir/base/$(dirname "$file")"
            git show "$base_ref:$file" > "$out_dir/base/$file"
            base_files+=("$out_dir/base/$file")
        else
            echo "note: $file does not exist on $base_ref; it is gated without a baseline" >&2
        fi
    done
    if [ ${#base_files[@]} -gt 0 ]; then
        "$usd1eval" score --quiet --output "json=$out_dir/baseline.jsonl" "${base_files[@]}" || true
        if [ -s "$out_dir/baseline.jsonl" ]; then
            baseline=$out_dir/baseline.jsonl
        else
            echo "note: no file on $base_ref could be evaluated; gating without a baseline" >&2
        fi
    fi
fi
baseline_args=()
if [ -n "$baseline" ]; then baseline_args=(--baseline "$baseline"); fi

status=0
"$usd1eval" score "${gates[@]}" "${baseline_args[@]}" \
    --output "sarif=$out_dir/usd1eval.sarif" \
    --output "markdown=$out_dir/usd1eval.md" \
    --output "junit=$out_dir/usd1eval.xml" \
    "$@" || status=$?
if [ "${HISTORY:-}" = "true" ]; then
    # Each file's committed versions, one history each: an alert that reaches
    # the latest version fails the job as a gate does (exit 1).
    history_args=(--format markdown --fail-on-deterioration)
    if [ -n "${WAIVERS:-}" ]; then history_args+=(--waivers "$WAIVERS"); fi
    : > "$out_dir/usd1eval-history.md"
    for file in "$@"; do
        history_status=0
        "$usd1eval" history --git "$file" "${history_args[@]}" \
            >> "$out_dir/usd1eval-history.md" || history_status=$?
        # Could not evaluate (2) outranks a failed gate (1).
        if [ $history_status -gt $status ]; then status=$history_status; fi
    done
fi
case $status in
    0) echo "usd1eval: every gate passed" >&2 ;;
    1) echo "usd1eval: a gate failed; see the findings above, $out_dir/usd1eval.md and any history alerts" >&2 ;;
    *) echo "usd1eval: a file could not be evaluated (exit $status)" >&2 ;;
esac
exit $status
