#!/usr/bin/env bash
# Whole-process benchmarks of konf-wahl on the shipped catalog and on synthetic catalogs.
#
#   scripts/bench.sh
#
# Builds the release binary, writes synthetic catalogs of 30, 1000 and 10000 tools
# (scripts/gen_catalog.py) into target/bench/cat-N, times `recommend
# examples/familiengruppe.toml` (table, json, html) and `check` with hyperfine for the
# shipped catalog and each size, measures peak RSS with /usr/bin/time -v, and prints a
# summary (also written to target/bench/summary.md). Raw results: target/bench/hyperfine-*.json
# and *.md. About 3 minutes on 2 cores.
#
# Environment: BENCH_SIZES="30 1000 10000" (synthetic sizes), BENCH_SEED=42,
# BENCH_RUNS_LARGE=3 (runs for catalogs of 5000 tools and more).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
out=target/bench
answers=examples/familiengruppe.toml
read -r -a sizes <<<"${BENCH_SIZES:-30 1000 10000}"
seed=${BENCH_SEED:-42}
runs_large=${BENCH_RUNS_LARGE:-3}

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
log "building (release)"
cargo build --release --quiet
bin=$root/target/release/konf-wahl
mkdir -p "$out"

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

# Datasets: label, --catalog folder (empty: shipped only).
labels=(shipped)
dirs=("")
for n in "${sizes[@]}"; do
    labels+=("synthetic-$n")
    dirs+=("$out/cat-$n")
done

rss_file=$out/rss.tsv
tools_file=$out/tools.tsv
: >"$rss_file"
: >"$tools_file"

for i in "${!labels[@]}"; do
    label=${labels[$i]}
    dir=${dirs[$i]}
    cat_args=""
    [[ -n $dir ]] && cat_args="--catalog $dir"
    # Catalog size as the binary sees it (shipped tools plus synthetic ones); also a validity check.
    summary_line=$("$bin" check $cat_args | tail -n 1)
    total=$(sed -n 's/^catalog ok: \([0-9]*\) tools.*/\1/p' <<<"$summary_line")
    [[ -n $total ]] || { echo "error: check failed for $label: $summary_line" >&2; exit 1; }
    printf '%s\t%s\n' "$label" "$total" >>"$tools_file"

    if ((total >= 5000)); then
        opts=(--warmup 1 --runs "$runs_large")
    elif ((total >= 500)); then
        opts=(--warmup 2 --min-runs 10 --max-runs 20)
    else
        opts=(--warmup 5 --min-runs 30)
    fi

    names=()
    cmds=()
    for fmt in table json html; do
        names+=("recommend $fmt")
        cmds+=("$bin recommend $answers --format $fmt $cat_args")
    done
    names+=("check")
    cmds+=("$bin check $cat_args")

    log "timing $label ($total tools): ${opts[*]}"
    args=()
    for j in "${!cmds[@]}"; do
        args+=(--command-name "${names[$j]}" "${cmds[$j]}")
    done
    hyperfine -N --style basic "${opts[@]}" \
        --export-json "$out/hyperfine-$label.json" \
        --export-markdown "$out/hyperfine-$label.md" \
        "${args[@]}" >&2

    log "peak memory $label"
    for j in "${!cmds[@]}"; do
        # shellcheck disable=SC2086 # cmds are split on purpose (no spaces in paths)
        /usr/bin/time -v -o "$out/time.txt" ${cmds[$j]} >/dev/null
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$out/time.txt")
        printf '%s\t%s\t%s\n' "$label" "${names[$j]}" "$kb" >>"$rss_file"
    done
done
rm -f "$out/time.txt"

load_after=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$out" "$load_before" "$load_after" "${labels[@]}" >"$out/summary.md" <<'PY'
import json, sys, os, subprocess
out, load_before, load_after, labels = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
tools = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(out, "tools.tsv")))
rss = {}
for line in open(os.path.join(out, "rss.tsv")):
    label, name, kb = line.rstrip("\n").split("\t")
    rss[(label, name)] = int(kb) / 1024
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
hf = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.strip()
print("# konf-wahl benchmark summary\n")
print(f"`recommend examples/familiengruppe.toml` and `check`, whole process; {hf}; "
      f"{os.cpu_count()} CPUs ({cpu}).")
print("Catalog `synthetic-N` = shipped catalog plus N generated tools (`--catalog target/bench/cat-N`).")
print(f"Load average at start/end: {load_before}/{load_after}"
      + (" – the machine was busy; timings are inflated." if max(float(load_before), float(load_after)) > (os.cpu_count() or 1) else "") + "\n")
print("| catalog | tools | command | median ms | mean ± σ ms | min ms | runs | peak MiB |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for label in labels:
    data = json.load(open(os.path.join(out, f"hyperfine-{label}.json")))
    for r in data["results"]:
        name = r["command"]
        ms = lambda x: x * 1000
        print(f"| {label} | {tools[label]} | {name} | {ms(r['median']):.1f} | "
              f"{ms(r['mean']):.1f} ± {ms(r['stddev'] or 0):.1f} | {ms(r['min']):.1f} | "
              f"{len(r['times'])} | {rss[(label, name)]:.1f} |")
PY
echo
cat "$out/summary.md"
