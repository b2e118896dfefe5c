//! Benchmark: `heads` and `upgrade head --sql` on 10,000-revision histories (linear, and
//! one with 500 merge points), mig against real Alembic on the same history, in one run.
//! Prints times and ratios; asserts nothing about time (not a timed test). The floor is
//! reading every revision file once, which any tool that loads the history must do.
//!
//! `cargo bench --bench graph` (set `ALEMBIC=/path/to/alembic` to skip the venv install;
//! `MIG_BENCH_REVISIONS=N` for another size). `MIG_BENCH_BASELINE=/path/to/mig` times an
//! older mig binary in the same run, interleaved with this one (best of the same number of
//! runs), checks that both print the same `--sql`, and prints this one's time over it.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use common::{alembic_bin, best_of, mig_bin, ms, ratio};

/// Runs of mig and of the floor per figure: each takes a tenth of a second, and on a
/// shared VM the minimum of a few is still noisy (Alembic's runs take seconds each).
const MIG_RUNS: usize = 15;

/// (id, parents) in file order.
type History = Vec<(String, Vec<String>)>;

fn id(n: usize) -> String {
    format!("r{n:06}")
}

fn linear(n: usize) -> History {
    (0..n)
        .map(|i| (id(i), if i == 0 { vec![] } else { vec![id(i - 1)] }))
        .collect()
}

/// Blocks of 20: a revision that branches into two chains of 9, joined by a merge.
/// 10,000 revisions -> 500 merge points.
fn merges(n: usize) -> History {
    let mut h: History = Vec::with_capacity(n);
    let mut tip: Option<String> = None;
    let mut next = 0;
    let mut take = || {
        let s = id(next);
        next += 1;
        s
    };
    while h.len() + 20 <= n {
        let root = take();
        h.push((root.clone(), tip.iter().cloned().collect()));
        let mut ends = vec![];
        for _ in 0..2 {
            let mut prev = root.clone();
            for _ in 0..9 {
                let r = take();
                h.push((r.clone(), vec![prev]));
                prev = r;
            }
            ends.push(prev);
        }
        let m = take();
        h.push((m.clone(), ends));
        tip = Some(m);
    }
    h
}

fn write_projects(dir: &Path, history: &History) {
    for (sub, ext) in [("mig", "sql"), ("alembic", "py")] {
        let root = dir.join(sub);
        std::fs::create_dir_all(root.join("versions")).unwrap();
        std::fs::write(
            root.join("alembic.ini"),
            "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\
             path_separator = os\nsqlalchemy.url = postgresql://u@localhost/db\n",
        )
        .unwrap();
        if ext == "py" {
            std::fs::write(
                root.join("env.py"),
                "from alembic import context\n\
                 context.configure(url=context.config.get_main_option('sqlalchemy.url'), literal_binds=True)\n\
                 with context.begin_transaction():\n    context.run_migrations()\n",
            )
            .unwrap();
        }
        for (rev, parents) in history {
            let body = if ext == "sql" {
                format!(
                    "-- rev {rev}\n--\n-- Revision ID: {rev}\n-- Revises: {}\n\n-- migrate:upgrade\n\
                     CREATE TABLE t_{rev} (id int);\n\n-- migrate:downgrade\nDROP TABLE t_{rev};\n",
                    parents.join(", ")
                )
            } else {
                let down = match parents.len() {
                    0 => "None".to_string(),
                    1 => format!("'{}'", parents[0]),
                    _ => format!(
                        "({})",
                        parents
                            .iter()
                            .map(|p| format!("'{p}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let mut s = String::new();
                let _ = write!(
                    s,
                    "\"\"\"rev {rev}\"\"\"\nfrom alembic import op\nrevision = '{rev}'\n\
                     down_revision = {down}\nbranch_labels = None\ndepends_on = None\n\
                     def upgrade():\n    op.execute('CREATE TABLE t_{rev} (id int)')\n\
                     def downgrade():\n    op.execute('DROP TABLE t_{rev}')\n"
                );
                s
            };
            std::fs::write(root.join("versions").join(format!("{rev}_rev.{ext}")), body).unwrap();
        }
    }
}

/// The physical floor: listing the versions directory and reading every file once, in
/// this process (no parsing, no output), as fast as we know how: on every core, each
/// file opened relative to the directory (`openat`) into a reused buffer. Best of
/// [`MIG_RUNS`].
fn read_floor(versions: &Path) -> std::time::Duration {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    use std::io::Read;

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    (0..MIG_RUNS)
        .map(|_| {
            let start = std::time::Instant::now();
            let names: Vec<_> = std::fs::read_dir(versions)
                .unwrap()
                .map(|entry| entry.unwrap().file_name())
                .collect();
            let bytes: usize = std::thread::scope(|scope| {
                let workers: Vec<_> = names
                    .chunks(names.len().div_ceil(threads))
                    .map(|part| {
                        scope.spawn(move || {
                            let dir = openat(CWD, versions, OFlags::DIRECTORY, Mode::empty());
                            let dir = dir.unwrap();
                            let mut buf = vec![0u8; 64 * 1024];
                            let mut bytes = 0;
                            for name in part {
                                let fd = openat(&dir, name, OFlags::RDONLY, Mode::empty());
                                let mut file = std::fs::File::from(fd.unwrap());
                                loop {
                                    match file.read(&mut buf).unwrap() {
                                        0 => break,
                                        n => bytes += n,
                                    }
                                }
                            }
                            bytes
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().unwrap()).sum()
            });
            assert!(bytes > 0);
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let n: usize = std::env::var("MIG_BENCH_REVISIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mig = mig_bin();
    let baseline = std::env::var_os("MIG_BENCH_BASELINE").map(std::path::PathBuf::from);
    let alembic = alembic_bin();
    println!("graph benchmark: {n} revisions; best of {MIG_RUNS} (mig, floor) and 2 (alembic)");
    println!(
        "{:<13} {:<22} {:>10} {:>11} {:>10} {:>9} {:>9}",
        "history", "command", "mig", "alembic", "floor", "speedup", "vs floor"
    );
    for (name, history) in [("linear", linear(n)), ("merges", merges(n))] {
        let tmp = tempfile::tempdir().unwrap();
        write_projects(tmp.path(), &history);
        let merges = history.iter().filter(|(_, p)| p.len() > 1).count();
        let floor = read_floor(&tmp.path().join("mig").join("versions"));
        for args in [&["heads"][..], &["upgrade", "head", "--sql"]] {
            let run = |bin: &Path, sub: &str| {
                let dir = tmp.path().join(sub);
                let bin = bin.to_path_buf();
                move || {
                    let mut c = Command::new(&bin);
                    c.args(args).current_dir(&dir);
                    c
                }
            };
            let m = match &baseline {
                None => best_of(MIG_RUNS, run(&mig, "mig")),
                Some(base) => against_baseline(&mig, base, run(&mig, "mig"), run(base, "mig")),
            };
            let a = best_of(2, run(&alembic, "alembic"));
            println!(
                "{:<13} {:<22} {:>10} {:>11} {:>10} {:>9} {:>9}",
                format!("{name}({merges}m)"),
                args.join(" "),
                ms(m),
                ms(a),
                ms(floor),
                ratio(a, m),
                ratio(m, floor)
            );
        }
    }
}

/// Best of [`MIG_RUNS`] each of `mig` and the `base` binary, run in turns (so both see the
/// same moments of a noisy machine); prints the base's time and the ratio, after checking
/// that both print the same output.
fn against_baseline(
    mig: &Path,
    base: &Path,
    mut new: impl FnMut() -> Command,
    mut old: impl FnMut() -> Command,
) -> std::time::Duration {
    let (printed_new, printed_old) = (new().output().expect("mig"), old().output().expect("base"));
    assert!(
        printed_new.stdout == printed_old.stdout,
        "{} and {} print different output",
        mig.display(),
        base.display()
    );
    let (mut m, mut b) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..MIG_RUNS {
        m = m.min(best_of(1, &mut new));
        b = b.min(best_of(1, &mut old));
    }
    println!(
        "  baseline {}: {}, this mig {} ({} of the baseline; output identical, {} bytes)",
        base.display(),
        ms(b),
        ms(m),
        ratio(m, b),
        printed_new.stdout.len()
    );
    m
}
