//! Prints one compound score per line of standard input (for comparing with other scorers);
//! with `--explain`, also the words that moved it; with `--time`, only how long scoring the lines
//! takes on one core (the best of 20 passes, per line).
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let explain = std::env::args().any(|a| a == "--explain");
    let lines: Vec<String> = std::io::stdin().lock().lines().map_while(Result::ok).collect();
    if std::env::args().any(|a| a == "--time") {
        let _ = regulars::sentiment::score("warm up");
        let best = (0..20)
            .map(|_| {
                let started = Instant::now();
                for line in &lines {
                    std::hint::black_box(regulars::sentiment::score(line));
                }
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        println!("{:.3} µs per line ({} lines)", best * 1e6 / lines.len().max(1) as f64, lines.len());
        return;
    }
    for line in &lines {
        if explain {
            println!("{} {:?}  {}", regulars::sentiment::score(line).compound, regulars::sentiment::explain(line), line);
        } else {
            println!("{}", regulars::sentiment::score(line).compound);
        }
    }
}
