//! The process's memory after heavy work. glibc's allocator keeps what a big pass over a shop
//! frees (the insight's reads, a recompute of the follow-ups, an import) for reuse instead of
//! giving it back: at 100,000 customers that is 70 MB or more that a long-running process (the
//! app) goes on holding. `give_back_freed` asks for it to be returned.

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

/// The process's own resident memory in bytes (heap and stacks, without the files and libraries
/// it maps), where the system says (Linux).
pub fn own_resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}
