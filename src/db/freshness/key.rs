//! What a read can depend on and a write can change: the keys of targeted
//! invalidation. The same words are the cache tags a CDN purges by
//! (`Surrogate-Key`) and what a change notice carries to other instances.

use std::fmt;
use std::str::FromStr;

use crate::domain::{ArticleId, CategoryId, SessionId, TagId, UserId};

/// One thing a response shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// Anything at all: a read nobody described depends on every write, and
    /// a write nobody described changes every read.
    Everything,
    /// An article as the public sees it: its fields, its byline, its
    /// `comment_count`, whether it is published at all.
    Article(ArticleId),
    /// The comments of an article.
    Thread(ArticleId),
    /// Which published articles a feed holds, and in what order.
    Feed(Feed),
    /// What every search matches: the text of published articles.
    Search,
    /// A section's own fields (its name, where it sits in the tree).
    Section(CategoryId),
    /// The tree of sections: which exist, their slugs, where each sits.
    Sections,
    /// The curated collections: which exist, their fields, what they hold.
    Collections,
    /// The moderation queue: which comments wait for an editor, and why.
    Moderation,
    /// An account's standing (disabled, its role changed): every access
    /// token issued to it until this change is refused from now on.
    Account(UserId),
    /// One sign-in ended (signed out, or its refresh token replayed): its
    /// access tokens are refused from now on.
    Session(SessionId),
}

/// The feeds a published article appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feed {
    /// The unfiltered feed (the home page), and feeds filtered only by time.
    All,
    /// The feed of one section (a parent's feed holds its sub-sections' too).
    Section(CategoryId),
    Tag(TagId),
    Author(UserId),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Everything => f.write_str("all"),
            Key::Article(id) => write!(f, "article:{id}"),
            Key::Thread(id) => write!(f, "thread:{id}"),
            Key::Feed(Feed::All) => f.write_str("feed"),
            Key::Feed(Feed::Section(id)) => write!(f, "feed:section:{id}"),
            Key::Feed(Feed::Tag(id)) => write!(f, "feed:tag:{id}"),
            Key::Feed(Feed::Author(id)) => write!(f, "feed:author:{id}"),
            Key::Search => f.write_str("search"),
            Key::Section(id) => write!(f, "section:{id}"),
            Key::Sections => f.write_str("sections"),
            Key::Collections => f.write_str("collections"),
            Key::Moderation => f.write_str("moderation"),
            Key::Account(id) => write!(f, "account:{id}"),
            Key::Session(id) => write!(f, "session:{id}"),
        }
    }
}

/// A key that does not read back (a notice from a newer release, say).
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownKey;

impl FromStr for Key {
    type Err = UnknownKey;

    fn from_str(raw: &str) -> Result<Self, UnknownKey> {
        fn id<T: FromStr>(raw: &str) -> Result<T, UnknownKey> {
            raw.parse().map_err(|_| UnknownKey)
        }
        Ok(match raw.split_once(':') {
            None => match raw {
                "all" => Key::Everything,
                "feed" => Key::Feed(Feed::All),
                "search" => Key::Search,
                "sections" => Key::Sections,
                "collections" => Key::Collections,
                "moderation" => Key::Moderation,
                _ => return Err(UnknownKey),
            },
            Some(("article", rest)) => Key::Article(id(rest)?),
            Some(("thread", rest)) => Key::Thread(id(rest)?),
            Some(("section", rest)) => Key::Section(id(rest)?),
            Some(("account", rest)) => Key::Account(id(rest)?),
            Some(("session", rest)) => Key::Session(id(rest)?),
            Some(("feed", rest)) => match rest.split_once(':') {
                Some(("section", rest)) => Key::Feed(Feed::Section(id(rest)?)),
                Some(("tag", rest)) => Key::Feed(Feed::Tag(id(rest)?)),
                Some(("author", rest)) => Key::Feed(Feed::Author(id(rest)?)),
                _ => return Err(UnknownKey),
            },
            Some(_) => return Err(UnknownKey),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_as_itself() {
        let keys = [
            Key::Everything,
            Key::Article(ArticleId::generate()),
            Key::Thread(ArticleId::generate()),
            Key::Feed(Feed::All),
            Key::Feed(Feed::Section(CategoryId::generate())),
            Key::Feed(Feed::Tag(TagId::generate())),
            Key::Feed(Feed::Author(UserId::generate())),
            Key::Search,
            Key::Section(CategoryId::generate()),
            Key::Sections,
            Key::Collections,
            Key::Moderation,
            Key::Account(UserId::generate()),
            Key::Session(SessionId::generate()),
        ];
        for key in keys {
            let written = key.to_string();
            assert!(!written.contains(' '), "a surrogate key has no spaces: {written}");
            assert_eq!(written.parse(), Ok(key));
        }
    }

    #[test]
    fn what_does_not_read_back_is_unknown() {
        for raw in ["", "article:", "article:x", "feed:section", "feed:planet:1", "everything", "all:1"] {
            assert_eq!(raw.parse::<Key>(), Err(UnknownKey), "{raw}");
        }
    }
}
