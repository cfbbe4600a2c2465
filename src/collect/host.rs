//! Host CPU, memory and load, read with sysinfo.
