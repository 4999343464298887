//! User accounts: creating them, and their administration.

use super::Services;
use super::freshness::Key;
use crate::auth::password;
use crate::db::DbConn;
use crate::db::models::{NewUserRow, UserRow};
use crate::db::repo::{articles, sessions, users};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{CursorKind, KeyCursor, Limit, Page};
use crate::domain::text::{Bio, DisplayName};
use crate::domain::time::{now, to_db};
use crate::domain::user::{NewPassword, User};
use crate::domain::{Email, Role, SessionId, UserId, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::audit::{Done, record};

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub password: NewPassword,
    pub display_name: DisplayName,
    pub bio: Bio,
    pub role: Role,
}

/// An admin's changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub display_name: Option<DisplayName>,
    pub bio: Option<Bio>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// Trusted accounts' comments skip pre-moderation.
    pub trusted: Option<bool>,
}

/// A person as someone may see them: the public profile always, the
/// account's private fields only for themselves and admins.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: UserId,
    pub display_name: String,
    pub bio: String,
    pub account: Option<User>,
}

impl Person {
    /// `user` as `viewer` may see them.
    pub fn seen_by(viewer: Viewer, user: User) -> Self {
        Self {
            id: user.id,
            display_name: user.display_name.clone(),
            bio: user.bio.clone(),
            account: policy::can_see_account(viewer, user.id).then_some(user),
        }
    }
}

impl UserPatch {
    /// Asks for no change at all (`{}`): answered with the account as it is.
    pub fn is_empty(&self) -> bool {
        let Self { display_name, bio, role, disabled, trusted } = self;
        display_name.is_none() && bio.is_none() && role.is_none() && disabled.is_none() && trusted.is_none()
    }
}

impl Services {
    /// Creates an account with no permission check: for the operator's CLI
    /// and the seeder, which act with the machine's authority.
    pub async fn create_user_unchecked(&self, new: NewUser) -> AppResult<User> {
        self.insert_user(new, None).await
    }

    /// Creates an account, logged as `by`'s when an admin makes it.
    async fn insert_user(&self, new: NewUser, by: Option<UserId>) -> AppResult<User> {
        let NewUser { email, password, display_name, bio, role } = new;
        let hash = self.hashing(move || password::hash(password.expose())).await?;
        let at = to_db(now());
        let (display_name, bio, password_hash) = (display_name.into_string(), bio.into_string(), hash);
        let row = UserRow::new(NewUserRow { email, display_name, bio, role, password_hash }, at);
        let user = User::from(row.clone());
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    // A new account shows in no read anyone caches.
                    conn.changes([]);
                    users::insert(conn, &row).map_err(|e| match e {
                        AppError::Conflict { .. } => AppError::conflict("that email is already registered"),
                        other => other,
                    })?;
                    match by {
                        Some(admin) => record(
                            conn,
                            Some(admin),
                            Done::to(AuditAction::UserCreate, AuditTarget::User, row.id),
                        ),
                        None => Ok(()),
                    }
                })
            })
            .await?;
        Ok(user)
    }

    /// The id of the account an email names, with no permission check: for
    /// the operator's CLI and the seeder.
    pub async fn account_by_email(&self, email: &str) -> AppResult<UserId> {
        let email = Email::parse(email, "email")?;
        let row = self.db().run(move |conn| users::by_email(conn, &email)).await?;
        row.map(|r| r.id).ok_or(AppError::NotFound("account"))
    }

    /// Every account, oldest first, a page at a time. Admins only.
    pub async fn list_users(
        &self,
        viewer: Viewer,
        limit: Limit,
        after: Option<KeyCursor<UserId>>,
    ) -> AppResult<Page<User>> {
        policy::can_manage_users(viewer)?;
        let rows = self.db().run(move |conn| users::page(conn, after.map(|c| c.0), limit.probe())).await?;
        let users: Vec<User> = rows.into_iter().map(User::from).collect();
        Ok(Page::from_probe(users, limit, |u: &User| KeyCursor(u.id).encode(CursorKind::Users)))
    }

    /// People by id, as `viewer` may see them (bylines, comment authors,
    /// `node`): one query for any number.
    pub async fn people(&self, viewer: Viewer, ids: Vec<UserId>) -> AppResult<Vec<Person>> {
        // Changes to accounts are rare and change everything: reading names
        // adds nothing to what a response depends on.
        let rows = self.db().read(move |conn, _| users::by_ids(conn, &ids)).await?;
        Ok(rows.into_iter().map(|row| Person::seen_by(viewer, User::from(row))).collect())
    }

    /// One account. Admins only.
    pub async fn get_user(&self, viewer: Viewer, id: &str) -> AppResult<User> {
        policy::can_manage_users(viewer)?;
        self.user(user_id(id)?).await
    }

    /// An account that has not been deleted.
    pub(super) async fn user(&self, id: UserId) -> AppResult<User> {
        let row = self.db().run(move |conn| users::by_id(conn, id)).await?;
        row.filter(|r| r.deleted_at.is_none()).map(User::from).ok_or(AppError::NotFound("user"))
    }

    /// Creates an account with any role. Admins only.
    pub async fn create_user(&self, viewer: Viewer, new: NewUser) -> AppResult<User> {
        let me = policy::can_manage_users(viewer)?;
        self.insert_user(new, Some(me.user_id)).await
    }

    /// Changes an account: role, disabled flag, trusted mark, name, bio. Admins only; an
    /// admin cannot disable or demote themselves (someone must stay in
    /// charge). A disabled account's sign-ins end at once, and so do those
    /// of an account given another role (it signs in again to use it).
    pub async fn update_user(&self, viewer: Viewer, id: &str, patch: UserPatch) -> AppResult<User> {
        let me = policy::can_manage_users(viewer)?;
        let id = user_id(id)?;
        policy::can_change_account(me, id, patch.disabled == Some(true), patch.role)?;
        if patch.is_empty() {
            return self.user(id).await;
        }
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let before = users::lock(conn, id)?
                        .filter(|r| r.deleted_at.is_none())
                        .ok_or(AppError::NotFound("user"))?;
                    let at = to_db(now());
                    let changes = users::UserChanges {
                        display_name: patch.display_name.map(String::from),
                        bio: patch.bio.map(String::from),
                        role: patch.role,
                        disabled: patch.disabled,
                        trusted: patch.trusted,
                        password_hash: None,
                        updated_at: Some(at),
                    };
                    change_account(conn, id, &changes)?;
                    // A disabled account's sign-ins end, and so do those of
                    // an account whose role changed (its tokens carry the
                    // old role): at once, on every instance.
                    if patch.disabled == Some(true) || patch.role.is_some_and(|role| role != before.role) {
                        let ended = sessions::revoke_user(conn, id, at)?;
                        conn.changes([Key::Everything]);
                        conn.changes(ended_sign_ins(id, ended));
                    }
                    record(conn, Some(me.user_id), Done::to(AuditAction::UserUpdate, AuditTarget::User, id))
                })
            })
            .await?;
        self.user(id).await
    }
}

/// Changes an account's row; a new display name is rewritten into the
/// bylines of the articles it is credited on.
pub(super) fn change_account(conn: &mut DbConn, id: UserId, changes: &users::UserChanges) -> AppResult<()> {
    users::update(conn, id, changes)?;
    if changes.display_name.is_some() {
        rewrite_bylines(conn, id)?;
    }
    Ok(())
}

/// Rewrites the bylines of the articles `id` is credited on, which show
/// display names, after theirs changed.
pub(super) fn rewrite_bylines(conn: &mut DbConn, id: UserId) -> AppResult<()> {
    let credited = articles::ids_by_author(conn, id)?;
    articles::refresh_relations(conn, &credited)
}

/// Most sign-ins named one by one in a change notice.
pub(super) const NAMED_SIGN_INS: usize = 64;

/// The keys that end `sessions` of `user` on every instance: each sign-in
/// (at most 64), which refuses its tokens whatever the instances' clocks
/// say; and the account, which refuses every token issued to it until the
/// change by each instance's clock (tokens of the previous release, which
/// name no sign-in, and the sign-ins past the 64 named).
pub(super) fn ended_sign_ins(user: UserId, sessions: Vec<SessionId>) -> Vec<Key> {
    let named = sessions.into_iter().take(NAMED_SIGN_INS).map(Key::Session);
    std::iter::once(Key::Account(user)).chain(named).collect()
}

/// The id a path names; nothing else names an account.
pub(super) fn user_id(raw: &str) -> AppResult<UserId> {
    UserId::parse_field(raw, "id").map_err(|_| AppError::NotFound("user"))
}
