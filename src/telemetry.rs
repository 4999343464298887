//! Structured logs through `tracing`: text for people, JSON for collectors.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Settings};

/// Installs the global subscriber. Safe to call more than once (tests):
/// later calls keep the first subscriber.
pub fn init(settings: &Settings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.log)
        .map_err(|e| anyhow::anyhow!("invalid log filter {:?}: {e}", settings.log))?;
    // Colours for a person at a terminal; a file, a pipe or a container log
    // gets plain text (and `NO_COLOR` is honoured everywhere).
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colour);
    let installed = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // Already installed: keep the first one.
    drop(installed);
    Ok(())
}
