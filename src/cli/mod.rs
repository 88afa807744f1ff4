//! The command line: `check`, `explain`, `extract`.
