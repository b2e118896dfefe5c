//! One executor walks a [`Plan`](crate::revision::plan::Plan) into a sink: the live
//! database or offline `--sql` text, so `--sql` shows exactly what would run.
//!
//! [`Executor`] decides what happens and when; a [`Sink`] decides how. [`OfflineSink`]
//! renders Alembic's `--sql` text; [`LiveSink`] runs the same events against a database.

mod error;
mod executor;
mod live;
mod offline;
mod sink;

pub use error::{ExecError, FailedAt, Progress, SinkFailure};
pub use executor::{Executor, RunReport, StepReport};
pub use live::{
    AppliedStep, Interrupt, LiveError, LiveSink, LiveStart, RanStatement, Resume, ServerError,
    StatementFailure, StepInProgress,
};
pub use offline::{render_ensure_version, render_offline, OfflineSink};
pub use sink::{
    BodyStatement, CreateVersionTable, SetupKind, SetupStatement, Sink, StepEvent,
    VersionTablePolicy, VersionWrite,
};
