//! The fixed protocol that sentiment figures are measured under (see `tests/data/sentiment`):
//! human ratings from -4 to +4 become classes at ±0.05 after dividing by 4, predicted compounds
//! become classes at ±0.05, and the figures are Pearson r, support-weighted and macro F1, and
//! accuracy. Shared by the test that keeps the floors and the benchmark that prints the table.

use super::Label;

/// One rated text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    pub rating: f64,
    pub text: String,
}

/// The figures for one set.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub pearson_r: f64,
    pub weighted_f1: f64,
    pub macro_f1: f64,
    pub accuracy: f64,
    pub count: usize,
}

/// Reads `id <TAB> rating <TAB> text` lines; lines that do not parse are skipped and counted.
pub fn parse_tsv(content: &str) -> (Vec<Rated>, usize) {
    let mut skipped = 0;
    let rows = content
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            let (_id, rating, text) = (parts.next()?, parts.next(), parts.next());
            match (rating.and_then(|r| r.trim().parse::<f64>().ok()), text) {
                (Some(rating), Some(text)) => Some(Rated { rating, text: text.to_string() }),
                _ => {
                    skipped += 1;
                    None
                }
            }
        })
        .collect();
    (rows, skipped)
}

/// The class a human rating stands for.
pub fn truth(rating: f64) -> Label {
    Label::of(rating / 4.0)
}

/// Scores the rows whose place `keep` accepts (a part of a set: the held-out products' halves).
pub fn figures_where(rated: &[Rated], predicted: &[f64], keep: impl Fn(usize) -> bool) -> Figures {
    let places: Vec<usize> = (0..rated.len().min(predicted.len())).filter(|&i| keep(i)).collect();
    let rows: Vec<Rated> = places.iter().map(|&i| rated[i].clone()).collect();
    figures(&rows, &places.iter().map(|&i| predicted[i]).collect::<Vec<_>>())
}

/// Scores `predicted` compounds against the ratings under the protocol.
pub fn figures(rated: &[Rated], predicted: &[f64]) -> Figures {
    let n = rated.len().min(predicted.len());
    if n == 0 {
        return Figures::default();
    }
    let xs = &predicted[..n];
    let ys: Vec<f64> = rated[..n].iter().map(|r| r.rating).collect();
    let labels = [Label::Positive, Label::Neutral, Label::Negative];
    let mut confusion = [[0usize; 3]; 3];
    let index = |l: Label| labels.iter().position(|&x| x == l).unwrap_or(1);
    for (x, y) in xs.iter().zip(&ys) {
        confusion[index(truth(*y))][index(Label::of(*x))] += 1;
    }
    let mut weighted = 0.0;
    let mut macro_sum = 0.0;
    let mut correct = 0;
    for k in 0..3 {
        let tp = confusion[k][k] as f64;
        let support: usize = confusion[k].iter().sum();
        let predicted_k: usize = confusion.iter().map(|row| row[k]).sum();
        let precision = if predicted_k > 0 { tp / predicted_k as f64 } else { 0.0 };
        let recall = if support > 0 { tp / support as f64 } else { 0.0 };
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        weighted += f1 * support as f64;
        macro_sum += f1;
        correct += confusion[k][k];
    }
    Figures {
        pearson_r: pearson(xs, &ys),
        weighted_f1: weighted / n as f64,
        macro_f1: macro_sum / 3.0,
        accuracy: correct as f64 / n as f64,
        count: n,
    }
}

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_predictions_score_one_and_protocol_thresholds_hold() {
        let rated = vec![
            Rated { rating: 2.0, text: String::new() },
            Rated { rating: -2.0, text: String::new() },
            Rated { rating: 0.1, text: String::new() },
        ];
        let f = figures(&rated, &[0.5, -0.5, 0.0]);
        assert!((f.pearson_r - 1.0).abs() < 1e-9 || f.pearson_r > 0.99);
        assert_eq!(f.accuracy, 1.0);
        assert_eq!(f.weighted_f1, 1.0);
        assert_eq!(truth(0.2), Label::Neutral);
        assert_eq!(truth(0.21), Label::Positive);
        let (rows, skipped) = parse_tsv("1\t0.5\tok\nbroken line\n2\tx\ty\n");
        assert_eq!((rows.len(), skipped), (1, 2));
    }
}
