//! The sentiment scorer against the human-rated sets in `tests/data/sentiment`, under their
//! fixed protocol: the figures may not fall below these floors (each above the VADER reference in
//! Pearson r), and no text makes the scorer panic or leave [-1, 1].

use std::path::PathBuf;

use proptest::prelude::*;
use regulars::sentiment::{self, evaluation, Label};

/// (set, Pearson r floor, weighted F1 floor, VADER's Pearson r)
const FLOORS: &[(&str, f64, f64, f64)] = &[
    ("tweets", 0.876, 0.871, 0.872),
    ("movie_reviews", 0.488, 0.622, 0.427),
    ("news_editorials", 0.521, 0.558, 0.503),
];

#[test]
fn figures_stay_above_their_floors_on_every_rated_set() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sentiment");
    for &(name, r_floor, f1_floor, vader_r) in FLOORS {
        let content = std::fs::read_to_string(dir.join(format!("{name}.tsv")))
            .unwrap_or_else(|e| panic!("the rated set {name} must be readable: {e}"));
        let (rated, skipped) = evaluation::parse_tsv(&content);
        assert!(rated.len() > 4000 && skipped == 0, "{name}: {} rows, {skipped} skipped", rated.len());
        let predicted: Vec<f64> = rated.iter().map(|r| sentiment::score(&r.text).compound).collect();
        let f = evaluation::figures(&rated, &predicted);
        assert!(f.pearson_r >= r_floor && f.pearson_r > vader_r, "{name}: Pearson r {:.3} < floor {r_floor}", f.pearson_r);
        assert!(f.weighted_f1 >= f1_floor, "{name}: weighted F1 {:.3} < floor {f1_floor}", f.weighted_f1);
    }
}

#[test]
fn shop_talk_reads_the_way_a_shop_owner_reads_it() {
    let cases = [
        ("My order never arrived and nobody answers my emails", Label::Negative),
        ("The heel fell apart after two wears. I want a refund.", Label::Negative),
        ("Wrong size again, third time.", Label::Negative),
        ("Total waste of money", Label::Negative),
        ("Not happy with the quality", Label::Negative),
        ("Sarah in the Leeds shop was so helpful!", Label::Positive),
        ("Fits perfectly, true to size, will buy again", Label::Positive),
        ("Not bad at all, actually", Label::Positive),
        ("Lovely staff but the parcel was damaged", Label::Negative),
        ("The box was damaged but the staff were lovely", Label::Positive),
        ("Do you have this in a size 10?", Label::Neutral),
        ("What time do you open on Sunday?", Label::Neutral),
        ("Five stars, highly recommend 😍", Label::Positive),
        ("1 star. Rude staff.", Label::Negative),
    ];
    for (text, want) in cases {
        let got = sentiment::score(text);
        assert_eq!(got.label, want, "{text:?} scored {}", got.compound);
    }
}

proptest! {
    #[test]
    fn any_text_scores_within_bounds(text in "\\PC{0,200}") {
        let s = sentiment::score(&text);
        prop_assert!((-1.0..=1.0).contains(&s.compound));
        prop_assert_eq!(s.label, Label::of(s.compound));
    }
}
