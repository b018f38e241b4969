//! The desktop app's entry point: it only starts the shell (`regulars_app::run`).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    regulars_app::run();
}
