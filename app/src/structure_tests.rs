//! The shape ARCHITECTURE.md promises, checked from the source: no module of `app` or of
//! the server imports a module that imports it (directly or round a longer circle). A module
//! is a file; a folder module's files are part of it for the imports they make of it
//! (`super::`), and a parent's declarations and re-exports of its children are not imports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src`, with its module path (`""` for the crate root).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(src).expect("under src").with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (parts.join("::"), f)
        })
        .collect()
}

/// The modules a file's code names: `crate::a::b::…` and `super::…` paths (with `{…}` groups),
/// each resolved to the longest module prefix that exists.
fn imports(
    module: &str,
    text: &str,
    known: &BTreeMap<String, PathBuf>,
    reexports: &BTreeMap<(String, String), String>,
) -> BTreeSet<String> {
    let resolve = |segments: &[String]| -> Option<String> {
        let n = (1..=segments.len())
            .rev()
            .find(|n| known.contains_key(&segments[..*n].join("::")))?;
        let m = segments[..n].join("::");
        // An item a module re-exports from its child is the child's.
        Some(match segments.get(n) {
            Some(item) => reexports
                .get(&(m.clone(), item.clone()))
                .cloned()
                .unwrap_or(m),
            None => m,
        })
    };
    let parent: Vec<String> = {
        let mut p: Vec<String> = module.split("::").map(str::to_string).collect();
        p.pop();
        p
    };
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (start, base) in [
            ("crate::", Vec::<String>::new()),
            ("super::", parent.clone()),
        ] {
            let mut rest = code;
            while let Some(at) = rest.find(start) {
                // `crate::` inside an identifier such as `app::crate::` cannot occur; skip `$crate`.
                let before = rest[..at].chars().last();
                rest = &rest[at + start.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                    continue;
                }
                let mut path = base.clone();
                let mut tail = rest;
                loop {
                    let ident: String = tail
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if ident.is_empty() {
                        break;
                    }
                    tail = &tail[ident.len()..];
                    path.push(ident);
                    match tail.strip_prefix("::") {
                        Some(t) => tail = t,
                        None => break,
                    }
                }
                if let Some(group) = tail.strip_prefix('{') {
                    // `crate::{a, b::c}`: each item of the group.
                    for item in group.split(['}', ',']).map(str::trim) {
                        let mut p = path.clone();
                        p.extend(item.split("::").map(|s| s.trim().to_string()).filter(|s| {
                            !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
                        }));
                        if let Some(m) = resolve(&p) {
                            out.insert(m);
                        }
                    }
                } else if let Some(m) = resolve(&path) {
                    out.insert(m);
                }
            }
        }
    }
    // A module's own children (declared or re-exported by it) are not imports of it.
    out.retain(|m| {
        m != module
            && !(m.starts_with(module)
                && (module.is_empty() || m[module.len()..].starts_with("::")))
    });
    out
}

/// The circles of the graph (strongly connected sets of more than one module).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for n in graph.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut placed = BTreeSet::new();
    for m in graph.keys() {
        if placed.contains(m) || !reachable[m].contains(m) {
            continue;
        }
        let circle: Vec<String> = graph
            .keys()
            .filter(|n| reachable[m].contains(*n) && reachable[*n].contains(m))
            .cloned()
            .collect();
        placed.extend(circle.iter().cloned());
        out.push(circle);
    }
    out
}

/// Items a module re-exports from one of its children (`pub use child::{a, b};`):
/// (module, item) -> the child.
fn reexports_of(known: &BTreeMap<String, PathBuf>) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for (m, f) in known {
        let text = std::fs::read_to_string(f).expect("a source file");
        // Join each `pub use` statement onto one line.
        for stmt in text.split(';') {
            let Some(rest) = stmt.trim_start().strip_prefix("pub use ") else {
                continue;
            };
            let rest: String = rest.split_whitespace().collect();
            let (path, items) = match rest.split_once("::{") {
                Some((p, i)) => (p.to_string(), i.trim_end_matches('}').to_string()),
                None => match rest.rsplit_once("::") {
                    Some((p, i)) => (p.to_string(), i.to_string()),
                    None => continue,
                },
            };
            let child = if m.is_empty() {
                path.clone()
            } else {
                format!("{m}::{path}")
            };
            if !known.contains_key(&child) {
                continue;
            }
            for item in items.split(',').filter(|i| !i.is_empty() && *i != "*") {
                let name = item.split("as").last().unwrap_or(item).to_string();
                out.insert((m.clone(), name), child.clone());
            }
        }
    }
    out
}

fn graph_of(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(src);
    let reexports = reexports_of(&known);
    known
        .iter()
        .map(|(m, f)| {
            let text = std::fs::read_to_string(f).expect("a source file");
            (m.clone(), imports(m, &text, &known, &reexports))
        })
        .collect()
}

#[test]
fn no_module_imports_a_module_that_imports_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in [root.join("src"), root.join("../server/src")] {
        let found = circles(&graph_of(&src));
        assert!(
            found.is_empty(),
            "import circles under {}: {found:?}",
            src.display()
        );
    }
}

#[test]
fn the_check_finds_a_circle_and_reads_groups_and_super() {
    let known: BTreeMap<String, PathBuf> = ["", "a", "b", "c", "c::d"]
        .iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    let none = BTreeMap::new();
    assert_eq!(
        imports(
            "a",
            "use crate::{b, c::d::Thing};\n// crate::c",
            &known,
            &none
        ),
        ["b", "c::d"].iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        imports("c::d", "use super::helper; use crate::c::X;", &known, &none),
        ["c"].iter().map(|s| s.to_string()).collect()
    );
    // A parent naming its own child is a declaration, not an import.
    assert!(imports("c", "pub use crate::c::d::Y;", &known, &none).is_empty());
    // An item re-exported by a parent from its child is an import of the child.
    let through = BTreeMap::from([(("c".to_string(), "Z".to_string()), "c::d".to_string())]);
    assert_eq!(
        imports("a", "use crate::c::Z;", &known, &through),
        ["c::d"].iter().map(|s| s.to_string()).collect()
    );
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        circles(&g),
        vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]
    );
}

#[test]
fn pages_and_routes_never_touch_the_database() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let pages = modules(&root.join("src/ui"))
        .into_iter()
        .map(|(m, f)| (format!("ui::{m}"), f));
    let routes = modules(&root.join("../server/src/routes"))
        .into_iter()
        .map(|(m, f)| (format!("server routes::{m}"), f));
    for (m, f) in pages.chain(routes) {
        let text = std::fs::read_to_string(&f).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("db::") {
                found.push(format!("{m} line {}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "pages and routes read through services, never `db`:\n{}",
        found.join("\n")
    );
}
