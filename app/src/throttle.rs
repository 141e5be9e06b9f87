//! Limits without lockout (ASVS 6.1.1): each key (an account, an address, an account from an
//! address, an account's one-time codes, a form from an address) allows a few attempts, then
//! makes the next one wait, the wait doubling with each further attempt up to a cap; a quiet
//! spell forgets them. An attempt is *claimed* before the work it guards (a password hash, a
//! code check) by a compare-and-set on the key's row, so parallel attempts are counted one by
//! one and cannot all pass; a success clears or refunds its claim.

use crate::db::{self, Pool, ThrottleRow};

/// How a key is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts allowed without waiting.
    pub free: i64,
    /// The first wait, in seconds; it doubles with each further attempt.
    pub base: i64,
    /// The longest wait.
    pub cap: i64,
    /// Seconds without an attempt after which the count starts again.
    pub window: i64,
}

impl Policy {
    /// The wait after the `attempts`-th attempt.
    pub fn delay(&self, attempts: i64) -> i64 {
        if attempts <= self.free {
            return 0;
        }
        let doublings = (attempts - self.free - 1).min(40) as u32;
        self.base
            .saturating_mul(2i64.saturating_pow(doublings))
            .min(self.cap)
    }
}

/// Wrong passwords for one account from one address: the tight limit, which binds an
/// attacker at their own address without holding the account's owner back elsewhere.
pub const ACCOUNT_FROM_ADDRESS: Policy = Policy {
    free: 3,
    base: 2,
    cap: 15 * 60,
    window: 15 * 60,
};
/// Wrong passwords for one account from anywhere: slows a spread-out attack to one try a
/// minute, while its owner waits at most that minute.
pub const ACCOUNT: Policy = Policy {
    free: 10,
    base: 2,
    cap: 60,
    window: 15 * 60,
};
/// Wrong passwords from one address, whatever the account (many people may share one).
pub const ADDRESS: Policy = Policy {
    free: 20,
    base: 2,
    cap: 15 * 60,
    window: 15 * 60,
};
/// Wrong one-time codes for one account after its password: after the third the sign-in
/// ends and starts again from the password after a minute, then two, four, ... up to a day.
pub const CODES: Policy = Policy {
    free: 2,
    base: 60,
    cap: 24 * 3600,
    window: 24 * 3600,
};
/// Forms anyone can post that send a message or create something (`/nominate`,
/// `/reset-password`), per address: five an hour, then a wait.
pub const FORMS: Policy = Policy {
    free: 4,
    base: 60,
    cap: 3600,
    window: 3600,
};

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}
pub fn account_from_address_key(email: &str, address: &str) -> String {
    format!("account-from:{email}|{address}")
}
pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}
pub fn codes_key(user: i64) -> String {
    format!("codes:{user}")
}
pub fn form_key(form: &str, address: &str) -> String {
    format!("form:{form}:{address}")
}

/// What a claim found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Go ahead; this is the `attempts`-th attempt, and the next must wait `wait` seconds.
    Granted { attempts: i64, wait: i64 },
    /// Wait this many seconds first.
    Wait(i64),
}

/// Claims one attempt on `key` at `now` (unix seconds), atomically.
pub async fn claim(pool: &Pool, key: &str, policy: Policy, now: i64) -> sqlx::Result<Claim> {
    // Each lost race means another attempt was counted first; a few rounds always settle.
    for _ in 0..8 {
        let old = db::throttle_row(pool, key).await?;
        let current = old.unwrap_or_default();
        if current.next_at > now {
            return Ok(Claim::Wait(current.next_at - now));
        }
        let attempts = if now - current.last_at > policy.window {
            1
        } else {
            current.attempts + 1
        };
        let wait = policy.delay(attempts);
        let new = ThrottleRow {
            attempts,
            last_at: now,
            next_at: now + wait,
        };
        if db::throttle_swap(pool, key, old, new).await? {
            return Ok(Claim::Granted { attempts, wait });
        }
    }
    Ok(Claim::Wait(1))
}

/// How long `key` still asks to wait, without claiming anything.
pub async fn waiting(pool: &Pool, key: &str, now: i64) -> sqlx::Result<i64> {
    Ok(db::throttle_row(pool, key)
        .await?
        .map_or(0, |r| (r.next_at - now).max(0)))
}

/// Claims every key in turn, stopping at the first that asks to wait (returned).
pub async fn claim_all(
    pool: &Pool,
    keys: &[(String, Policy)],
    now: i64,
) -> sqlx::Result<Option<i64>> {
    for (key, policy) in keys {
        if let Claim::Wait(s) = claim(pool, key, *policy, now).await? {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

/// A wait in words: "30 seconds", "1 minute", "2 hours" (rounded up).
pub fn wait_words(seconds: i64) -> String {
    let (n, unit) = if seconds < 60 {
        (seconds.max(1), "second")
    } else if seconds < 3600 {
        ((seconds + 59) / 60, "minute")
    } else {
        ((seconds + 3599) / 3600, "hour")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_attempts_and_double_to_the_cap() {
        let p = ACCOUNT_FROM_ADDRESS;
        let waits: Vec<i64> = (1..=14).map(|n| p.delay(n)).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
        );
        assert_eq!(CODES.delay(2), 0);
        assert_eq!(CODES.delay(3), 60);
        assert_eq!(CODES.delay(4), 120);
        assert_eq!(CODES.delay(1000), 24 * 3600);
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_words(0), "1 second");
        assert_eq!(wait_words(2), "2 seconds");
        assert_eq!(wait_words(60), "1 minute");
        assert_eq!(wait_words(61), "2 minutes");
        assert_eq!(wait_words(3600), "1 hour");
        assert_eq!(wait_words(86400), "24 hours");
    }
}
