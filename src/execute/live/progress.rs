//! The live sink's progress rows (SPEC section 13): which steps get one, when it is
//! written, updated and removed, and the statements a resumed step skips. The rows'
//! statements come from [`crate::db::HistoryTable`].

use crate::db::history::{HistoryEntry, StepProgress, IN_PROGRESS};
use crate::dialect::Dialect;
use crate::execute::sink::{BodyStatement, StepEvent};

use super::batch::Tag;
use super::step::{direction, Tracking};
use super::{LiveError, LiveSink, Tx};

impl LiveSink<'_> {
    /// The progress row a step gets: one whose statements commit one by one, when the
    /// history table is enabled. A step matching the [`Resume`](super::Resume) continues
    /// the interrupted run's row.
    pub(super) fn tracking_for(&mut self, step: &StepEvent<'_>) -> Option<Tracking> {
        let revision = step.revision()?;
        if self.history.is_none() || step.statements == 0 {
            return None;
        }
        let resumed = self
            .resume
            .take_if(|r| r.revision == revision.id && r.kind == step.step.kind());
        // A resumed step skips its done statements even if its file no longer says
        // `Transaction: none`.
        let one_by_one = step.outside_transaction || self.dialect == Dialect::Mysql;
        if !one_by_one && resumed.is_none() {
            return None;
        }
        let started_at = self.step.as_ref()?.started_at;
        let mut tracking = Tracking {
            revision: revision.id.clone(),
            kind: direction(step.step.kind()),
            total: step.statements,
            done: 0,
            line: 0,
            written: false,
            origin: started_at,
            skip: 0,
        };
        if let Some(resume) = resumed {
            tracking.written = true;
            tracking.skip = resume.skip;
            tracking.done = resume.skip;
            tracking.origin = resume.started_at;
        }
        Some(tracking)
    }

    /// Whether `statement` was completed by the interrupted run this one resumes.
    pub(super) fn skips(&mut self, statement: &BodyStatement<'_>) -> bool {
        let Some(tracking) = self.tracking.as_mut() else {
            return false;
        };
        if statement.index >= tracking.skip {
            return false;
        }
        tracking.line = statement.line;
        tracing::info!(
            target: "mig",
            "Skipping statement {} of {} (line {}) of {}: applied by the interrupted run",
            statement.index + 1,
            tracking.total,
            statement.line,
            statement.revision.id
        );
        true
    }

    /// Before a statement: the progress row, written with the step's first statement.
    pub(super) async fn progress_before(
        &mut self,
        statement: &BodyStatement<'_>,
    ) -> Result<(), LiveError> {
        let Some(history) = self.history.clone() else {
            return Ok(());
        };
        let Some(tracking) = self.tracking.as_mut().filter(|t| !t.written) else {
            return Ok(());
        };
        tracking.written = true;
        tracking.line = statement.line;
        let entry = HistoryEntry {
            revision: Some(tracking.revision.clone()),
            kind: tracking.kind,
            checksum: self.step.as_ref().and_then(|s| s.checksum.clone()),
            started_at: tracking.origin,
            duration_ms: tracking.elapsed_ms(),
            operator: self.operator.clone(),
            success: false,
            error: None,
            reason: None,
            progress: Some(StepProgress {
                state: IN_PROGRESS.into(),
                done: i64::try_from(tracking.done).unwrap_or(i64::MAX),
                total: i64::try_from(tracking.total).unwrap_or(i64::MAX),
                line: i64::try_from(statement.line).unwrap_or(i64::MAX),
                version_rows: self.durable.heads.clone(),
            }),
        };
        if !self.history_table {
            self.batch.push(history.create_sql(), Tag::CreateHistory);
            self.history_table = true;
            // Outside a transaction (and on MySQL, where DDL commits) it stays.
            if self.tx == Tx::Closed || self.dialect == Dialect::Mysql {
                self.durable.history_table = true;
            }
        }
        self.batch.push(history.insert_sql(&entry), Tag::History);
        self.flush().await
    }

    /// After a statement: the row says it is done.
    pub(super) async fn progress_after(
        &mut self,
        statement: &BodyStatement<'_>,
    ) -> Result<(), LiveError> {
        let (Some(history), Some(tracking)) = (self.history.as_ref(), self.tracking.as_mut())
        else {
            return Ok(());
        };
        tracking.done = statement.index + 1;
        tracking.line = statement.line;
        let sql = history.progress_update_sql(
            &tracking.revision,
            tracking.kind,
            tracking.done,
            tracking.line,
            tracking.elapsed_ms(),
        );
        self.batch.push(sql, Tag::History);
        self.flush().await
    }

    /// The step's version writes are queued: its progress row goes with them.
    pub(super) fn progress_finished(&mut self) {
        let (Some(history), Some(tracking)) = (self.history.as_ref(), self.tracking.take()) else {
            return;
        };
        if tracking.written {
            let sql = history.progress_delete_sql(&tracking.revision, tracking.kind);
            self.batch.push(sql, Tag::History);
        }
    }

    /// After a rollback: a progress row with no statement done says nothing worth
    /// keeping (the step can simply run again); one with statements done stays.
    pub(super) async fn progress_rolled_back(&mut self) {
        let (Some(history), Some(tracking)) = (self.history.as_ref(), self.tracking.take()) else {
            return;
        };
        if !tracking.written || tracking.done > 0 {
            return;
        }
        let sql = history.progress_delete_sql(&tracking.revision, tracking.kind);
        let _ = crate::on_connection!(&mut *self.conn, c => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(c).await.map(|_| ())
        });
    }
}
