//! Dispatch: turns parsed arguments into library calls and prints what they return.
//! Data goes to stdout; errors are returned for `main` to print as `FAILED: ...`.

use std::io::Write as _;

use crate::commands::create::{self, RevisionRequest};
use crate::commands::{inspect, offline, online, Error, Project};

use super::verify::load_options;
use super::{Cli, Command, Format, GlobalArgs};

/// Runs one command; `Ok(code)` is the exit code of a command that ran.
pub fn run(cli: Cli) -> Result<i32, Error> {
    let json = cli.global.format == Format::Json;
    match cli.command {
        Command::Init { directory } => {
            for path in create::init(&directory)? {
                println!("Creating {} ...  done", path.display());
            }
            Ok(0)
        }
        Command::Revision(args) => {
            let project = project(&cli.global)?;
            let req = RevisionRequest {
                message: args.message,
                rev_id: args.rev_id,
                head: args.head,
                splice: args.splice,
                branch_label: args.branch_label,
                depends_on: args.depends_on,
                version_path: args.version_path,
            };
            let path = create::revision(project, &req)?;
            println!("Generating {} ...  done", path.display());
            Ok(0)
        }
        Command::Merge {
            revisions,
            message,
            branch_label,
            rev_id,
        } => {
            let project = project(&cli.global)?;
            let req = RevisionRequest {
                message,
                rev_id,
                branch_label,
                ..RevisionRequest::default()
            };
            let path = create::merge(project, &revisions, &req)?;
            println!("Generating {} ...  done", path.display());
            Ok(0)
        }
        Command::Upgrade {
            revision,
            sql,
            strict,
            resume,
        } => {
            let project = project(&cli.global)?;
            if sql {
                print_sql(block_on(offline::upgrade(project, &revision))?);
            } else {
                block_on(online::upgrade(project, &revision, strict, resume))?;
            }
            Ok(0)
        }
        Command::Downgrade { revision, sql } => {
            let project = project(&cli.global)?;
            if sql {
                print_sql(block_on(offline::downgrade(project, &revision))?);
            } else {
                block_on(online::downgrade(project, &revision))?;
            }
            Ok(0)
        }
        Command::Stamp {
            revisions,
            sql,
            purge,
        } => {
            let project = project(&cli.global)?;
            if sql {
                print_sql(block_on(offline::stamp(project, &revisions, purge))?);
            } else {
                block_on(online::stamp(project, &revisions, purge))?;
            }
            Ok(0)
        }
        Command::Current {
            verbose,
            check_heads,
        } => {
            let project = project(&cli.global)?;
            print(&block_on(online::current(
                project,
                verbose,
                check_heads,
                json,
            ))?);
            Ok(0)
        }
        Command::EnsureVersion { sql } => {
            let project = project(&cli.global)?;
            if sql {
                print(&offline::ensure_version(project)?);
            } else {
                block_on(online::ensure_version(project))?;
            }
            Ok(0)
        }
        Command::Check => {
            let project = project(&cli.global)?;
            let problems = block_on(online::check(project))?;
            if json {
                print(&inspect::check_json(&problems));
            }
            if problems.is_empty() {
                if json {
                    return Ok(0);
                }
                print("OK: at the heads, applied revisions unchanged, naming conventions hold\n");
                Ok(0)
            } else {
                Err(Error::CheckFailed(problems))
            }
        }
        Command::Status(args) => {
            let project = project(&cli.global)?;
            let (text, code) = super::online::run_status(project, &args, json)?;
            print(&text);
            Ok(code)
        }
        Command::Resolve(args) => {
            let project = project(&cli.global)?;
            print(&super::online::run_resolve(project, &args)?);
            Ok(0)
        }
        Command::Accept { revision, reason } => {
            let project = project(&cli.global)?;
            print(&block_on(online::accept(project, &revision, &reason))?);
            Ok(0)
        }
        Command::History {
            rev_range,
            verbose,
            indicate_current,
        } => {
            let project = project(&cli.global)?;
            let needs = inspect::history_needs(rev_range.as_deref(), indicate_current)?;
            let rows = if needs.rows {
                block_on(online::current_rows(project))?
            } else {
                vec![]
            };
            print(&inspect::history(
                &project.map,
                rev_range.as_deref(),
                verbose,
                &rows,
                needs,
                json,
            )?);
            Ok(0)
        }
        Command::Heads {
            verbose,
            resolve_dependencies,
        } => {
            let project = project(&cli.global)?;
            print(&inspect::heads(
                &project.map,
                verbose,
                resolve_dependencies,
                json,
            ));
            Ok(0)
        }
        Command::Branches { verbose } => {
            let project = project(&cli.global)?;
            print(&inspect::branches(&project.map, verbose, json)?);
            Ok(0)
        }
        Command::Runbook(args) => super::runbook::run(&cli.global, args),
        Command::Show { revision } => {
            let project = project(&cli.global)?;
            print(&inspect::show(&project.map, &revision, json)?);
            Ok(0)
        }
        Command::Roundtrip(args) => super::verify::roundtrip(&cli.global, args),
        Command::Snapshot(args) => super::verify::snapshot(&cli.global, args),
        Command::Drift(args) => super::drift::drift(&cli.global, args),
        Command::Baseline(args) => super::baseline::baseline(&cli.global, args),
        Command::Diff(args) => super::verify::diff(&cli.global, args),
        Command::Import(source) => super::import::run(&cli.global, source),
        Command::Seed(args) => super::seed::run(&cli.global, args),
        Command::Protect(args) => super::guard::protect(&cli.global, args),
        Command::Unprotect(args) => super::guard::unprotect(&cli.global, args),
        Command::Backup(args) => super::backup::run(&cli.global, args),
        Command::Reset(args) => super::reset::run(&cli.global, args),
    }
}

/// The project, loaded once per process and never freed: the process exits right
/// after the command, and the OS takes the memory back at once, where dropping every
/// revision of a large history (a few allocations each) would cost milliseconds.
pub(super) fn project(global: &GlobalArgs) -> Result<&'static Project, Error> {
    let project = Project::load(&load_options(global)?)?;
    Ok(Box::leak(Box::new(project)))
}

/// Prints `--sql` output. The plan behind it is not freed, like the project: the
/// process ends next.
fn print_sql(rendered: offline::Rendered) {
    print(&rendered.sql);
    std::mem::forget(rendered.plan);
}

pub(super) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`mig history | head`) is not an error worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Online commands stop cleanly on SIGINT/SIGTERM (see [`super::online::block_online`]).
pub(super) fn block_on<T>(
    fut: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    super::online::block_online(fut)
}
