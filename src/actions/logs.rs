//! Log streams for the log view.
