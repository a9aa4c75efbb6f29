//! Publish progress: a bar per table on a terminal, plain lines otherwise (CI logs, pipes).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::plan::{group_thousands, human_bytes};

/// Receives progress events from a publish.
pub trait Progress: Send + Sync {
    /// A table starts being written; `total_rows` is what the plan counted.
    fn start(&self, name: &str, total_rows: u64);
    /// Rows written so far for the table that started last.
    fn rows(&self, done: u64);
    /// The table is written.
    fn finish(&self, name: &str, rows: u64, elapsed: Duration);
    /// A line of information (pins, views, removals).
    fn note(&self, line: &str);
}

/// Chooses bars on a terminal, lines elsewhere.
pub fn for_stderr() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bars::new())
    } else {
        Box::new(Lines::default())
    }
}

/// Progress as lines on stderr, one when a table starts and one when it ends.
#[derive(Default)]
pub struct Lines {
    last_report: Mutex<Option<Instant>>,
}

impl Progress for Lines {
    fn start(&self, name: &str, total_rows: u64) {
        eprintln!("writing {name} ({} rows)", group_thousands(total_rows));
        *self.last_report.lock().unwrap() = Some(Instant::now());
    }

    fn rows(&self, done: u64) {
        // A line every 10 s keeps long tables visibly alive in a log without flooding it.
        let mut last = self.last_report.lock().unwrap();
        if last.is_some_and(|t| t.elapsed() >= Duration::from_secs(10)) {
            eprintln!("  … {} rows", group_thousands(done));
            *last = Some(Instant::now());
        }
    }

    fn finish(&self, name: &str, rows: u64, elapsed: Duration) {
        eprintln!(
            "wrote {name}: {} rows in {:.1} s",
            group_thousands(rows),
            elapsed.as_secs_f64()
        );
    }

    fn note(&self, line: &str) {
        eprintln!("{line}");
    }
}

/// Progress bars on a terminal.
pub struct Bars {
    multi: MultiProgress,
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn new() -> Self {
        Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            current: Mutex::new(None),
        }
    }
}

impl Progress for Bars {
    fn start(&self, name: &str, total_rows: u64) {
        let bar = self.multi.add(ProgressBar::new(total_rows.max(1)));
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:<32!} [{bar:30}] {human_pos:>12}/{human_len:<12} rows {elapsed:>4}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        *self.current.lock().unwrap() = Some(bar);
    }

    fn rows(&self, done: u64) {
        if let Some(bar) = self.current.lock().unwrap().as_ref() {
            bar.set_position(done);
        }
    }

    fn finish(&self, _name: &str, rows: u64, _elapsed: Duration) {
        if let Some(bar) = self.current.lock().unwrap().take() {
            bar.set_length(rows.max(1));
            bar.set_position(rows);
            bar.finish();
        }
    }

    fn note(&self, line: &str) {
        let _ = self.multi.println(line);
    }
}

/// Formats bytes for summaries.
pub fn bytes(n: u64) -> String {
    human_bytes(n)
}
