//! One person, every channel, through the CLI on real database files: the possible duplicates
//! with their reasons, merging them (a dry run first), and taking a merge back.

mod common;

use common::Shop;

#[test]
fn possible_duplicates_come_best_first_with_their_reasons_and_near_misses_stay_out() {
    let shop = Shop::new();
    let add = |args: &[&str]| {
        let mut all = vec!["customers", "add"];
        all.extend_from_slice(args);
        shop.ok(&all);
    };
    add(&["--first-name", "Ann", "--last-name", "Lee", "--email", "ann.lee@gmail.com"]);
    add(&["--first-name", "Annie", "--last-name", "Lee", "--email", "annlee+shop@googlemail.com"]);
    add(&["--first-name", "Bob", "--last-name", "Smith", "--city", "Leeds"]);
    add(&["--first-name", "Robert", "--last-name", "Smith", "--city", "Leeds"]);
    add(&["--first-name", "Tom", "--last-name", "Jones", "--city", "Cardiff"]);
    add(&["--first-name", "Tom", "--last-name", "Jones", "--city", "Leeds"]);
    add(&["--first-name", "Mia", "--handle", "instagram:mia.styles"]);
    add(&["--first-name", "Mia", "--last-name", "Stone", "--handle", "tiktok:mia.styles"]);
    let groups = shop.json(&["customers", "duplicates"]);
    let ids: Vec<Vec<i64>> = groups.as_array().unwrap().iter().map(|g| g["customers"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect()).collect();
    assert_eq!(ids, [vec![1, 2], vec![7, 8], vec![3, 4]], "best first; the two Tom Joneses in two towns are not listed: {groups}");
    assert!(groups[0]["reasons"][0].as_str().unwrap().contains("the same mailbox written two ways"), "{groups}");
    assert!(groups[2]["reasons"][0].as_str().unwrap().contains("Bob and Robert are forms of one given name"), "{groups}");
    let text = shop.ok(&["customers", "duplicates"]);
    assert!(text.starts_with("#1 Ann Lee · #2 Annie Lee"), "{text}");
}
