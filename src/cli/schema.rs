//! `align schema data|config`: JSON Schemas for editors without align's server.

use crate::model::json_schema::{config_schema, data_schema};
use clap::{Args, ValueEnum};

/// Arguments of `align schema`.
#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Which schema: `data` (segments, needs, evidence, ... files) or `config` (align.yaml).
    #[arg(value_enum)]
    pub(crate) which: Which,
}

/// The schemas align can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Which {
    /// The data files.
    Data,
    /// `align.yaml`.
    Config,
}

/// Prints the schema as JSON.
pub(crate) fn run(args: &SchemaArgs) -> u8 {
    let schema = match args.which {
        Which::Data => data_schema(),
        Which::Config => {
            let loaded = super::rules::load_rules(&[], None);
            let rules: Vec<(String, String)> = loaded
                .rules
                .rules
                .iter()
                .filter(|r| r.builtin)
                .map(|r| (r.id.clone(), r.summary.clone()))
                .collect();
            let packs: Vec<String> = loaded
                .rules
                .packs()
                .into_iter()
                .filter(|p| {
                    crate::rules::BUILTIN_PACKS
                        .iter()
                        .any(|(f, _)| f.trim_end_matches(".align") == *p)
                })
                .map(str::to_owned)
                .collect();
            config_schema(&rules, &packs, crate::project::pages::PAGE_OWN)
        }
    };
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => {
            println!("{text}");
            super::EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("error: could not print the schema: {e}");
            super::EXIT_UNUSABLE
        }
    }
}
