fn main() -> std::process::ExitCode {
    // glibc raises its mmap threshold after each large free, so argon2's 19 MiB blocks end
    // up in per-thread heaps and are never returned: under a burst of sign-ins the server
    // held 475 MB. A fixed 1 MiB threshold keeps large blocks mapped and frees them (peak
    // 150 MB, 90 MB after, in the same test; README, "Reliability").
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; called first, before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
    exemplar::cli::main()
}
