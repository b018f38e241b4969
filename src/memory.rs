//! The process's memory after heavy work. glibc's allocator keeps what a big pass over a shop
//! frees (the insight's reads, a recompute of the follow-ups, an import) for reuse instead of
//! giving it back: at 100,000 customers that is 70 MB or more that a long-running process (the
//! app) goes on holding. `give_back_freed` asks for it to be returned, and `few_arenas` keeps the
//! allocator from holding such leftovers once for each thread.

/// Returns memory that is freed but still held by the allocator to the system (glibc on Linux;
/// elsewhere there is nothing to do). It takes a few milliseconds: call it after heavy work, not
/// in a loop.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim works on the allocator's own free lists and takes no pointer of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Caps the allocator's arenas at two. glibc gives each thread that allocates at the same time
/// as another an arena of its own (up to eight a core), and what a thread frees stays in its
/// arena: the app's few threads (the page's commands, the analysis, the launch-time check) each
/// held the leftovers of their own big passes. Call once, first thing in a long-running process.
/// Returns whether the allocator took it (elsewhere there is nothing to cap: true).
pub fn few_arenas() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets one of the allocator's own parameters; it takes no pointer of ours.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2) == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    true
}

/// The process's own resident memory in bytes (heap and stacks, without the files and libraries
/// it maps), where the system says (Linux).
pub fn own_resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}
