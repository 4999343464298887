//! User accounts.

use super::Services;
use super::assemble;
use super::editorial::require;
use crate::auth::password;
use crate::db::models::UserRow;
use crate::db::repo::{articles, sessions, users};
use crate::domain::page::{CursorKind, KeyCursor, Limit, Page};
use crate::domain::text::{BIO, DISPLAY_NAME};
use crate::domain::time::{now, to_db};
use crate::domain::user::User;
use crate::domain::{Email, Role, UserId, Viewer};
use crate::error::{AppError, AppResult, FieldErrors};

/// An account to create, as received.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub bio: Option<String>,
    pub role: Role,
}

impl Services {
    /// Creates an account with no permission check: for the operator's CLI
    /// and the seeder, which act with the machine's authority.
    pub async fn create_user_unchecked(&self, new: NewUser) -> AppResult<User> {
        let mut errors = FieldErrors::default();
        let email = errors.check(Email::parse(&new.email, "email"));
        let display_name = errors.check(DISPLAY_NAME.check(&new.display_name, "display_name"));
        let bio = errors.check(BIO.check(new.bio.as_deref().unwrap_or(""), "bio"));
        errors.check(password::check_new(&new.password, "password"));
        errors.finish()?;
        let (Some(email), Some(display_name), Some(bio)) = (email, display_name, bio) else {
            return Err(AppError::internal(anyhow::anyhow!("validated fields missing")));
        };
        let hash = self.hashing(move || password::hash(&new.password)).await?;
        let at = now();
        let user = User {
            id: UserId::generate(),
            email,
            display_name,
            bio,
            role: new.role,
            disabled: false,
            created_at: at,
            updated_at: at,
        };
        let row = UserRow {
            id: user.id.to_string(),
            email: user.email.as_str().to_owned(),
            display_name: user.display_name.clone(),
            bio: user.bio.clone(),
            role: user.role.as_str().to_owned(),
            password_hash: hash,
            disabled: false,
            created_at: to_db(at),
            updated_at: to_db(at),
        };
        self.db()
            .run(move |conn| {
                users::insert(conn, &row).map_err(|e| match e {
                    AppError::Conflict { .. } => AppError::conflict("that email is already registered"),
                    other => other,
                })
            })
            .await?;
        Ok(user)
    }
}

/// An admin's changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

impl Services {
    /// Every account, oldest first, a page at a time. Admins only.
    pub async fn list_users(
        &self,
        viewer: Viewer,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<User>> {
        require(viewer, Role::Admin)?;
        let mut errors = FieldErrors::default();
        let limit = errors.check(Limit::new(limit, "limit")).unwrap_or_default();
        let after = cursor.and_then(|c| errors.check(KeyCursor::decode(CursorKind::Users, &c, "cursor")));
        errors.finish()?;
        let rows = self
            .db()
            .run(move |conn| users::page(conn, after.as_ref().map(|c| c.0.as_str()), limit.probe()))
            .await?;
        let users = rows.into_iter().map(assemble::user).collect::<AppResult<Vec<_>>>()?;
        Ok(Page::from_probe(users, limit, |u: &User| KeyCursor(u.id.to_string()).encode(CursorKind::Users)))
    }

    /// One account. Admins only.
    pub async fn get_user(&self, viewer: Viewer, id: String) -> AppResult<User> {
        require(viewer, Role::Admin)?;
        let id: UserId = id.trim().parse().map_err(|_| AppError::NotFound("user"))?;
        let row = self.db().run(move |conn| users::by_id(conn, &id.to_string())).await?;
        assemble::user(row.ok_or(AppError::NotFound("user"))?)
    }

    /// Creates an account with any role. Admins only.
    pub async fn create_user(&self, viewer: Viewer, new: NewUser) -> AppResult<User> {
        require(viewer, Role::Admin)?;
        self.create_user_unchecked(new).await
    }

    /// Changes an account: role, disabled flag, name, bio. Admins only; an
    /// admin cannot disable or demote themselves (someone must stay in
    /// charge). A disabled account's sign-ins end at once.
    pub async fn update_user(&self, viewer: Viewer, id: String, patch: UserPatch) -> AppResult<User> {
        let me = require(viewer, Role::Admin)?;
        let id: UserId = id.trim().parse().map_err(|_| AppError::NotFound("user"))?;
        let mut errors = FieldErrors::default();
        let display_name =
            patch.display_name.as_deref().and_then(|n| errors.check(DISPLAY_NAME.check(n, "display_name")));
        let bio = patch.bio.as_deref().and_then(|b| errors.check(BIO.check(b, "bio")));
        let role = patch.role.as_deref().and_then(|r| errors.check(Role::parse_field(r.trim(), "role")));
        errors.finish()?;
        if id == me.user_id && (patch.disabled == Some(true) || role.is_some_and(|r| r < Role::Admin)) {
            return Err(AppError::conflict("you cannot disable or demote your own account"));
        }
        let disabled = patch.disabled;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    users::by_id(conn, &id.to_string())?.ok_or(AppError::NotFound("user"))?;
                    let at = to_db(now());
                    let changes = users::UserChanges {
                        display_name,
                        bio,
                        role: role.map(|r| r.as_str().to_owned()),
                        disabled,
                        updated_at: Some(at),
                    };
                    let renamed = changes.display_name.is_some();
                    users::update(conn, &id.to_string(), &changes)?;
                    if renamed {
                        // Bylines show display names: rewrite those of this user's articles.
                        let credited = articles::ids_by_author(conn, &id.to_string())?;
                        articles::refresh_relations(conn, &credited)?;
                    }
                    if disabled == Some(true) {
                        sessions::revoke_user(conn, &id.to_string(), at)?;
                    }
                    Ok(())
                })
            })
            .await?;
        self.get_user(viewer, id.to_string()).await
    }
}
