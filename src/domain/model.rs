//! The domain's plain data: customers as stored and shown, drafts as submitted by a form or the CLI,
//! and the small closed vocabularies (platforms, channels, consent) they use. No behaviour beyond
//! parsing the vocabularies lives here; the types serialise to the JSON every interface shares.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub type CustomerId = i64;

/// Defines a closed vocabulary as an enum with its wire names, `as_str`, `ALL` and `FromStr`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<$name, String> {
                // Stored values are already in canonical form: no allocation for them.
                if let Some(v) = $name::ALL.iter().copied().find(|v| v.as_str() == s) {
                    return Ok(v);
                }
                let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                $name::ALL.iter().copied().find(|v| v.as_str() == wanted).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    if s.trim().is_empty() {
                        return format!("no {} given; use one of: {}", $what, names.join(", "));
                    }
                    format!("“{}” is not a known {}; use one of: {}", s.trim(), $what, names.join(", "))
                })
            }
        }
    };
}

vocabulary! {
    /// A social platform on which a customer has a handle.
    Platform, "platform" {
        Instagram => "instagram",
        Facebook => "facebook",
        Tiktok => "tiktok",
        X => "x",
        Youtube => "youtube",
        Linkedin => "linkedin",
        Pinterest => "pinterest",
        Whatsapp => "whatsapp",
    }
}

vocabulary! {
    /// A way the shop and a customer reach each other.
    Channel, "channel" {
        Email => "email",
        Sms => "sms",
        Phone => "phone",
        Whatsapp => "whatsapp",
        Instagram => "instagram",
        Facebook => "facebook",
        Tiktok => "tiktok",
        X => "x",
        Youtube => "youtube",
        GoogleReviews => "google_reviews",
        InStore => "in_store",
        Website => "website",
        Community => "community",
    }
}

impl Channel {
    /// The channel in the owner's words ("text message", "Google reviews", "in the shop").
    pub fn words(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "text message",
            Channel::Phone => "phone",
            Channel::Whatsapp => "WhatsApp",
            Channel::Instagram => "Instagram",
            Channel::Facebook => "Facebook",
            Channel::Tiktok => "TikTok",
            Channel::X => "X",
            Channel::Youtube => "YouTube",
            Channel::GoogleReviews => "Google reviews",
            Channel::InStore => "in the shop",
            Channel::Website => "the website",
            Channel::Community => "the community",
        }
    }
}

vocabulary! {
    /// A channel that needs the customer's consent for marketing.
    ConsentChannel, "consent channel" {
        Email => "email",
        Sms => "sms",
    }
}

vocabulary! {
    /// Whether a customer agreed to marketing on a channel: `unknown` until they say.
    ConsentStatus, "consent answer (yes, no or unknown)" {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
    }
}

impl Default for ConsentStatus {
    fn default() -> ConsentStatus {
        ConsentStatus::Unknown
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub region: String,
    /// Kept as text: postal codes have letters and leading zeros.
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Consent {
    pub email: ConsentStatus,
    pub sms: ConsentStatus,
}

impl Consent {
    pub fn get(&self, channel: ConsentChannel) -> ConsentStatus {
        match channel {
            ConsentChannel::Email => self.email,
            ConsentChannel::Sms => self.sms,
        }
    }

    pub fn set(&mut self, channel: ConsentChannel, status: ConsentStatus) {
        match channel {
            ConsentChannel::Email => self.email = status,
            ConsentChannel::Sms => self.sms = status,
        }
    }
}

/// One entry of the append-only consent record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub channel: ConsentChannel,
    pub status: ConsentStatus,
    pub at: DateTime<Utc>,
    /// Where it was given or withdrawn: "app", "cli", an import's file name, ...
    pub source: String,
}

/// An amount of money in cents, shown and serialised as a decimal number (`64.5`). Whole cents keep
/// sums exact; the currency is the shop's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    pub fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let value = f64::deserialize(d)?;
        if !value.is_finite() || value.abs() > 1e13 {
            return Err(serde::de::Error::custom("an amount of money must be a finite number"));
        }
        Ok(Money((value * 100.0).round() as i64))
    }
}

/// A customer as stored: every value normalised (emails lower-case, phones E.164, handles bare).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub handles: BTreeMap<Platform, String>,
    pub address: Address,
    pub company: String,
    pub birthday: Option<NaiveDate>,
    pub customer_since: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub notes: String,
    pub consent: Consent,
    pub preferred_channel: Option<Channel>,
    pub custom: BTreeMap<String, String>,
    /// What they have spent in total, as brought in from another system (an import's "Total Spent").
    pub lifetime_spend: Option<Money>,
    /// How many orders they have placed, as brought in from another system.
    pub orders_count: Option<u32>,
    /// Their last visit or order, as brought in from another system.
    pub last_visit: Option<NaiveDate>,
    /// Their first and last purchase in Regulars' own record (read only: they follow from purchases).
    #[serde(default)]
    pub first_purchase_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_purchase_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a form or the command line submits to create or replace a customer: raw text, checked and
/// normalised by `customers::validate`. Every field is optional on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerDraft {
    pub first_name: String,
    pub last_name: String,
    /// Left empty, it is made from the name, company, email or phone.
    pub display_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// Platform name to a handle, "@handle" or profile URL.
    pub handles: BTreeMap<String, String>,
    pub address: Address,
    pub company: String,
    /// `YYYY-MM-DD`, or empty.
    pub birthday: String,
    /// `YYYY-MM-DD`, or empty.
    pub customer_since: String,
    pub tags: Vec<String>,
    pub notes: String,
    pub consent: Consent,
    pub preferred_channel: String,
    pub custom: BTreeMap<String, String>,
    /// Carried unchanged by forms (which do not edit them), so that an edit keeps imported totals.
    pub lifetime_spend: Option<Money>,
    pub orders_count: Option<u32>,
    /// `YYYY-MM-DD`, or empty.
    pub last_visit: String,
}

impl From<&Customer> for CustomerDraft {
    fn from(c: &Customer) -> CustomerDraft {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        CustomerDraft {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            display_name: c.display_name.clone(),
            emails: c.emails.clone(),
            phones: c.phones.clone(),
            handles: c.handles.iter().map(|(p, h)| (p.as_str().to_string(), h.clone())).collect(),
            address: c.address.clone(),
            company: c.company.clone(),
            birthday: date(c.birthday),
            customer_since: date(c.customer_since),
            tags: c.tags.clone(),
            notes: c.notes.clone(),
            consent: c.consent,
            preferred_channel: c.preferred_channel.map(|ch| ch.as_str().to_string()).unwrap_or_default(),
            custom: c.custom.clone(),
            lifetime_spend: c.lifetime_spend,
            orders_count: c.orders_count,
            last_visit: date(c.last_visit),
        }
    }
}

/// A customer as a line in a list or a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub display_name: String,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    /// The same number written for people: "+44 7911 123456".
    pub phone_display: Option<String>,
    pub city: String,
    pub tags: Vec<String>,
}

/// One page of a list, with the total it was cut from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub total: u64,
    pub items: Vec<T>,
}

pub type ImportId = i64;

/// One spreadsheet import as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: ImportId,
    pub file_name: String,
    /// SHA-256 of the file's bytes, in hex: the same file imported twice has the same hash.
    pub file_hash: String,
    pub format: String,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub counts: ImportCounts,
    pub undone_at: Option<DateTime<Utc>>,
    /// What the file brought in.
    pub kind: ImportKind,
    /// Who imported it: their login on a shared shop's server (empty in a file).
    #[serde(default)]
    pub done_by: String,
}

/// What an import brings in: customers, touchpoints (reviews, comments, messages) or purchases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Customers,
    Touchpoints,
    Purchases,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Touchpoints => "touchpoints",
            ImportKind::Purchases => "purchases",
        }
    }
}

impl std::str::FromStr for ImportKind {
    type Err = String;

    fn from_str(s: &str) -> Result<ImportKind, String> {
        match s {
            "customers" => Ok(ImportKind::Customers),
            "touchpoints" => Ok(ImportKind::Touchpoints),
            "purchases" => Ok(ImportKind::Purchases),
            other => Err(format!("“{other}” is not a kind of import (customers, touchpoints or purchases)")),
        }
    }
}

/// What an import did, row by row: `rows = created + merged + unchanged + rejected`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub rows: u64,
    pub created: u64,
    pub merged: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Problems found, listed or not.
    pub problems: u64,
}

/// The shop's own settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// ISO 3166 alpha-2 code: the default region for phone numbers written without a country code.
    pub country: String,
    pub shop_name: String,
    /// Whether the first-run screen has been answered.
    pub onboarded: bool,
    /// ISO 4217 code: the money the shop counts in.
    pub currency: String,
    /// At most this many marketing suggestions a day.
    pub marketing_per_day: usize,
    /// At most one marketing message per customer in this many days.
    pub marketing_cap_days: i64,
    /// IANA name of the shop's time zone (`Europe/London`).
    pub time_zone: String,
}

vocabulary! {
    /// What a touchpoint is.
    TouchpointKind, "kind of touchpoint" {
        Review => "review",
        Comment => "comment",
        Mention => "mention",
        Dm => "dm",
        Post => "post",
        Share => "share",
        Question => "question",
        Complaint => "complaint",
        Answer => "answer",
        Reply => "reply",
        Visit => "visit",
        Call => "call",
        Note => "note",
    }
}

vocabulary! {
    /// Whether the customer reached the shop (in) or the shop reached the customer (out).
    Direction, "direction (in or out)" {
        In => "in",
        Out => "out",
    }
}

vocabulary! {
    /// Where a touchpoint stands in the inbox.
    ReplyStatus, "reply status" {
        NeedsReply => "needs_reply",
        Replied => "replied",
        NoReplyNeeded => "no_reply_needed",
    }
}

vocabulary! {
    /// Where a purchase was made.
    PurchaseChannel, "purchase channel (in_store or online)" {
        InStore => "in_store",
        Online => "online",
    }
}

pub type TouchpointId = i64;
pub type PurchaseId = i64;

/// One interaction between a customer and the shop, on any channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    pub id: TouchpointId,
    /// None until the author is known as a customer.
    pub customer_id: Option<CustomerId>,
    /// Who wrote it, as given: "@mia.styles", an email, a phone, a name.
    pub author: String,
    pub channel: Channel,
    pub kind: TouchpointKind,
    pub direction: Direction,
    pub text: String,
    pub url: Option<String>,
    /// Stars, 1 to 5, for reviews.
    pub rating: Option<u8>,
    /// The author's followers when it happened.
    pub reach: Option<u64>,
    pub at: DateTime<Utc>,
    /// -1 (negative) to 1 (positive).
    pub sentiment: f64,
    pub sentiment_label: crate::sentiment::Label,
    /// Set by the owner rather than scored.
    pub sentiment_by_owner: bool,
    pub topics: Vec<String>,
    pub status: ReplyStatus,
    /// The shop's reply, once replied.
    pub reply_id: Option<TouchpointId>,
    pub replied_at: Option<DateTime<Utc>>,
    /// For a reply: the touchpoint it answers.
    pub in_reply_to: Option<TouchpointId>,
    pub created_at: DateTime<Utc>,
    /// Linked to its customer by their full name alone (no phone, email or handle said so): the
    /// owner may confirm or undo it.
    #[serde(default)]
    pub linked_by_name: bool,
}

/// What the quick log, a form or the command line submits to log a touchpoint: raw text, checked
/// by `touchpoints::add`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TouchpointDraft {
    /// The customer, when the caller already knows them (a use case calling another).
    pub customer_id: Option<CustomerId>,
    /// A customer reference (id, email, phone, @handle, platform:handle, exact name); or empty, with
    /// `author` saying who wrote it.
    pub customer: String,
    /// The author's handle, email, phone or name when they may not be a customer yet.
    pub author: String,
    /// When the author is nobody known: create a customer for them on the spot.
    pub create_customer: bool,
    pub channel: String,
    pub kind: String,
    /// `in` or `out`; empty: `out` for replies, `in` otherwise.
    pub direction: String,
    pub text: String,
    pub url: String,
    pub rating: Option<i64>,
    pub reach: Option<i64>,
    /// RFC 3339; empty: now.
    pub at: String,
    /// `needs_reply`, `replied` or `no_reply_needed`; empty: decided from the kind and sentiment.
    pub status: String,
    /// `positive`, `neutral` or `negative` to overrule the scorer; empty: scored.
    pub sentiment: String,
    /// Where the message came from, when a source names it for good (a WhatsApp line, a Google
    /// review's id, an email's Message-ID): the same message imported again is known by it, whoever
    /// its customer has become since. Empty: known by its channel, author, time and text.
    pub source_key: String,
    /// When the author is known only by a name: link the message to the one customer with exactly
    /// that full name, marked as linked by name.
    pub link_by_name: bool,
}

/// Something a customer bought (or returned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    pub id: PurchaseId,
    pub customer_id: CustomerId,
    pub at: DateTime<Utc>,
    /// Negative for a return.
    pub amount: Money,
    pub currency: String,
    pub items: String,
    pub channel: PurchaseChannel,
    pub is_return: bool,
    /// The order or transaction number in the system it came from.
    pub external_id: Option<String>,
}

/// What a form or the command line submits to record a purchase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseDraft {
    /// The customer, when the caller already knows them (an order export matched by email).
    pub customer_id: Option<CustomerId>,
    /// A customer reference, as a person writes one, when `customer_id` is none.
    pub customer: String,
    /// RFC 3339, or a date (`YYYY-MM-DD`); empty: now.
    pub at: String,
    /// "49.90", "$49.90", "49,90 €"; negative, or `is_return`, for a return.
    pub amount: String,
    /// ISO code; empty: the shop's.
    pub currency: String,
    pub items: String,
    /// `in_store` or `online`; empty: in_store.
    pub channel: String,
    pub is_return: bool,
    pub external_id: String,
}

/// Reads an RFC 3339 time. The form the store writes ("2026-11-24T10:00:00Z": UTC, whole
/// seconds) is read digit by digit, about ten times faster than the general parser, which
/// everything else falls back to: insight reads half a million of them at a time.
/// A stored time (RFC 3339) or date (taken at noon UTC).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    parse_utc(text).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(12, 0, 0)).map(|d| d.and_utc()))
}

pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let shaped = b.len() == 20
        && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].iter().all(|&i| b[i].is_ascii_digit());
    if shaped {
        let n = |from: usize, to: usize| b[from..to].iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
        let fast = NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 7), n(8, 10))
            .and_then(|d| d.and_hms_opt(n(11, 13), n(14, 16), n(17, 19)))
            .map(|t| t.and_utc());
        if fast.is_some() {
            return fast;
        }
    }
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_parse_loosely_and_explain_mistakes() {
        assert_eq!("Instagram".parse::<Platform>(), Ok(Platform::Instagram));
        assert_eq!("in-store".parse::<Channel>(), Ok(Channel::InStore));
        assert_eq!(" Google Reviews ".parse::<Channel>(), Ok(Channel::GoogleReviews));
        let err = "myspace".parse::<Platform>().unwrap_err();
        assert!(err.contains("“myspace” is not a known platform"), "{err}");
        assert!(err.contains("instagram, facebook"), "{err}");
    }

    #[test]
    fn stored_times_read_the_same_by_the_quick_path_and_the_general_parser() {
        let general = |t: &str| DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc));
        for t in [
            "2026-11-24T10:00:00Z",
            "1999-12-31T23:59:59Z",
            "2024-02-29T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-06-30T23:59:60Z",
            "2026-11-24T10:00:00+01:00",
            "2026-11-24T10:00:00.250Z",
            "2026-13-01T00:00:00Z",
            "2026-1x-01T00:00:00Z",
            "2026-11-24",
            "",
        ] {
            assert_eq!(parse_utc(t), general(t), "{t}");
        }
        assert_eq!(parse_utc("2026-11-24T10:00:00Z").unwrap().timestamp(), 1_795_514_400);
    }

    #[test]
    fn consent_serialises_as_words() {
        let c = Consent { email: ConsentStatus::Yes, sms: ConsentStatus::Unknown };
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"email":"yes","sms":"unknown"}"#);
    }
}
