//! Fuzz target `stored`: see `konf_wahl_fuzz::fuzz_stored` and fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    konf_wahl_fuzz::fuzz_stored(data);
});
