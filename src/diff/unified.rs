//! A small unified diff of two texts (function bodies, view definitions): longest common
//! subsequence over lines, hunks with three lines of context, GNU-style hunk headers.
//! Pure text.

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Above this many cells the line alignment is skipped and the differing middle is shown
/// as one replacement (bodies this large are rare; memory stays bounded).
const MAX_CELLS: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Delete,
    Insert,
}

/// The unified diff of `before` and `after` (`--- before`, `+++ after`, hunks), each line
/// ending in `\n`; empty when the texts have the same lines.
pub fn unified(before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let ops = align(&a, &b);
    if ops.iter().all(|(op, _)| *op == Op::Same) {
        return String::new();
    }
    let mut out = String::from("--- before\n+++ after\n");
    for hunk in hunks(&ops) {
        let slice = ops.get(hunk.clone()).unwrap_or_default();
        let (a_start, b_start) = positions(&ops, hunk.start);
        let a_len = slice.iter().filter(|(op, _)| *op != Op::Insert).count();
        let b_len = slice.iter().filter(|(op, _)| *op != Op::Delete).count();
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a_start, a_len),
            range(b_start, b_len)
        ));
        for (op, line) in slice {
            let mark = match op {
                Op::Same => ' ',
                Op::Delete => '-',
                Op::Insert => '+',
            };
            out.push(mark);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// GNU's range: `start,count`, `start` alone for one line, the line before for none.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

/// Lines of `a` and `b` before op number `at`.
fn positions(ops: &[(Op, &str)], at: usize) -> (usize, usize) {
    let before = ops.get(..at).unwrap_or_default();
    let a = before.iter().filter(|(op, _)| *op != Op::Insert).count();
    let b = before.iter().filter(|(op, _)| *op != Op::Delete).count();
    (a, b)
}

/// Op ranges of the hunks: changes with their context, merged where contexts touch.
fn hunks(ops: &[(Op, &str)]) -> Vec<std::ops::Range<usize>> {
    let mut hunks: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, (op, _)) in ops.iter().enumerate() {
        if *op == Op::Same {
            continue;
        }
        let start = i.saturating_sub(CONTEXT);
        let end = (i + 1 + CONTEXT).min(ops.len());
        match hunks.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => hunks.push(start..end),
        }
    }
    hunks
}

/// The edit script: common prefix and suffix, and an LCS alignment of the middle.
fn align<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Op, &'t str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let a_rest = a.get(prefix..).unwrap_or_default();
    let b_rest = b.get(prefix..).unwrap_or_default();
    let suffix = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = a_rest.get(..a_rest.len() - suffix).unwrap_or_default();
    let b_mid = b_rest.get(..b_rest.len() - suffix).unwrap_or_default();

    let mut ops: Vec<(Op, &str)> = a.iter().take(prefix).map(|l| (Op::Same, *l)).collect();
    if (a_mid.len() + 1).saturating_mul(b_mid.len() + 1) > MAX_CELLS {
        ops.extend(a_mid.iter().map(|l| (Op::Delete, *l)));
        ops.extend(b_mid.iter().map(|l| (Op::Insert, *l)));
    } else {
        ops.extend(lcs(a_mid, b_mid));
    }
    ops.extend(
        a_rest
            .iter()
            .skip(a_rest.len() - suffix)
            .map(|l| (Op::Same, *l)),
    );
    ops
}

fn lcs<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Op, &'t str)> {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    // table[i * width + j]: LCS length of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let value = if a.get(i) == b.get(j) {
                table.get((i + 1) * width + j + 1).copied().unwrap_or(0) + 1
            } else {
                let down = table.get((i + 1) * width + j).copied().unwrap_or(0);
                let right = table.get(i * width + j + 1).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(cell) = table.get_mut(i * width + j) {
                *cell = value;
            }
        }
    }
    let cell = |i: usize, j: usize| table.get(i * width + j).copied().unwrap_or(0);
    let mut ops = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                ops.push((Op::Same, *x));
                i += 1;
                j += 1;
            }
            // Deletions first within a change, as diff(1) prints them.
            (Some(x), Some(_)) if cell(i + 1, j) >= cell(i, j + 1) => {
                ops.push((Op::Delete, *x));
                i += 1;
            }
            (Some(_), Some(y)) => {
                ops.push((Op::Insert, *y));
                j += 1;
            }
            (Some(x), None) => {
                ops.push((Op::Delete, *x));
                i += 1;
            }
            (None, Some(y)) => {
                ops.push((Op::Insert, *y));
                j += 1;
            }
            (None, None) => break,
        }
    }
    ops
}

#[cfg(test)]
mod tests;
