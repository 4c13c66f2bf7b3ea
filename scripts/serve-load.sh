#!/usr/bin/env bash
# Load check of `konf-wahl serve`: builds the release binary, then 50 clients post a group's
# answers on 127.0.0.1 for 10 s, twice (benches/serve_load.rs). Prints errors, requests per
# second, median and 99th percentile latency, and the server's memory. Figures: docs/serve.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
cargo bench --locked --quiet --bench serve_load
