//! User accounts.

use super::Services;
use crate::auth::password;
use crate::db::models::UserRow;
use crate::db::repo::users;
use crate::domain::text::{BIO, DISPLAY_NAME};
use crate::domain::time::{now, to_db};
use crate::domain::user::User;
use crate::domain::{Email, Role, UserId};
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
        let hash = tokio::task::spawn_blocking(move || password::hash(&new.password))
            .await
            .map_err(AppError::internal)??;
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
