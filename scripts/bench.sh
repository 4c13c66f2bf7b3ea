#!/usr/bin/env bash
# Whole-process benchmarks of konf-wahl on the shipped catalog and on synthetic catalogs.
#
#   scripts/bench.sh
#
# Builds the release binary, writes synthetic catalogs of 30, 1000 and 10000 tools
# (scripts/gen_catalog.py) into target/bench/cat-N, and for the shipped catalog and each size
# times `recommend examples/familiengruppe.toml` (table, json, html) and `check` with
# hyperfine. Each command first runs once under /usr/bin/time -v (peak RSS, and a warm page
# cache); its wall time then sets the number of hyperfine runs so that each command gets
# about BENCH_BUDGET seconds (at least 3 runs; a single run if one run takes over 20 s).
# Prints a summary table and writes it to target/bench/summary.md; raw hyperfine results are
# target/bench/hyperfine-<catalog>-<command>.json and .md. About 2-3 minutes on 2 cores.
#
# Batch mode: BENCH_BATCH answers files (copies of the examples, default 1000) rendered to as
# many HTML handouts with --out-dir, shipped catalog (row `batch-N`).
#
# Environment: BENCH_SIZES="30 1000 10000" (synthetic sizes), BENCH_SEED=42, BENCH_BATCH=1000,
# BENCH_BUDGET=10 (seconds of hyperfine runs per command), BENCH_MAX_RUNS=50.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
out=target/bench
answers=examples/familiengruppe.toml
read -r -a sizes <<<"${BENCH_SIZES:-30 1000 10000}"
seed=${BENCH_SEED:-42}
budget=${BENCH_BUDGET:-10}
max_runs=${BENCH_MAX_RUNS:-50}

log() { printf '==> %s\n' "$*" >&2; }

install_pkg() { # install a Debian package (as root, or with sudo)
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    log "installing $1"
    "${sudo[@]}" apt-get install -y "$1" >/dev/null ||
        { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y "$1" >/dev/null; }
}
command -v hyperfine >/dev/null || install_pkg hyperfine
[[ -x /usr/bin/time ]] || install_pkg time
command -v python3 >/dev/null || { echo "error: python3 is needed" >&2; exit 1; }

load_before=$(cut -d' ' -f1 /proc/loadavg)
started=$SECONDS
log "building (release)"
cargo build --release --quiet
bin=$root/target/release/konf-wahl
mkdir -p "$out"
rm -f "$out"/hyperfine-*.json "$out"/hyperfine-*.md

# Synthetic catalogs; regenerated only when size, seed or generator change.
gen_hash=$(sha256sum scripts/gen_catalog.py | cut -c1-16)
for n in "${sizes[@]}"; do
    dir=$out/cat-$n
    stamp="n=$n seed=$seed gen=$gen_hash"
    if [[ -f $dir/.stamp && $(<"$dir/.stamp") == "$stamp" ]]; then
        log "catalog of $n tools is up to date ($dir)"
    else
        log "generating $n tools into $dir"
        python3 scripts/gen_catalog.py "$n" "$dir" --seed "$seed"
        echo "$stamp" >"$dir/.stamp"
    fi
done

# Datasets: label and --catalog folder (empty: shipped catalog only).
labels=(shipped)
dirs=("")
for n in "${sizes[@]}"; do
    labels+=("synthetic-$n")
    dirs+=("$out/cat-$n")
done

measure_file=$out/measures.tsv # label, command, tools, peak KiB, seconds of the single run
: >"$measure_file"

# The catalog cache (src/folder_cache.rs) gets a folder of its own, filled once per synthetic
# catalog before timing: the `recommend` rows are runs with the cache; `recommend html (text)`
# reads every file as TOML, as a first run or a changed folder does; `check` always does.
export KONF_WAHL_CACHE=$root/$out/cache
rm -rf "$KONF_WAHL_CACHE"

for i in "${!labels[@]}"; do
    label=${labels[$i]}
    dir=${dirs[$i]}
    cat_args=""
    [[ -n $dir ]] && cat_args="--catalog $dir"
    # Catalog size as the binary sees it (shipped plus synthetic tools); also a validity check.
    # shellcheck disable=SC2086 # arguments are split on purpose (no spaces in paths)
    # (The summary is the first line of the English report.)
    summary_line=$("$bin" --lang en check $cat_args 2>/dev/null | head -n 1)
    total=$(sed -n 's/^Catalog ok: \([0-9]*\) tools.*/\1/p' <<<"$summary_line")
    [[ -n $total ]] || { echo "error: check failed for $label: $summary_line" >&2; exit 1; }

    names=("recommend table" "recommend json" "recommend html" "check")
    cmds=()
    for fmt in table json html; do
        cmds+=("$bin recommend $answers --format $fmt $cat_args")
    done
    cmds+=("$bin check $cat_args")
    if [[ -n $dir ]]; then
        names+=("recommend html (text)")
        cmds+=("env KONF_WAHL_CACHE=off $bin recommend $answers --format html $cat_args")
        # shellcheck disable=SC2086
        "$bin" list $cat_args >/dev/null # fills the cache
    fi

    for j in "${!cmds[@]}"; do
        name=${names[$j]}
        slug=${name// /-}
        # One run under /usr/bin/time: peak RSS and wall time.
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$out/time.txt" ${cmds[$j]} >/dev/null
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$out/time.txt")
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' "$out/time.txt" |
            awk -F: '{ s = 0; for (k = 1; k <= NF; k++) s = s * 60 + $k; print s }')
        printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$total" "$kb" "$wall" >>"$measure_file"

        read -r warmup runs < <(awk -v t="$wall" -v b="$budget" -v m="$max_runs" 'BEGIN {
            if (t > 20) { print 0, 1; exit }
            r = int(b / (t > 0.001 ? t : 0.001)); if (r < 3) r = 3; if (r > m) r = m
            print (t < 1 ? 3 : 0), r }')
        log "$label ($total tools), $name: one run ${wall}s, $((kb / 1024)) MiB; hyperfine --warmup $warmup --runs $runs"
        hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
            --export-json "$out/hyperfine-$label-$slug.json" \
            --export-markdown "$out/hyperfine-$label-$slug.md" \
            --command-name "$name" "${cmds[$j]}" >&2
    done
done

# Batch mode: BENCH_BATCH answers files (copies of the examples) to as many HTML handouts.
batch=${BENCH_BATCH:-1000}
if ((batch > 0)); then
    answers_dir=$out/answers-$batch
    if [[ ! -d $answers_dir ]]; then
        mkdir -p "$answers_dir"
        examples=(examples/familiengruppe.toml examples/infoabend.yaml examples/telefongruppe.toml examples/verwaltung.toml)
        for ((k = 0; k < batch; k++)); do
            src=${examples[k % ${#examples[@]}]}
            cp "$src" "$answers_dir/group-$(printf '%05d' "$k").${src##*.}"
        done
    fi
    cmd="$bin recommend $answers_dir/* --out-dir $out/handouts --format html --quiet"
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$out/time.txt" bash -c "rm -rf $out/handouts && exec $cmd" >/dev/null
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$out/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\n' "batch-$batch" "recommend html" 28 "$kb" 0 >>"$measure_file"
    log "batch: $batch answers files to HTML handouts; hyperfine --runs 3"
    # A shell expands the file pattern (one process start is noise at this size).
    hyperfine --shell=bash --style basic --runs 3 --prepare "rm -rf $out/handouts" \
        --export-json "$out/hyperfine-batch-$batch-recommend-html.json" \
        --command-name "recommend html" "$cmd" >&2
fi
rm -f "$out/time.txt"

load_after=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$out" "$load_before" "$load_after" "$((SECONDS - started))" >"$out/summary.md" <<'PY'
import json, os, subprocess, sys

out, load_before, load_after, elapsed = sys.argv[1:5]
rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(out, "measures.tsv"))]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), "?")
hf = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.strip()
busy = max(float(load_before), float(load_after)) > (os.cpu_count() or 1)
print("# konf-wahl benchmark summary\n")
print(f"Whole process, `recommend examples/familiengruppe.toml --format F` and `check`; {hf}; "
      f"{os.cpu_count()} CPUs ({cpu}); load average {load_before} at start, {load_after} at end"
      + (" (busy machine: timings are inflated)" if busy else "") + f"; bench.sh took {elapsed} s.")
print("`synthetic-N` = the shipped catalog plus N generated tools (`--catalog target/bench/cat-N`). "
      "Peak MiB = maximum RSS of one run (`/usr/bin/time -v`).\n")
print("| catalog | tools | command | median ms | mean ± σ ms | min ms | runs | peak MiB |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for label, name, tools, kb, _ in rows:
    path = os.path.join(out, f"hyperfine-{label}-{name.replace(' ', '-')}.json")
    r = json.load(open(path))["results"][0]
    ms = lambda x: (x or 0) * 1000
    print(f"| {label} | {tools} | {name} | {ms(r['median']):.1f} | "
          f"{ms(r['mean']):.1f} ± {ms(r['stddev']):.1f} | {ms(r['min']):.1f} | "
          f"{len(r['times'])} | {int(kb) / 1024:.1f} |")
PY
echo
cat "$out/summary.md"
