//! How positive or negative a short customer text is: a review, a comment, a DM. Offline, rule
//! based and explainable, after VADER (Hutto & Gilbert, ICWSM 2014, MIT licence): each word has a
//! valence from a lexicon (`lexicon.tsv`, built by `scripts/build-sentiment-lexicon.py` from VADER's
//! and Pattern's published lexicons), changed by the words before it (negation, intensifiers,
//! "but"), by ALL CAPS and by punctuation, and the sum is squashed into a compound score in [-1, 1].
//!
//! Beyond VADER: the retail phrases customers use ("never arrived", "fell apart", "so helpful") are
//! scored as phrases; negation and intensifiers stop at the end of a clause; "but" really halves
//! what came before it; "like" counts only as a verb of liking; questions and what follows "if",
//! "hope" or "wish" count for half; words the lexicon lacks are tried without their endings
//! ("disappointingly"), and stretched words are shrunk ("sooo gooood").

pub mod evaluation;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A text's sentiment: `compound` in [-1, 1] and its label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub compound: f64,
    pub label: Label,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Positive,
    Neutral,
    Negative,
}

impl Label {
    /// The label of a compound score, with the conventional ±0.05 neutral band.
    pub fn of(compound: f64) -> Label {
        if compound > 0.05 {
            Label::Positive
        } else if compound < -0.05 {
            Label::Negative
        } else {
            Label::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Positive => "positive",
            Label::Neutral => "neutral",
            Label::Negative => "negative",
        }
    }
}

impl std::str::FromStr for Label {
    type Err = String;

    fn from_str(s: &str) -> Result<Label, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "positive" | "pos" | "+" => Ok(Label::Positive),
            "neutral" | "neu" | "0" => Ok(Label::Neutral),
            "negative" | "neg" | "-" => Ok(Label::Negative),
            other => Err(format!("“{other}” is not a sentiment; use positive, neutral or negative")),
        }
    }
}

/// Intensifiers raise the valence of the next sentiment word by this much; dampeners lower it.
const BOOST: f32 = 0.293;
/// ALL CAPS on a sentiment word among lower-case words.
const CAPS_BOOST: f32 = 0.733;
/// Negation flips a valence and weakens it ("not good" is less bad than "bad").
const NEGATION: f32 = -0.74;
/// A question's words count for half: "Is the blue one good?" asks, it does not praise.
const QUESTION: f32 = 0.5;
/// So do words after "if", "hope" or "wish" in their clause: "I hope it fits" is not a fit.
const UNREAL: f32 = 0.5;
/// The squashing constant: compound = sum / sqrt(sum² + ALPHA).
const ALPHA: f32 = 15.0;

const NEGATORS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot", "cant",
    "can't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't", "arent",
    "aren't", "werent", "weren't", "wont", "won't", "wouldnt", "wouldn't", "couldnt", "couldn't", "shouldnt",
    "shouldn't", "havent", "haven't", "hasnt", "hasn't", "hadnt", "hadn't", "aint", "ain't", "rarely", "seldom",
    "hardly", "despite", "nope", "neednt", "needn't", "mustnt", "mustn't", "mightnt", "mightn't", "shant", "shan't",
];

const BOOSTERS_UP: &[&str] = &[
    "absolutely", "amazingly", "awfully", "completely", "considerably", "decidedly", "deeply", "effing",
    "enormously", "entirely", "especially", "exceptionally", "extremely", "fabulously", "flipping", "freaking",
    "fricking", "frickin", "friggin", "frigging", "fucking", "fuckin", "fully", "greatly", "hella", "highly",
    "hugely", "incredibly", "intensely", "majorly", "more", "most", "particularly", "purely", "quite", "really",
    "remarkably", "so", "soo", "sooo", "substantially", "super", "thoroughly", "totally", "tremendously", "uber",
    "unbelievably", "unusually", "utterly", "very", "truly", "seriously", "insanely", "crazy", "ridiculously",
    "too", "way", "pretty",
];

const BOOSTERS_DOWN: &[&str] = &[
    "almost", "barely", "kinda", "kindof", "less", "marginally", "occasionally", "partly", "scarcely",
    "slightly", "somewhat", "sorta", "sortof", "bit", "fairly", "reasonably", "relatively", "mostly",
];

/// Intensifiers that are also words of their own when they modify nothing ("so pretty", "it was super").
const OWN_VALENCE: &[&str] = &["pretty", "super", "crazy", "seriously", "ridiculously"];

/// Words that contrast what follows with what came before: the later part counts more.
const CONTRASTS: &[&str] = &["but", "however"];

/// Phrases scored as one unit, the shop's vocabulary first. Negation before a phrase still applies.
const PHRASES: &[(&str, f32)] = &[
    // Delivery and orders.
    ("never arrived", -2.8), ("never came", -2.4), ("never received", -2.8), ("never got", -2.2),
    ("not received", -2.4), ("still waiting", -2.0), ("still not arrived", -2.6), ("hasn't arrived", -2.2),
    ("has not arrived", -2.2), ("didn't arrive", -2.4), ("did not arrive", -2.4), ("lost in the post", -2.2),
    ("wrong item", -2.2), ("wrong size", -1.8), ("wrong colour", -1.8), ("wrong color", -1.8), ("wrong order", -2.0),
    ("arrived late", -1.8), ("arrived damaged", -2.6), ("arrived broken", -2.6), ("arrived quickly", 1.9),
    ("arrived fast", 1.9), ("arrived early", 1.8), ("arrived on time", 1.6), ("fast delivery", 1.9),
    ("quick delivery", 1.9), ("fast shipping", 1.9), ("quick shipping", 1.9), ("speedy delivery", 2.0),
    ("next day", 0.6), ("well packaged", 1.7), ("nicely packaged", 1.9), ("beautifully packaged", 2.3),
    // Quality.
    ("fell apart", -2.6), ("falls apart", -2.6), ("falling apart", -2.4), ("came apart", -2.2),
    ("stopped working", -2.5), ("doesn't work", -2.2), ("does not work", -2.2), ("didn't work", -2.2),
    ("did not work", -2.2), ("broke after", -2.4), ("broke within", -2.4), ("broken on arrival", -2.8),
    ("poor quality", -2.4), ("bad quality", -2.4), ("low quality", -2.0), ("cheaply made", -2.2),
    ("badly made", -2.2), ("poorly made", -2.2), ("well made", 2.0), ("beautifully made", 2.6),
    ("good quality", 2.0), ("great quality", 2.6), ("high quality", 2.0), ("top quality", 2.4),
    ("falls off", -1.6), ("fell off", -1.6), ("came off", -1.4), ("ripped after", -2.2), ("holes in", -1.6),
    ("shrunk in the wash", -2.2), ("faded after", -1.8), ("not as described", -2.4), ("as described", 1.2),
    ("as pictured", 1.0), ("not as pictured", -2.0), ("looks nothing like", -2.2),
    // Fit.
    ("too small", -1.3), ("too big", -1.3), ("too tight", -1.4), ("too loose", -1.2), ("too short", -1.2),
    ("too long", -1.0), ("doesn't fit", -1.6), ("does not fit", -1.6), ("didn't fit", -1.6), ("did not fit", -1.6),
    ("true to size", 1.6), ("fits perfectly", 2.6), ("fits well", 2.0), ("fits great", 2.4), ("perfect fit", 2.6),
    // Money.
    ("waste of money", -3.0), ("waste of time", -2.6), ("rip off", -2.8), ("ripped off", -2.8), ("rip-off", -2.8),
    ("not worth", -2.0), ("money back", -1.6), ("want a refund", -2.2), ("want my money back", -2.6),
    ("still no refund", -2.6), ("no refund", -2.2), ("refund please", -1.8), ("charged twice", -2.4),
    ("double charged", -2.4), ("good value", 2.0), ("great value", 2.6), ("value for money", 1.8),
    ("worth every penny", 2.8), ("worth the money", 2.0), ("worth it", 1.8), ("great price", 2.0),
    ("good price", 1.6), ("too expensive", -1.6), ("overpriced", -1.9),
    // Service.
    ("so helpful", 2.6), ("very helpful", 2.4), ("really helpful", 2.4), ("super helpful", 2.6),
    ("above and beyond", 2.6), ("went out of their way", 2.6), ("out of her way", 2.2), ("out of his way", 2.2),
    ("customer service", 0.0), ("no response", -2.0), ("no reply", -2.0), ("no answer", -1.8),
    ("never replied", -2.4), ("never responded", -2.4), ("never answered", -2.2), ("never heard back", -2.4),
    ("ignored my", -2.0), ("hung up", -2.0), ("on hold", -1.2), ("not helpful", -2.0), ("of no help", -2.2),
    ("no help", -2.0), ("will be back", 1.8), ("will come back", 1.8), ("coming back", 1.2),
    ("won't be back", -2.4), ("will not be back", -2.4), ("never again", -2.6), ("never shopping here again", -3.0),
    ("never buying", -2.4), ("buy again", 1.8), ("order again", 1.8), ("shop here again", 1.8),
    ("highly recommend", 2.8), ("highly recommended", 2.8), ("would recommend", 2.2), ("definitely recommend", 2.6),
    ("would not recommend", -2.4), ("wouldn't recommend", -2.4), ("do not recommend", -2.6),
    ("don't recommend", -2.4), ("can't recommend", -2.2), ("cannot recommend", -2.2),
    ("five stars", 2.6), ("5 stars", 2.6), ("5 star", 2.4), ("5/5", 2.6), ("10/10", 2.8), ("one star", -2.4),
    ("1 star", -2.4), ("two stars", -1.4), ("2 stars", -1.4), ("zero stars", -2.8), ("0 stars", -2.8), ("1/5", -2.4),
    ("thank you", 1.8), ("thanks so much", 2.4), ("thank you so much", 2.6), ("no problem", 0.8),
    ("no problems", 1.2), ("no issues", 1.4), ("no complaints", 1.6), ("can't wait", 1.6), ("cant wait", 1.6),
    ("can't fault", 2.4), ("cannot fault", 2.4), ("could not be happier", 3.0), ("couldn't be happier", 3.0),
    ("not happy", -2.0), ("not impressed", -1.9), ("not good enough", -2.0), ("not the best", -1.2),
    ("let down", -1.9), ("let me down", -2.0), ("fed up", -1.8), ("screwed up", -1.5), ("messed up", -1.8),
    ("can't stand", -2.0), ("sort out", 0.0), ("look into", 0.0), ("at least", 0.0),
    // Asking for help is not praise: "please help, my order never came".
    ("please help", 0.0), ("help me", 0.0), ("help us", 0.0), ("need help", 0.0), ("you help", 0.0),
    ("what a joke", -2.4), ("a joke", -1.6),
];

/// Words whose lexicon value misleads in shop talk, rated again here.
const RETAIL_WORDS: &[(&str, f32)] = &[
    ("refund", -1.2), ("refunded", 0.4), ("return", 0.0), ("returned", -0.4), ("returning", -0.3),
    ("exchange", 0.0), ("cheap", 0.0), ("cheaply", -1.6), ("flimsy", -1.8), ("overpriced", -1.9),
    ("scratched", -1.6), ("ripped", -1.8), ("leaking", -1.6), ("stained", -1.6), ("shrunk", -1.6), ("shrank", -1.6),
    ("faded", -1.2), ("unhelpful", -2.0), ("unprofessional", -2.2), ("knowledgeable", 2.0), ("sturdy", 1.6),
    ("durable", 1.6), ("comfy", 2.0), ("cozy", 1.8), ("cosy", 1.8), ("quickly", 0.6), ("fast", 1.0),
    ("speedy", 1.4), ("prompt", 1.4), ("promptly", 1.4), ("delayed", -1.4), ("late", -1.2), ("missing", -1.6),
    ("useless", -2.4), ("junk", -2.4), ("rubbish", -2.2), ("garbage", -2.4), ("crap", -2.4), ("scam", -2.8),
    ("wonky", -1.2), ("itchy", -1.3), ("stunning", 3.0), ("gorgeous", 3.0), ("obsessed", 2.2), ("faulty", -2.0),
    ("poor", -2.0), ("recommend", 1.8), ("recommended", 1.6), ("helpful", 2.0), ("rude", -2.6), ("waiting", -0.4),
    ("please", 0.0), ("help", 0.8), ("hope", 1.0), ("hopefully", 1.0), ("kind", 1.4), ("okay", 0.4), ("ok", 0.4),
    ("fine", 0.6), ("thanks", 1.8), ("cheers", 1.2), ("disgusting", -3.0), ("unacceptable", -2.6),
    ("appalling", -3.0), ("shocking", -2.0), ("dreadful", -2.6), ("disgrace", -2.8), ("pathetic", -2.6),
    // British spellings the lexicon lacks.
    ("favourite", 2.0), ("favourites", 1.8), ("colourful", 1.4), ("honour", 1.8), ("honoured", 2.0),
    ("pleased", 2.0), ("delighted", 2.8), ("thrilled", 2.8), ("smooth", 1.2), ("seamless", 2.0), ("hassle", -1.6),
    // Emoji as customers use them (the generated ratings come from descriptions' words, which miss these).
    ("👍", 1.8), ("👎", -1.8), ("😡", -2.5), ("🤬", -3.0), ("😠", -2.2), ("💔", -2.4), ("🙏", 1.2), ("🔥", 1.6),
    ("💯", 1.8), ("👏", 1.8), ("😢", -1.8), ("🤮", -2.6), ("😤", -1.8), ("🙄", -1.4), ("😒", -1.4), ("😞", -1.8),
    ("😔", -1.5), ("👌", 1.4), ("⭐", 1.0), ("🥰", 2.6), ("😊", 2.0), ("🙂", 1.0), ("🙁", -1.4), ("☹", -1.6),
    ("😃", 2.2), ("😄", 2.2), ("😁", 2.0), ("😀", 1.8), ("💖", 2.6), ("💕", 2.4), ("💗", 2.4), ("🤩", 2.6),
    ("😩", -1.6), ("😫", -1.6), ("😖", -1.6), ("😐", -0.2), ("😑", -0.4), ("🤦", -1.2), ("😕", -1.0),
];

/// The sentiment of `text`. Empty or unrated text is neutral (0).
pub fn score(text: &str) -> Sentiment {
    let compound = compound(text);
    Sentiment { compound, label: Label::of(compound) }
}

/// A word's part in scoring.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Plain,
    /// Raises (or, negative, lowers) the next sentiment word's strength.
    Booster(f32),
    Negator,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    valence: Option<f32>,
    role: Role,
}

/// FNV-1a: the lexicon's keys are short words, for which SipHash's start-up cost dominates.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<V> = HashMap<Box<str>, V, std::hash::BuildHasherDefault<Fnv>>;

struct Lexicon {
    words: FnvMap<Entry>,
    phrases: FnvMap<f32>,
    /// The first word of every phrase, so that most words need no phrase look-up.
    phrase_starts: FnvMap<()>,
    /// Longest phrase, in words.
    longest: usize,
}

impl Lexicon {
    fn entry(&self, word: &str) -> Option<Entry> {
        self.words.get(word).copied()
    }

    fn valence(&self, word: &str) -> Option<f32> {
        self.words.get(word).and_then(|e| e.valence)
    }
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words: FnvMap<Entry> = FnvMap::default();
        let mut phrases: FnvMap<f32> = FnvMap::default();
        let rate = |token: &str, value: f32, words: &mut FnvMap<Entry>, phrases: &mut FnvMap<f32>| {
            if token.contains(' ') {
                phrases.insert(token.into(), value);
            } else {
                words.entry(token.into()).or_insert(Entry { valence: None, role: Role::Plain }).valence = Some(value);
            }
        };
        for line in include_str!("lexicon.tsv").lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(token), Some(value)) = (cols.next(), cols.next()) else { continue };
            let Ok(value) = value.parse::<f32>() else { continue };
            rate(token, value, &mut words, &mut phrases);
        }
        for &(word, value) in RETAIL_WORDS.iter().chain(PHRASES) {
            rate(word, value, &mut words, &mut phrases);
        }
        let mut role = |word: &str, role: Role| {
            words.entry(word.into()).or_insert(Entry { valence: None, role }).role = role;
        };
        BOOSTERS_UP.iter().for_each(|w| role(w, Role::Booster(BOOST)));
        BOOSTERS_DOWN.iter().for_each(|w| role(w, Role::Booster(-BOOST)));
        NEGATORS.iter().for_each(|w| role(w, Role::Negator));
        let phrase_starts = phrases.keys().filter_map(|p| p.split(' ').next()).map(|w| (w.into(), ())).collect();
        let longest = phrases.keys().map(|p| p.split(' ').count()).max().unwrap_or(1);
        Lexicon { words, phrases, phrase_starts, longest }
    })
}

/// One word, emoticon or phrase of the text, as scored.
#[derive(Debug)]
struct Token {
    /// Lower-case, apostrophes straightened.
    text: String,
    /// Written in capitals (two letters or more), for emphasis.
    caps: bool,
    /// Punctuation after it ends a clause: negation and intensifiers do not reach past it.
    ends_clause: bool,
    /// It ends a question.
    ends_question: bool,
    /// Stretched for emphasis ("sooo", "gooood").
    stretched: bool,
    /// An emoji or emoticon: a feeling, not a word to negate or intensify.
    symbol: bool,
    /// Its valence, if rated.
    valence: Option<f32>,
    role: Role,
}

impl Token {
    fn word(text: String, caps: bool, ends_clause: bool, lex: &Lexicon) -> Token {
        let entry = lex.entry(&text);
        let mut token = Token {
            caps,
            ends_clause,
            ends_question: false,
            stretched: false,
            symbol: false,
            valence: entry.and_then(|e| e.valence),
            role: entry.map_or(Role::Plain, |e| e.role),
            text,
        };
        if entry.is_none() {
            if let Some((shrunk, entry)) = unstretch(&token.text, lex) {
                (token.text, token.stretched, token.valence, token.role) = (shrunk, true, entry.valence, entry.role);
            } else {
                token.valence = derived(&token.text, lex);
            }
        }
        token
    }

    fn symbol(text: String, valence: f32) -> Token {
        Token { text, caps: false, ends_clause: false, ends_question: false, stretched: false, symbol: true, valence: Some(valence), role: Role::Plain }
    }

    fn rated(&self) -> bool {
        self.valence.is_some()
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '’' | '‘' | '`')
}

fn tokens(text: &str, lex: &Lexicon) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let mut lower = String::new();
    for chunk in text.split_whitespace() {
        lower.clear();
        if chunk.is_ascii() {
            lower.push_str(chunk);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(chunk.chars().flat_map(char::to_lowercase).map(|c| if is_quote(c) { '\'' } else { c }));
        }
        // An emoticon such as ":)", ":-(" or "<3", kept whole.
        let punct = lower.chars().any(|c| c.is_ascii_punctuation());
        if punct && (!lower.chars().any(char::is_alphanumeric) || lower.len() <= 3) {
            if let Some(v) = lex.valence(&lower) {
                out.push(Token::symbol(lower.clone(), v));
                continue;
            }
        }
        // Emoji inside the chunk become tokens of their own.
        if chunk.is_ascii() {
            push_word(chunk, &lower, &mut out, lex);
        } else {
            let mut from = 0;
            for (at, c) in chunk.char_indices() {
                if c.is_alphanumeric() || c.is_ascii() || is_quote(c) {
                    continue;
                }
                let mut buf = [0u8; 4];
                if let Some(v) = lex.valence(c.encode_utf8(&mut buf)) {
                    let part = &chunk[from..at];
                    push_word(part, &part.to_lowercase().replace(is_quote, "'"), &mut out, lex);
                    out.push(Token::symbol(c.to_string(), v));
                    from = at + c.len_utf8();
                }
            }
            if from > 0 {
                let part = &chunk[from..];
                push_word(part, &part.to_lowercase().replace(is_quote, "'"), &mut out, lex);
            } else {
                push_word(chunk, &lower, &mut out, lex);
            }
        }
    }
    out
}

/// Adds one word, its surrounding punctuation trimmed; punctuation that ends a clause is noted on
/// the word (or, alone, on the word before).
fn push_word(original: &str, lower: &str, out: &mut Vec<Token>, lex: &Lexicon) {
    let trim = |c: char| !c.is_alphanumeric() && c != '/';
    let ends_clause = original.trim_end().ends_with(['.', '!', '?', ';', ':', ',']);
    let ends_question = original.trim_end().trim_end_matches(['!', '.', ')']).ends_with('?');
    let word = lower.trim_matches(trim);
    if word.is_empty() {
        if let Some(last) = out.last_mut() {
            last.ends_clause |= ends_clause;
            last.ends_question |= ends_question;
        }
        return;
    }
    let shown = original.trim_matches(trim);
    let letters = shown.chars().filter(|c| c.is_alphabetic()).count();
    let caps = letters >= 2 && !shown.chars().any(char::is_lowercase);
    let mut token = Token::word(word.to_string(), caps, ends_clause, lex);
    token.ends_question = ends_question;
    out.push(token);
}

/// "sooo" → "so", "gooood" → "good": a letter repeated three times or more is cut to two, then one,
/// until the word is known.
fn unstretch(word: &str, lex: &Lexicon) -> Option<(String, Entry)> {
    let bytes = word.as_bytes();
    if !bytes.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return None;
    }
    let squeeze = |keep: usize| {
        let mut out = String::with_capacity(word.len());
        let (mut run, mut prev) = (0, None);
        for c in word.chars() {
            run = if Some(c) == prev { run + 1 } else { 1 };
            prev = Some(c);
            if run <= keep {
                out.push(c);
            }
        }
        out
    };
    [squeeze(2), squeeze(1)].into_iter().find_map(|w| lex.entry(&w).map(|e| (w, e)))
}

/// The valence of a word the lexicon lacks, from the word without an ending that keeps the
/// meaning: "disappointingly", "angrily", "hopelessness". (Cutting "-ed" or "-s" would turn
/// "based" into "base" and "news" into "new".)
fn derived(word: &str, lex: &Lexicon) -> Option<f32> {
    const ENDINGS: &[(&str, &str)] = &[("ly", ""), ("ily", "y"), ("ness", ""), ("iness", "y")];
    if word.len() < 6 {
        return None;
    }
    ENDINGS.iter().find_map(|(end, add)| {
        let stem = word.strip_suffix(end)?;
        lex.valence(&format!("{stem}{add}")).map(|v| v * 0.9)
    })
}

/// The words and phrases that moved the score, with what each contributed, in text order: the
/// "why" shown beside a touchpoint's sentiment.
pub fn explain(text: &str) -> Vec<(String, f64)> {
    let (toks, valences) = valences(text);
    toks.into_iter()
        .zip(valences)
        .filter(|(_, v)| *v != 0.0)
        .map(|(t, v)| (t.text, (v as f64 * 100.0).round() / 100.0))
        .collect()
}

fn compound(text: &str) -> f64 {
    let (_, valences) = valences(text);
    if valences.is_empty() {
        return 0.0;
    }
    let mut sum: f32 = valences.iter().sum();
    let emphasis = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = sum / (sum * sum + ALPHA).sqrt();
    (compound.clamp(-1.0, 1.0) as f64 * 10_000.0).round() / 10_000.0
}

fn valences(text: &str) -> (Vec<Token>, Vec<f32>) {
    let lex = lexicon();
    let text = unescape_html(text);
    let mut toks = tokens(&text, lex);
    merge_phrases(&mut toks, lex);
    let some_caps = toks.iter().any(|t| t.caps);
    let caps_differ = some_caps && toks.iter().any(|t| !t.caps && !t.symbol);
    let mut valences: Vec<f32> = (0..toks.len()).map(|i| valence(&toks, i, caps_differ)).collect();
    // Questions ask more than they assert: what a question says counts for less.
    let mut start = 0;
    for end in 0..toks.len() {
        if toks[end].ends_clause || end + 1 == toks.len() {
            if toks[end].ends_question {
                for v in &mut valences[start..=end] {
                    *v *= QUESTION;
                }
            }
            start = end + 1;
        }
    }
    // What follows "if", "hope" or "wish" in a clause is not (yet) so.
    let mut unreal = false;
    for (j, t) in toks.iter().enumerate() {
        if matches!(t.text.as_str(), "if" | "unless" | "hope" | "hoping" | "wish" | "wishing" | "hopefully") {
            unreal = true;
        } else if unreal {
            valences[j] *= UNREAL;
        }
        if t.ends_clause {
            unreal = false;
        }
    }
    // A contrast: what comes after the first "but" counts more than what came before.
    if let Some(c) = toks.iter().position(|t| CONTRASTS.contains(&t.text.as_str())) {
        for (j, v) in valences.iter_mut().enumerate() {
            if j < c {
                *v *= 0.5;
            } else if j > c {
                *v *= 1.5;
            }
        }
    }
    (toks, valences)
}

/// Text copied from web pages and platform exports often keeps HTML's escapes: "&lt;3" is a
/// heart, and "&gt;" is not the word "gt".
fn unescape_html(text: &str) -> std::borrow::Cow<'_, str> {
    const ESCAPES: &[(&str, &str)] =
        &[("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "), ("&amp;", "&")];
    if !text.contains('&') {
        return text.into();
    }
    let mut out = text.to_string();
    for (escape, plain) in ESCAPES {
        if out.contains(escape) {
            out = out.replace(escape, plain);
        }
    }
    out.into()
}

/// Joins phrase words into one token, longest phrase first. A phrase does not run across the end
/// of a clause.
fn merge_phrases(toks: &mut Vec<Token>, lex: &Lexicon) {
    let mut i = 0;
    let mut phrase = String::new();
    while i + 1 < toks.len() {
        if !lex.phrase_starts.contains_key(toks[i].text.as_str()) || toks[i].ends_clause {
            i += 1;
            continue;
        }
        let mut matched = None;
        phrase.clear();
        phrase.push_str(&toks[i].text);
        for len in 2..=lex.longest.min(toks.len() - i) {
            phrase.push(' ');
            phrase.push_str(&toks[i + len - 1].text);
            if let Some(&v) = lex.phrases.get(phrase.as_str()) {
                matched = Some((len, phrase.clone(), v));
            }
            if toks[i + len - 1].ends_clause {
                break;
            }
        }
        if let Some((len, text, v)) = matched {
            let caps = toks[i..i + len].iter().all(|t| t.caps);
            let ends_clause = toks[i + len - 1].ends_clause;
            let merged = Token { text, caps, ends_clause, stretched: false, symbol: false, valence: Some(v), role: Role::Plain, ends_question: false };
            toks.splice(i..i + len, [merged]);
        }
        i += 1;
    }
}

fn valence(toks: &[Token], i: usize, caps_differ: bool) -> f32 {
    let t = &toks[i];
    let word = t.text.as_str();
    let next = toks.get(i + 1);
    let before_rated = next.is_some_and(Token::rated);
    // An intensifier before a rated word only modifies it ("pretty good"); alone, it may be a word
    // of its own ("so pretty").
    if matches!(t.role, Role::Booster(_)) && (before_rated || !OWN_VALENCE.contains(&word)) {
        return 0.0;
    }
    if word == "kind" && next.is_some_and(|n| n.text == "of") {
        return 0.0;
    }
    let Some(mut v) = t.valence else { return 0.0 };
    if t.symbol {
        return v;
    }
    // "like" is a preposition more often than a verb of liking.
    if word == "like" || word == "likes" {
        const LIKERS: &[&str] = &[
            "i", "we", "you", "they", "really", "also", "just", "do", "did", "would", "i'd", "definitely", "to",
            "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "won't", "wouldn't", "never",
        ];
        if i == 0 || !LIKERS.contains(&toks[i - 1].text.as_str()) {
            return 0.0;
        }
    }
    // "no" before a rated word negates it rather than being negative itself.
    if word == "no" && before_rated {
        return 0.0;
    }
    if t.caps && caps_differ {
        v += CAPS_BOOST.copysign(v);
    }
    if t.stretched {
        v += BOOST.copysign(v);
    }
    // Up to three words before, within the clause: intensifiers and negation.
    let mut negations = 0;
    for back in 1..=3.min(i) {
        let p = &toks[i - back];
        if p.ends_clause {
            break;
        }
        let negator = p.role == Role::Negator || p.role == Role::Plain && p.text.ends_with("n't");
        match p.role {
            Role::Booster(b) => {
                let mut b = if v < 0.0 { -b } else { b };
                if p.caps && caps_differ {
                    b += CAPS_BOOST.copysign(v);
                }
                v += b * [1.0, 0.95, 0.9][back - 1];
            }
            _ if negator => {
                // "never slept so well", "haven't been this sore", "without doubt" are emphasis,
                // not negation.
                let between = || toks[i - back + 1..i].iter().map(|t| t.text.as_str());
                let emphasis = between().any(|w| w == "this")
                    || p.text == "never" && between().any(|w| w == "so")
                    || p.text == "without" && toks[i - back + 1].text == "doubt";
                if back >= 2 && emphasis {
                    v *= 1.25;
                } else {
                    negations += 1;
                }
            }
            // A negation belongs to the first rated word after it ("not bad, great" is great), but a
            // faint word between does not take it ("not nearly that awesome").
            _ if p.valence.is_some_and(|w| w.abs() >= 0.5) => break,
            _ => {}
        }
    }
    if negations % 2 == 1 {
        v *= NEGATION;
    }
    // "the least helpful" is not helpful; "at least" is not a negation.
    if i > 0 && toks[i - 1].text == "least" && !(i > 1 && ["at", "very"].contains(&toks[i - 2].text.as_str())) {
        v *= NEGATION;
    }
    v
}

fn punctuation_emphasis(text: &str) -> f32 {
    let bangs = text.matches('!').count().min(4) as f32 * 0.292;
    let questions = match text.matches('?').count() {
        0 | 1 => 0.0,
        n @ 2..=3 => n as f32 * 0.18,
        _ => 0.96,
    };
    bangs + questions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> f64 {
        score(text).compound
    }

    #[test]
    fn rules_move_the_score_the_way_people_read_it() {
        assert!(c("The book was good.") > 0.3);
        assert!(c("The book was very good.") > c("The book was good."));
        assert!(c("The book was VERY GOOD and the rest was fine.") > c("The book was very good and the rest was fine."));
        assert!(c("The book was good!!!") > c("The book was good."));
        assert!(c("The book was not good.") < 0.0);
        assert!(c("Not bad at all") > 0.0);
        assert!(c("The staff were nice, but the shoes fell apart after a week") < 0.0);
        assert!(c("The parcel never arrived") < -0.4);
        assert!(c("Sarah was so helpful!") > 0.5);
        assert!(c("I want a refund") < 0.0);
        assert!(c("Looks like rain today") == 0.0);
        assert!(c("I like it") > 0.0);
        assert!(c("sooo gooood") > 0.3);
        assert!(c("disappointingly thin") < 0.0);
        assert!(c("Love it 😍") > c("Love it"));
        assert!(c("great :)") > c("great"));
        assert!(c("It is not good. It is great") > 0.0, "negation stops at the sentence's end");
        assert!(c("I have never slept so well") > 0.0, "never … so is emphasis");
        assert!(c("Haven't been this sore in a while") < 0.0, "not … this is emphasis");
        assert!(c("Not nearly that awesome") < 0.0, "a faint word does not stop a negation");
        assert!(c("Really don't like it") < 0.0);
        assert!(c("Seriously?") < 0.0, "an intensifier alone can be a word of its own");
        assert!(c("At least it came") == 0.0);
        assert!(c("Please help, my order never arrived") < c("my order never arrived") + 0.01, "asking for help is not praise");
        assert!(c("Does that help?") > 0.0);
        assert_eq!(c("5 &gt; 4"), 0.0, "an HTML escape is not a word");
        assert!(c("see you soon &lt;3") > 0.0, "an escaped heart is a heart");
    }

    #[test]
    fn odd_text_is_neutral_not_a_panic() {
        for text in ["", "   ", "!!!", "’’", "@@@ ###", "\u{0}", "😀😀😀😀", "a\u{301}", "'", "-", "no no no"] {
            let s = score(text);
            assert!((-1.0..=1.0).contains(&s.compound), "{text:?}");
        }
        assert_eq!(score("").label, Label::Neutral);
    }
}
