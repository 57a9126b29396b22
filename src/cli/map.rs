//! `align map`: load and check as `align check` does, then draw the alignment map as an HTML
//! page, a Mermaid flowchart or a Graphviz DOT graph.

use super::{EXIT_CLEAN, EXIT_UNUSABLE};
use crate::date::{Date, parse_date};
use crate::map::{self, DEFAULT_MAX_NODES, MapOptions};
use crate::project::{LoadOptions, Workspace, display_path};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Arguments of `align map`.
#[derive(Debug, Args)]
pub(crate) struct MapArgs {
    /// Files and folders to map.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// The file to write (default: standard output). Never one align read.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// html (a self-contained page), mermaid or dot. Default: from the output file's
    /// extension (.mmd/.md → mermaid, .dot/.gv → dot), else html.
    #[arg(long, value_enum)]
    pub(crate) format: Option<MapFormat>,
    /// Only this segment: its needs, their evidence and features, its propositions and
    /// their messages.
    #[arg(long, value_name = "ID")]
    pub(crate) segment: Option<String>,
    /// The most entities the page's graph draws at once (above it the page asks for a
    /// segment, an entity or a search first), and DOT writes as one graph (above it, one
    /// graph per segment).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NODES)]
    pub(crate) max_nodes: usize,
    /// A folder (or file) of your own `.align` rules; may be repeated.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,
    /// The configuration file (default: align.yaml in the mapped folder).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Map files that `.gitignore` (or `.ignore`) leaves out too.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// The date `today` stands for, YYYY-MM-DD (for reproducible runs).
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub(crate) today: Option<Date>,
}

/// The formats of `align map`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MapFormat {
    /// One self-contained HTML page: the map, coverage tables, headline figures, findings.
    Html,
    /// A Mermaid flowchart (GitHub and GitLab draw it in Markdown).
    Mermaid,
    /// A Graphviz DOT graph.
    Dot,
}

fn parse_today(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}

/// The format an output file's extension asks for.
fn format_for(path: &Path) -> Option<MapFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => Some(MapFormat::Html),
        "mmd" | "mermaid" | "md" | "markdown" => Some(MapFormat::Mermaid),
        "dot" | "gv" => Some(MapFormat::Dot),
        _ => None,
    }
}

/// Whether `path` is a Markdown file (Mermaid is then wrapped in a fenced block).
fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Runs `align map`.
pub(crate) fn run(args: &MapArgs) -> u8 {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(format_for))
        .unwrap_or(MapFormat::Html);
    if format == MapFormat::Html && args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!(
            "align map: the HTML page is meant for a browser, not a terminal; write it to a \
             file with -o map.html (or pipe it), or use --format mermaid or --format dot"
        );
        return EXIT_UNUSABLE;
    }
    if args.max_nodes == 0 {
        eprintln!("align map: --max-nodes must be at least 1");
        return EXIT_UNUSABLE;
    }

    let progress = super::progress::Progress::start("Mapping");
    let ws = Workspace::load(&LoadOptions {
        paths: args.paths.clone(),
        config: args.config.clone(),
        rules_dirs: args.rules.clone(),
        today: args.today,
        select: Vec::new(),
        ignore: Vec::new(),
        // An empty map is a fine start for a new project; only the gate fails on nothing.
        allow_empty: true,
        no_ignore: args.no_ignore,
    });
    let findings = ws.check();
    drop(progress);
    if ws.unusable {
        eprintln!(
            "align map: some input could not be used, so the map may be incomplete; its \
             Findings list what went wrong (`align check` shows them in full):"
        );
        for f in findings.iter().filter(|f| f.rule.starts_with("load/")) {
            eprintln!("  {}", f.message);
        }
    }

    let opts = MapOptions {
        segment: args.segment.clone(),
        max_nodes: args.max_nodes,
        title: title(&args.paths),
    };
    let drawn = match map::build(&ws, &findings, &opts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("align map: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let markdown = args.output.as_deref().is_some_and(is_markdown);
    let text = match format {
        MapFormat::Html => map::html::render(&drawn),
        MapFormat::Mermaid if markdown => map::mermaid::render_markdown(&drawn),
        MapFormat::Mermaid => map::mermaid::render(&drawn),
        MapFormat::Dot => map::dot::render(&drawn),
    };

    let status = if ws.unusable {
        EXIT_UNUSABLE
    } else {
        EXIT_CLEAN
    };
    match &args.output {
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`align map --format dot | head`) is not an error worth reporting.
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            status
        }
        Some(path) => {
            if let Err(why) = writable(path, &ws) {
                eprintln!("align map: will not write {}: {why}", path.display());
                return EXIT_UNUSABLE;
            }
            match std::fs::write(path, text.as_bytes()) {
                Ok(()) => {
                    let total = drawn.total();
                    eprintln!(
                        "Wrote the alignment map of {} {} to {}.",
                        map::thousands(total),
                        if total == 1 { "entity" } else { "entities" },
                        path.display()
                    );
                    status
                }
                Err(e) => {
                    eprintln!("align map: could not write {}: {e}", path.display());
                    EXIT_UNUSABLE
                }
            }
        }
    }
}

/// What the page calls the mapped project: the paths given, or the current folder's name.
fn title(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths
        .iter()
        .map(|p| display_path(p).display().to_string())
        .filter(|p| !p.is_empty() && p != ".")
        .collect();
    if shown.is_empty() {
        std::env::current_dir()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| String::from("this folder"))
    } else {
        shown.join(", ")
    }
}

/// Refuses a folder, and any file align read in this run (data, rules, configuration).
fn writable(path: &Path, ws: &Workspace) -> Result<(), String> {
    if path.is_dir() {
        return Err("it is a folder; name a file, such as map.html".to_owned());
    }
    let Ok(target) = path.canonicalize() else {
        // It does not exist yet, so align cannot have read it.
        return Ok(());
    };
    for (_, file) in ws.sources.iter() {
        if file.path.canonicalize().ok().as_ref() == Some(&target) {
            return Err(
                "align read it as input, and never overwrites its input; choose another file"
                    .to_owned(),
            );
        }
    }
    Ok(())
}
