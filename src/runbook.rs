//! Runbooks: the Definition-of-Done evidence of SPEC section 9, generated instead of
//! typed. The model ([`Runbook`]) holds every fact; [`markdown_section`] renders it into
//! a [`Template`]'s `{{section}}` placeholders and [`to_json`] writes the same facts as
//! JSON. A pass ([`Mark::Pass`]) is only ever made from a comparison that ran; what did
//! not run says so. The pure parts (DoD files, evidence from a snapshot, preflight,
//! templates, `--stable`) live here; [`probe`] asks a database the runbook's questions.
//! Gathering (provisioning, the engine, the stages) is the commands layer's job.

mod constraints;
pub mod dod;
mod evidence;
pub mod exists;
mod expect;
mod extensions;
mod markdown;
mod model;
mod preflight;
pub mod probe;
pub mod roundtrip_evidence;
mod stable;
mod template;

pub use constraints::constraints;
pub use dod::{DodCheck, DodError, DodFile, Expect, Probe};
pub use evidence::{Evidence, Mark};
pub use exists::{ExistsKind, ExistsTarget};
pub use extensions::required_extensions;
pub use markdown::section as markdown_section;
pub use model::{
    CheckConstraint, Constraints, Dod, Fatal, ForeignKey, Header, Preflight, RevisionRow,
    Roundtrip, Runbook, SeedRow, Seeds, Setting, Stage, StageState, StepRecord, Summary,
    TargetInfo, UniqueKey,
};
pub use preflight::{preflight, relative, UrlFacts};
pub use roundtrip_evidence::RevisionOutcome;
pub use stable::{major_version, stabilize, Scrubber};
pub use template::{Template, TemplateError, BUILTIN, PLACEHOLDERS, PROJECT_TEMPLATE};

/// The runbook as pretty JSON with a trailing newline.
pub fn to_json(runbook: &Runbook) -> String {
    crate::json::pretty(runbook)
}
