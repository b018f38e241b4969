//! The house rules of ARCHITECTURE.md, checked on the source itself: no cycles between the core's
//! modules, only `src/store/` speaks SQL, every module says what it is in a `//!` paragraph, no
//! code after a module's tests, and no function over 80 lines without a comment saying why.
//! (`scripts/check-cycles.py` prints the same module graph's cycles for a person.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The code before a file's tests.
fn without_tests(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// The core's layers, lowest first: a module may name modules of its own layer and of those below.
const LAYERS: &[&str] = &["domain", "store", "cases", "ingest"];

/// The core's modules (a file or a folder inside a layer's folder; the store is one module), each
/// with its layer's place and its files.
fn core_modules() -> BTreeMap<String, (usize, Vec<PathBuf>)> {
    let src = root().join("src");
    let mut out = BTreeMap::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        let dir = src.join(layer);
        if *layer == "store" {
            out.insert("store".to_string(), (rank, rust_files(&dir)));
            out.insert("backup".to_string(), (rank, vec![dir.join("backup.rs")]));
            continue;
        }
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                out.insert(name, (rank, rust_files(&path)));
            } else if path.extension().is_some_and(|e| e == "rs") && name != "mod" {
                out.insert(name, (rank, vec![path]));
            }
        }
    }
    out
}

fn named_modules<V>(text: &str, known: &BTreeMap<String, V>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + 7..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if known.contains_key(&name) {
            out.insert(name.clone());
        }
        if rest.starts_with('{') {
            let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
            for word in group.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if known.contains_key(word) {
                    out.insert(word.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn the_core_modules_depend_on_each_other_without_cycles_and_only_downwards() {
    let modules = core_modules();
    let graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|(name, (_, files))| {
            let mut uses = BTreeSet::new();
            for f in files {
                uses.extend(named_modules(without_tests(&std::fs::read_to_string(f).unwrap()), &modules));
            }
            uses.remove(name);
            if name == "store" {
                uses.remove("backup");
            }
            (name.clone(), uses)
        })
        .collect();
    for (name, uses) in &graph {
        for used in uses {
            assert!(modules[used].0 <= modules[name].0, "{name} ({}) reaches up to {used} ({})", LAYERS[modules[name].0], LAYERS[modules[used].0]);
        }
    }
    // Depth-first search for a way back to where it started.
    fn back_to(graph: &BTreeMap<String, BTreeSet<String>>, start: &str, at: &str, path: &mut Vec<String>, seen: &mut BTreeSet<String>) -> bool {
        for next in &graph[at] {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if back_to(graph, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        assert!(!back_to(&graph, start, start, &mut path, &mut BTreeSet::new()), "a cycle: {}", path.join(" -> "));
    }
}

#[test]
fn only_the_store_speaks_sql() {
    let store = root().join("src/store");
    let mut offenders = Vec::new();
    for dir in ["src", "src-tauri/src"] {
        for f in rust_files(&root().join(dir)).into_iter().filter(|f| !f.starts_with(&store)) {
            let text = std::fs::read_to_string(&f).unwrap();
            let code = without_tests(&text);
            if ["rusqlite::", "\"SELECT ", "\"INSERT ", "\"UPDATE ", "\"DELETE ", "execute_batch(", "batch_execute(", "postgres::Client", "postgres::Transaction"].iter().any(|s| code.contains(s)) {
                offenders.push(f.display().to_string());
            }
        }
    }
    assert!(offenders.is_empty(), "SQL outside src/store: {offenders:?}");
}

#[test]
fn every_module_says_what_it_is_and_keeps_its_tests_last() {
    for dir in ["src", "src-tauri/src", "tests", "benches"] {
        for f in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&f).unwrap();
            let name = f.display().to_string();
            if !name.contains("/tests/e2e/") || name.ends_with(".rs") {
                assert!(text.trim_start().starts_with("//!") || name.ends_with("mod.rs") && text.contains("//!"), "{name} has no //! paragraph");
            }
            // After `mod tests { … }` (closed by a `}` at the start of a line), nothing but blank lines.
            if let Some(at) = text.find("#[cfg(test)]\nmod tests {") {
                let after = &text[at..];
                let close = after.find("\n}\n").map_or(after.len(), |i| i + 3);
                assert!(after[close..].trim().is_empty(), "{name} has code after its tests");
            }
        }
    }
}

/// A function longer than this needs a comment saying why it is one piece (`// One piece: …`).
const LONGEST: usize = 80;

#[test]
fn no_function_is_long_without_a_reason() {
    let mut long = Vec::new();
    for dir in ["src", "src-tauri/src"] {
        for f in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&f).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let mut i = 0;
            while i < lines.len() {
                let line = lines[i];
                let trimmed = line.trim_start();
                let indent = &line[..line.len() - trimmed.len()];
                let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "async fn ", "pub async fn "].iter().any(|p| trimmed.starts_with(p));
                if is_fn && !trimmed.ends_with(';') {
                    let end = (i + 1..lines.len()).find(|&j| lines[j] == format!("{indent}}}")).unwrap_or(i);
                    let reasoned = lines[i.saturating_sub(12)..i].iter().any(|l| l.contains("One piece:"));
                    if end - i + 1 > LONGEST && !reasoned {
                        long.push(format!("{}:{} {} lines", f.display(), i + 1, end - i + 1));
                    }
                    i = end.max(i);
                }
                i += 1;
            }
        }
    }
    assert!(long.is_empty(), "functions over {LONGEST} lines with no “One piece:” comment saying why:\n{}", long.join("\n"));
}

/// Every `.js` file of the page, with its path relative to `ui/`.
fn page_modules() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root().join("ui/js")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "js") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The names a module exports (`export function f`, `export const C`, `export { a, b as c }`).
fn exports_of(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("export ") else { continue };
        if let Some(list) = rest.strip_prefix('{') {
            for item in list.split('}').next().unwrap_or_default().split(',') {
                let item = item.trim();
                let name = item.rsplit(" as ").next().unwrap_or(item).trim();
                if !name.is_empty() {
                    names.insert(name.to_string());
                }
            }
            continue;
        }
        let rest = rest.trim_start_matches("async ");
        for keyword in ["function* ", "function ", "const ", "let ", "class "] {
            if let Some(after) = rest.strip_prefix(keyword) {
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn the_page_imports_only_what_its_modules_export_and_only_api_js_calls_invoke() {
    // A name imported but not exported stops the whole page from loading (the browser refuses the
    // module graph), and nothing short of running the app would say so.
    let modules = page_modules();
    let mut problems = Vec::new();
    for path in &modules {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        for statement in text.split(';').map(str::trim).filter(|s| s.starts_with("import {")) {
            let Some((names, from)) = statement["import {".len()..].split_once("} from ") else { continue };
            let target = path.parent().unwrap().join(from.trim().trim_matches(['\'', '"']));
            let Ok(target_text) = std::fs::read_to_string(&target) else {
                problems.push(format!("{name}: imports from {from}, which does not exist"));
                continue;
            };
            let exported = exports_of(&target_text);
            for imported in names.split(',').map(|n| n.split(" as ").next().unwrap_or(n).trim()).filter(|n| !n.is_empty()) {
                if !exported.contains(imported) {
                    problems.push(format!("{name}: imports {imported} from {from}, which does not export it"));
                }
            }
        }
        if !name.ends_with("ui/js/api.js") && text.contains("invoke(") {
            problems.push(format!("{name}: calls invoke; only ui/js/api.js may"));
        }
        for html in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"] {
            if text.contains(html) {
                problems.push(format!("{name}: uses {html}; text from customers is rendered as text"));
            }
        }
    }
    assert!(modules.len() > 10, "the page's modules were found: {modules:?}");
    assert!(problems.is_empty(), "{problems:#?}");
}
