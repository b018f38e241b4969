//! Giving freed memory back to the system, in a test binary of its own: the process's resident
//! memory is what it measures, and other tests running beside it would move that.

#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn freed_memory_goes_back_to_the_system() {
    // Many small blocks (as a shop's rows are), freed below one still in use (as the kept
    // insight is): the allocator keeps them until asked.
    let blocks: Vec<Vec<u8>> = (0..200_000).map(|i| vec![i as u8; 1000]).collect();
    let kept = vec![1u8; 1000];
    let held = regulars::memory::own_resident().expect("RssAnon");
    drop(blocks);
    let freed = regulars::memory::own_resident().expect("RssAnon");
    regulars::memory::give_back_freed();
    let after = regulars::memory::own_resident().expect("RssAnon");
    assert!(freed + (100 << 20) > held, "freed memory is held ({} MB, then {} MB)", held >> 20, freed >> 20);
    assert!(after + (100 << 20) < held, "{} MB held, {} MB after giving back", held >> 20, after >> 20);
    assert_eq!(kept[999], 1);
}

#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn the_allocator_takes_the_cap_on_its_arenas() {
    assert!(regulars::memory::few_arenas(), "mallopt(M_ARENA_MAX) was refused");
    // Threads allocating at once still work (they share the two arenas).
    let sums: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|t| s.spawn(move || (0..10_000).map(|i| vec![t as u8; i % 100 + 1].len()).sum::<usize>())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(sums.iter().all(|&n| n == sums[0]));
}
