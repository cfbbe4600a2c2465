//! Compose files are input from anyone's repository: reading one never
//! panics and never takes long.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::compose_yaml(data));
