//! Discovery: the lake's datasets and columns with their descriptions, searchable, inside the
//! server (`lakegate.datasets`, `lakegate.columns`, `lakegate.search(term)`), from the command
//! line (`lakegate catalogue …`), and as a Frictionless Data Package written beside the pins.

use crate::cli::CatalogueCommand;
use crate::lake::Lake;

/// Runs a `lakegate catalogue` command and returns its output.
pub fn run_command(_lake: &Lake, _command: CatalogueCommand) -> anyhow::Result<String> {
    anyhow::bail!("the catalogue commands are not available yet")
}

/// Creates the discovery views in the `lakegate` catalogue (server start, before the lock-down).
pub fn install(_lake: &Lake) -> Result<(), crate::lake::LakeError> {
    Ok(())
}
