#!/usr/bin/env bash
# Regenerates the example documents under examples/ from the example answers files: the list
# of documents is DOCUMENTS in tests/handouts.rs, whose golden test fails when a committed
# file differs from what the binary writes. With Chromium and tests/browser/node_modules
# present, it also prints the two example PDFs (group handout and annex of familiengruppe).
set -euo pipefail
cd "$(dirname "$0")/.."
unset SOURCE_DATE_EPOCH
KONF_WAHL_BLESS=1 cargo test --quiet --test handouts committed_example_handouts_are_current
if [ -d tests/browser/node_modules ] && command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1; then
  (cd tests/browser && node print-examples.mjs)
fi
echo "regenerated: $(ls examples/*.md examples/*.html examples/*.csv | wc -l) files"
