//! The profile loader: bytes as read from a file (size limit, UTF-8, TOML, schema,
//! validation, derived funding), then the template context built from the result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    match mou::profile::Profile::from_bytes(Path::new("profiles/fuzz.toml"), data.to_vec()) {
        Ok(profile) => {
            let _ = mou::template::context_for(&profile);
        }
        // Every error must format (line/column lookups included) without panicking.
        Err(diags) => {
            let _ = diags.to_string();
        }
    }
});
