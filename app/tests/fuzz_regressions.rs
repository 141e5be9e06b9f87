//! Every input kept under `fuzz/regressions/<target>/` (the seeds, and any crash `make fuzz`
//! ever found) replayed through its target: none may panic.

use std::path::Path;

#[test]
fn every_kept_fuzz_input_is_handled_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut replayed = 0;
    for target in app::domain::fuzz::TARGETS {
        let dir = root.join(target);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        assert!(!entries.is_empty(), "{target} has no kept inputs");
        for path in entries {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| app::domain::fuzz::run(target, &data));
            assert!(outcome.is_ok(), "{} panics its target", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 5);
}
