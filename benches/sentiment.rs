//! Sentiment accuracy and speed on the human-rated sets in `../shared/data/sentiment`, under their
//! fixed protocol, beside the published VADER reference figures. When the Python vaderSentiment
//! package is installed, it is timed on the same texts in the same run.
//!
//! `cargo bench --bench sentiment`

use std::path::PathBuf;
use std::time::Instant;

use regulars::sentiment::{self, evaluation};

/// VADER 3.3.2's figures under the protocol (from the data's README): r, weighted F1, macro F1, accuracy.
const REFERENCE: &[(&str, [f64; 4])] = &[
    ("tweets", [0.872, 0.877, 0.726, 0.885]),
    ("movie_reviews", [0.427, 0.580, 0.408, 0.553]),
    ("news_editorials", [0.503, 0.548, 0.537, 0.540]),
];

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/sentiment");
    println!("| set | snippets | Pearson r | weighted F1 | macro F1 | accuracy | µs/snippet | snippets/s (1 core) |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut all_texts = Vec::new();
    for (name, reference) in REFERENCE {
        let path = dir.join(format!("{name}.tsv"));
        let Ok(content) = std::fs::read_to_string(&path) else {
            println!("| {name} | missing: {} | | | | | | |", path.display());
            continue;
        };
        let (rated, _) = evaluation::parse_tsv(&content);
        // Warm the lexicon, then time several passes.
        let _ = sentiment::score("warm up");
        let passes = 5;
        let start = Instant::now();
        let mut predicted = Vec::new();
        for _ in 0..passes {
            predicted = rated.iter().map(|r| sentiment::score(&r.text).compound).collect();
        }
        let per = start.elapsed().as_secs_f64() / (passes * rated.len()) as f64;
        let f = evaluation::figures(&rated, &predicted);
        println!(
            "| {name} | {} | {:.3} (VADER {:.3}) | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.2} | {:.0} |",
            f.count, f.pearson_r, reference[0], f.weighted_f1, reference[1], f.macro_f1, reference[2], f.accuracy,
            reference[3], per * 1e6, 1.0 / per
        );
        all_texts.extend(rated.into_iter().map(|r| r.text));
    }
    python_vader(&all_texts);
}

/// Times Python's vaderSentiment on the same texts, if it is installed.
fn python_vader(texts: &[String]) {
    let script = "import sys,time\nfrom vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as S\n\
                  a=S();t=[l.rstrip('\\n') for l in sys.stdin]\ns=time.perf_counter()\n\
                  for x in t: a.polarity_scores(x)\nprint((time.perf_counter()-s)/len(t))";
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        println!("\nPython vaderSentiment: python3 not found, not compared.");
        return;
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(texts.join("\n").as_bytes());
    }
    let out = child.wait_with_output().ok().filter(|o| o.status.success());
    let per: Option<f64> = out.and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok());
    let start = Instant::now();
    for t in texts {
        let _ = sentiment::score(t);
    }
    let ours = start.elapsed().as_secs_f64() / texts.len().max(1) as f64;
    match per {
        Some(p) => println!(
            "\nSame {} texts in this run: Python vaderSentiment {:.1} µs/snippet, Regulars {:.2} µs/snippet ({:.0}x the throughput).",
            texts.len(), p * 1e6, ours * 1e6, p / ours
        ),
        None => println!("\nPython vaderSentiment is not installed (pip install vaderSentiment==3.3.2): not compared."),
    }
}
