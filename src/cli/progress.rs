//! A spinner on standard error for runs that take more than about a second, shown only when
//! standard error is a terminal outside CI, so logs and pipes never see it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long a run goes before the spinner appears.
const DELAY: Duration = Duration::from_millis(1000);

/// A spinner that appears after [`DELAY`] and is cleared when dropped.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    done: Arc<Mutex<bool>>,
}

impl Progress {
    /// Starts a spinner saying `what` ("Checking"), if standard error is a terminal and
    /// neither `CI` nor `ALIGN_NO_PROGRESS` is set.
    pub(crate) fn start(what: &str) -> Progress {
        let done = Arc::new(Mutex::new(false));
        let wanted = std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var_os("ALIGN_NO_PROGRESS").is_none();
        if !wanted {
            return Progress { bar: None, done };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(what.to_owned());
        let shown = bar.clone();
        let finished = Arc::clone(&done);
        // A detached timer: if the run ends first, it wakes to find `done` and does nothing.
        let _ = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                std::thread::sleep(DELAY);
                // Held while showing, so the run cannot end half-way through.
                let done = finished.lock().unwrap_or_else(PoisonError::into_inner);
                if !*done {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
        Progress {
            bar: Some(bar),
            done,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        *done = true;
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
