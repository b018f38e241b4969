//! WhatsApp's "Export chat": Android's `.txt` (`3/14/26, 9:02 AM - Dana: Hi`) and iOS's `_chat.txt`
//! (`[02.03.26, 14:05:09] Jonas: Hallo`), in every locale's way of writing the date and the clock:
//! day or month first (decided per file from the dates that can only be read one way, else from the
//! shop's country), `/` `.` `-` separators, two- or four-digit years, 24-hour or 12-hour clocks
//! (`PM`, `p. m.`, with a narrow no-break space), left-to-right marks. A line that starts no message
//! continues the one before. System lines (the encryption notice, group events, deleted messages,
//! missed calls) are left out and counted; a message of media alone is kept as a message noting it.
//! Times are the phone's local time: read in the shop's time zone.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::{Conversation, Ctx, LeftOut, Message, Reading};
use crate::import::values::DateOrder;
use crate::import::Problem;
use crate::model::{Channel, TouchpointKind};

/// A line's stamp and what follows it, the date still as its three numbers.
struct Header<'a> {
    date: [u32; 3],
    date_text: &'a str,
    /// Written with dots (`14.03.26`): only day-first locales do.
    dots: bool,
    time: NaiveTime,
    rest: &'a str,
}

/// Whether text looks like a WhatsApp export: of its first lines that are not blank, most start a
/// message.
pub fn looks_like(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(10).collect();
    let starts = lines.iter().filter(|l| header(l).is_some()).count();
    !lines.is_empty() && header(lines[0]).is_some() && starts * 2 >= lines.len()
}

/// The marks that WhatsApp puts before a stamp or a system text.
fn unmarked(s: &str) -> &str {
    s.trim_start_matches(['\u{200e}', '\u{200f}', '\u{feff}', '\u{202a}', '\u{202c}'])
}

fn header(line: &str) -> Option<Header<'_>> {
    let s = unmarked(line);
    let (stamp, rest) = match s.strip_prefix('[') {
        Some(inner) => {
            let (stamp, rest) = inner.split_once(']')?;
            (stamp, rest.strip_prefix(' ').unwrap_or(rest))
        }
        None => {
            let at = s.find(" - ").or_else(|| s.find(" \u{2013} "))?;
            let dash = if s[at..].starts_with(" - ") { 3 } else { 5 };
            (&s[..at], &s[at + dash..])
        }
    };
    let (date, time) = stamp.split_once(',').or_else(|| stamp.split_once(' '))?;
    let date = date.trim();
    Some(Header { date: date_parts(date)?, date_text: date, dots: date.contains('.'), time: clock(time)?, rest })
}

fn date_parts(date: &str) -> Option<[u32; 3]> {
    let parts: Vec<&str> = date.split(['/', '.', '-']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let n = |p: &str| if p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) { p.parse::<u32>().ok() } else { None };
    Some([n(a)?, n(b)?, n(c)?])
}

/// `9:02 AM`, `9:02 PM` (any space), `21:02`, `14:05:09`, `9:02 p. m.`, `9:02 a.m.`.
fn clock(text: &str) -> Option<NaiveTime> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '\u{202f}').collect::<String>().to_lowercase();
    let (digits, pm) = if let Some(d) = t.strip_suffix("pm") {
        (d, Some(true))
    } else if let Some(d) = t.strip_suffix("am") {
        (d, Some(false))
    } else {
        (t.as_str(), None)
    };
    let mut parts = digits.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        Some(_) if h > 12 => return None,
        _ => h,
    };
    NaiveTime::from_hms_opt(h, m, s)
}

/// How the file writes its dates: the order under which most of them are dates (`31/03` only day
/// first, `03/31` only month first, a four-digit first part year first); when that leaves a tie,
/// day first when written with dots (no month-first locale writes them), else the shop's country's way.
fn order_of(dates: &[[u32; 3]], dots: bool, shop: DateOrder) -> Order {
    let valid = |order: Order| dates.iter().filter(|d| date_of(**d, order).is_some()).count();
    let preferred = match (dots, shop) {
        (true, _) | (false, DateOrder::DayFirst) => [Order::Day, Order::Month],
        (false, DateOrder::MonthFirst) => [Order::Month, Order::Day],
    };
    // Year first only when a first part cannot be a day; of equals, the last (the preferred) wins.
    let year_first = if dates.iter().any(|d| d[0] > 31) { valid(Order::YearFirst) } else { 0 };
    let candidates = [(year_first, Order::YearFirst), (valid(preferred[1]), preferred[1]), (valid(preferred[0]), preferred[0])];
    candidates.into_iter().max_by_key(|(n, _)| *n).map_or(preferred[0], |(_, order)| order)
}

#[derive(Clone, Copy)]
enum Order {
    Day,
    Month,
    YearFirst,
}

fn date_of(d: [u32; 3], order: Order) -> Option<NaiveDate> {
    let year = |y: u32| if y < 100 { 2000 + y as i32 } else { y as i32 };
    match order {
        Order::Day => NaiveDate::from_ymd_opt(year(d[2]), d[1], d[0]),
        Order::Month => NaiveDate::from_ymd_opt(year(d[2]), d[0], d[1]),
        Order::YearFirst => NaiveDate::from_ymd_opt(year(d[0]), d[1], d[2]),
    }
}

/// The chat partner named by the export's file name ("WhatsApp Chat with Dana.txt", "WhatsApp
/// Chat - Jonas.zip", "WhatsApp-Chat mit …", "Chat de WhatsApp con …", "Discussion WhatsApp avec …").
pub fn partner_of_file_name(name: &str) -> Option<String> {
    // Inside a zip ("WhatsApp Chat - Jonas.zip/_chat.txt") the zip's name says.
    name.rsplit(['/', '\\']).find_map(partner_of_segment)
}

fn partner_of_segment(stem: &str) -> Option<String> {
    let stem = stem.strip_suffix(".txt").or_else(|| stem.strip_suffix(".zip")).unwrap_or(stem);
    if !stem.to_lowercase().contains("whatsapp") {
        return None;
    }
    let lower = stem.to_lowercase();
    let cut = [" with ", " - ", " mit ", " con ", " avec ", " met ", " com ", " z ", " med "]
        .iter()
        .filter_map(|sep| lower.rfind(sep).map(|i| i + sep.len()))
        .max()?;
    let partner = stem.get(cut..)?.trim();
    (!partner.is_empty()).then(|| partner.to_string())
}

/// Texts that are WhatsApp's own, not anybody's message (in the languages shops write in).
const SYSTEM: &[(&str, LeftOut)] = &[
    ("end-to-end encrypted", LeftOut::Notice),
    ("ende-zu-ende-verschl", LeftOut::Notice),
    ("cifrados de extremo a extremo", LeftOut::Notice),
    ("chiffrés de bout en bout", LeftOut::Notice),
    ("crittografia end-to-end", LeftOut::Notice),
    ("end-to-end versleuteld", LeftOut::Notice),
    ("criptografia de ponta a ponta", LeftOut::Notice),
    ("this message was deleted", LeftOut::Deleted),
    ("you deleted this message", LeftOut::Deleted),
    ("diese nachricht wurde gelöscht", LeftOut::Deleted),
    ("se eliminó este mensaje", LeftOut::Deleted),
    ("ce message a été supprimé", LeftOut::Deleted),
    ("missed voice call", LeftOut::System),
    ("missed video call", LeftOut::System),
    ("verpasster sprachanruf", LeftOut::System),
    ("verpasster videoanruf", LeftOut::System),
    ("llamada perdida", LeftOut::System),
    ("appel vocal manqué", LeftOut::System),
    ("null", LeftOut::System),
];

/// What a media placeholder stands for ("a photo"), if the text is one.
fn media(text: &str) -> Option<&'static str> {
    let t = unmarked(text).trim();
    let lower = t.to_lowercase();
    let bracketed = t.starts_with('<') && t.ends_with('>');
    let omitted = ["omitted", "omis", "ausgeschlossen", "omitido", "omessi", "weggelaten", "omitida"].iter().any(|w| lower.contains(w));
    let attached = ["attached", "anhang", "adjunto", "jointe", "allegato", "bijlage", "anexo", "file attached", "datei angehängt"]
        .iter()
        .any(|w| lower.contains(w));
    let omitted_alone = t.len() <= 40 && ["omitted", "omis", "ausgeschlossen", "omitido", "omessi", "weggelaten", "omitida"].iter().any(|w| lower.ends_with(w));
    if !(bracketed && (omitted || attached) || omitted_alone || lower.ends_with("(file attached)") || lower.ends_with("(datei angehängt)")) {
        return None;
    }
    Some(if lower.contains("photo") || lower.contains("image") || lower.contains("img-") || lower.contains(".jpg") || lower.contains("bild") || lower.contains("imagen") {
        "a photo"
    } else if lower.contains("video") || lower.contains(".mp4") {
        "a video"
    } else if lower.contains("audio") || lower.contains("ptt") || lower.contains(".opus") {
        "a voice message"
    } else if lower.contains("sticker") {
        "a sticker"
    } else if lower.contains("gif") {
        "a GIF"
    } else if lower.starts_with("<media") || lower.contains("medien") || lower.contains("multimedia") || lower.contains("médias") {
        "a photo, video or file"
    } else {
        "a file"
    })
}

/// Reads one exported chat. `file` names it (its partner comes from the name when it says);
/// problems name its lines.
pub fn read(text: &str, file: &str, ctx: &Ctx, out: &mut Reading) {
    let said = lines(text, file, ctx, out);
    let Some((with, shop)) = sides(&said, file, ctx, out) else { return };
    let mut conversation = Conversation::new(Channel::Whatsapp, file, &with);
    for (line, when, author, text) in said {
        let lower = unmarked(&text).trim().to_lowercase();
        if let Some((_, why)) = SYSTEM.iter().find(|(words, _)| lower == *words || (words.len() > 4 && lower.contains(words))) {
            out.left_out(*why);
            continue;
        }
        let media = media(&text);
        if media.is_none() && text.starts_with('\u{200e}') {
            out.left_out(LeftOut::System);
            continue;
        }
        let Some(at) = ctx.zone.from_local_datetime(&when).earliest() else {
            out.problems.push(Problem::error(line, file, "this time does not exist in the shop's time zone"));
            continue;
        };
        let from_shop = shop.as_deref() == Some(author.as_str());
        let key = format!("whatsapp\0{with}\0{when}\0{author}\0{text}");
        let text = match media {
            Some(what) => format!("({what})"),
            None => text.trim().to_string(),
        };
        conversation.messages.push(Message {
            at: at.to_utc(),
            from_shop,
            author: if from_shop { with.clone() } else { author },
            text,
            media_only: media.is_some(),
            rating: None,
            kind: TouchpointKind::Dm,
            key,
            line,
        });
    }
    out.conversations.push(conversation);
}

/// A message as its lines give it: its first line's number, its local time, its author, its text.
type Said = (u64, NaiveDateTime, String, String);

/// The chat's messages, each with the lines that continue it; lines of no one (group events) are
/// counted as left out, and lines that cannot be read are problems.
fn lines(text: &str, file: &str, ctx: &Ctx, out: &mut Reading) -> Vec<Said> {
    let lines: Vec<&str> = text.lines().collect();
    let headers: Vec<Header<'_>> = lines.iter().filter_map(|l| header(l)).collect();
    let dates: Vec<[u32; 3]> = headers.iter().map(|h| h.date).collect();
    let order = order_of(&dates, headers.iter().any(|h| h.dots), ctx.date_order);
    let mut said: Vec<Said> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end_matches('\r');
        let number = i as u64 + 1;
        let Some(h) = header(line) else {
            match said.last_mut() {
                Some((_, _, _, text)) => {
                    text.push('\n');
                    text.push_str(line);
                }
                None if line.trim().is_empty() => {}
                None => out.problems.push(Problem::error(number, file, "this line starts no message: it is not a WhatsApp chat line")),
            }
            continue;
        };
        let Some(date) = date_of(h.date, order) else {
            out.problems.push(Problem::error(number, file, format!("“{}” is not a date", h.date_text)));
            continue;
        };
        let when = date.and_time(h.time);
        match h.rest.split_once(": ") {
            Some((author, text)) if author.chars().count() <= 80 => said.push((number, when, unmarked(author).trim().to_string(), text.to_string())),
            _ => {
                let lower = h.rest.to_lowercase();
                out.left_out(SYSTEM.iter().find(|(words, _)| words.len() > 4 && lower.contains(words)).map_or(LeftOut::System, |(_, why)| *why))
            }
        }
    }
    said
}

/// Who the shop talks with, and which author is the shop: the file's name names the partner, the
/// other author is the shop; else the author with the shop's name is; a chat of one author is all
/// theirs. None (and a problem) when nothing says.
fn sides(said: &[Said], file: &str, ctx: &Ctx, out: &mut Reading) -> Option<(String, Option<String>)> {
    let partner = partner_of_file_name(file);
    let mut authors: Vec<String> = said.iter().map(|(_, _, who, _)| who.clone()).collect();
    authors.sort();
    authors.dedup();
    let same = |a: &str, b: &str| a == b || (digits(a).len() >= 7 && digits(a) == digits(b));
    let named_shop = || authors.iter().find(|a| super::same_name(a, &ctx.shop_name)).cloned();
    let shop: Option<String> = match &partner {
        Some(p) if authors.iter().any(|a| same(a, p)) => match authors.iter().filter(|a| !same(a, p)).collect::<Vec<_>>().as_slice() {
            [one] => Some((*one).clone()),
            _ => named_shop(),
        },
        _ => named_shop(),
    };
    let with = match (&partner, &shop) {
        (Some(p), _) => authors.iter().find(|a| same(a, p)).cloned().unwrap_or_else(|| p.clone()),
        (None, Some(shop)) => authors.iter().filter(|a| *a != shop).cloned().collect::<Vec<_>>().join(", "),
        (None, None) if authors.len() == 1 => authors[0].clone(),
        (None, None) => {
            out.problems.push(Problem::error(
                0,
                file,
                format!("cannot tell which of {} is the shop: name the file “WhatsApp Chat with …” or set the shop's name to yours in the chat", authors.join(", ")),
            ));
            return None;
        }
    };
    Some((with, shop))
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_writing_a_line_is_read() {
        let cases: &[(&str, [u32; 3], (u32, u32, u32), &str)] = &[
            ("3/14/26, 9:02\u{202f}AM - Dana Whitfield: Hi!", [3, 14, 26], (9, 2, 0), "Dana Whitfield: Hi!"),
            ("14/03/2026, 21:02 - Dana: Hi", [14, 3, 2026], (21, 2, 0), "Dana: Hi"),
            ("14.03.26, 09:02 - Dana: Hi", [14, 3, 26], (9, 2, 0), "Dana: Hi"),
            ("[02.03.26, 14:05:09] Jonas Becker: Hallo", [2, 3, 26], (14, 5, 9), "Jonas Becker: Hallo"),
            ("\u{200e}[3/14/26, 9:02:15 PM] Dana: Hi", [3, 14, 26], (21, 2, 15), "Dana: Hi"),
            ("14/3/26, 9:02 p. m. - Ana: Hola", [14, 3, 26], (21, 2, 0), "Ana: Hola"),
            ("14/3/26, 12:30 a.m. - Ana: Hola", [14, 3, 26], (0, 30, 0), "Ana: Hola"),
            ("2026-03-14, 09:02 - Ana: Hej", [2026, 3, 14], (9, 2, 0), "Ana: Hej"),
        ];
        for (line, date, (h, m, s), rest) in cases {
            let got = header(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!((got.date, got.time, got.rest), (*date, NaiveTime::from_hms_opt(*h, *m, *s).unwrap(), *rest), "{line}");
        }
        for not_a_line in ["Around 11 if that works", "Tomorrow - 3pm works", "3/14 - see you"] {
            assert!(header(not_a_line).is_none(), "{not_a_line}");
        }
    }

    #[test]
    fn the_date_order_is_decided_per_file() {
        assert!(matches!(order_of(&[[3, 14, 26], [3, 1, 26]], false, DateOrder::DayFirst), Order::Month));
        assert!(matches!(order_of(&[[14, 3, 26]], false, DateOrder::MonthFirst), Order::Day));
        assert!(matches!(order_of(&[[3, 4, 26]], false, DateOrder::MonthFirst), Order::Month), "ambiguous: the shop's way");
        assert!(matches!(order_of(&[[3, 4, 26]], false, DateOrder::DayFirst), Order::Day), "ambiguous: the shop's way");
        assert!(matches!(order_of(&[[2, 3, 26]], true, DateOrder::MonthFirst), Order::Day), "dots: a day-first phone");
        assert!(matches!(order_of(&[[2026, 3, 4]], false, DateOrder::MonthFirst), Order::YearFirst));
        assert!(matches!(order_of(&[[3, 14, 26], [3, 15, 26], [31, 31, 26]], false, DateOrder::DayFirst), Order::Month), "most dates decide; a broken one does not");
    }

    #[test]
    fn partners_and_media_are_named() {
        assert_eq!(partner_of_file_name("WhatsApp Chat with Dana Whitfield.txt").as_deref(), Some("Dana Whitfield"));
        assert_eq!(partner_of_file_name("WhatsApp Chat - Jonas Becker.zip").as_deref(), Some("Jonas Becker"));
        assert_eq!(partner_of_file_name("WhatsApp-Chat mit Anna.txt").as_deref(), Some("Anna"));
        assert_eq!(partner_of_file_name("Chat de WhatsApp con +34 600 11 22 33.txt").as_deref(), Some("+34 600 11 22 33"));
        assert_eq!(partner_of_file_name("_chat.txt"), None);
        assert_eq!(partner_of_file_name("chats/WhatsApp Chat - Jonas Becker.zip/_chat.txt").as_deref(), Some("Jonas Becker"));
        assert_eq!(media("<Media omitted>"), Some("a photo, video or file"));
        assert_eq!(media("\u{200e}<Anhang: 00000007-PHOTO-2026-03-02-14-05-31.jpg>"), Some("a photo"));
        assert_eq!(media("\u{200e}audio omitted"), Some("a voice message"));
        assert_eq!(media("IMG-20260314-WA0001.jpg (file attached)"), Some("a photo"));
        assert_eq!(media("I omitted nothing, it was all there"), None);
    }
}
