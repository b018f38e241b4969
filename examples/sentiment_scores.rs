//! Prints one compound score per line of standard input (for comparing with other scorers);
//! with `--explain`, also the words that moved it.
use std::io::BufRead;

fn main() {
    let explain = std::env::args().any(|a| a == "--explain");
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if explain {
            println!("{} {:?}  {}", regulars::sentiment::score(&line).compound, regulars::sentiment::explain(&line), line);
        } else {
            println!("{}", regulars::sentiment::score(&line).compound);
        }
    }
}
