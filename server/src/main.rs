// mimalloc: a cached page's hit makes many small allocations (hyper's request, the headers),
// and glibc's malloc took a quarter of its time (README, "Serving fast").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (v3's numbering).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Freed memory goes back to the system at once rather than after 10 ms: a burst of
    // sign-ins frees argon2's 19 MiB blocks on many threads, and with the delay the server
    // held 1 GB at the peak of the overload benchmark (510 MB with none; README, "Reliability").
    // SAFETY: sets an allocator option; called first, before any other thread exists.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
    exemplar::cli::main()
}
