//! Understanding a sheet's layout: which row holds the headers (title rows, blank rows and merged
//! cells above it are passed over), and which customer field each column holds, from the header's
//! words in seven languages and the naming of the exports shops have (Shopify, Square, Google and
//! Outlook contacts, Mailchimp, WooCommerce, Lightspeed), else from the values themselves.

pub mod records;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::read::{Cell, Row};
use crate::model::Platform;
use crate::normalize::{self, fold};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FirstName,
    LastName,
    FullName,
    DisplayName,
    Email,
    Phone,
    Handle(Platform),
    Company,
    Street,
    Street2,
    City,
    Region,
    PostalCode,
    Country,
    Birthday,
    CustomerSince,
    LastVisit,
    Tags,
    Notes,
    EmailConsent,
    SmsConsent,
    PreferredChannel,
    LifetimeSpend,
    OrdersCount,
    /// Kept on the profile as a custom field named after the header.
    Custom,
    /// Not imported.
    Ignore,
}

impl Field {
    /// Every field a column can be mapped to, for menus and help.
    pub fn all() -> Vec<Field> {
        let mut all = vec![
            Field::FirstName, Field::LastName, Field::FullName, Field::DisplayName, Field::Email, Field::Phone,
        ];
        all.extend(Platform::ALL.iter().map(|&p| Field::Handle(p)));
        all.extend([
            Field::Company, Field::Street, Field::Street2, Field::City, Field::Region, Field::PostalCode, Field::Country,
            Field::Birthday, Field::CustomerSince, Field::LastVisit, Field::Tags, Field::Notes, Field::EmailConsent,
            Field::SmsConsent, Field::PreferredChannel, Field::LifetimeSpend, Field::OrdersCount, Field::Custom,
            Field::Ignore,
        ]);
        all
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::FullName => "full_name",
            Field::DisplayName => "display_name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Handle(p) => p.as_str(),
            Field::Company => "company",
            Field::Street => "street",
            Field::Street2 => "street2",
            Field::City => "city",
            Field::Region => "region",
            Field::PostalCode => "postal_code",
            Field::Country => "country",
            Field::Birthday => "birthday",
            Field::CustomerSince => "customer_since",
            Field::LastVisit => "last_visit",
            Field::Tags => "tags",
            Field::Notes => "notes",
            Field::EmailConsent => "email_consent",
            Field::SmsConsent => "sms_consent",
            Field::PreferredChannel => "preferred_channel",
            Field::LifetimeSpend => "lifetime_spend",
            Field::OrdersCount => "orders_count",
            Field::Custom => "custom",
            Field::Ignore => "ignore",
        }
    }

    /// Whether several columns may fill this field (emails, phones, tags, notes).
    pub fn is_list(self) -> bool {
        matches!(self, Field::Email | Field::Phone | Field::Tags | Field::Notes | Field::Custom)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl FromStr for Field {
    type Err = String;

    fn from_str(s: &str) -> Result<Field, String> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let alias = match wanted.as_str() {
            "name" => Some(Field::FullName),
            "first_visit" | "since" => Some(Field::CustomerSince),
            "spend" | "total_spent" => Some(Field::LifetimeSpend),
            "orders" => Some(Field::OrdersCount),
            "consent_email" | "accepts_marketing" => Some(Field::EmailConsent),
            "consent_sms" => Some(Field::SmsConsent),
            "skip" | "none" => Some(Field::Ignore),
            "emails" => Some(Field::Email),
            "phones" | "mobile" => Some(Field::Phone),
            "twitter" => Some(Field::Handle(Platform::X)),
            _ => None,
        };
        alias.or_else(|| Field::all().into_iter().find(|f| f.name() == wanted)).ok_or_else(|| {
            let names: Vec<&str> = Field::all().iter().map(|f| f.name()).collect();
            format!("“{}” is not a field Regulars knows; use one of: {}", s.trim(), names.join(", "))
        })
    }
}

/// A header as words: folded, punctuation to spaces, numbers of numbered groups dropped
/// ("E-mail 1 - Value" → "e mail value").
pub fn header_words(header: &str) -> String {
    let folded = fold(header);
    let spaced: String = folded.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().filter(|w| !w.bytes().all(|b| b.is_ascii_digit())).collect::<Vec<_>>().join(" ")
}

use Field::*;

/// Headers that name a field outright (as `header_words` writes them).
const EXACT: &[(Field, &[&str])] = &[
    (FirstName, &["first name", "firstname", "first", "given name", "forename", "fname", "prenom", "vorname", "nombre",
        "nome", "voornaam", "primeiro nome", "billing first name", "shipping first name", "customer first name",
        "first name billing"]),
    (LastName, &["last name", "lastname", "surname", "family name", "last", "lname", "nom", "nom de famille", "nachname",
        "familienname", "apellido", "apellidos", "cognome", "achternaam", "sobrenome", "apelido", "billing last name",
        "shipping last name", "customer last name"]),
    (FullName, &["name", "full name", "fullname", "customer name", "customer", "contact name", "contact", "client",
        "client name", "nom complet", "nom et prenom", "prenom et nom", "nom prenom", "name vorname", "vollstandiger name",
        "kunde", "kundenname", "nombre completo", "nombre y apellidos", "cliente", "nome completo", "nome e cognome",
        "naam", "volledige naam", "klant", "klantnaam", "billing name", "shipping name", "member", "person"]),
    (DisplayName, &["display name", "displayname", "shown as", "known as"]),
    (Email, &["email", "e mail", "email address", "e mail address", "mail", "emails", "courriel", "adresse email",
        "adresse e mail", "adresse mail", "e mail adresse", "email adresse", "mailadresse", "correo", "correo electronico",
        "email principal", "posta elettronica", "indirizzo email", "indirizzo e mail", "e mail adres", "emailadres",
        "endereco de email", "endereco de e mail", "endereco eletronico", "primary email", "e mail value",
        "e mail address value", "customer email", "billing email", "user email", "email addresses"]),
    (Phone, &["phone", "telephone", "tel", "mobile", "mobile phone", "cell", "cell phone", "cellphone", "phone number",
        "mobile number", "telephone number", "phones", "portable", "telephone portable", "tel portable", "numero de telephone",
        "numero de portable", "handy", "handynummer", "telefon", "telefonnummer", "mobil", "mobilnummer", "mobiltelefon",
        "telefono", "movil", "celular", "numero de telefono", "telefono movil", "cellulare", "numero di telefono",
        "telefono cellulare", "telefoon", "telefoonnummer", "mobiel", "mobiele nummer", "mobiel nummer", "telemovel",
        "numero de telemovel", "telefone", "home phone", "business phone", "work phone", "billing phone", "primary phone",
        "default address phone", "phone value", "mobile phone number", "sms phone", "contact number"]),
    (Handle(Platform::Instagram), &["instagram", "insta", "ig", "instagram handle", "instagram username", "instagram url",
        "instagram profile", "instagram account"]),
    (Handle(Platform::Facebook), &["facebook", "fb", "facebook url", "facebook profile", "facebook page"]),
    (Handle(Platform::Tiktok), &["tiktok", "tik tok", "tiktok handle"]),
    (Handle(Platform::X), &["twitter", "x", "x twitter", "twitter handle", "x handle", "twitter x"]),
    (Handle(Platform::Youtube), &["youtube", "youtube channel"]),
    (Handle(Platform::Linkedin), &["linkedin", "linkedin url", "linkedin profile"]),
    (Handle(Platform::Pinterest), &["pinterest"]),
    (Handle(Platform::Whatsapp), &["whatsapp", "whats app", "whatsapp number"]),
    (Company, &["company", "company name", "organisation", "organization", "organization name", "organisation name",
        "business", "business name", "societe", "entreprise", "firma", "unternehmen", "firmenname", "empresa", "azienda",
        "societa", "ditta", "bedrijf", "bedrijfsnaam", "default address company", "billing company"]),
    (Street, &["address", "address1", "address 1", "street", "street address", "street address 1", "address line 1",
        "adresse", "rue", "strasse", "anschrift", "direccion", "calle", "indirizzo", "via", "adres", "straat", "endereco",
        "morada", "rua", "home street", "business street", "default address address1", "billing address 1",
        "address street", "billing address", "street 1", "address line", "adresse postale"]),
    (Street2, &["address2", "address 2", "address line 2", "street address 2", "default address address2",
        "billing address 2", "complement d adresse", "adresszusatz", "street 2", "home street 2", "address extended address",
        "extended address"]),
    (City, &["city", "town", "town city", "ville", "localite", "stadt", "ort", "wohnort", "ciudad", "localidad", "citta",
        "comune", "plaats", "stad", "woonplaats", "cidade", "localidade", "home city", "business city",
        "default address city", "billing city", "address city", "suburb"]),
    (Region, &["state", "province", "county", "region", "state province", "province state", "state code", "province code",
        "departement", "bundesland", "provincia", "estado", "regio", "home state", "default address province code",
        "default address province", "billing state", "address region", "state region"]),
    (PostalCode, &["zip", "zip code", "zipcode", "postcode", "post code", "postal code", "postalcode", "code postal", "cp",
        "plz", "postleitzahl", "codigo postal", "cap", "codice postale", "home postal code", "default address zip",
        "billing postcode", "billing zip", "address postal code", "zip postal code"]),
    (Country, &["country", "country code", "country region", "pays", "land", "pais", "paese", "nazione",
        "home country region", "default address country code", "default address country", "billing country",
        "address country", "country name"]),
    (Birthday, &["birthday", "birth date", "birthdate", "date of birth", "dob", "birth day", "anniversaire",
        "date de naissance", "geburtstag", "geburtsdatum", "cumpleanos", "fecha de nacimiento", "compleanno",
        "data di nascita", "verjaardag", "geboortedatum", "aniversario", "data de nascimento", "bday"]),
    (CustomerSince, &["customer since", "first visit", "created", "date created", "date registered",
        "registered", "signup date", "sign up date", "member since", "client depuis", "cliente depuis",
        "date d inscription", "kunde seit", "cliente desde", "klant sinds", "first order", "first order date",
        "first purchase", "first purchase date", "optin time", "creation date", "date added", "joined", "since",
        "date joined", "registration date"]),
    (LastVisit, &["last visit", "last order", "last order date", "last purchase", "last purchase date", "last seen",
        "derniere visite", "dernier achat", "derniere commande", "letzter besuch", "letzter einkauf", "letzte bestellung",
        "ultima visita", "ultima compra", "ultimo acquisto", "laatste bezoek", "laatste aankoop", "last active",
        "last visit date", "date of last order"]),
    (Tags, &["tags", "tag", "labels", "label", "categories", "category", "groups", "group membership", "segments",
        "segment", "etiquettes", "schlagworte", "etiketten", "etiquetas", "etichette", "customer tags", "customer type",
        "customer group", "groupe", "gruppe", "grupo"]),
    (Notes, &["notes", "note", "comments", "comment", "memo", "remarks", "remarques", "remarque", "commentaire",
        "commentaires", "notizen", "notiz", "bemerkung", "bemerkungen", "notas", "nota", "comentarios", "note cliente",
        "opmerkingen", "opmerking", "notities", "observacoes", "description", "customer note"]),
    (EmailConsent, &["confirm time", "unsub time", "cleaned time", "accepts email marketing", "accepts marketing", "email marketing", "email subscription status",
        "email subscribed", "email opt in", "newsletter", "subscribed", "subscription status", "marketing consent",
        "opt in", "email consent", "consent email", "accepts newsletter", "newsletter abonniert", "inscrit newsletter",
        "abonne newsletter", "optin", "email marketing consent", "marketing emails", "subscriber", "email status",
        "newsletter subscription"]),
    (SmsConsent, &["accepts sms marketing", "sms marketing", "sms subscription status", "sms opt in", "sms consent",
        "consent sms", "text message consent", "sms marketing consent", "sms subscribed"]),
    (PreferredChannel, &["preferred channel", "preferred contact method", "contact preference"]),
    (LifetimeSpend, &["total spent", "total spend", "lifetime spend", "lifetime value", "ltv", "total sales",
        "amount spent", "money spent", "spent", "montant total", "total depense", "total des achats", "chiffre d affaires",
        "umsatz", "gesamtumsatz", "gesamtbetrag", "total gastado", "importe total", "gasto total", "totale speso",
        "importo totale", "totaal besteed", "omzet", "total gasto", "valor total", "total revenue", "revenue",
        "total purchases", "lifetime spend amount", "total amount spent", "amount"]),
    (OrdersCount, &["total orders", "orders", "orders count", "order count", "number of orders", "transaction count",
        "transactions", "visits", "visit count", "number of visits", "purchases", "purchase count", "nombre de commandes",
        "commandes", "bestellungen", "anzahl bestellungen", "pedidos", "numero de pedidos", "ordini", "numero ordini",
        "bestellingen", "aantal bestellingen", "encomendas", "orders total"]),
    (Ignore, &["id", "created at", "updated at", "updated", "last changed", "tax exempt", "instant profile",
        "creation source", "member rating", "euid", "leid", "e mail type", "e mail label", "phone type", "phone label",
        "address type", "address label", "address formatted", "gmtoff", "dstoff", "timezone", "cc",
        "confirm ip", "optin ip", "latitude", "longitude", "notes type", "website type", "relation type", "event type",
        "im type", "row", "no", "nr", "n", "#", "accepts email marketing updated at", "accepts sms marketing updated at"]),
];

/// Headers of the standard contact exports (Outlook, Google Contacts) that are details about a
/// person, not one of the customer's fields: kept as extra details, under a plainer name where the
/// first entry gives one. Read before the fields, so that "Assistant's Phone" is no phone of the
/// customer's, "IMAddress" no street and "Phonetic First Name" no phone.
const DETAILS: &[(&str, &[&str])] = &[
    ("Job title", &["job title", "organization title", "organisation title", "title at work", "position", "poste", "beruf",
        "berufsbezeichnung", "cargo", "funzione", "functie", "occupation", "profession"]),
    ("Department", &["department", "organization department", "organisation department", "abteilung", "service"]),
    ("IM address", &["imaddress", "im address", "im value", "im service", "instant messenger"]),
    ("Website", &["web page", "webpage", "website", "website value", "personal web page", "business web page", "homepage",
        "site web", "sitio web"]),
    ("Nickname", &["nickname", "short name"]),
    ("Middle name", &["middle name", "additional name", "second name"]),
    ("Title", &["title", "name prefix", "prefix", "anrede", "civilite"]),
    ("Suffix", &["suffix", "name suffix"]),
    ("Fax", &["fax", "business fax", "home fax", "other fax", "work fax", "telefax"]),
    ("Pager", &["pager"]),
    ("Assistant's phone", &["assistant s phone", "assistants phone", "assistant phone"]),
    ("Company phone", &["company main phone"]),
    ("", &["car phone", "callback", "radio phone", "telex", "tty tdd phone", "isdn", "assistant s name", "manager s name",
        "office location", "spouse", "children", "schools", "hobby", "anniversary", "maiden name", "referred by",
        "account", "organizational id number", "government id number", "user", "keywords", "language", "location",
        "phonetic first name", "phonetic middle name", "phonetic last name", "given yomi", "surname yomi", "yomi name",
        "given name yomi", "additional name yomi", "family name yomi", "company yomi", "organization yomi name",
        "organization symbol", "organization location", "organization job description", "home address po box",
        "business address po box", "other address po box", "address po box", "relation value", "event value",
        "custom field value", "subject", "other street", "other street 2", "other street 3", "other city", "other state",
        "other postal code", "other country region", "other country", "other address"]),
];

/// Headers that are the export's own bookkeeping, never worth keeping.
const BOOKKEEPING: &[&str] = &["file as", "photo", "sensitivity", "priority", "private", "internet free busy",
    "directory server", "billing information", "mileage", "initials", "e mail display name",
    "e mail type", "e mail 2 type", "e mail 3 type", "e mail display name", "web page type"];

/// The name a detail column is kept under: a plainer name for the standard exports' details
/// ("Organization 1 - Title" is kept as "Job title"), else its header.
pub fn detail_name(header: &str) -> Option<&'static str> {
    let words = header_words(header);
    DETAILS.iter().find(|(shown, names)| !shown.is_empty() && names.contains(&words.as_str())).map(|(shown, _)| *shown)
}

/// How much an address or phone column is the customer's own, best first: home before the
/// unmarked, billing and default ones, then shipping, then work, then "other". Within a row the
/// best-ranked address is kept whole (never a street from one and a town from another), and
/// phones are listed in this order.
pub fn rank(header: &str, field: Field) -> u8 {
    let words = header_words(header);
    let has = |w: &str| words.split(' ').any(|x| x == w);
    if field == Phone {
        return if ["mobile", "cell", "cellphone", "handy", "mobil", "portable", "movil", "celular", "cellulare", "mobiel", "telemovel"].iter().any(|w| has(w)) {
            0
        } else if has("primary") || has("main") {
            1
        } else if has("business") || has("work") || has("office") || has("company") {
            4
        } else if has("other") {
            5
        } else {
            2
        };
    }
    if has("home") || has("private") || has("privat") {
        0
    } else if has("shipping") || has("delivery") {
        2
    } else if has("business") || has("work") || has("office") || has("company") {
        3
    } else if has("other") {
        4
    } else {
        // Google's numbered addresses: "Address 2 - City" after "Address 1 - City".
        let number = fold(header).split(|c: char| !c.is_ascii_digit()).find(|d| !d.is_empty()).and_then(|d| d.parse::<u8>().ok());
        match number {
            Some(n) if n > 1 && fold(header).contains("address") => 1 + n.min(3),
            _ => 1,
        }
    }
}

/// What a phone's label in the same row (Google's "Phone 1 - Label": "Mobile", "Work Fax",
/// "* Home") says: its rank as in `rank`, or none when it is no phone of the customer's (a fax, a
/// pager, an assistant's), with the label as it reads.
pub fn phone_label_rank(label: &str) -> Result<u8, String> {
    let label = label.trim().trim_start_matches('*').trim();
    let words = header_words(label);
    let has = |w: &str| words.split(' ').any(|x| x == w);
    if has("fax") || has("pager") || has("assistant") || has("telex") {
        return Err(label.to_string());
    }
    Ok(rank(label, Phone))
}

/// Words that, inside a longer header, point to a field: (field, words that must all appear, words that must not).
const KEYWORDS: &[(Field, &[&str], &[&str])] = &[
    (Ignore, &["type"], &[]),
    (Ignore, &["label"], &["e mail", "email"]),
    (SmsConsent, &["sms", "marketing"], &[]),
    (SmsConsent, &["sms", "consent"], &[]),
    (SmsConsent, &["sms", "subscri"], &[]),
    (EmailConsent, &["marketing"], &[]),
    (EmailConsent, &["newsletter"], &[]),
    (EmailConsent, &["subscri"], &[]),
    (EmailConsent, &["consent"], &[]),
    (EmailConsent, &["opt"], &["option"]),
    (Email, &["e mail"], &[]),
    (Email, &["email"], &[]),
    (Email, &["courriel"], &[]),
    (Handle(Platform::Instagram), &["instagram"], &[]),
    (Handle(Platform::Facebook), &["facebook"], &[]),
    (Handle(Platform::Tiktok), &["tiktok"], &[]),
    (Handle(Platform::Whatsapp), &["whatsapp"], &[]),
    (Handle(Platform::X), &["twitter"], &[]),
    (Handle(Platform::Linkedin), &["linkedin"], &[]),
    (Phone, &["phone"], &[]),
    (Phone, &["mobile"], &[]),
    (Phone, &["telephone"], &[]),
    (Phone, &["telefon"], &[]),
    (Phone, &["handy"], &[]),
    (Phone, &["portable"], &[]),
    (Phone, &["cell"], &[]),
    (Birthday, &["birth"], &[]),
    (Birthday, &["naissance"], &[]),
    (Birthday, &["geburt"], &[]),
    (Birthday, &["nacimiento"], &[]),
    (Birthday, &["nascita"], &[]),
    (Birthday, &["geboorte"], &[]),
    (FirstName, &["first name"], &[]),
    (FirstName, &["given name"], &[]),
    (FirstName, &["prenom"], &["nom "]),
    (LastName, &["last name"], &[]),
    (LastName, &["family name"], &[]),
    (LastName, &["surname"], &[]),
    (Company, &["company"], &[]),
    (Company, &["organi"], &[]),
    (PostalCode, &["zip"], &[]),
    (PostalCode, &["postal"], &[]),
    (PostalCode, &["postcode"], &[]),
    (City, &["city"], &[]),
    (City, &["town"], &[]),
    (Region, &["province"], &[]),
    (Region, &["state"], &["statement", "status"]),
    (Country, &["country"], &[]),
    (Street2, &["address", "2"], &[]),
    (Street, &["street"], &[]),
    (Street, &["address"], &[]),
    (LifetimeSpend, &["spent"], &[]),
    (LifetimeSpend, &["spend"], &[]),
    (LifetimeSpend, &["revenue"], &[]),
    (OrdersCount, &["orders"], &[]),
    (OrdersCount, &["transactions"], &[]),
    (LastVisit, &["last", "visit"], &[]),
    (LastVisit, &["last", "order"], &[]),
    (CustomerSince, &["first", "visit"], &[]),
    (Tags, &["tag"], &[]),
    (Notes, &["note"], &[]),
    (Notes, &["comment"], &[]),
];

/// The field a header names, if its words say so.
pub fn field_of_header(header: &str) -> Option<Field> {
    // No heading is a paragraph long; a long cell is data (and not worth a hundred scans).
    if header.len() > 200 {
        return None;
    }
    let words = header_words(header);
    if words.is_empty() {
        return None;
    }
    if BOOKKEEPING.contains(&words.as_str()) {
        return Some(Ignore);
    }
    if DETAILS.iter().any(|(_, names)| names.contains(&words.as_str())) {
        return Some(Custom);
    }
    // Numbered groups ("E-mail 2 Address") lose their number in header_words; a street's second
    // and third lines keep it ("Address line 2", "Home Street 3"; not "Address 2 - City").
    let raw = fold(header);
    let tokens: Vec<&str> = raw.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    if let [.., before, "2" | "3"] = tokens.as_slice() {
        if ["street", "address", "line", "adresse", "strasse"].contains(before) && !raw.contains("mail") {
            return Some(Street2);
        }
    }
    for (field, names) in EXACT {
        if names.contains(&words.as_str()) {
            return Some(*field);
        }
    }
    let padded = format!(" {words} ");
    for (field, all, none) in KEYWORDS {
        // Short words and "phone" match whole words only ("phonetic" is no phone).
        let has = |w: &str| if w.len() <= 3 || w == "phone" { padded.contains(&format!(" {w} ")) } else { padded.contains(w) };
        if all.iter().all(|w| has(w)) && !none.iter().any(|w| padded.contains(w)) {
            return Some(*field);
        }
    }
    None
}

/// What a value looks like, for telling headers from data and for mapping unnamed columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Email,
    Phone,
    SocialUrl(Platform),
    AtHandle,
    Money,
    Date,
    Number,
    Words,
    Other,
}

pub fn shape(cell: &Cell) -> Shape {
    match cell {
        // A long whole number may be a phone that lost its 0, or an order or customer number: only
        // a heading says which (see `field_of_header`), so values alone never make it a phone.
        Cell::Number(_) | Cell::Bool(_) => Shape::Number,
        Cell::Date(_) => Shape::Date,
        Cell::Empty => Shape::Other,
        Cell::Text(t) => text_shape(t.trim()),
    }
}

fn text_shape(t: &str) -> Shape {
    // No email, link, phone, date or amount is this long: a long text is prose (or junk).
    if t.len() > 500 {
        return if t.contains(' ') { Shape::Words } else { Shape::Other };
    }
    if t.contains('@') && !t.starts_with('@') && normalize::email(t).is_ok() {
        return Shape::Email;
    }
    if let Some(p) = normalize::platform_of_url(t) {
        return Shape::SocialUrl(p);
    }
    if t.len() > 1 && t.starts_with('@') && !t.contains(' ') {
        return Shape::AtHandle;
    }
    if super::values::is_numeric_date(t) {
        return Shape::Date;
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let phone_chars = t.chars().all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c));
    if phone_chars && (7..=15).contains(&digits) && (t.starts_with('+') || t.starts_with('0') || t.contains(' ') || t.contains('-') && t.matches('-').count() != 2 || t.contains('(')) {
        return Shape::Phone;
    }
    let today = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or_default();
    if t.chars().any(char::is_alphabetic) && super::values::parse_date(t, super::values::DateOrder::DayFirst, today).is_ok() {
        return Shape::Date;
    }
    if t.chars().any(|c| "$€£¥₹".contains(c)) && super::values::parse_money(t).is_ok() {
        return Shape::Money;
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b'-') {
        return Shape::Number;
    }
    if t.chars().any(char::is_alphabetic) {
        return Shape::Words;
    }
    Shape::Other
}

/// How much a row looks like a header row: known header words count for, data values against.
fn header_score(row: &Row) -> i32 {
    let mut score = 0;
    let mut texts = 0;
    for cell in row.cells.iter().filter(|c| !c.is_empty()) {
        match (cell, shape(cell)) {
            (Cell::Text(t), Shape::Words) => {
                texts += 1;
                if field_of_header(t).is_some_and(|f| f != Ignore) {
                    score += 3;
                }
            }
            (Cell::Text(t), _) if field_of_header(t).is_some() => score += 1,
            _ => score -= 2,
        }
    }
    // A lone cell (a title such as "Customer list — updated weekly") is no header.
    if texts < 2 {
        return score.min(0);
    }
    score + texts / 2
}

/// Where the header is, if there is one: the best-scoring of the first rows.
pub fn find_header(rows: &[Row]) -> Option<usize> {
    let mut best: Option<(i32, usize)> = None;
    for (i, row) in rows.iter().enumerate().take(30) {
        if row.cells.iter().all(Cell::is_empty) {
            continue;
        }
        let score = header_score(row);
        if score >= 3 && best.map_or(true, |(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// A column's field from its values, when its header does not say.
pub fn field_of_values<'a>(values: impl Iterator<Item = &'a Cell>) -> Option<Field> {
    let mut counts: std::collections::HashMap<Shape, usize> = std::collections::HashMap::new();
    let mut total = 0;
    for cell in values.filter(|c| !c.is_empty()).take(200) {
        *counts.entry(shape(cell)).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return None;
    }
    let (&top, &n) = counts.iter().max_by_key(|&(_, &n)| n)?;
    if n * 10 < total * 8 {
        return None;
    }
    match top {
        Shape::Email => Some(Email),
        Shape::Phone => Some(Phone),
        Shape::SocialUrl(p) => Some(Handle(p)),
        Shape::AtHandle => Some(Handle(Platform::Instagram)),
        Shape::Money => Some(LifetimeSpend),
        _ => None,
    }
}

/// Whether a column of words looks like people's names: two or three capitalised words.
pub fn looks_like_names<'a>(values: impl Iterator<Item = &'a Cell>) -> bool {
    let mut total = 0;
    let mut names = 0;
    for cell in values.filter(|c| !c.is_empty()).take(200) {
        total += 1;
        if let Cell::Text(t) = cell {
            let words: Vec<&str> = t.split_whitespace().collect();
            // "Bea van Dijk": the first and last words start with capitals; particles may not.
            let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
            let capitalised = words.first().is_some_and(capital) && words.last().is_some_and(capital);
            if (2..=4).contains(&words.len()) && capitalised && !t.contains('@') && !t.chars().any(|c| c.is_ascii_digit()) {
                names += 1;
            }
        }
    }
    total > 0 && names * 10 >= total * 7
}

/// Letters for a column number: 0 → A, 26 → AA.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Whether a row is a summary line ("Total: 25 customers", "Grand total", "Count") rather than a customer.
pub fn is_summary(cells: &[Cell]) -> bool {
    let filled: Vec<&Cell> = cells.iter().filter(|c| !c.is_empty()).collect();
    let Some(Cell::Text(first)) = filled.first() else { return false };
    if filled.iter().any(|c| matches!(shape(c), Shape::Email | Shape::Phone | Shape::SocialUrl(_) | Shape::AtHandle)) {
        return false;
    }
    let words = header_words(first);
    let starts = ["total", "totals", "grand total", "sum", "subtotal", "sub total", "count", "summe", "gesamt",
        "insgesamt", "totaal", "totale", "somme", "suma", "soma", "importe total"];
    let first_word_total = starts.iter().any(|s| words == *s || words.starts_with(&format!("{s} ")));
    let counts_people = {
        let plain = fold(first);
        let w: Vec<&str> = plain.split_whitespace().collect();
        w.len() == 2 && w[0].bytes().all(|b| b.is_ascii_digit())
            && ["customers", "clients", "contacts", "rows", "records", "kunden", "klanten", "clientes"].contains(&w[1])
    };
    first_word_total || counts_people
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(cells: &[&str]) -> Row {
        Row { number: 1, cells: cells.iter().map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect() }
    }

    #[test]
    fn headers_of_real_exports_map_to_fields() {
        let cases: &[(&str, Field)] = &[
            ("First Name", FirstName), ("Last Name", LastName), ("Email", Email), ("Accepts Email Marketing", EmailConsent),
            ("Accepts Marketing", EmailConsent), ("Accepts SMS Marketing", SmsConsent), ("Address1", Street),
            ("Address2", Street2), ("Province Code", Region), ("Zip", PostalCode), ("Total Spent", LifetimeSpend),
            ("Total Orders", OrdersCount), ("Tags", Tags), ("Note", Notes), ("Tax Exempt", Ignore),
            ("Default Address Address1", Street), ("Default Address Zip", PostalCode),
            ("Email Address", Email), ("Phone Number", Phone), ("Transaction Count", OrdersCount),
            ("Lifetime Spend", LifetimeSpend), ("Email Subscription Status", EmailConsent), ("First Visit", CustomerSince),
            ("Last Visit", LastVisit), ("Birthday", Birthday), ("Memo", Notes),
            ("Given Name", FirstName), ("Family Name", LastName), ("E-mail 1 - Value", Email), ("E-mail 1 - Type", Ignore),
            ("Phone 2 - Value", Phone), ("Phone 1 - Label", Ignore), ("Group Membership", Tags), ("Labels", Tags),
            ("Organization 1 - Name", Company), ("Address 1 - City", City), ("Address 1 - Postal Code", PostalCode),
            ("E-mail Address", Email), ("E-mail 2 Address", Email), ("Mobile Phone", Phone), ("Home Street", Street),
            ("Home Postal Code", PostalCode), ("Categories", Tags), ("Business Phone", Phone),
            ("EMAIL_ADDRESS", Email), ("billing_phone", Phone), ("billing_postcode", PostalCode),
            ("Date of Birth", Birthday), ("Customer Code", Custom),
            ("Prénom", FirstName), ("Nom", LastName), ("Courriel", Email), ("Téléphone portable", Phone),
            ("Date de naissance", Birthday), ("Ville", City), ("Montant total", LifetimeSpend),
            ("Vorname", FirstName), ("Nachname", LastName), ("Geburtsdatum", Birthday), ("PLZ", PostalCode),
            ("Nombre", FirstName), ("Apellidos", LastName), ("Correo electrónico", Email), ("Teléfono", Phone),
            ("Cognome", LastName), ("Data di nascita", Birthday), ("Voornaam", FirstName), ("Achternaam", LastName),
            ("Woonplaats", City), ("Sobrenome", LastName), ("Telemóvel", Phone), ("Full name", FullName),
            ("Mobile", Phone), ("Insta", Handle(Platform::Instagram)), ("E-mail", Email), ("emails", Email),
            ("consent_email", EmailConsent), ("customer_since", CustomerSince), ("display_name", DisplayName),
        ];
        for (header, want) in cases {
            let got = field_of_header(header);
            if *want == Custom {
                assert_eq!(got, None, "{header}");
            } else {
                assert_eq!(got, Some(*want), "{header}");
            }
        }
    }

    /// Every column of the standard contact exports, as their headers are today: Outlook (the
    /// desktop app's and Outlook.com's), Google Contacts (the current set and the older one).
    #[test]
    fn every_column_of_the_contact_exports_is_mapped_deliberately() {
        let kept = Custom;
        let outlook: &[(&str, Field)] = &[
            ("First Name", FirstName), ("Middle Name", kept), ("Last Name", LastName), ("Title", kept), ("Suffix", kept),
            ("Nickname", kept), ("Given Yomi", kept), ("Surname Yomi", kept), ("E-mail Address", Email),
            ("E-mail 2 Address", Email), ("E-mail 3 Address", Email), ("Home Phone", Phone), ("Home Phone 2", Phone),
            ("Business Phone", Phone), ("Business Phone 2", Phone), ("Mobile Phone", Phone), ("Car Phone", kept),
            ("Other Phone", Phone), ("Primary Phone", Phone), ("Pager", kept), ("Business Fax", kept), ("Home Fax", kept),
            ("Other Fax", kept), ("Company Main Phone", kept), ("Callback", kept), ("Radio Phone", kept), ("Telex", kept),
            ("TTY/TDD Phone", kept), ("IMAddress", kept), ("Job Title", kept), ("Department", kept), ("Company", Company),
            ("Office Location", kept), ("Manager's Name", kept), ("Assistant's Name", kept), ("Assistant's Phone", kept),
            ("Company Yomi", kept), ("Business Street", Street), ("Business City", City), ("Business State", Region),
            ("Business Postal Code", PostalCode), ("Business Country/Region", Country), ("Home Street", Street),
            ("Home City", City), ("Home State", Region), ("Home Postal Code", PostalCode), ("Home Country/Region", Country),
            ("Other Street", kept), ("Other City", kept), ("Other State", kept), ("Other Postal Code", kept),
            ("Other Country/Region", kept), ("Personal Web Page", kept), ("Spouse", kept), ("Schools", kept), ("Hobby", kept),
            ("Location", kept), ("Web Page", kept), ("Birthday", Birthday), ("Anniversary", kept), ("Notes", Notes),
            // The desktop app's older set adds these.
            ("Home Street 2", Street2), ("Home Street 3", Street2), ("Business Street 2", Street2),
            ("Home Address PO Box", kept), ("Home Country", Country), ("Business Country", Country), ("ISDN", kept),
            ("Categories", Tags), ("Sensitivity", Ignore), ("Priority", Ignore), ("Private", Ignore),
            ("Internet Free Busy", Ignore), ("Directory Server", Ignore), ("Billing Information", Ignore), ("Mileage", Ignore),
            ("Initials", Ignore), ("Gender", kept), ("E-mail Display Name", Ignore), ("E-mail Type", Ignore),
            ("E-mail 2 Display Name", Ignore), ("User 1", kept), ("Keywords", kept), ("Referred By", kept), ("Account", kept),
        ];
        let google: &[(&str, Field)] = &[
            ("First Name", FirstName), ("Middle Name", kept), ("Last Name", LastName), ("Phonetic First Name", kept),
            ("Phonetic Middle Name", kept), ("Phonetic Last Name", kept), ("Name Prefix", kept), ("Name Suffix", kept),
            ("Nickname", kept), ("File As", Ignore), ("Organization Name", Company), ("Organization Title", kept),
            ("Organization Department", kept), ("Birthday", Birthday), ("Notes", Notes), ("Photo", Ignore), ("Labels", Tags),
            ("E-mail 1 - Label", Ignore), ("E-mail 1 - Value", Email), ("E-mail 2 - Label", Ignore), ("E-mail 2 - Value", Email),
            ("Phone 1 - Label", Ignore), ("Phone 1 - Value", Phone), ("Phone 2 - Label", Ignore), ("Phone 2 - Value", Phone),
            ("Address 1 - Label", Ignore), ("Address 1 - Formatted", Ignore), ("Address 1 - Street", Street),
            ("Address 1 - City", City), ("Address 1 - PO Box", kept), ("Address 1 - Region", Region),
            ("Address 1 - Postal Code", PostalCode), ("Address 1 - Country", Country), ("Address 1 - Extended Address", Street2),
            ("Address 2 - City", City), ("Address 2 - Street", Street), ("Website 1 - Label", Ignore), ("Website 1 - Value", kept),
            ("Relation 1 - Label", Ignore), ("Relation 1 - Value", kept), ("Event 1 - Label", Ignore), ("Event 1 - Value", kept),
            ("Custom Field 1 - Label", Ignore), ("Custom Field 1 - Value", kept), ("IM 1 - Label", Ignore), ("IM 1 - Value", kept),
            // The older set.
            ("Name", FullName), ("Given Name", FirstName), ("Additional Name", kept), ("Family Name", LastName),
            ("Yomi Name", kept), ("Given Name Yomi", kept), ("Additional Name Yomi", kept), ("Family Name Yomi", kept),
            ("Short Name", kept), ("Maiden Name", kept), ("Occupation", kept), ("Subject", kept), ("Language", kept),
            ("Group Membership", Tags), ("E-mail 1 - Type", Ignore), ("IM 1 - Type", Ignore), ("IM 1 - Service", kept),
            ("Phone 1 - Type", Ignore), ("Address 1 - Type", Ignore), ("Organization 1 - Type", Ignore),
            ("Organization 1 - Name", Company), ("Organization 1 - Yomi Name", kept), ("Organization 1 - Title", kept),
            ("Organization 1 - Department", kept), ("Organization 1 - Symbol", kept), ("Organization 1 - Location", kept),
            ("Organization 1 - Job Description", kept), ("Website 1 - Type", Ignore),
        ];
        for (header, want) in outlook.iter().chain(google) {
            assert_eq!(field_of_header(header).unwrap_or(Custom), *want, "{header}");
        }
        assert_eq!(detail_name("Organization 1 - Title"), Some("Job title"));
        assert_eq!(detail_name("IMAddress"), Some("IM address"));
        assert_eq!(detail_name("Hobby"), None, "kept under its own header");
        assert!(rank("Home Street", Street) < rank("Business Street", Street));
        assert!(rank("Address 1 - Street", Street) < rank("Address 2 - Street", Street));
        assert!(rank("Mobile Phone", Phone) < rank("Home Phone", Phone) && rank("Home Phone", Phone) < rank("Business Phone", Phone));
        assert_eq!(phone_label_rank("Work Fax"), Err("Work Fax".into()));
        assert_eq!(phone_label_rank("* Mobile"), Ok(0));
    }

    #[test]
    fn the_header_row_is_found_under_titles_and_blank_rows() {
        let rows = vec![
            text_row(&["Customer list — updated weekly", "", ""]),
            text_row(&["", "", ""]),
            text_row(&["Full name", "Mobile", "E-mail"]),
            text_row(&["Ana Abbott", "07911 100060", "ana@example.com"]),
        ];
        assert_eq!(find_header(&rows), Some(2));
        let headerless = vec![text_row(&["Ana Abbott", "07911 100060", "ana@example.com"])];
        assert_eq!(find_header(&headerless), None);
    }

    #[test]
    fn unnamed_columns_are_mapped_by_their_values() {
        let cells = |v: &[&str]| v.iter().map(|s| Cell::Text(s.to_string())).collect::<Vec<_>>();
        assert_eq!(field_of_values(cells(&["a@b.co", "c@d.org", "e@f.net"]).iter()), Some(Email));
        assert_eq!(field_of_values(cells(&["+44 7911 123456", "07911 654321", "(415) 555-2671"]).iter()), Some(Phone));
        assert_eq!(field_of_values(cells(&["https://instagram.com/a", "instagram.com/b"]).iter()), Some(Handle(Platform::Instagram)));
        assert_eq!(field_of_values(cells(&["$12.00", "$1,234.50"]).iter()), Some(LifetimeSpend));
        assert_eq!(field_of_values(cells(&["blue", "green"]).iter()), None);
        assert_eq!(field_of_values([Cell::Number(7911100060.0), Cell::Number(7123456789012.0)].iter()), None, "numbers could be ids");
        assert!(looks_like_names(cells(&["Ana Abbott", "Jean-Luc Picard", "Bea van Dijk"]).iter()));
    }

    #[test]
    fn summary_rows_are_recognised() {
        assert!(is_summary(&text_row(&["Total: 20 customers", "", ""]).cells));
        assert!(is_summary(&text_row(&["Grand total", "", "1,234.00"]).cells));
        assert!(is_summary(&text_row(&["25 customers"]).cells));
        assert!(!is_summary(&text_row(&["Tota Smith", "tota@example.com"]).cells));
        assert!(!is_summary(&text_row(&["Total Smith", "total@example.com"]).cells));
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn field_names_parse_with_aliases() {
        assert_eq!("email".parse::<Field>(), Ok(Email));
        assert_eq!("Instagram".parse::<Field>(), Ok(Handle(Platform::Instagram)));
        assert_eq!("spend".parse::<Field>(), Ok(LifetimeSpend));
        assert!("favourite colour".parse::<Field>().unwrap_err().contains("first_name"));
    }
}
