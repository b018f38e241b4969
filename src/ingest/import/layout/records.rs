//! The layout of files of reviews and messages, and of orders: which field of a touchpoint or a
//! purchase each column holds, by its heading in seven languages (the same folded words as a
//! customer list's, `header_words`), else by its values (`shape`: dates, amounts, emails, stars);
//! and which row is the heading row. One engine with the customer list's layout: the same words,
//! the same value shapes, the same search for the heading row.

use std::collections::HashMap;

use super::{header_words, shape, Shape};
use crate::import::read::{Cell, Row};
use crate::model::ImportKind;

/// What a column of a touchpoint or purchase export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Col {
    Customer,
    Author,
    Channel,
    Kind,
    Text,
    At,
    Rating,
    Reach,
    Url,
    Direction,
    Status,
    Order,
    Email,
    Phone,
    CustomerRef,
    CustomerName,
    Time,
    Amount,
    Refunded,
    Currency,
    Items,
    Event,
}

impl Col {
    /// The field's name, as the report shows it.
    pub fn name(self) -> &'static str {
        match self {
            Col::Customer => "customer",
            Col::Author => "author",
            Col::Channel => "channel",
            Col::Kind => "kind",
            Col::Text => "text",
            Col::At => "at",
            Col::Rating => "rating",
            Col::Reach => "reach",
            Col::Url => "url",
            Col::Direction => "direction",
            Col::Status => "status",
            Col::Order => "order",
            Col::Email => "email",
            Col::Phone => "phone",
            Col::CustomerRef => "customer_ref",
            Col::CustomerName => "customer_name",
            Col::Time => "time",
            Col::Amount => "amount",
            Col::Refunded => "refunded",
            Col::Currency => "currency",
            Col::Items => "items",
            Col::Event => "event",
        }
    }
}

/// Header words (as `header_words` writes them) for each field.
type Synonyms = &'static [(Col, &'static [&'static str])];

const TOUCHPOINT_FIELDS: Synonyms = &[
    (Col::Customer, &["customer", "customer id", "customer email", "customer phone", "email", "e mail", "phone"]),
    (Col::Author, &["author", "user", "username", "user name", "handle", "from", "name", "reviewer", "reviewer name", "profile", "account", "commenter", "auteur", "autor", "autore", "nom", "nombre", "naam", "verfasser", "kunde"]),
    (Col::Channel, &["channel", "platform", "source", "network", "site", "canal", "kanal", "plateforme", "plattform", "plataforma", "piattaforma", "kanaal"]),
    (Col::Kind, &["kind", "type", "interaction", "interaction type"]),
    (Col::Text, &["text", "comment", "message", "review", "content", "body", "review text", "caption", "comment text", "commentaire", "avis", "kommentar", "bewertungstext", "nachricht", "comentario", "resena", "mensaje", "commento", "recensione", "messaggio", "opmerking", "recensie", "bericht", "comentario", "avaliacao", "mensagem", "texte", "texto", "testo", "tekst"]),
    (Col::At, &["date", "time", "created at", "created", "posted at", "posted", "timestamp", "date time", "review date", "published", "when", "datum", "fecha", "data", "heure", "zeit", "hora", "ora", "tijd", "date de publication", "erstellt am"]),
    (Col::Rating, &["rating", "stars", "star rating", "score", "note", "etoiles", "bewertung", "sterne", "puntuacion", "estrellas", "valutazione", "stelle", "beoordeling", "sterren", "classificacao", "estrelas"]),
    (Col::Reach, &["followers", "reach", "follower count", "audience", "followers count"]),
    (Col::Url, &["url", "link", "permalink", "review url"]),
    (Col::Direction, &["direction"]),
    (Col::Status, &["status", "reply status"]),
];

const PURCHASE_FIELDS: Synonyms = &[
    (Col::Order, &["name", "order", "order id", "order number", "order no", "transaction id", "receipt number", "receipt", "invoice", "id", "commande", "numero de commande", "bestellung", "bestellnummer", "pedido", "numero de pedido", "ordine", "numero ordine", "bestelling", "bestelnummer", "encomenda", "facture", "rechnung", "factura", "fattura"]),
    (Col::Email, &["email", "e mail", "customer email", "billing email"]),
    (Col::Phone, &["phone", "billing phone", "customer phone", "phone number"]),
    (Col::CustomerRef, &["customer id", "customer reference id", "square customer id", "customer"]),
    (Col::CustomerName, &["customer name", "billing name", "client"]),
    (Col::At, &["paid at", "created at", "date", "order date", "time", "transaction date", "datetime", "datum", "fecha", "data", "date de commande", "bestelldatum", "fecha del pedido", "data ordine", "besteldatum"]),
    (Col::Time, &["time of day"]),
    (Col::Amount, &["total", "amount", "total collected", "net total", "gross sales", "order total", "price", "total money", "montant", "total ttc", "betrag", "summe", "gesamt", "importe", "importo", "totale", "bedrag", "totaal", "valor", "montante"]),
    (Col::Refunded, &["refunded amount", "refund amount", "refunds"]),
    (Col::Currency, &["currency", "devise", "wahrung", "moneda", "valuta", "moeda"]),
    (Col::Items, &["lineitem name", "items", "description", "item", "product", "products", "item name", "articles", "article", "produit", "produits", "artikel", "produkt", "produkte", "articulos", "producto", "productos", "articoli", "prodotto", "prodotti", "producten", "produtos", "artigos"]),
    (Col::Channel, &["channel", "source", "sales channel"]),
    (Col::Event, &["event type", "type", "kind"]),
];

/// The fields of a kind of file.
fn fields(kind: ImportKind) -> Synonyms {
    match kind {
        ImportKind::Purchases => PURCHASE_FIELDS,
        _ => TOUCHPOINT_FIELDS,
    }
}

/// The names of a kind's fields, for a message that lists them.
pub fn field_names(kind: ImportKind) -> Vec<&'static str> {
    fields(kind).iter().map(|(c, _)| c.name()).collect()
}

/// Which field each column holds by its heading: the first column whose heading names a field takes it.
pub fn by_heading(kind: ImportKind, header: &[Cell]) -> Vec<Option<Col>> {
    let mut taken: Vec<Col> = Vec::new();
    header
        .iter()
        .map(|cell| {
            let w = header_words(&cell.text());
            let field = fields(kind).iter().find(|(name, syn)| !taken.contains(name) && syn.contains(&w.as_str())).map(|(n, _)| *n);
            if let Some(f) = field {
                taken.push(f);
            }
            field
        })
        .collect()
}

/// Whether a row is a heading row of this kind: it names at least two fields.
pub fn is_heading(kind: ImportKind, row: &Row) -> bool {
    by_heading(kind, &row.cells).iter().flatten().count() >= 2
}

/// The heading row among the first 20 (see `is_heading`).
pub fn find_heading(kind: ImportKind, rows: &[Row]) -> Option<usize> {
    rows.iter().take(20).position(|r| is_heading(kind, r))
}

/// The fields of the columns whose heading said nothing, from their values (the first 200
/// filled cells): a column of dates is the time, of emails or phones whose customer it is, of
/// amounts the total; a column of stars (1 to 5) the rating, of sentences what was said. A field a heading already took is
/// not taken again, and a column whose values disagree stays unread.
pub fn by_values(kind: ImportKind, mapping: &mut [Option<Col>], body: &[Row]) {
    for i in 0..mapping.len() {
        if mapping[i].is_some() {
            continue;
        }
        let cells = body.iter().filter_map(|r| r.cells.get(i)).filter(|c| !c.is_empty()).take(200);
        let mut shapes: HashMap<Shape, usize> = HashMap::new();
        let mut stars = 0;
        let mut total = 0;
        for cell in cells {
            total += 1;
            *shapes.entry(shape(cell)).or_default() += 1;
            let t = cell.text();
            let t = t.trim().trim_end_matches(['★', '*', ' ']);
            if t.parse::<f64>().is_ok_and(|x| (1.0..=5.0).contains(&x)) || (!t.is_empty() && t.chars().all(|c| c == '★')) {
                stars += 1;
            }
        }
        let all = |s: Shape| total > 0 && shapes.get(&s).copied().unwrap_or(0) * 10 >= total * 9;
        let purchases = kind == ImportKind::Purchases;
        let field = if all(Shape::Date) {
            Some(Col::At)
        } else if all(Shape::Email) {
            Some(if purchases { Col::Email } else { Col::Customer })
        } else if all(Shape::Phone) {
            Some(if purchases { Col::Phone } else { Col::Customer })
        } else if purchases && all(Shape::Money) {
            Some(Col::Amount)
        } else if !purchases && total > 0 && stars == total {
            Some(Col::Rating)
        } else if !purchases && all(Shape::Words) && body.iter().filter_map(|r| r.cells.get(i)).map(|c| c.text().len()).sum::<usize>() >= 12 * total {
            // Sentences: what was said.
            Some(Col::Text)
        } else {
            None
        };
        if let Some(f) = field.filter(|f| !mapping.contains(&Some(*f))) {
            mapping[i] = Some(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Row {
        Row { number: 1, cells: cells.iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text((*c).to_string()) }).collect() }
    }

    #[test]
    fn headings_in_any_language_name_the_fields() {
        let cases: &[(ImportKind, &[&str], &[Option<Col>])] = &[
            (ImportKind::Touchpoints, &["Autor", "Kommentar", "Sterne"], &[Some(Col::Author), Some(Col::Text), Some(Col::Rating)]),
            (ImportKind::Touchpoints, &["Nom", "Avis", "Date de publication"], &[Some(Col::Author), Some(Col::Text), Some(Col::At)]),
            (ImportKind::Purchases, &["Bestellnummer", "Betrag", "E-Mail"], &[Some(Col::Order), Some(Col::Amount), Some(Col::Email)]),
            (ImportKind::Purchases, &["Name", "Total", "Name"], &[Some(Col::Order), Some(Col::Amount), None]),
        ];
        for (kind, header, expected) in cases {
            assert_eq!(by_heading(*kind, &row(header).cells), expected.to_vec(), "{header:?}");
        }
    }

    #[test]
    fn columns_without_a_heading_are_read_by_their_values() {
        let body = vec![row(&["2026-03-01", "ana@example.com", "5", "Lovely"]), row(&["2026-03-02", "bo@example.com", "4★", "Fine"])];
        let mut mapping = vec![None, None, None, Some(Col::Text)];
        by_values(ImportKind::Touchpoints, &mut mapping, &body);
        assert_eq!(mapping, vec![Some(Col::At), Some(Col::Customer), Some(Col::Rating), Some(Col::Text)]);
        let orders = vec![row(&["€12.50", "07/03/2026"]), row(&["€8.00", "08/03/2026"])];
        let mut mapping = vec![None, Some(Col::At)];
        by_values(ImportKind::Purchases, &mut mapping, &orders);
        assert_eq!(mapping, vec![Some(Col::Amount), Some(Col::At)], "a field a heading took is not taken twice");
    }
}
