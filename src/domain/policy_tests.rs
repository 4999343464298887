//! The permission rules as a matrix: every kind of caller × every status ×
//! ownership, without a database.

use chrono::Duration;

use super::*;
use crate::domain::article::{Byline, CategoryRef};
use crate::domain::time::now;
use crate::domain::{ArticleId, CategoryId};

/// Who is asking, relative to the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Reader,
    /// An author on the article's byline.
    Bylined,
    /// The author who started it and is not on the byline any more: taken
    /// off the story, they have no more part in it than any other author.
    Creator,
    /// An author with no part in it.
    OtherAuthor,
    Editor,
    Admin,
}

const EVERYONE: [Who; 7] =
    [Who::Anonymous, Who::Reader, Who::Bylined, Who::Creator, Who::OtherAuthor, Who::Editor, Who::Admin];

struct Case {
    article: Article,
    bylined: UserId,
    creator: UserId,
}

impl Case {
    fn new(status: ArticleStatus, published_ago: Option<i64>) -> Self {
        let (bylined, creator) = (UserId::generate(), UserId::generate());
        let at = now();
        let article = Article {
            id: ArticleId::generate(),
            slug: "a".into(),
            title: "A".into(),
            summary: String::new(),
            body: None,
            cover_image: None,
            cover_media: None,
            seo: crate::domain::site::SeoFields::default(),
            category: CategoryRef { id: CategoryId::generate(), slug: "world".into(), name: "World".into() },
            tags: Vec::new(),
            authors: vec![Byline { id: bylined, display_name: "B".into() }],
            corrections: Vec::new(),
            created_by: creator,
            updated_by: creator,
            status,
            featured: false,
            published_at: published_ago.map(|secs| at - Duration::seconds(secs)),
            scheduled_at: None,
            expires_at: None,
            breaking_until: None,
            created_at: at,
            updated_at: at,
            version: 1,
            reading_time_minutes: 1,
            comment_count: 0,
            comments_mode: crate::domain::CommentsMode::Open,
            snippet: None,
        };
        Self { article, bylined, creator }
    }

    fn viewer(&self, who: Who) -> Viewer {
        let user = |user_id, role| Viewer::User(Principal { user_id, role });
        match who {
            Who::Anonymous => Viewer::Anonymous,
            Who::Reader => user(UserId::generate(), Role::Reader),
            Who::Bylined => user(self.bylined, Role::Author),
            Who::Creator => user(self.creator, Role::Author),
            Who::OtherAuthor => user(UserId::generate(), Role::Author),
            Who::Editor => user(UserId::generate(), Role::Editor),
            Who::Admin => user(UserId::generate(), Role::Admin),
        }
    }
}

const STATUSES: [ArticleStatus; 5] = [
    ArticleStatus::Draft,
    ArticleStatus::InReview,
    ArticleStatus::Scheduled,
    ArticleStatus::Published,
    ArticleStatus::Archived,
];

fn involved(who: Who) -> bool {
    who == Who::Bylined
}

fn editor(who: Who) -> bool {
    matches!(who, Who::Editor | Who::Admin)
}

#[test]
fn reading_matrix() {
    for status in STATUSES {
        for published_ago in [None, Some(60), Some(-60)] {
            let case = Case::new(status, published_ago);
            let public = status == ArticleStatus::Published && published_ago.is_some_and(|s| s >= 0);
            for who in EVERYONE {
                let expected = public || editor(who) || involved(who);
                let got = can_read(case.viewer(who), &case.article, now());
                assert_eq!(
                    got, expected,
                    "{who:?} reading a {status} article published {published_ago:?}s ago"
                );
                let refusal = may_read(case.viewer(who), &case.article, now()).err();
                assert_eq!(refusal, (!expected).then_some(Denied::Hidden("article")));
            }
        }
    }
}

#[test]
fn editing_matrix() {
    for status in STATUSES {
        let case = Case::new(status, (status == ArticleStatus::Published).then_some(60));
        let public = status == ArticleStatus::Published;
        for who in EVERYONE {
            let got = can_edit(case.viewer(who), &case.article, now());
            match who {
                Who::Anonymous => assert_eq!(got, Err(Denied::SignedOut)),
                Who::Reader => assert!(matches!(got, Err(Denied::Forbidden(_)))),
                Who::Editor | Who::Admin => assert!(got.is_ok(), "{who:?} edits a {status} article"),
                Who::Bylined if status == ArticleStatus::Draft => assert!(got.is_ok()),
                Who::Bylined => {
                    assert!(
                        matches!(got, Err(Denied::Forbidden(ref m)) if m.contains("drafts only")),
                        "{who:?} {status}"
                    )
                }
                Who::OtherAuthor | Who::Creator if public => {
                    assert!(matches!(got, Err(Denied::Forbidden(_))))
                }
                Who::OtherAuthor | Who::Creator => {
                    assert_eq!(got, Err(Denied::Hidden("article")), "{status}")
                }
            }
        }
    }
}

#[test]
fn lifecycle_moves_matrix() {
    let later = crate::domain::article::PublishTime::parse(now() + Duration::hours(1), now(), "at").unwrap();
    let moves = [
        Transition::Submit,
        Transition::Publish,
        Transition::Schedule(later),
        Transition::Unpublish,
        Transition::Archive,
    ];
    for status in STATUSES {
        let case = Case::new(status, (status == ArticleStatus::Published).then_some(60));
        for transition in moves {
            for who in EVERYONE {
                let got = can_move(case.viewer(who), &case.article, transition, now());
                let allowed = editor(who) || (transition == Transition::Submit && involved(who));
                assert_eq!(got.is_ok(), allowed, "{who:?} may {} a {status} article", transition.as_str());
                if who == Who::Anonymous {
                    assert_eq!(got, Err(Denied::SignedOut));
                }
            }
        }
    }
}

#[test]
fn revisions_are_for_authors_and_editors() {
    let case = Case::new(ArticleStatus::Published, Some(60));
    for who in EVERYONE {
        let got = can_see_revisions(case.viewer(who), &case.article, now());
        assert_eq!(got.is_ok(), editor(who) || involved(who), "{who:?}");
    }
}

#[test]
fn previews_are_shared_by_authors_and_editors_in_every_status() {
    for status in STATUSES {
        let case = Case::new(status, (status == ArticleStatus::Published).then_some(60));
        for who in EVERYONE {
            let got = can_share_preview(case.viewer(who), &case.article, now());
            assert_eq!(got.is_ok(), editor(who) || involved(who), "{who:?} {status:?}: {got:?}");
        }
    }
}

#[test]
fn staff_lists_and_bylines() {
    let case = Case::new(ArticleStatus::Draft, None);
    assert_eq!(staff_list(case.viewer(Who::Anonymous)), Err(Denied::SignedOut));
    assert!(matches!(staff_list(case.viewer(Who::Reader)), Err(Denied::Forbidden(_))));
    assert_eq!(staff_list(case.viewer(Who::Bylined)), Ok(Some(case.bylined)));
    assert_eq!(staff_list(case.viewer(Who::Editor)), Ok(None));

    let author = Principal { user_id: case.bylined, role: Role::Author };
    let someone = UserId::generate();
    assert!(can_credit(author, &[someone, case.bylined], "authors").is_ok());
    assert_eq!(can_credit(author, &[someone], "authors").unwrap_err().field, "authors");
    assert!(can_credit(Principal { user_id: someone, role: Role::Editor }, &[case.bylined], "a").is_ok());
}

#[test]
fn comments_matrix() {
    let public = Case::new(ArticleStatus::Published, Some(60));
    let draft = Case::new(ArticleStatus::Draft, None);
    for who in EVERYONE {
        let on_public = can_comment(public.viewer(who), &public.article, now());
        assert_eq!(on_public.is_ok(), who != Who::Anonymous, "{who:?}");
        let on_draft = can_comment(draft.viewer(who), &draft.article, now());
        let expected = match who {
            Who::Anonymous => Denied::SignedOut,
            Who::Reader | Who::OtherAuthor | Who::Creator => Denied::Hidden("article"),
            _ => Denied::NotNow("comments open when the article is published".into()),
        };
        assert_eq!(on_draft, Err(expected), "{who:?}");
    }

    let (author, other) = (UserId::generate(), UserId::generate());
    let reader = |user_id| Viewer::User(Principal { user_id, role: Role::Reader });
    let editor = Viewer::User(Principal { user_id: other, role: Role::Editor });
    for status in [CommentStatus::Visible, CommentStatus::Deleted] {
        assert!(can_see_comment(Viewer::Anonymous, status));
        assert!(can_change_comment(reader(author), author, status).is_ok());
        assert!(matches!(can_change_comment(reader(other), author, status), Err(Denied::Forbidden(_))));
    }
    assert!(!can_see_comment(reader(author), CommentStatus::Hidden));
    assert!(can_see_comment(editor, CommentStatus::Hidden));
    assert_eq!(
        can_change_comment(reader(author), author, CommentStatus::Hidden),
        Err(Denied::Hidden("comment"))
    );
    assert_eq!(visible_comment_statuses(editor).len(), 4);
    assert!(!visible_comment_statuses(Viewer::Anonymous).contains(&CommentStatus::Hidden));
    for viewer in [Viewer::Anonymous, reader(author)] {
        assert!(!can_see_comment(viewer, CommentStatus::Held));
        assert!(!visible_comment_statuses(viewer).contains(&CommentStatus::Held));
    }
    assert!(can_see_comment(editor, CommentStatus::Held));
    assert_eq!(
        can_change_comment(reader(author), author, CommentStatus::Held),
        Err(Denied::Hidden("comment"))
    );
}

#[test]
fn new_comments_follow_the_articles_comment_mode() {
    use crate::domain::CommentsMode::{Closed, Open, Premoderated};
    for role in [Role::Reader, Role::Author, Role::Editor, Role::Admin] {
        for trusted in [false, true] {
            let me = Principal { user_id: UserId::generate(), role };
            assert_eq!(new_comment_status(me, trusted, Open), Ok(CommentStatus::Visible));
            assert_eq!(
                new_comment_status(me, trusted, Closed),
                Err(Denied::NotNow("comments are closed on this article".into())),
                "closed is closed for {role} too"
            );
            let held = role == Role::Reader && !trusted;
            let expected = if held { CommentStatus::Held } else { CommentStatus::Visible };
            assert_eq!(
                new_comment_status(me, trusted, Premoderated),
                Ok(expected),
                "{role} trusted={trusted}"
            );
        }
    }
}

#[test]
fn management_needs_its_role() {
    let as_role = |role| Viewer::User(Principal { user_id: UserId::generate(), role });
    for (rule, needed) in [
        (can_moderate as fn(Viewer) -> Result<Principal, Denied>, Role::Editor),
        (can_report, Role::Reader),
        (can_manage_taxonomy, Role::Editor),
        (can_delete_articles, Role::Editor),
        (can_correct, Role::Editor),
        (can_curate, Role::Editor),
        (can_manage_users, Role::Admin),
        (can_read_audit, Role::Admin),
    ] {
        assert_eq!(rule(Viewer::Anonymous), Err(Denied::SignedOut));
        for role in [Role::Reader, Role::Author, Role::Editor, Role::Admin] {
            assert_eq!(rule(as_role(role)).is_ok(), role >= needed, "{role} vs {needed}");
        }
    }
}

#[test]
fn accounts_are_private_to_their_owner_and_admins() {
    let owner = UserId::generate();
    let as_role = |user_id, role| Viewer::User(Principal { user_id, role });
    assert!(can_see_account(as_role(owner, Role::Reader), owner));
    assert!(can_see_account(as_role(UserId::generate(), Role::Admin), owner));
    assert!(!can_see_account(as_role(UserId::generate(), Role::Editor), owner));
    assert!(!can_see_account(Viewer::Anonymous, owner));
}

#[test]
fn only_readers_delete_their_own_accounts() {
    assert_eq!(can_delete_own_account(Viewer::Anonymous), Err(Denied::SignedOut));
    for role in [Role::Reader, Role::Author, Role::Editor, Role::Admin] {
        let viewer = Viewer::User(Principal { user_id: UserId::generate(), role });
        assert_eq!(can_delete_own_account(viewer).is_ok(), role == Role::Reader, "{role}");
    }
}

#[test]
fn admins_cannot_lock_themselves_out() {
    let me = Principal { user_id: UserId::generate(), role: Role::Admin };
    assert!(can_change_account(me, me.user_id, true, None).is_err());
    assert!(can_change_account(me, me.user_id, false, Some(Role::Editor)).is_err());
    assert!(can_change_account(me, me.user_id, false, Some(Role::Admin)).is_ok());
    assert!(can_change_account(me, UserId::generate(), true, Some(Role::Reader)).is_ok());
}
