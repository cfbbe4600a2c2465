//! The log path end to end: chunks from the engine split into lines, the
//! timestamp taken off, the text sanitised, the line pushed into the
//! bounded buffer the log view reads; with and without finding each
//! line's level and reading its JSON, to see what that costs.

use std::hint::black_box;

use chrono::TimeDelta;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stacktop::logtext::{LineSplitter, classify, sanitize_line, split_timestamp};
use stacktop::model::{LogBuffer, LogLine, LogStream};

/// Distinct lines in the sample stream; it is fed again and again.
const SAMPLE_LINES: usize = 10_000;
const TOTAL_LINES: usize = 1_000_000;
/// Bytes per read, about what the engine sends at a time.
const CHUNK_BYTES: usize = 16 * 1024;

/// A stream of timestamped lines in the shapes services print: plain,
/// coloured by a logger, JSON, and the odd progress bar or title escape.
fn sample_stream() -> Vec<u8> {
    let mut stream = Vec::new();
    for i in 0..SAMPLE_LINES {
        let ts = format!(
            "2026-11-25T01:{:02}:{:02}.{:09}Z ",
            i / 3600 % 60,
            i / 60 % 60,
            i
        );
        stream.extend_from_slice(ts.as_bytes());
        let body = match i % 5 {
            0 => format!("GET /api/items/{i} 200 {}.{}ms", i % 97, i % 10),
            1 => format!("\x1b[2m{i}\x1b[0m \x1b[32mINFO\x1b[0m worker: job {i} done\tok"),
            2 => format!(r#"{{"level":"warn","msg":"slow query","ms":{i},"table":"orders"}}"#),
            3 => format!(
                "\x1b[1;31mERROR\x1b[0m connection reset (attempt {})",
                i % 7
            ),
            _ => format!("\x1b]0;build\x07[{i:>5}/10000] {}%\r", i % 100),
        };
        stream.extend_from_slice(body.as_bytes());
        stream.push(b'\n');
    }
    stream
}

/// Runs every line of `stream`, `rounds` times, through the whole path;
/// `levels`: finding levels and JSON too, as the log streams do.
fn pipeline(stream: &[u8], rounds: usize, buffer: &mut LogBuffer, levels: bool) {
    let mut splitter = LineSplitter::default();
    for round in 0..rounds {
        // Each round is later than the last, as a live stream is: a line
        // older than the whole buffer would make every push walk it.
        let shift = TimeDelta::hours(round as i64);
        for chunk in stream.chunks(CHUNK_BYTES) {
            splitter.feed(chunk, |raw| {
                let (timestamp, text) = split_timestamp(raw);
                let mut line = LogLine {
                    timestamp: timestamp.map(|t| t + shift),
                    stream: LogStream::Stdout,
                    source: 0,
                    spans: sanitize_line(text),
                    ..LogLine::default()
                };
                if levels {
                    classify(&mut line);
                }
                buffer.push(line);
            });
        }
    }
    splitter.finish(|_| {});
}

fn bench_pipeline(c: &mut Criterion) {
    let stream = sample_stream();
    let mut group = c.benchmark_group("log_pipeline");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TOTAL_LINES as u64));
    for (name, levels) in [
        ("split_sanitise_push_1m_lines", false),
        ("split_sanitise_levels_json_push_1m_lines", true),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut buffer = LogBuffer::new(10_000);
                pipeline(&stream, TOTAL_LINES / SAMPLE_LINES, &mut buffer, levels);
                black_box(buffer.len())
            });
        });
    }
    group.finish();
}

fn bench_sanitise(c: &mut Criterion) {
    let lines: [(&str, &[u8]); 3] = [
        (
            "plain",
            b"GET /api/items/42 200 3.1ms user=alice region=eu-west-1",
        ),
        (
            "coloured",
            b"\x1b[2m12:00:01\x1b[0m \x1b[32mINFO\x1b[0m worker: job done\tok",
        ),
        (
            "hostile",
            b"\x1b]52;c;QUJD\x07\x1b[?1049h\x1b[2J\xff\xfe\xe2\x80\xaex\r\x1bPq\x1b\\y",
        ),
    ];
    let mut group = c.benchmark_group("sanitize_line");
    group.throughput(Throughput::Elements(1));
    for (name, line) in lines {
        group.bench_function(name, |b| b.iter(|| sanitize_line(black_box(line))));
    }
    group.finish();
}

/// Finding the level and reading JSON, per line shape, once sanitised.
fn bench_classify(c: &mut Criterion) {
    let lines: [(&str, &[u8]); 5] = [
        ("plain", b"GET /api/items/42 200 3.1ms"),
        ("coloured_level", b"\x1b[2m12:00:01\x1b[0m \x1b[32mINFO\x1b[0m worker: job 42 done\tok"),
        ("logfmt", b"ts=2026-11-25T01:00:00Z caller=main.go:42 level=warn msg=\"slow query\" ms=42"),
        ("json", br#"{"level":"warn","msg":"slow query","ms":42,"table":"orders"}"#),
        ("pino_json", br#"{"level":30,"time":1795608000250,"pid":7,"hostname":"api-1","msg":"request done","req":{"method":"GET","url":"/orders/7"},"ms":12}"#),
    ];
    let mut group = c.benchmark_group("classify_line");
    group.throughput(Throughput::Elements(1));
    for (name, raw) in lines {
        let line = LogLine {
            spans: sanitize_line(raw),
            ..LogLine::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut line = line.clone();
                classify(black_box(&mut line));
                line
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_pipeline, bench_sanitise, bench_classify);
criterion_main!(benches);
