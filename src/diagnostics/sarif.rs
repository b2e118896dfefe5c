//! SARIF 2.1.0 (the OASIS standard GitHub code scanning and other CI systems read): one
//! run whose driver is mig with every rule of the command, one result per finding with
//! its rule, level, message and, where there is one, the file (a URI relative to the
//! project directory, resolved through `originalUriBaseIds`) and line. Pure.

use std::path::Path;

use serde::Serialize;

use super::{Diagnostics, Level, Location};

/// The SARIF 2.1.0 schema, as the standard publishes it.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id of locations relative to the project directory.
const PROJECT_ROOT: &str = "PROJECTROOT";

/// The findings as a SARIF 2.1.0 log (pretty JSON, trailing newline).
pub fn render(findings: &Diagnostics) -> String {
    let results = findings
        .findings
        .iter()
        .map(|f| SarifResult {
            rule_id: f.rule,
            rule_index: findings.rule(f.rule).map(|(i, _)| i),
            level: level(f.level),
            message: Text {
                text: f.message.clone(),
            },
            locations: f.location.iter().map(location).collect(),
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "mig",
                    full_name: format!("mig {}", findings.command),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: findings
                        .rules
                        .iter()
                        .map(|r| Descriptor {
                            id: r.id,
                            name: r.name,
                            short_description: Text {
                                text: r.summary.to_string(),
                            },
                            full_description: Text {
                                text: r.help.to_string(),
                            },
                            default_configuration: Configuration {
                                level: level(r.level),
                            },
                        })
                        .collect(),
                },
            },
            automation_details: Automation {
                id: format!("mig/{}/", findings.command),
            },
            original_uri_base_ids: [(
                PROJECT_ROOT,
                Artifact {
                    uri: directory_uri(&findings.base),
                    uri_base_id: None,
                },
            )]
            .into_iter()
            .collect(),
            results,
        }],
    };
    crate::json::pretty(&log)
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Note => "note",
    }
}

fn location(at: &Location) -> SarifLocation {
    let artifact = if at.path.is_absolute() {
        Artifact {
            uri: format!("file://{}", encode(&at.path)),
            uri_base_id: None,
        }
    } else {
        let mut uri = encode(&at.path);
        // A first segment with `:` would read as a URI scheme.
        if uri.split('/').next().is_some_and(|s| s.contains(':')) {
            uri.insert_str(0, "./");
        }
        Artifact {
            uri,
            uri_base_id: Some(PROJECT_ROOT),
        }
    };
    SarifLocation {
        physical_location: Physical {
            artifact_location: artifact,
            region: at.line.map(|line| Region { start_line: line }),
        },
    }
}

/// `file:///abs/dir/` for the project directory (a base URI ends with `/`).
fn directory_uri(dir: &Path) -> String {
    let mut uri = format!("file://{}", encode(dir));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// A path as a URI path: `/`-separated, percent-encoded but for unreserved bytes, `/`
/// and `:`.
fn encode(path: &Path) -> String {
    let text: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = match text.first().map(String::as_str) {
        Some("/") => format!("/{}", text.get(1..).unwrap_or_default().join("/")),
        _ => text.join("/"),
    };
    crate::url::encode_path(&joined)
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: Automation,
    original_uri_base_ids: std::collections::BTreeMap<&'static str, Artifact>,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: String,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Automation {
    id: String,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[cfg(test)]
mod tests;
