//! The import graph between top-level modules, read from the sources as anyone would
//! draw it: every `crate::X` path (in `use` lines and inline) and every `super::` chain
//! that climbs to the crate root, outside comments. Test code (`tests.rs` files and what
//! follows `#[cfg(test)]`) may reach across and is left out. There must be no circle,
//! and `domain` must import nothing of ours. The same holds one level down, between the
//! sub-modules of `rules` and of `conversation::extract`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file below `src`: `transport/telegram/polling.rs` is
/// `["transport", "telegram", "polling"]`; `mod.rs` names its directory.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let mut kept = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if line.starts_with("//") {
            continue;
        }
        let line = line.split(" // ").next().unwrap_or(line);
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

fn ident_at(text: &str) -> String {
    text.chars()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The top-level modules a piece of code names through `crate::`, including each
/// member of a `crate::{a, b::c}` group.
fn crate_targets(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        found.extend(named_after(&code[i + "crate::".len()..]));
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

/// Every `super::` chain in `code`: how many levels it climbs, and what follows it.
fn super_chains(code: &str) -> Vec<(usize, &str)> {
    let mut chains = Vec::new();
    for (i, _) in code.match_indices("super::") {
        if i > 0 && code[..i].ends_with("super::") {
            continue; // counted from the first `super` of the chain
        }
        let mut rest = &code[i..];
        let mut depth = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            depth += 1;
            rest = r;
        }
        chains.push((depth, rest));
    }
    chains
}

/// The top-level modules reached by `super::` chains that climb to the crate root.
fn super_targets(code: &str, module: &[String]) -> BTreeSet<String> {
    super_chains(code)
        .into_iter()
        .filter(|(depth, _)| *depth == module.len())
        .map(|(_, rest)| ident_at(rest))
        .collect()
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("below src");
        let module = module_of(relative);
        let top = module[0].clone();
        if top == "lib" || top == "main" || module.last().is_some_and(|m| m == "tests") {
            continue;
        }
        let code = code(&std::fs::read_to_string(&file).expect("readable"));
        let edges = graph.entry(top.clone()).or_default();
        for target in crate_targets(&code)
            .into_iter()
            .chain(super_targets(&code, &module))
        {
            if target != top {
                edges.insert(target);
            }
        }
    }
    graph
}

/// A circle through `from`, if any, as the list of modules on it.
fn circle(
    graph: &Graph,
    from: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|m| m == from) {
        let mut found = path[at..].to_vec();
        found.push(from.to_string());
        return Some(found);
    }
    if !done.insert(from.to_string()) {
        return None;
    }
    path.push(from.to_string());
    for next in graph.get(from).into_iter().flatten() {
        if let Some(found) = circle(graph, next, path, done) {
            return Some(found);
        }
    }
    path.pop();
    None
}

#[test]
fn top_level_modules_import_each_other_without_a_circle() {
    let graph = graph();
    assert!(graph.len() >= 10, "modules read: {graph:?}");
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        let found = circle(&graph, module, &mut Vec::new(), &mut done);
        assert!(
            found.is_none(),
            "import circle {:?} in {graph:#?}",
            found.unwrap_or_default()
        );
    }
}

#[test]
fn the_domain_module_imports_nothing_of_ours() {
    let graph = graph();
    assert_eq!(
        graph.get("domain").map(BTreeSet::len),
        Some(0),
        "{graph:#?}"
    );
}

/// The names a path continues with: `x` in `x::y`, or each member of a `{a, b::c}` group.
fn named_after(rest: &str) -> Vec<String> {
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident_at(rest)];
    };
    let mut found = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (j, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                found.push(ident_at(&group[start..j]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                found.push(ident_at(&group[start..j]));
                start = j + 1;
            }
            _ => {}
        }
    }
    found
}

/// The graph between the sub-modules of `parent` (e.g. `["rules"]`): an edge for every
/// `crate::parent::X` path and every `super::` chain that climbs to `parent`, where `X`
/// is a sibling sub-module (items re-exported by `parent` are not followed).
fn sub_graph(parent: &[&str]) -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src.join(parent.join("/")), &mut files);
    let prefix = format!("crate::{}::", parent.join("::"));
    let mut read = Vec::new();
    for file in files {
        let module = module_of(file.strip_prefix(&src).expect("below src"));
        if module.len() <= parent.len() || module.last().is_some_and(|m| m == "tests") {
            continue;
        }
        read.push((
            module,
            code(&std::fs::read_to_string(&file).expect("readable")),
        ));
    }
    let children: BTreeSet<String> = read.iter().map(|(m, _)| m[parent.len()].clone()).collect();
    let mut graph = Graph::new();
    for (module, code) in &read {
        let child = module[parent.len()].clone();
        let mut targets: Vec<String> = code
            .match_indices(&prefix)
            .flat_map(|(i, _)| named_after(&code[i + prefix.len()..]))
            .collect();
        for (depth, rest) in super_chains(code) {
            if module.len().checked_sub(depth) == Some(parent.len()) {
                targets.extend(named_after(rest));
            }
        }
        let edges = graph.entry(child.clone()).or_default();
        edges.extend(
            targets
                .into_iter()
                .filter(|t| *t != child && children.contains(t)),
        );
    }
    graph
}

#[test]
fn sub_modules_of_rules_and_extract_import_each_other_without_a_circle() {
    for parent in [&["rules"][..], &["conversation", "extract"]] {
        let graph = sub_graph(parent);
        assert!(graph.len() >= 4, "{parent:?}: modules read: {graph:?}");
        // The edges that remain are seen (status uses fees; the date readers use the
        // shared day pieces), so a circle would be too.
        let seen = match parent {
            ["rules"] => ("status", "fees"),
            _ => ("relative", "day"),
        };
        assert!(
            graph.get(seen.0).is_some_and(|e| e.contains(seen.1)),
            "{parent:?}: {seen:?} not seen in {graph:?}"
        );
        let mut done = BTreeSet::new();
        for module in graph.keys() {
            let found = circle(&graph, module, &mut Vec::new(), &mut done);
            assert!(
                found.is_none(),
                "{parent:?}: import circle {:?} in {graph:#?}",
                found.unwrap_or_default()
            );
        }
    }
}

#[test]
fn the_reader_sees_groups_inline_paths_and_super_chains() {
    let code =
        "use crate::{app::App, store::{self, Tx}};\nlet x = crate::rules::hours::is_open(p);";
    let found: Vec<String> = crate_targets(code).into_iter().collect();
    assert_eq!(found, ["app", "rules", "store"]);
    let module = ["transport".to_string(), "telegram".to_string()];
    let found = super_targets("super::super::error::x(); super::TgBot", &module);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["error"]);
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("a".into());
    let found = circle(&graph, "a", &mut Vec::new(), &mut BTreeSet::new());
    assert_eq!(found, Some(vec!["a".into(), "b".into(), "a".into()]));
    assert_eq!(named_after("{fees::{fees, X}, Phase}"), ["fees", "Phase"]);
    assert_eq!(named_after("status::Phase"), ["status"]);
}
