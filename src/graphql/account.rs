//! Mutations of accounts (one's own, and admins' of anyone's, password-reset
//! links included), merged into the schema's `Mutation` type.

use async_graphql::{Context, ID, Object};

use super::context::{request, services, viewer};
use super::errors::Gql;
use super::types::account::PasswordResetObject;
use super::types::inputs::{CreateUserInput, UpdateProfileInput, UpdateUserInput};
use super::types::user::UserObject;
use crate::domain::field::Invalid;
use crate::domain::user::NewPassword;
use crate::error::AppError;

#[derive(Default)]
pub struct AccountMutations;

/// A new password as typed, or its refusal naming the argument.
fn new_password(raw: &str) -> async_graphql::Result<NewPassword> {
    NewPassword::parse(raw, "newPassword").map_err(|e| AppError::from(Invalid::from(e))).gql()
}

#[Object]
impl AccountMutations {
    /// Changes the signed-in user's display name or bio; a new name shows on
    /// their comments (and a staff member's bylines) at once. Signed-in users.
    async fn update_me(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
    ) -> async_graphql::Result<UserObject> {
        let patch = input.try_into().gql()?;
        Ok(UserObject::account(services(ctx).update_profile(viewer(ctx), patch).await.gql()?))
    }

    /// Changes the signed-in user's password, given the current one. Every
    /// other sign-in ends at once; this one goes on. A wrong
    /// `currentPassword` is `VALIDATION_FAILED`. Limited as signing in is.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let new = self::new_password(&new_password)?;
        let request = request(ctx);
        let services = services(ctx);
        services
            .change_password(request.ip, request.viewer, request.session, current_password, new)
            .await
            .gql()?;
        Ok(true)
    }

    /// Deletes the signed-in reader's account, given its password: their
    /// comments stay as tombstones, nothing personal is kept, every sign-in
    /// ends. Staff accounts are closed by an admin (`FORBIDDEN`).
    async fn delete_me(&self, ctx: &Context<'_>, password: String) -> async_graphql::Result<bool> {
        services(ctx).delete_account(request(ctx).ip, viewer(ctx), password).await.gql()?;
        Ok(true)
    }

    /// Creates an account with any role. Admins only.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> async_graphql::Result<UserObject> {
        let new = input.try_into().gql()?;
        Ok(UserObject::account(services(ctx).create_user(viewer(ctx), new).await.gql()?))
    }

    /// Role, disabled flag, trusted mark, name, bio. Admins only.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateUserInput,
    ) -> async_graphql::Result<UserObject> {
        let patch = input.try_into().gql()?;
        Ok(UserObject::account(services(ctx).update_user(viewer(ctx), &id, patch).await.gql()?))
    }

    /// Issues a one-time password-reset link for an account, valid for 24
    /// hours; it replaces the account's earlier ones. Admins only.
    async fn create_password_reset(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> async_graphql::Result<PasswordResetObject> {
        Ok(services(ctx).issue_password_reset(viewer(ctx), &user_id).await.gql()?.into())
    }

    /// Sets a new password with a password-reset token, which is used up;
    /// every sign-in of the account ends. An unknown, used or expired token
    /// is `VALIDATION_FAILED` on `token`.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let new = self::new_password(&new_password)?;
        services(ctx).reset_password(request(ctx).ip, token, new).await.gql()?;
        Ok(true)
    }
}
