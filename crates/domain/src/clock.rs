//! The current time as every layer stores it: UTC, microsecond precision
//! (PostgreSQL keeps microseconds; SQLite would keep more, and two backends
//! must round-trip the same value).

use time::OffsetDateTime;

pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let micros = now.microsecond();
    now.replace_microsecond(micros).unwrap_or(now)
}
