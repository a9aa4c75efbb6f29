//! The glue behind each command: load the configuration, open what the command needs, run it,
//! print the outcome. Kept apart from `main.rs` so the binary stays thin and tests can call it.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

use crate::cli::{CatalogueCommand, Cli, Command, PublishArgs, UserCommand};
use crate::config::Config;
use crate::lake::{Access, Lake, S3Credentials, s3};
use crate::publish::plan::{group_thousands, human_bytes};
use crate::publish::{PublishError, PublishOptions, Publisher, progress};

/// The exit code of a publish stopped by Ctrl-C, as shells report a SIGINT.
const EXIT_INTERRUPTED: u8 = 130;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Sample { path } => {
            let config = Config::load(cli.config.as_deref())?;
            crate::sample::create(&path, config.extension_directory().as_deref())?;
            println!("wrote the sample source {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Add { name, iterations }) => {
            let password = crate::users::read_password(&name)?;
            let verifier = crate::users::Verifier::generate(&password, iterations as usize);
            println!("# add under [users] in the config file:");
            println!("{} = \"{verifier}\"", toml_key(&name));
            Ok(ExitCode::SUCCESS)
        }
        Command::Publish(args) => {
            let config = Config::load(cli.config.as_deref())?;
            publish(&config, args)
        }
        Command::Serve => {
            let config = Config::load(cli.config.as_deref())?;
            config.validate_for_serve()?;
            let runtime = runtime()?;
            runtime.block_on(crate::server::run(config))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalogue(command) => {
            let config = Config::load(cli.config.as_deref())?;
            catalogue(&config, command)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Credentials for S3, when the configuration uses it.
pub async fn s3_credentials(config: &Config) -> anyhow::Result<Option<S3Credentials>> {
    if !config.uses_s3() {
        return Ok(None);
    }
    let sdk = s3::sdk_config(&config.s3).await;
    Ok(Some(s3::credentials(&sdk).await?))
}

fn publish(config: &Config, args: PublishArgs) -> anyhow::Result<ExitCode> {
    let runtime = runtime()?;
    let creds = runtime.block_on(s3_credentials(config))?;
    let source = config.publish_source(args.source.as_deref())?;
    // A bad [catalogue] datapackage setting fails here, before anything is written.
    crate::catalogue::datapackage::plan(config)?;
    // A dry run must not create a lake where there is none: it plans against an empty one in a
    // temporary folder instead. (An S3 data path is checked for reachability in Lake::open,
    // before a catalogue is created.)
    let scratch = dry_run_scratch(config, args.dry_run)?;
    let lake_config = scratch.as_ref().map(|(c, _)| c).unwrap_or(config);
    let lake = Lake::open(lake_config, Access::ReadWrite, "lake", creds.as_ref())?;
    let options = PublishOptions {
        source: source.clone(),
        tables: args.tables,
        include: config.publish.include.clone(),
        exclude: config.publish.exclude.clone(),
        dry_run: args.dry_run,
        message: args.message,
        author: config
            .publish
            .author
            .clone()
            .unwrap_or_else(|| std::env::var("USER").unwrap_or_else(|_| "lakegate".into())),
        pin_names: config.pins_board()?.is_some(),
    };
    let progress = progress::for_stderr();
    let cancel = Arc::new(AtomicBool::new(false));
    let publisher = Publisher::new(&lake, progress.as_ref(), &cancel)?;
    let interrupter = publisher.interrupter();
    // The lake's own connection plans (content hashes) and writes the pins.
    let own_queries = lake.conn().interrupt_handle();
    {
        let cancel = cancel.clone();
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.store(true, Ordering::SeqCst);
                interrupter.interrupt();
                own_queries.interrupt();
            }
        });
    }
    println!(
        "Publishing {} into the lake {} (data {})",
        source.display(),
        config.catalog()?,
        config.data_path()?
    );
    let outcome = match publisher.run(&options) {
        Ok(o) => o,
        Err(PublishError::Interrupted) => {
            eprintln!("error: {}", PublishError::Interrupted);
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
        Err(e) => return Err(e.into()),
    };
    println!("{}", outcome.plan.render());
    if options.dry_run {
        println!("Dry run: nothing was written.");
        return Ok(ExitCode::SUCCESS);
    }
    match outcome.snapshot_id {
        None => println!(
            "Nothing to publish: all {} tables and views are unchanged; no file was written.",
            outcome.plan.objects.len()
        ),
        Some(id) => {
            let rows: u64 = outcome.written.iter().map(|w| w.rows).sum();
            let bytes: u64 = outcome.written.iter().map(|w| w.bytes).sum();
            println!(
                "Published snapshot {id}: {} tables and views written, {} rows, {} in {:.1} s",
                outcome.written.len(),
                group_thousands(rows),
                human_bytes(bytes),
                outcome.elapsed.as_secs_f64()
            );
        }
    }
    if let Some(board) = config.pins_board()? {
        match crate::pins::sync(&lake, config, &board, &runtime, progress.as_ref(), &cancel) {
            Ok(report) => println!("{report}"),
            Err(e @ crate::pins::PinsError::Interrupted) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::from(EXIT_INTERRUPTED));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(written) = crate::catalogue::datapackage::export(&lake, config, &runtime)? {
        println!("{written}");
    }
    Ok(ExitCode::SUCCESS)
}

/// For a dry run on a lake whose file catalogue does not exist yet: a configuration with the
/// catalogue and data in a new temporary folder (removed when the returned guard drops).
fn dry_run_scratch(
    config: &Config,
    dry_run: bool,
) -> anyhow::Result<Option<(Config, tempfile::TempDir)>> {
    use crate::config::CatalogLocation;
    let missing = match config.catalog()? {
        CatalogLocation::Sqlite(p) | CatalogLocation::DuckDb(p) => !p.exists(),
        CatalogLocation::Postgres(_) => false,
    };
    if !dry_run || !missing {
        return Ok(None);
    }
    let dir = tempfile::Builder::new()
        .prefix("lakegate-dry-run-")
        .tempdir()
        .context("cannot create a temporary folder for the dry run")?;
    let mut scratch = config.clone();
    scratch.lake.catalog = format!("sqlite:{}", dir.path().join("catalog.sqlite").display());
    scratch.lake.data_path = format!("{}/", dir.path().join("data").display());
    Ok(Some((scratch, dir)))
}

fn catalogue(config: &Config, command: CatalogueCommand) -> anyhow::Result<ExitCode> {
    let runtime = runtime()?;
    let creds = runtime.block_on(s3_credentials(config))?;
    let lake = Lake::open(config, Access::ReadOnly, "lake", creds.as_ref())?;
    let out = crate::catalogue::run_command(&lake, command)?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// A user name as a TOML key (bare when it can be).
fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}
