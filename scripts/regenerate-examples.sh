#!/usr/bin/env bash
# Regenerates the example handouts under examples/ from the example answers files.
# The tests in tests/handouts.rs fail when a committed handout differs from what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
unset SOURCE_DATE_EPOCH
for answers in examples/*.toml examples/*.yaml; do
  stem="${answers%.*}"
  for format in markdown html csv; do
    ext=$format; [ "$format" = markdown ] && ext=md
    ./target/debug/konf-wahl recommend "$answers" --format "$format" --force -o "$stem.$ext"
  done
done
./target/debug/konf-wahl recommend examples/familiengruppe.toml --lang en --format html --force -o examples/familiengruppe.en.html
echo "regenerated: $(ls examples/*.md examples/*.html examples/*.csv | wc -l) files"
