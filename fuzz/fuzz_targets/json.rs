//! JSON log lines are untrusted: any text is read safely or left alone.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::json_line(data));
