//! Ctrl-C (SIGINT): a command that sends many requests (a bulk run) stops itself within a
//! second, its results file whole; any other command ends at once. Either way the exit code is
//! 130, as a shell reports a process ended by SIGINT.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Notify;

/// The exit code of a run stopped by Ctrl-C (128 + SIGINT).
pub const EXIT_CODE: u8 = 130;

/// Whether Ctrl-C was pressed.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// How many bulk runs are stopping themselves on Ctrl-C: without one, the process ends at once.
static HANDLERS: AtomicUsize = AtomicUsize::new(0);
/// Wakes the bulk runs waiting for Ctrl-C.
static NOTIFY: Notify = Notify::const_new();

/// Listens for Ctrl-C for the rest of the process (call once, on the runtime). The first one
/// ends the process with [`EXIT_CODE`] unless a bulk run has taken it over ([`Handled`]); a
/// second one ends it at once in every case.
pub fn listen() {
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling on this platform: the default (the process ends) stays.
            return;
        }
        INTERRUPTED.store(true, Ordering::SeqCst);
        NOTIFY.notify_waiters();
        if HANDLERS.load(Ordering::SeqCst) == 0 {
            eprintln!("\nakixi: interrupted");
            std::process::exit(i32::from(EXIT_CODE));
        }
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nakixi: interrupted again: stopping at once");
            std::process::exit(i32::from(EXIT_CODE));
        }
    });
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Resolves when Ctrl-C is pressed (at once if it was).
pub async fn pressed() {
    loop {
        let notified = NOTIFY.notified();
        if interrupted() {
            return;
        }
        notified.await;
    }
}

/// While held, Ctrl-C is left to the holder (a bulk run, which stops sending, records every
/// row and returns) instead of ending the process.
#[derive(Debug)]
pub struct Handled(());

impl Handled {
    /// Takes Ctrl-C over until dropped.
    pub fn take() -> Self {
        HANDLERS.fetch_add(1, Ordering::SeqCst);
        Handled(())
    }
}

impl Drop for Handled {
    fn drop(&mut self) {
        HANDLERS.fetch_sub(1, Ordering::SeqCst);
    }
}
