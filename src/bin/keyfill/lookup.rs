//! `keyfill match` and `keyfill search`: which items of an export belong to a URL, and what a
//! search finds, best first, one id per line.

use keyfill::matching::{MatchIndex, MatchSettings, UriMatch};
use keyfill::search::{Filters, SearchIndex};
use keyfill::vault::entries::{epoch_seconds, folder_names, match_item, search_entry};
use keyfill::vault::{export, Vault};

use crate::args::Args;
use crate::{bad_input, read_file, write_stdout, Failure};

fn load_vault(path: &str) -> Result<Vault, Failure> {
    let (vault, bad) = export::parse_json_export(&read_file(path)?)?;
    for i in bad {
        eprintln!("keyfill: warning: item {i} of {path} could not be read and was skipped");
    }
    Ok(vault)
}

pub fn run_match(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        raw,
        &["vault", "url", "default-match", "equivalent-domains"],
    )
    .map_err(bad_input)?;
    if let Some(extra) = args.positional.first() {
        return Err(bad_input(format!("unexpected argument {extra:?}")));
    }
    let vault = load_vault(args.require("vault").map_err(bad_input)?)?;
    let url = args.require("url").map_err(bad_input)?;
    let default = match args.get("default-match") {
        None => UriMatch::Domain,
        Some(name) => UriMatch::from_name(name).ok_or_else(|| {
            bad_input(format!(
                "--default-match {name:?}: use domain, host, starts_with, exact, regex or never"
            ))
        })?,
    };
    let domains = match args.get("equivalent-domains") {
        None => serde_json::Value::Null,
        Some(path) => serde_json::from_str(&read_file(path)?)
            .map_err(|e| bad_input(format!("{path} is not JSON (line {})", e.line())))?,
    };
    let settings = MatchSettings::from_domains_json(default, &domains);
    let items = vault
        .ciphers
        .iter()
        .filter_map(|c| match_item(c, epoch_seconds(c.revision_date.as_deref().unwrap_or(""))));
    let index = MatchIndex::build(items, settings);
    let ids: Vec<String> = index
        .candidates_for(url)
        .into_iter()
        .map(|c| c.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    write_stdout(&ids.join("\n"))
}

pub fn run_search(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["vault"]).map_err(bad_input)?;
    let query = match args.positional.as_slice() {
        [q] => q.as_str(),
        [] => return Err(bad_input("search needs a QUERY")),
        _ => {
            return Err(bad_input(
                "search takes one QUERY (quote it if it has spaces)",
            ))
        }
    };
    let vault = load_vault(args.require("vault").map_err(bad_input)?)?;
    let folders = folder_names(&vault.folders);
    let index = SearchIndex::build(
        vault
            .ciphers
            .iter()
            .map(|c| search_entry(c, &folders, false)),
    );
    let ids: Vec<&str> = index
        .search(query, &Filters::default())
        .into_iter()
        .map(|s| s.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    write_stdout(&ids.join("\n"))
}
