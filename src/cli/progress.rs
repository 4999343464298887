//! Progress of long commands (seeding, migrating a large database): a bar
//! with rate and time left on a terminal; on anything else (CI, Docker
//! logs) a plain line every few seconds and one at the end, never a
//! redrawn line that a log would keep as noise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a plain line is written when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// Reports how much of `total` units of work is done.
pub struct Progress {
    what: &'static str,
    total: u64,
    started: Instant,
    output: Output,
}

enum Output {
    Bar(ProgressBar),
    Lines { last: Instant, done: u64 },
}

impl Progress {
    /// Starts reporting on `total` `what`s (e.g. "articles").
    pub fn new(what: &'static str, total: u64) -> Self {
        let started = Instant::now();
        let output = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{msg} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta} left)",
            )
            .map(|style| style.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(what);
            Output::Bar(bar)
        } else {
            Output::Lines { last: started, done: 0 }
        };
        Self { what, total, started, output }
    }

    /// `done` of the total are done now.
    pub fn set(&mut self, done: u64) {
        match &mut self.output {
            Output::Bar(bar) => bar.set_position(done),
            Output::Lines { last, done: shown } => {
                *shown = done;
                if last.elapsed() >= LINE_EVERY {
                    *last = Instant::now();
                    eprintln!("{}", line(self.what, done, self.total, self.started.elapsed()));
                }
            }
        }
    }

    /// The work is over: the bar is cleared, or the last line written.
    pub fn finish(self) {
        match self.output {
            Output::Bar(bar) => bar.finish_and_clear(),
            Output::Lines { done, .. } => {
                eprintln!("{}", line(self.what, done, self.total, self.started.elapsed()));
            }
        }
    }
}

/// One plain progress line: `articles: 12,000 of 100,000 (12%), 3,400/s,
/// about 26 s left`.
fn line(what: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 { done as f64 / seconds } else { 0.0 };
    let left = if done >= total {
        format!("done in {}", human_seconds(seconds))
    } else if rate > 0.0 {
        format!("about {} left", human_seconds((total - done) as f64 / rate))
    } else {
        "starting".to_owned()
    };
    format!(
        "{what}: {} of {} ({percent}%), {}/s, {left}",
        thousands(done),
        thousands(total),
        thousands(rate.round() as u64)
    )
}

fn human_seconds(seconds: f64) -> String {
    if seconds < 90.0 { format!("{seconds:.0} s") } else { format!("{:.1} min", seconds / 60.0) }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_how_far_how_fast_and_how_long_still() {
        let going = line("articles", 12_000, 100_000, Duration::from_secs(4));
        assert_eq!(going, "articles: 12,000 of 100,000 (12%), 3,000/s, about 29 s left");
        let done = line("articles", 100_000, 100_000, Duration::from_secs(400));
        assert_eq!(done, "articles: 100,000 of 100,000 (100%), 250/s, done in 6.7 min");
        assert_eq!(line("rows", 0, 0, Duration::ZERO), "rows: 0 of 0 (100%), 0/s, done in 0 s");
    }
}
