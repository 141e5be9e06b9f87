//! Long lists a page at a time: which page `?page=N` asks for, which entries it holds, and the
//! words above the list ("Showing 51 to 100 of 1,204 entries"). A page past the last shows
//! the last, and says so; anything that is not a page number shows the first.

use serde::{Deserialize, Serialize};

/// How many entries a page of a long list holds (the audit log, the trust register).
pub const PAGE_SIZE: usize = 50;

/// One page of a list of `total` entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// The page shown, from 1.
    pub page: usize,
    /// How many pages there are: at least 1, even for an empty list.
    pub pages: usize,
    /// Entries a page holds.
    pub size: usize,
    /// Entries in the whole list (after its filters).
    pub total: usize,
    /// The page number asked for when it was past the last (the last is shown instead).
    pub past_end: Option<String>,
}

impl Paging {
    /// The page `requested` (the `?page=` value as given) of a list of `total` entries,
    /// `size` a page. Absent, empty, 0 or not a whole number: the first page.
    pub fn new(requested: &str, total: usize, size: usize) -> Self {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let digits = requested.trim().trim_start_matches('0');
        let number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        // A number too long to count is past the last page too.
        let asked = number.then(|| digits.parse::<usize>().unwrap_or(usize::MAX));
        let (page, past_end) = match asked {
            Some(p) if p > pages => (pages, Some(digits.to_string())),
            Some(p) => (p, None),
            None => (1, None),
        };
        Paging {
            page,
            pages,
            size,
            total,
            past_end,
        }
    }

    /// How many entries come before this page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.size
    }

    /// The positions (from 0) of this page's entries in the whole list.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = self.offset().min(self.total);
        start..(start + self.size).min(self.total)
    }

    /// This page's entries of the whole list.
    pub fn slice<T>(&self, all: Vec<T>) -> Vec<T> {
        let range = self.range();
        all.into_iter()
            .skip(range.start)
            .take(range.end - range.start)
            .collect()
    }

    /// "Showing 51 to 100 of 1,204 entries" (`many` the plural of what is listed).
    pub fn showing(&self, many: &str) -> String {
        let range = self.range();
        format!(
            "Showing {} to {} of {} {many}",
            grouped(range.start + 1),
            grouped(range.end),
            grouped(self.total)
        )
    }

    /// Why this is not the page asked for, when it was past the last.
    pub fn past_end_words(&self) -> Option<String> {
        self.past_end.as_ref().map(|asked| {
            let asked = match asked.parse::<usize>() {
                Ok(n) => grouped(n),
                Err(_) => asked.clone(),
            };
            format!(
                "There is no page {asked}. This is the last page, page {} of {}.",
                self.page, self.pages
            )
        })
    }

    /// The previous page's number, if there is one.
    pub fn previous(&self) -> Option<usize> {
        (self.page > 1).then(|| self.page - 1)
    }

    /// The next page's number, if there is one.
    pub fn next(&self) -> Option<usize> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

/// A whole number with commas between thousands: 1,204.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_page_holds_the_second_fifty() {
        let p = Paging::new("2", 1204, 50);
        assert_eq!((p.page, p.pages, p.past_end.clone()), (2, 25, None));
        assert_eq!(p.range(), 50..100);
        assert_eq!(p.showing("entries"), "Showing 51 to 100 of 1,204 entries");
        assert_eq!((p.previous(), p.next()), (Some(1), Some(3)));
        let all: Vec<usize> = (0..1204).collect();
        assert_eq!(p.slice(all), (50..100).collect::<Vec<_>>());
    }

    #[test]
    fn the_last_page_may_be_short() {
        let p = Paging::new("25", 1204, 50);
        assert_eq!(p.range(), 1200..1204);
        assert_eq!(
            p.showing("entries"),
            "Showing 1,201 to 1,204 of 1,204 entries"
        );
        assert_eq!((p.previous(), p.next()), (Some(24), None));
    }

    #[test]
    fn a_page_past_the_last_shows_the_last_and_says_so() {
        let p = Paging::new("40", 120, 50);
        assert_eq!((p.page, p.pages), (3, 3));
        assert_eq!(p.past_end.as_deref(), Some("40"));
        assert_eq!(
            p.past_end_words().as_deref(),
            Some("There is no page 40. This is the last page, page 3 of 3.")
        );
        assert_eq!(p.range(), 100..120);
        let huge = Paging::new("99999999999999999999999", 120, 50);
        assert_eq!(
            huge.page, 3,
            "too long to count, and still past the last page"
        );
        assert_eq!(
            huge.past_end_words().as_deref(),
            Some("There is no page 99999999999999999999999. This is the last page, page 3 of 3.")
        );
    }

    #[test]
    fn anything_but_a_page_number_is_the_first_page() {
        for asked in ["", "0", "000", "-3", "two", "1.5", " 1 ", "+2"] {
            let p = Paging::new(asked, 120, 50);
            assert_eq!((p.page, p.past_end), (1, None), "{asked:?}");
        }
        assert_eq!(Paging::new("02", 120, 50).page, 2);
        assert_eq!(Paging::new("", 120, 50).previous(), None);
    }

    #[test]
    fn an_empty_list_has_one_empty_page() {
        let p = Paging::new("3", 0, 50);
        assert_eq!((p.page, p.pages), (1, 1));
        assert_eq!(p.range(), 0..0);
        assert_eq!((p.previous(), p.next()), (None, None));
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }
}
