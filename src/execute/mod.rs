//! One executor walks a [`Plan`](crate::revision::plan::Plan) into a sink: the live
//! database or offline `--sql` text, so `--sql` shows exactly what would run.
