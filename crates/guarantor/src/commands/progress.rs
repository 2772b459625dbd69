//! Progress bars on stderr for the long computations (sourcing, the what-if, the briefings, an ingest).

/// Progress bars on stderr: drawn only when stderr is a terminal and `--quiet` is not given.
pub(crate) struct Bars {
    bar: indicatif::ProgressBar,
}

impl Bars {
    pub(crate) fn new(quiet: bool) -> Bars {
        let target = if quiet {
            indicatif::ProgressDrawTarget::hidden()
        } else {
            indicatif::ProgressDrawTarget::stderr()
        };
        let bar = indicatif::ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:40!} [{bar:30}] {percent:>3}% {elapsed_precise} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bars { bar }
    }
}

impl guarantor_app::Progress for Bars {
    fn begin(&self, step: &str, total: u64) {
        self.bar.reset();
        self.bar.set_length(total);
        self.bar.set_message(step.to_owned());
    }

    fn advance_to(&self, done: u64) {
        self.bar.set_position(done);
    }

    fn end(&self) {
        self.bar.finish_and_clear();
    }
}
