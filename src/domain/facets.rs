//! Facets of an article list: how many of its matches fall in each section
//! and in each month, for a results page's "refine by" links.

use std::collections::BTreeMap;

use super::CategoryId;
use super::taxonomy::Category;

/// Counts of everything a list matches, by section and by month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Most matches first; ties by name.
    pub sections: Vec<SectionCount>,
    /// Newest month first.
    pub months: Vec<MonthCount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionCount {
    /// The article's own section (a story in Europe counts under Europe,
    /// not World: filtering by World includes it anyway).
    pub section: Category,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    /// `YYYY-MM`, in UTC: the month of publication (of creation, for
    /// unpublished work).
    pub month: String,
    pub count: u64,
}

impl Facets {
    /// Folds counts per (section, month) into the two facets, naming each
    /// section from `sections`.
    pub fn fold(counts: impl IntoIterator<Item = (CategoryId, String, u64)>, sections: &[Category]) -> Self {
        let mut by_section: BTreeMap<CategoryId, u64> = BTreeMap::new();
        let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
        for (section, month, count) in counts {
            *by_section.entry(section).or_default() += count;
            *by_month.entry(month).or_default() += count;
        }
        let mut sections: Vec<SectionCount> = by_section
            .into_iter()
            .filter_map(|(id, count)| {
                sections
                    .iter()
                    .find(|s| s.id == id)
                    .map(|section| SectionCount { section: section.clone(), count })
            })
            .collect();
        sections.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.section.name.cmp(&b.section.name)));
        let months = by_month.into_iter().rev().map(|(month, count)| MonthCount { month, count }).collect();
        Self { sections, months }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn section(name: &str) -> Category {
        Category {
            id: CategoryId::generate(),
            slug: name.to_lowercase(),
            name: name.to_owned(),
            description: String::new(),
            parent_id: None,
            position: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn counts_fold_by_section_and_by_month() {
        let (europe, asia, sport) = (section("Europe"), section("Asia"), section("Sport"));
        let all = [europe.clone(), asia.clone(), sport.clone()];
        let facets = Facets::fold(
            [
                (europe.id, "2026-10".to_owned(), 2),
                (europe.id, "2026-11".to_owned(), 1),
                (sport.id, "2026-11".to_owned(), 3),
                (asia.id, "2025-12".to_owned(), 3),
            ],
            &all,
        );
        let sections: Vec<(&str, u64)> =
            facets.sections.iter().map(|s| (s.section.name.as_str(), s.count)).collect();
        assert_eq!(sections, [("Asia", 3), ("Europe", 3), ("Sport", 3)]);
        let months: Vec<(&str, u64)> = facets.months.iter().map(|m| (m.month.as_str(), m.count)).collect();
        assert_eq!(months, [("2026-11", 4), ("2026-10", 2), ("2025-12", 3)]);
        assert_eq!(Facets::fold([], &all), Facets::default());
    }
}
