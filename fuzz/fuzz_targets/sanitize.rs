//! Log text is untrusted: any bytes, split anywhere, come out safe.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sanitizer(data));
