//! Tidy: the architecture rules ARCHITECTURE.md states, enforced on the workspace as it is.
//!
//! - the core and the engines never reach tokio, sqlx, axum or clap, even transitively;
//! - engines depend on the core, never on each other or on the app, storage, server or CLI;
//! - every Rust source file opens with a `//!` line saying what it is for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, PackageId};

/// Crates that must stay free of I/O frameworks.
const PURE: &[&str] = &[
    "guarantor-core",
    "guarantor-sourcing",
    "guarantor-rotation",
    "guarantor-movement",
    "guarantor-monitor",
    "guarantor-render",
    "guarantor-response",
    "guarantor-cost",
];
/// Engines: siblings that share the core and nothing else of ours.
const ENGINES: &[&str] = &[
    "guarantor-sourcing",
    "guarantor-rotation",
    "guarantor-movement",
    "guarantor-monitor",
    "guarantor-render",
    "guarantor-response",
    "guarantor-cost",
];
/// What pure crates must never reach.
const BANNED: &[&str] = &[
    "tokio", "sqlx", "axum", "clap", "hyper", "reqwest", "rusqlite",
];

fn metadata() -> Metadata {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    MetadataCommand::new()
        .current_dir(&root)
        .exec()
        .expect("cargo metadata runs")
}

/// Every package a package reaches through normal (non-dev, non-build) dependencies.
fn reach(meta: &Metadata, start: &PackageId) -> BTreeSet<String> {
    let resolve = meta.resolve.as_ref().expect("metadata has a resolve graph");
    let nodes: BTreeMap<&PackageId, &cargo_metadata::Node> =
        resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let names: BTreeMap<&PackageId, &str> = meta
        .packages
        .iter()
        .map(|p| (&p.id, p.name.as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    let mut out = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in &nodes[id].deps {
            if dep
                .dep_kinds
                .iter()
                .any(|k| k.kind == DependencyKind::Normal)
            {
                out.insert(names[&dep.pkg].to_owned());
                stack.push(&dep.pkg);
            }
        }
    }
    out
}

#[test]
fn pure_crates_never_reach_io_frameworks() {
    let meta = metadata();
    let mut problems = Vec::new();
    for package in meta.workspace_packages() {
        if !PURE.contains(&package.name.as_str()) {
            continue;
        }
        let reached = reach(&meta, &package.id);
        for banned in BANNED {
            if reached.contains(*banned) {
                problems.push(format!("{} reaches {banned}", package.name));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "architecture rule broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn engines_depend_on_the_core_only() {
    let meta = metadata();
    let ours: BTreeSet<String> = meta
        .workspace_packages()
        .iter()
        .map(|p| p.name.to_string())
        .collect();
    let mut problems = Vec::new();
    for package in meta.workspace_packages() {
        let name = package.name.as_str();
        if !ENGINES.contains(&name) && name != "guarantor-core" {
            continue;
        }
        for dep in &package.dependencies {
            if dep.kind == DependencyKind::Normal
                && ours.contains(&dep.name)
                && dep.name != "guarantor-core"
            {
                problems.push(format!("{name} depends on {}", dep.name));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "engines are siblings:\n{}",
        problems.join("\n")
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "target" || n == "snapshots")
            {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_says_what_it_is_for() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&crates, &mut files);
    assert!(files.len() > 10, "found the sources");
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` line:\n{}",
        missing.join("\n")
    );
}
