//! How positive or negative a short customer text is: a review, a comment, a DM. Offline, rule
//! based and explainable, after VADER (Hutto & Gilbert, ICWSM 2014, MIT licence): each word has a
//! valence from a lexicon (`lexicon.tsv`, built by `scripts/build-sentiment-lexicon.py` from VADER's
//! and Pattern's published lexicons), changed by the words before it (negation, intensifiers,
//! "but"), by ALL CAPS and by punctuation, and the sum is squashed into a compound score in [-1, 1].
//!
//! Beyond VADER: the retail phrases customers use ("never arrived", "fell apart", "so helpful") are
//! scored as phrases, and so is how product reviews talk ("sent it back", "save your money", "works
//! great", "easy to use"); a product's verbs of doing its job are faults when negated ("never
//! worked", "won't charge"); negation and intensifiers stop at the end of a clause; "but" really
//! halves what came before it; "like" counts only as a verb of liking; questions count for three
//! quarters and what follows "if", "hope" or "wish" for half, and the good a product is wished
//! to have is what it lacks ("I wish the zoom were better", "a remote would be nice"); "no" negates the rated word up to three
//! words on ("no real problems"); words only the other lexicons rate
//! count three quarters; words the lexicon lacks are tried without their endings
//! ("disappointingly"), and stretched words are shrunk ("sooo gooood").
//!
//! It is quick (about a microsecond for a sentence): a text costs no allocation (its tokens are
//! ranges of a buffer kept per thread), each word one look-up in a table of packed keys that also
//! says what the rules need of it (`flag`), and ASCII text is split and classified in one pass.

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
/// A question's words count for three quarters: "Is the blue one good?" asks, it does not praise.
const QUESTION: f32 = 0.75;
/// Words after "if", "hope" or "wish" in their clause count for half: "I hope it fits" is not a fit.
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

/// How much a word rated only by the other lexicons (Pattern's, AFINN's) counts beside one VADER's
/// raters rated: three quarters (their scales are mapped onto VADER's; read across the three rated
/// sets, they count too much at full strength).
const OTHER_LEXICONS: f32 = 0.75;

/// Verbs of a product doing its job: a fault when negated (see `flag::FUNCTION`).
const FUNCTION_VERBS: &[&str] = &[
    "work", "works", "worked", "working", "play", "plays", "played", "playing", "load", "loads", "loaded", "loading",
    "charge", "charges", "charged", "charging", "connect", "connects", "connected", "connecting", "register",
    "registers", "registered", "recognize", "recognizes", "recognized", "recognise", "recognises", "recognised",
    "sync", "syncs", "synced", "boot", "boots", "booted", "respond", "responds", "responded", "function",
    "functions", "functioned", "operate", "operates", "operated", "answer", "answers", "answered",
];

/// How much a negated function verb says (see `flag::FUNCTION`).
const FAULT: f32 = -1.6;

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
    ("what a joke", -2.4), ("a joke", -1.6), ("bad ass", 2.0), ("me like", 1.8), ("wicked good", 2.6),
    ("wicked cool", 2.6), ("wicked groovy", 2.6),
    // Products: sending back, warnings to other buyers, regret, faults, and praise of use.
    ("send it back", -1.8), ("sent it back", -1.8), ("send back", -1.4), ("sent back", -1.4), ("returning it", -1.8),
    ("returned it", -1.8), ("return it", -1.4), ("save your money", -2.2), ("don't waste your", -2.4),
    ("do not waste your", -2.4), ("get what you pay for", -1.2), ("stay away", -2.0), ("look elsewhere", -1.8),
    ("buyer beware", -2.2), ("piece of junk", -3.0), ("piece of crap", -3.0), ("piece of garbage", -3.0),
    ("would have been nice", -1.0), ("would have been better", -1.2), ("would have been great", -1.0),
    ("would have liked", -1.2), ("would've liked", -1.2), ("i'd have liked", -1.2), ("should have bought", -1.8),
    ("should've bought", -1.8), ("should have gotten", -1.6), ("should have gone with", -1.6), ("wish it had", -1.2),
    ("refuses to", -1.6), ("refused to", -1.6), ("fails to", -1.6), ("failed to", -1.6), ("unable to", -1.2),
    ("quit working", -2.4), ("quit on me", -2.4), ("died on me", -2.4), ("stopped playing", -2.2), ("no picture", -1.8),
    ("no sound", -1.8), ("no signal", -1.6), ("tech support", 0.0), ("customer support", 0.0), ("battery life", 0.0),
    ("short battery life", -1.6), ("long battery life", 1.6), ("worse than expected", -2.0),
    ("works great", 2.4), ("works perfectly", 2.6), ("works well", 2.0), ("works fine", 1.6), ("worked perfectly", 2.4),
    ("works like a charm", 2.8), ("easy to use", 2.0), ("simple to use", 1.8), ("easy to set up", 1.8),
    ("easy to install", 1.8), ("easy to navigate", 1.8), ("simple to navigate", 1.8), ("user friendly", 1.8),
    ("couldn't be easier", 2.6), ("could not be easier", 2.6), ("couldn't be any easier", 2.6), ("does the job", 1.4),
    ("does the trick", 1.6), ("no regrets", 2.0), ("well worth", 2.2), ("exceeded my expectations", 2.6),
    ("exceeds expectations", 2.4), ("better than expected", 2.0), ("bang for the buck", 2.0), ("bang for your buck", 2.0),
    ("great buy", 2.4), ("good buy", 2.0), ("best purchase", 2.6), ("pleasantly surprised", 2.4),
    ("don't buy", -2.2), ("dont buy", -2.2), ("do not buy", -2.2), ("sent mine back", -1.8), ("send mine back", -1.6),
    ("mail it back", -1.4), ("take it back", -1.4), ("took it back", -1.4), ("keep your receipt", -1.6),
    ("crapped out", -2.4), ("down the drain", -2.2), ("made the mistake", -2.2), ("took forever", -1.6),
    ("takes forever", -1.6), ("buy a better", -1.4), ("get a better", -0.8), ("buy better", -1.2),
    ("something better", -0.8), ("buy it", 1.2), ("go for it", 1.6), ("can't beat", 2.0), ("cannot beat", 2.0),
    ("thanks for nothing", -2.0), ("can't go wrong", 2.2), ("cannot go wrong", 2.2), ("not an issue", 1.2), ("not a problem", 1.0),
    ("get what you paid for", -1.2), ("bait and switch", -2.4), ("barely worked", -2.0), ("barely works", -2.0),
    ("can't get through", -1.4), ("a real plus", 1.8), ("another plus", 1.4), ("big plus", 1.8), ("major plus", 1.8),
    ("big minus", -1.8), ("major minus", -1.8), ("real minus", -1.8), ("does its job", 1.4), ("every penny", 2.0),
    ("up and running", 1.2), ("in awe", 2.4), ("10 stars", 2.8), ("four stars", 1.6), ("4 stars", 1.6),
    ("at best", -1.2), ("know better", -1.0), ("wanted to like", -1.4), ("wanted to love", -1.4),
    ("fizzled out", -1.8), ("could at least", -1.2), ("would be nice", -0.6),
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
    // Products.
    ("crisp", 1.4), ("sharp", 0.6), ("readable", 1.0), ("lacking", -1.4), ("lacks", -1.2), ("fragile", -1.2),
    ("defective", -2.2), ("glitch", -1.4), ("glitches", -1.4), ("glitchy", -1.6), ("buggy", -1.6),
    ("overheats", -1.6), ("overheating", -1.6), ("crashes", -1.4), ("freezes", -1.2), ("froze", -1.2),
    ("malfunction", -2.0), ("malfunctioned", -2.0), ("intuitive", 1.6), ("sleek", 1.6), ("unreliable", -2.0),
    ("reliable", 1.6), ("badass", 2.0), ("compact", 1.0), ("lightweight", 1.0), ("roomy", 1.2), ("convenient", 1.6),
    ("versatile", 1.6), ("handy", 1.4), ("vivid", 1.4), ("accurate", 1.2), ("inexpensive", 0.8), ("quiet", 0.6),
    ("quick", 1.0), ("simple", 0.8), ("bulky", -1.2), ("grainy", -1.4), ("fuzzy", -1.0), ("tinny", -1.4),
    ("muffled", -1.4), ("laggy", -1.6), ("clunky", -1.6), ("cumbersome", -1.6), ("slow", -1.0), ("blurry", -1.4),
    ("dim", -0.8), ("noisy", -1.2), ("skipping", -1.0), ("skips", -1.0), ("crapped", -2.0), ("trash", -2.2),
    // Nouns of a product's description, not praise: "the picture quality", "it was a gift".
    ("quality", 0.0), ("gift", 0.4), ("gifts", 0.4), ("static", 0.0),
    // What reviews call a product's faults and merits.
    ("nightmare", -2.4), ("inoperable", -2.0), ("drawback", -1.2), ("drawbacks", -1.2), ("shortcoming", -1.2),
    ("shortcomings", -1.2), ("quibble", -0.6), ("minus", -1.0), ("substandard", -2.0), ("freezing", -1.0),
    ("sheesh", -1.0), ("coolest", 2.4), ("saves", 1.0),
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
    let compound = with_scratch(|s| compound(text, s));
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

/// What a word is to the rules beyond its valence and role, found with it in one look-up (so no
/// rule compares words as text).
mod flag {
    /// The first word of a phrase scored as one unit.
    pub const PHRASE_START: u32 = 1;
    /// "if", "unless", "hope", "wish"…: what follows in the clause is not (yet) so.
    pub const UNREAL: u32 = 1 << 1;
    /// "but", "however".
    pub const CONTRAST: u32 = 1 << 2;
    /// An intensifier that is a word of its own when it modifies nothing.
    pub const OWN_VALENCE: u32 = 1 << 3;
    /// "like", "likes".
    pub const LIKE: u32 = 1 << 4;
    /// A word before "like" that makes it a verb of liking.
    pub const LIKER: u32 = 1 << 5;
    pub const KIND: u32 = 1 << 6;
    pub const OF: u32 = 1 << 7;
    pub const NO: u32 = 1 << 8;
    pub const LEAST: u32 = 1 << 9;
    /// "at" or "very" before "least".
    pub const AT_OR_VERY: u32 = 1 << 10;
    pub const THIS: u32 = 1 << 11;
    pub const NEVER: u32 = 1 << 12;
    pub const SO: u32 = 1 << 13;
    pub const WITHOUT: u32 = 1 << 14;
    pub const DOUBT: u32 = 1 << 15;
    /// Ends in "n't" (set on the token, not in the lexicon).
    pub const NOT_SUFFIX: u32 = 1 << 16;
    /// The word's role: an intensifier, a dampener or a negation.
    pub const BOOSTS: u32 = 1 << 17;
    pub const DAMPENS: u32 = 2 << 17;
    pub const NEGATES: u32 = 3 << 17;
    pub const ROLE: u32 = 3 << 17;
    /// A verb of a product doing its job ("work", "play", "charge"): a fault when negated ("never
    /// worked", "won't charge"), whatever it says otherwise.
    pub const FUNCTION: u32 = 1 << 19;
    /// "wish", "wished": a wish for a product is what it lacks ("I wish it had a longer battery").
    pub const WISH: u32 = 1 << 20;
    /// What a wish says a thing lacks: "had", "were", "came"… ("I wish it had a longer battery").
    pub const HAD: u32 = 1 << 21;
    /// A person after "wish": a longing ("I wish I was there") or a greeting ("wish you the best").
    pub const PERSON: u32 = 1 << 22;
}

/// Words before "like" that make it a verb of liking: "like" is a preposition more often.
const LIKERS: &[&str] = &[
    "i", "we", "you", "they", "really", "also", "just", "do", "did", "would", "i'd", "definitely", "to", "don't",
    "dont", "doesn't", "doesnt", "didn't", "didnt", "won't", "wouldn't", "never",
];

/// A word of the lexicon: 8 bytes, so that the table stays small enough for the processor's cache.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// NaN when unrated.
    valence: f32,
    /// `flag::*`, and its role in `flag::ROLE`.
    flags: u32,
}

impl Entry {
    const BLANK: Entry = Entry { valence: f32::NAN, flags: 0 };

    fn valence(&self) -> Option<f32> {
        (!self.valence.is_nan()).then_some(self.valence)
    }

    fn role(&self) -> Role {
        match self.flags & flag::ROLE {
            flag::BOOSTS => Role::Booster(BOOST),
            flag::DAMPENS => Role::Booster(-BOOST),
            flag::NEGATES => Role::Negator,
            _ => Role::Plain,
        }
    }

    fn set_role(&mut self, role: u32) {
        self.flags = self.flags & !flag::ROLE | role;
    }

    /// Rated or a modifier: a word the lexicon knows (the others are there for their flags).
    fn lexical(&self) -> bool {
        self.valence().is_some() || self.flags & flag::ROLE != 0
    }
}

/// A hash for the lexicon's keys: short words packed into one number, for which SipHash's
/// start-up cost would dominate. Mixed at the end so that the table's high and low bits both vary.
#[derive(Default, Clone, Copy)]
struct KeyHash(u64);

impl std::hash::Hasher for KeyHash {
    fn finish(&self) -> u64 {
        let h = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

}

type KeyMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<KeyHash>>;

/// Text keys, those of up to 15 bytes (nearly all words) packed with their length into one number
/// held in the table itself: a look-up is one hash of two words and one probe, with no pointer to
/// follow to compare keys (that second cache miss was most of a look-up's cost).
struct TextMap<V> {
    short: KeyMap<Packed, V>,
    long: KeyMap<Box<str>, V>,
}

/// Up to eight bytes as a little-endian number, read without a copy through memory (whose
/// overlapping stores would stall the load that follows).
fn le_bytes(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("four bytes")) as u64;
    match n {
        0 => 0,
        1..=3 => b[0] as u64 | (b[n / 2] as u64) << (8 * (n / 2)) | (b[n - 1] as u64) << (8 * (n - 1)),
        // Two reads that overlap in the middle: the shared bytes are the same on both sides.
        4..=7 => u32_at(0) | u32_at(n - 4) << (8 * (n - 4)),
        _ => u64::from_le_bytes(b[..8].try_into().expect("eight bytes")),
    }
}

/// A key of up to 15 bytes and its length, in two machine words (hashed as two words, not as bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Packed(u64, u64);

impl<V> Default for TextMap<V> {
    fn default() -> Self {
        TextMap { short: KeyMap::default(), long: KeyMap::default() }
    }
}

impl<V> TextMap<V> {
    fn pack(text: &str) -> Option<Packed> {
        let bytes = text.as_bytes();
        let len = bytes.len();
        (len < 16).then(|| {
            let (low, high) = bytes.split_at(len.min(8));
            Packed(le_bytes(low), le_bytes(high) | (len as u64) << 56)
        })
    }

    fn get(&self, text: &str) -> Option<&V> {
        match Self::pack(text) {
            Some(key) => self.short.get(&key),
            None => self.long.get(text),
        }
    }

    fn get_or(&mut self, text: &str, blank: V) -> &mut V {
        match Self::pack(text) {
            Some(key) => self.short.entry(key).or_insert(blank),
            None => self.long.entry(text.into()).or_insert(blank),
        }
    }
}

/// A phrase, or the start of one: its value when it is a whole phrase, and whether a longer
/// phrase begins with it (so that matching stops as soon as no phrase can follow).
#[derive(Debug, Clone, Copy)]
struct PhrasePart {
    value: Option<f32>,
    goes_on: bool,
}

struct Lexicon {
    words: TextMap<Entry>,
    /// Every phrase of two words or more, and every such start of one.
    phrases: TextMap<PhrasePart>,
}

impl Lexicon {
    fn entry(&self, word: &str) -> Option<Entry> {
        self.words.get(word).copied()
    }

    /// A word the lexicon knows (not one it holds only for its flags).
    fn lexical(&self, word: &str) -> Option<Entry> {
        self.entry(word).filter(Entry::lexical)
    }

    fn valence(&self, word: &str) -> Option<f32> {
        self.words.get(word).and_then(Entry::valence)
    }

    fn flags(&self, word: &str) -> u32 {
        self.words.get(word).map_or(0, |e| e.flags)
    }
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words: TextMap<Entry> = TextMap::default();
        let mut phrases: HashMap<&str, f32> = HashMap::new();
        let blank = Entry::BLANK;
        let lines = include_str!("lexicon.tsv").lines().filter(|l| !l.starts_with('#')).filter_map(|line| {
            let mut cols = line.split('\t');
            let (token, value) = (cols.next()?, cols.next()?.parse::<f32>().ok()?);
            Some((token, if cols.next() == Some("vader") { value } else { value * OTHER_LEXICONS }))
        });
        for (token, value) in lines.chain(RETAIL_WORDS.iter().chain(PHRASES).copied()) {
            if token.contains(' ') {
                phrases.insert(token, value);
            } else {
                words.get_or(token, blank).valence = value;
            }
        }
        let mut role = |word: &str, role: u32| words.get_or(word, blank).set_role(role);
        BOOSTERS_UP.iter().for_each(|w| role(w, flag::BOOSTS));
        BOOSTERS_DOWN.iter().for_each(|w| role(w, flag::DAMPENS));
        NEGATORS.iter().for_each(|w| role(w, flag::NEGATES));
        let mut mark = |list: &mut dyn Iterator<Item = &str>, f: u32| {
            for word in list {
                words.get_or(word, blank).flags |= f;
            }
        };
        mark(&mut phrases.keys().filter_map(|p| p.split(' ').next()), flag::PHRASE_START);
        mark(&mut ["if", "unless", "hope", "hoping", "wish", "wished", "wishing", "hopefully"].into_iter(), flag::UNREAL);
        mark(&mut CONTRASTS.iter().copied(), flag::CONTRAST);
        mark(&mut OWN_VALENCE.iter().copied(), flag::OWN_VALENCE);
        mark(&mut ["like", "likes"].into_iter(), flag::LIKE);
        mark(&mut FUNCTION_VERBS.iter().copied(), flag::FUNCTION);
        mark(&mut ["wish", "wished", "wishing"].into_iter(), flag::WISH);
        mark(&mut ["i", "we", "you", "u", "ya", "everyone", "everybody", "all", "me", "him", "her", "us", "them"].into_iter(), flag::PERSON);
        mark(&mut ["had", "has", "have", "were", "was", "came", "come", "could", "did", "offered", "included"].into_iter(), flag::HAD);
        mark(&mut LIKERS.iter().copied(), flag::LIKER);
        for (word, f) in [
            ("kind", flag::KIND), ("of", flag::OF), ("no", flag::NO), ("least", flag::LEAST), ("at", flag::AT_OR_VERY),
            ("very", flag::AT_OR_VERY), ("this", flag::THIS), ("never", flag::NEVER), ("so", flag::SO),
            ("without", flag::WITHOUT), ("doubt", flag::DOUBT),
        ] {
            mark(&mut std::iter::once(word), f);
        }
        let mut parts: TextMap<PhrasePart> = TextMap::default();
        for (phrase, &value) in &phrases {
            let ends = phrase.match_indices(' ').map(|(i, _)| i).skip(1).chain([phrase.len()]);
            for end in ends {
                let part = parts.get_or(&phrase[..end], PhrasePart { value: None, goes_on: false });
                if end == phrase.len() {
                    part.value = Some(value);
                } else {
                    part.goes_on = true;
                }
            }
        }
        Lexicon { words, phrases: parts }
    })
}

/// One word, emoticon or phrase of the text, as scored.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Token {
    /// Where its text (lower-case, apostrophes straightened) is in `Scratch::text`.
    at: u32,
    len: u32,
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
    /// `flag::*` of its text.
    flags: u32,
}

impl Token {
    fn rated(&self) -> bool {
        self.valence.is_some()
    }

    fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }

    /// Where its text is in `Scratch::text`.
    fn range(&self) -> std::ops::Range<usize> {
        self.at as usize..(self.at + self.len) as usize
    }
}

/// What scoring works in, kept from one text to the next so that a text costs no allocation.
#[derive(Default)]
struct Scratch {
    /// The tokens' texts, one after another.
    text: String,
    tokens: Vec<Token>,
    valences: Vec<f32>,
    /// A word being lower-cased, shrunk or built from a stem.
    word: String,
    phrase: String,
    /// How many '!' and '?' the text has.
    bangs: usize,
    questions: usize,
}

impl Scratch {
    fn text_of(&self, t: &Token) -> &str {
        &self.text[t.range()]
    }

    /// `token`, its text being `self.text[at..]`: where that is, and what its text says of it.
    fn placed(&self, at: usize, mut token: Token) -> Token {
        let text = &self.text[at..];
        if text.ends_with("n't") {
            token.flags |= flag::NOT_SUFFIX;
        }
        (token.at, token.len) = (at as u32, text.len() as u32);
        token
    }

    /// Adds a token whose text is `self.text[at..]`.
    fn push(&mut self, at: usize, token: Token) {
        let token = self.placed(at, token);
        self.tokens.push(token);
    }
}

fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
    }
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

fn is_quote(c: char) -> bool {
    matches!(c, '’' | '‘' | '`')
}

fn tokens(text: &str, lex: &Lexicon, s: &mut Scratch) {
    if text.is_ascii() {
        return ascii_tokens(text, lex, s);
    }
    s.bangs = text.matches('!').count();
    s.questions = text.matches('?').count();
    for chunk in text.split_whitespace() {
        if chunk.is_ascii() {
            ascii_chunk(chunk, Shape::of(chunk.as_bytes()), lex, s);
        } else {
            any_chunk(chunk, lex, s);
        }
    }
}

/// The tokens of a chunk of any text (between white space).
fn any_chunk(chunk: &str, lex: &Lexicon, s: &mut Scratch) {
    let lower: String = chunk.chars().flat_map(char::to_lowercase).map(|c| if is_quote(c) { '\'' } else { c }).collect();
    // An emoticon such as ":)", ":-(" or "<3", kept whole.
    let punct = lower.chars().any(|c| c.is_ascii_punctuation());
    if punct && (!lower.chars().any(char::is_alphanumeric) || lower.len() <= 3) {
        if let Some(v) = lex.valence(&lower) {
            return push_symbol(&lower, v, lex, s);
        }
    }
    // Emoji inside the chunk become tokens of their own.
    let mut from = 0;
    for (at, c) in chunk.char_indices() {
        if c.is_alphanumeric() || c.is_ascii() || is_quote(c) {
            continue;
        }
        let mut buf = [0u8; 4];
        let emoji = c.encode_utf8(&mut buf);
        if let Some(v) = lex.valence(emoji) {
            let part = &chunk[from..at];
            push_word(part, &part.to_lowercase().replace(is_quote, "'"), lex, s);
            push_symbol(emoji, v, lex, s);
            from = at + c.len_utf8();
        }
    }
    if from > 0 {
        let part = &chunk[from..];
        push_word(part, &part.to_lowercase().replace(is_quote, "'"), lex, s);
    } else {
        push_word(chunk, &lower, lex, s);
    }
}

fn push_symbol(text: &str, valence: f32, lex: &Lexicon, s: &mut Scratch) {
    let at = s.text.len();
    s.text.push_str(text);
    let flags = lex.flags(text);
    let token = Token { at: 0, len: 0, caps: false, ends_clause: false, ends_question: false, stretched: false, symbol: true, valence: Some(valence), role: Role::Plain, flags };
    s.push(at, token);
}

/// What a byte of ASCII is, for the tokenizer: white space (as `char::is_whitespace` has it),
/// punctuation, a letter or digit, a letter, a lower-case or capital letter, and part of a word
/// (letters, digits, '/').
mod class {
    pub const SPACE: u8 = 1;
    pub const PUNCT: u8 = 1 << 1;
    pub const ALNUM: u8 = 1 << 2;
    pub const ALPHA: u8 = 1 << 3;
    pub const LOWER: u8 = 1 << 4;
    pub const WORD: u8 = 1 << 5;
    pub const UPPER: u8 = 1 << 6;

    pub const OF: [u8; 128] = {
        let mut table = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            let c = b as u8;
            let mut class = 0;
            if matches!(c, b' ' | b'\t'..=b'\r') {
                class |= SPACE;
            }
            if c.is_ascii_punctuation() {
                class |= PUNCT;
            }
            if c.is_ascii_alphanumeric() {
                class |= ALNUM | WORD;
            }
            if c.is_ascii_alphabetic() {
                class |= ALPHA;
            }
            if c.is_ascii_lowercase() {
                class |= LOWER;
            }
            if c == b'/' {
                class |= WORD;
            }
            if c.is_ascii_uppercase() {
                class |= UPPER;
            }
            table[b] = class;
            b += 1;
        }
        table
    };
}

/// The shape of an ASCII chunk, from one pass over its bytes.
#[derive(Clone, Copy)]
struct Shape {
    /// Every class of byte it holds.
    classes: u8,
    /// Its first and last word byte (its word, punctuation trimmed); `first` is `usize::MAX` when
    /// it has none.
    first: usize,
    last: usize,
    letters: usize,
}

impl Shape {
    const EMPTY: Shape = Shape { classes: 0, first: usize::MAX, last: 0, letters: 0 };

    fn of(bytes: &[u8]) -> Shape {
        let mut shape = Shape::EMPTY;
        for (i, &b) in bytes.iter().enumerate() {
            shape.add(i, class::OF[b as usize]);
        }
        shape
    }

    fn add(&mut self, i: usize, class: u8) {
        self.classes |= class;
        if class & class::WORD != 0 {
            self.first = self.first.min(i);
            self.last = i;
        }
        self.letters += (class & class::ALPHA != 0) as usize;
    }

    fn word(&self) -> Option<(usize, usize)> {
        (self.first != usize::MAX).then_some((self.first, self.last))
    }
}

/// `tokens` for ASCII text (most text): chunks and their shapes in one pass over the bytes.
fn ascii_tokens(text: &str, lex: &Lexicon, s: &mut Scratch) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if class::OF[bytes[i] as usize] & class::SPACE != 0 {
            i += 1;
            continue;
        }
        let from = i;
        let mut shape = Shape::EMPTY;
        while i < bytes.len() {
            let class = class::OF[bytes[i] as usize];
            if class & class::SPACE != 0 {
                break;
            }
            shape.add(i - from, class);
            s.bangs += (bytes[i] == b'!') as usize;
            s.questions += (bytes[i] == b'?') as usize;
            i += 1;
        }
        ascii_chunk(&text[from..i], shape, lex, s);
    }
}

/// `tokens` for a chunk of ASCII: the same rules as for any text, without decoding characters.
fn ascii_chunk(chunk: &str, shape: Shape, lex: &Lexicon, s: &mut Scratch) {
    let bytes = chunk.as_bytes();
    if shape.classes & class::PUNCT != 0 && (shape.classes & class::ALNUM == 0 || bytes.len() <= 3) {
        s.word.clear();
        s.word.push_str(chunk);
        s.word.make_ascii_lowercase();
        if let Some(v) = lex.valence(&s.word) {
            let word = std::mem::take(&mut s.word);
            push_symbol(&word, v, lex, s);
            s.word = word;
            return;
        }
    }
    let ends_clause = matches!(bytes.last(), Some(b'.' | b'!' | b'?' | b';' | b':' | b','));
    let unclosed = bytes.iter().rposition(|b| !matches!(b, b'!' | b'.' | b')'));
    let ends_question = unclosed.is_some_and(|i| bytes[i] == b'?');
    let Some((start, last)) = shape.word() else {
        return mark_previous(s, ends_clause, ends_question);
    };
    // Letters are word bytes, so the chunk's letters are its word's.
    let caps = shape.letters >= 2 && shape.classes & class::LOWER == 0;
    let at = s.text.len();
    s.text.push_str(&chunk[start..=last]);
    if shape.classes & class::UPPER != 0 {
        s.text[at..].make_ascii_lowercase();
    }
    push_word_token(at, caps, ends_clause, ends_question, lex, s);
}

/// Punctuation standing alone ends the clause (or question) of the word before.
fn mark_previous(s: &mut Scratch, ends_clause: bool, ends_question: bool) {
    if let Some(last) = s.tokens.last_mut() {
        last.ends_clause |= ends_clause;
        last.ends_question |= ends_question;
    }
}

/// Adds one word, its surrounding punctuation trimmed; punctuation that ends a clause is noted on
/// the word (or, alone, on the word before).
fn push_word(original: &str, lower: &str, lex: &Lexicon, s: &mut Scratch) {
    let trim = |c: char| !c.is_alphanumeric() && c != '/';
    let ends_clause = original.trim_end().ends_with(['.', '!', '?', ';', ':', ',']);
    let ends_question = original.trim_end().trim_end_matches(['!', '.', ')']).ends_with('?');
    let word = lower.trim_matches(trim);
    if word.is_empty() {
        return mark_previous(s, ends_clause, ends_question);
    }
    let shown = original.trim_matches(trim);
    let letters = shown.chars().filter(|c| c.is_alphabetic()).count();
    let caps = letters >= 2 && !shown.chars().any(char::is_lowercase);
    let at = s.text.len();
    s.text.push_str(word);
    push_word_token(at, caps, ends_clause, ends_question, lex, s);
}

/// Adds the word `s.text[at..]`: rated from the lexicon, from its unstretched form, or from its stem.
fn push_word_token(at: usize, caps: bool, ends_clause: bool, ends_question: bool, lex: &Lexicon, s: &mut Scratch) {
    let entry = lex.entry(&s.text[at..]);
    let mut token = Token {
        at: 0,
        len: 0,
        caps,
        ends_clause,
        ends_question,
        stretched: false,
        symbol: false,
        valence: None,
        role: Role::Plain,
        flags: entry.map_or(0, |e| e.flags),
    };
    match entry.filter(Entry::lexical) {
        Some(e) => (token.valence, token.role) = (e.valence(), e.role()),
        None => {
            if let Some(e) = unstretch(&s.text[at..], lex, &mut s.word) {
                (token.stretched, token.valence, token.role, token.flags) = (true, e.valence(), e.role(), e.flags);
                s.text.truncate(at);
                s.text.push_str(&s.word);
            } else {
                token.valence = derived(&s.text[at..], lex, &mut s.word);
            }
        }
    }
    s.push(at, token);
}

/// "sooo" → "so", "gooood" → "good": a letter repeated three times or more is cut to two, then one,
/// until the word is known. The known word is left in `out`.
fn unstretch(word: &str, lex: &Lexicon, out: &mut String) -> Option<Entry> {
    let bytes = word.as_bytes();
    if !bytes.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return None;
    }
    [2, 1].into_iter().find_map(|keep| {
        out.clear();
        let (mut run, mut prev) = (0, None);
        for c in word.chars() {
            run = if Some(c) == prev { run + 1 } else { 1 };
            prev = Some(c);
            if run <= keep {
                out.push(c);
            }
        }
        lex.lexical(out)
    })
}

/// The valence of a word the lexicon lacks, from the word without an ending that keeps the
/// meaning: "disappointingly", "angrily", "hopelessness". (Cutting "-ed" or "-s" would turn
/// "based" into "base" and "news" into "new".)
fn derived(word: &str, lex: &Lexicon, stem: &mut String) -> Option<f32> {
    const ENDINGS: &[(&str, &str)] = &[("ly", ""), ("ily", "y"), ("ness", ""), ("iness", "y")];
    if word.len() < 6 {
        return None;
    }
    ENDINGS.iter().find_map(|(end, add)| {
        stem.clear();
        stem.push_str(word.strip_suffix(end)?);
        stem.push_str(add);
        lex.valence(stem).map(|v| v * 0.9)
    })
}

/// The words and phrases that moved the score, with what each contributed, in text order: the
/// "why" shown beside a touchpoint's sentiment.
pub fn explain(text: &str) -> Vec<(String, f64)> {
    with_scratch(|s| {
        valences(text, s);
        s.tokens
            .iter()
            .zip(&s.valences)
            .filter(|(_, v)| **v != 0.0)
            .map(|(t, v)| (s.text_of(t).to_string(), (*v as f64 * 100.0).round() / 100.0))
            .collect()
    })
}

/// What a text's score is made of, before it is squashed: the sums of its positive and negative
/// valences (after the rules), how many words carry one, how many words it has, and its '!' and '?'.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Parts {
    pub positive: f64,
    pub negative: f64,
    pub rated: usize,
    pub words: usize,
    pub bangs: usize,
    pub questions: usize,
}

/// The parts of a text's score (see `Parts`).
pub fn parts(text: &str) -> Parts {
    with_scratch(|s| {
        valences(text, s);
        let positive = s.valences.iter().filter(|v| **v > 0.0).sum::<f32>() as f64;
        let negative = -s.valences.iter().filter(|v| **v < 0.0).sum::<f32>() as f64;
        let rated = s.valences.iter().filter(|v| **v != 0.0).count();
        let words = s.tokens.iter().filter(|t| !t.symbol).count();
        Parts { positive, negative, rated, words, bangs: s.bangs, questions: s.questions }
    })
}

fn compound(text: &str, s: &mut Scratch) -> f64 {
    valences(text, s);
    if s.valences.is_empty() {
        return 0.0;
    }
    let mut sum: f32 = s.valences.iter().sum();
    // (HTML escapes hold no '!' or '?', so the counts of the unescaped text are the text's.)
    let emphasis = punctuation_emphasis(s.bangs, s.questions);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = sum / (sum * sum + ALPHA).sqrt();
    (compound.clamp(-1.0, 1.0) as f64 * 10_000.0).round() / 10_000.0
}

/// Fills `s.tokens` with the text's tokens and `s.valences` with what each contributes.
fn valences(text: &str, s: &mut Scratch) {
    let lex = lexicon();
    s.text.clear();
    s.text.reserve(text.len() * 2);
    s.tokens.clear();
    s.valences.clear();
    (s.bangs, s.questions) = (0, 0);
    tokens(&unescape_html(text), lex, s);
    merge_phrases(s, lex);
    let toks = &s.tokens;
    let some_caps = toks.iter().any(|t| t.caps);
    let caps_differ = some_caps && toks.iter().any(|t| !t.caps && !t.symbol);
    s.valences.extend((0..toks.len()).map(|i| valence(toks, i, caps_differ)));
    let valences = &mut s.valences;
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
    // What follows "if", "hope" or "wish" in a clause is not (yet) so; what one wishes a thing had
    // or were is what it lacks ("I wish the zoom were better"; not "I wish I was there", "wish you
    // the best").
    let (mut unreal, mut lacks) = (false, false);
    for (j, t) in toks.iter().enumerate() {
        if t.has(flag::UNREAL) {
            unreal = true;
            let for_a_thing = !toks.get(j + 1).is_some_and(|n| n.has(flag::PERSON));
            lacks = t.has(flag::WISH) && for_a_thing && clause_any(&toks[j + 1..], |n| n.has(flag::HAD));
        }
        if lacks && valences[j] > 0.0 {
            valences[j] *= -UNREAL;
        } else if unreal && !t.has(flag::UNREAL) {
            valences[j] *= UNREAL;
        }
        if t.ends_clause {
            (unreal, lacks) = (false, false);
        }
    }
    // A contrast: what comes after the first "but" counts more than what came before.
    if let Some(c) = toks.iter().position(|t| t.has(flag::CONTRAST)) {
        for (j, v) in valences.iter_mut().enumerate() {
            if j < c {
                *v *= 0.5;
            } else if j > c {
                *v *= 1.5;
            }
        }
    }
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
fn merge_phrases(s: &mut Scratch, lex: &Lexicon) {
    let mut i = 0;
    while i + 1 < s.tokens.len() {
        let first = s.tokens[i];
        if !first.has(flag::PHRASE_START) || first.ends_clause {
            i += 1;
            continue;
        }
        let mut matched = None;
        s.phrase.clear();
        s.phrase.push_str(&s.text[first.range()]);
        for len in 2..=s.tokens.len() - i {
            let next = s.tokens[i + len - 1];
            s.phrase.push(' ');
            s.phrase.push_str(&s.text[next.range()]);
            let Some(part) = lex.phrases.get(&s.phrase) else { break };
            if let Some(v) = part.value {
                matched = Some((len, s.phrase.len(), v));
            }
            if next.ends_clause || !part.goes_on {
                break;
            }
        }
        if let Some((len, bytes, v)) = matched {
            let words = &s.tokens[i..i + len];
            let caps = words.iter().all(|t| t.caps);
            let ends_clause = words[len - 1].ends_clause;
            let at = s.text.len();
            s.text.push_str(&s.phrase[..bytes]);
            let merged = Token { at: 0, len: 0, caps, ends_clause, stretched: false, symbol: false, valence: Some(v), role: Role::Plain, ends_question: false, flags: 0 };
            let merged = s.placed(at, merged);
            s.tokens.splice(i..i + len, [merged]);
        }
        i += 1;
    }
}

fn valence(toks: &[Token], i: usize, caps_differ: bool) -> f32 {
    let t = &toks[i];
    let next = toks.get(i + 1);
    let before_rated = next.is_some_and(Token::rated);
    // An intensifier before a rated word only modifies it ("pretty good"); alone, it may be a word
    // of its own ("so pretty").
    if matches!(t.role, Role::Booster(_)) && (before_rated || !t.has(flag::OWN_VALENCE)) {
        return 0.0;
    }
    if t.has(flag::KIND) && next.is_some_and(|n| n.has(flag::OF)) {
        return 0.0;
    }
    if t.has(flag::FUNCTION) && negated(toks, i) {
        return FAULT;
    }
    let Some(mut v) = t.valence else { return 0.0 };
    if t.symbol {
        return v;
    }
    // "like" is a preposition more often than a verb of liking.
    if t.has(flag::LIKE) && (i == 0 || !toks[i - 1].has(flag::LIKER)) {
        return 0.0;
    }
    // "no" before a rated word (up to three words on, in its clause: "no real problems"; another
    // "no" further on does not count) negates it rather than being negative itself.
    let rated_ahead = || clause_any(toks[i + 1..].iter().take(3), |n| n.rated() && !n.has(flag::NO));
    if t.has(flag::NO) && (before_rated || !t.ends_clause && rated_ahead()) {
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
        let negator = p.role == Role::Negator || p.role == Role::Plain && p.has(flag::NOT_SUFFIX);
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
                let between = || toks[i - back + 1..i].iter();
                let emphasis = between().any(|t| t.has(flag::THIS))
                    || p.has(flag::NEVER) && between().any(|t| t.has(flag::SO))
                    || p.has(flag::WITHOUT) && toks[i - back + 1].has(flag::DOUBT);
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
    if i > 0 && toks[i - 1].has(flag::LEAST) && !(i > 1 && toks[i - 2].has(flag::AT_OR_VERY)) {
        v *= NEGATION;
    }
    v
}

/// Whether a word of the clause that `toks` starts, up to its end, satisfies `test`.
fn clause_any<'a>(toks: impl IntoIterator<Item = &'a Token>, test: impl Fn(&Token) -> bool) -> bool {
    for t in toks {
        if test(t) {
            return true;
        }
        if t.ends_clause {
            break;
        }
    }
    false
}

/// Whether a negation reaches word `i` (up to three words before it, within its clause).
fn negated(toks: &[Token], i: usize) -> bool {
    let mut negations = 0;
    for back in 1..=3.min(i) {
        let p = &toks[i - back];
        if p.ends_clause {
            break;
        }
        if p.role == Role::Negator || p.role == Role::Plain && p.has(flag::NOT_SUFFIX) {
            negations += 1;
        }
    }
    negations % 2 == 1
}

fn punctuation_emphasis(bangs: usize, questions: usize) -> f32 {
    let bangs = bangs.min(4) as f32 * 0.292;
    let questions = match questions {
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
    fn product_reviews_say_what_a_thing_lacks_and_what_went_back() {
        assert!(c("I wish the camera had a better zoom.") < 0.0, "a wished-for good is a lack");
        assert!(c("I wish it were lighter") < 0.0);
        assert!(c("Wish you all the best!") > 0.3, "a wish for someone is a greeting");
        assert!(c("I wish I was there with you!") > 0.0, "a wish for oneself is a longing");
        assert!(c("I wish Al would make one more great film") > 0.0, "a wish that something happens is not a lack");
        assert!(c("I have had no real problems with it.") > 0.05, "no negates a rated word two words on");
        assert!(c("No problems. None.") > 0.0);
        assert!(c("No and no.") < 0.0, "a no before another no is still a no");
        assert!(c("Don't buy this player!") < -0.3);
        assert!(c("I got it as a gift and had to send it back.") < -0.05, "a gift is a fact, not praise");
        assert!(c("Song transfers were not an issue.") > 0.05);
        assert!(c("The sound quality is poor.") < -0.3, "quality is the thing described, not praise");
        assert!(c("You can't beat the price") > 0.3);
    }

    #[test]
    fn product_reviews_name_faults_merits_and_disappointment() {
        assert!(c("Apex doesn't answer the phone.") < -0.05, "a service that does not answer is a fault");
        assert!(c("They answered every question.") == 0.0, "answering alone is a fact");
        assert!(c("You get what you paid for.") < -0.05);
        assert!(c("The battery is replaceable (a real plus).") > 0.05);
        assert!(c("That is a major minus.") < -0.05);
        assert!(c("The database is mediocre at best.") < -0.3, "at best damns what it follows");
        assert!(c("I really wanted to like this product.") < -0.05, "wanting to like is a disappointment");
        assert!(c("I wanted to buy it.") >= 0.0, "wanting another thing is no disappointment");
        assert!(c("This is the coolest phone I ever had.") > 0.3);
        assert!(c("Nightmare.") < -0.3);
        assert!(c("Static on every call.") <= 0.0, "static is noise, not praise");
        assert!(c("A remote would be nice.") < 0.0, "what would be nice is missing");
    }

    /// ASCII text has a quicker tokenizer of its own; it must read every chunk as the general one
    /// does (apart from '`', which only the general one reads as an apostrophe).
    #[test]
    fn ascii_text_is_read_as_any_text_is() {
        let texts = [
            "The book was VERY GOOD and the rest was fine.", "Not bad at all!!! Really?!", "sooo gooood :) <3 :-(",
            "It is not good. It is great", "I can't recommend it... NEVER again?", "5/5 would buy again, 10/10",
            "  spaced\tout\n\x0bwords\x0c\rhere  ", "a) b. c? (d) 'quoted' \"double\" -dash- @handle #tag http://x.y/z",
            "AB Ab aB ab A a I'M OK", "!!! ??? ... , ; : - / // a/b", "disappointingly thin; the least helpful, at least it came",
            "\u{0}a\u{1f}b", "DON'T LIKE it, don't like it", "kind of nice, no good, no", "",
        ];
        let lex = lexicon();
        for text in texts {
            let (mut quick, mut general) = (Scratch::default(), Scratch::default());
            ascii_tokens(text, lex, &mut quick);
            for chunk in text.split_whitespace() {
                any_chunk(chunk, lex, &mut general);
            }
            let read = |s: &Scratch| s.tokens.iter().map(|t| (s.text_of(t).to_string(), Token { at: 0, len: 0, ..*t })).collect::<Vec<_>>();
            assert_eq!(read(&quick), read(&general), "{text:?}");
            assert_eq!((quick.bangs, quick.questions), (text.matches('!').count(), text.matches('?').count()));
        }
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
