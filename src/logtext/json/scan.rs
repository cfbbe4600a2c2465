//! Scanning JSON text: where a string, a number or any value ends, checking
//! it is valid on the way. Nested values are walked with a loop and a heap
//! stack, never by recursion, so no depth can overflow the call stack.

pub fn ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// End (past the closing quote) of the string starting at `i`.
pub fn string_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match bytes.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => {
                let escaped = *bytes.get(j + 1)?;
                j += match escaped {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
                    b'u' if bytes.get(j + 2..j + 6)?.iter().all(u8::is_ascii_hexdigit) => 6,
                    _ => return None,
                };
            }
            b if *b < 0x20 => return None,
            _ => j += 1,
        }
    }
}

fn number_end(bytes: &[u8], i: usize) -> Option<usize> {
    let digits = |j: usize| {
        bytes[j.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut j = i + usize::from(bytes.get(i) == Some(&b'-'));
    let whole = digits(j);
    if whole == 0 || (whole > 1 && bytes[j] == b'0') {
        return None;
    }
    j += whole;
    if bytes.get(j) == Some(&b'.') {
        let frac = digits(j + 1);
        if frac == 0 {
            return None;
        }
        j += 1 + frac;
    }
    if matches!(bytes.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp = digits(j);
        if exp == 0 {
            return None;
        }
        j += exp;
    }
    Some(j)
}

/// End of the value starting at `i`, any depth deep, checking it is valid
/// JSON. Containers are tracked on a heap stack, not by recursion.
pub fn value_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut open: Vec<u8> = Vec::new();
    loop {
        i = ws(bytes, i);
        match bytes.get(i)? {
            b'{' | b'[' if ws(bytes, i + 1) < bytes.len() => {
                let close = if bytes[i] == b'{' { b'}' } else { b']' };
                let next = ws(bytes, i + 1);
                if bytes[next] == close {
                    i = next + 1;
                } else {
                    open.push(close);
                    i = if close == b'}' {
                        key_end(bytes, next)?
                    } else {
                        next
                    };
                    continue;
                }
            }
            b'"' => i = string_end(bytes, i)?,
            b'-' | b'0'..=b'9' => i = number_end(bytes, i)?,
            b't' => i = literal_end(bytes, i, b"true")?,
            b'f' => i = literal_end(bytes, i, b"false")?,
            b'n' => i = literal_end(bytes, i, b"null")?,
            _ => return None,
        }
        // A value ended: close what it ends, or go on to the next one.
        loop {
            let Some(&close) = open.last() else {
                return Some(i);
            };
            i = ws(bytes, i);
            match *bytes.get(i)? {
                b',' => {
                    i = ws(bytes, i + 1);
                    if close == b'}' {
                        i = key_end(bytes, i)?;
                    }
                    break;
                }
                b if b == close => {
                    open.pop();
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Past the `"key" :` of a member starting at `i`.
fn key_end(bytes: &[u8], i: usize) -> Option<usize> {
    let end = ws(bytes, string_end(bytes, i)?);
    (bytes.get(end) == Some(&b':')).then_some(end + 1)
}

fn literal_end(bytes: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    bytes[i..].starts_with(word).then_some(i + word.len())
}
