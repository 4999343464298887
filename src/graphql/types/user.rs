use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};

use super::time::Timestamp;
use crate::domain::article::Byline;
use crate::domain::user::User;
use crate::domain::{Role, UserId};
use crate::graphql::loaders::PersonLoader;
use crate::service::accounts::Person;

/// A person: an author on a byline, a commenter, an account. One type for
/// one person, wherever they appear, so a normalized cache keeps them once.
pub struct UserObject {
    id: UserId,
    display_name: String,
    /// Known when the person was read whole; loaded (in one batch) otherwise.
    person: Option<Person>,
}

impl UserObject {
    /// A person as someone allowed to see the whole account sees them.
    pub fn account(user: User) -> Self {
        Self {
            id: user.id,
            display_name: user.display_name.clone(),
            person: Some(Person {
                id: user.id,
                display_name: user.display_name.clone(),
                bio: user.bio.clone(),
                account: Some(user),
            }),
        }
    }

    pub fn person(person: Person) -> Self {
        Self { id: person.id, display_name: person.display_name.clone(), person: Some(person) }
    }

    async fn whole<'a>(
        &'a self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<std::borrow::Cow<'a, Person>>> {
        if let Some(person) = &self.person {
            return Ok(Some(std::borrow::Cow::Borrowed(person)));
        }
        let loader = ctx.data_unchecked::<DataLoader<PersonLoader>>();
        Ok(loader.load_one(self.id).await?.map(std::borrow::Cow::Owned))
    }

    /// The account's private fields, if the viewer may see them.
    async fn private(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(self.whole(ctx).await?.and_then(|p| p.account.clone()))
    }
}

impl From<Byline> for UserObject {
    fn from(b: Byline) -> Self {
        Self { id: b.id, display_name: b.display_name, person: None }
    }
}

#[Object(name = "User")]
impl UserObject {
    pub async fn id(&self) -> ID {
        self.id.into()
    }
    async fn display_name(&self) -> &str {
        &self.display_name
    }
    /// The author page on the public site (bylined staff have one).
    async fn url(&self, ctx: &Context<'_>) -> String {
        crate::graphql::context::services(ctx).site().author_url(self.id)
    }
    async fn bio(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(self.whole(ctx).await?.map(|p| p.bio.clone()).unwrap_or_default())
    }
    /// The sign-in address: for the person themselves and admins; null otherwise.
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.private(ctx).await?.map(|a| a.email.as_str().to_owned()))
    }
    /// For the person themselves and admins; null otherwise.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        Ok(self.private(ctx).await?.map(|a| a.role))
    }
    /// A disabled account cannot sign in or refresh its tokens. For the
    /// person themselves and admins; null otherwise.
    async fn disabled(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<bool>> {
        Ok(self.private(ctx).await?.map(|a| a.disabled))
    }
    /// Trusted by the editors: comments skip pre-moderation. For the person
    /// themselves and admins; null otherwise.
    async fn trusted(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<bool>> {
        Ok(self.private(ctx).await?.map(|a| a.trusted))
    }
    /// For the person themselves and admins; null otherwise.
    async fn created_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Timestamp>> {
        Ok(self.private(ctx).await?.map(|a| Timestamp(a.created_at)))
    }
    /// For the person themselves and admins; null otherwise.
    async fn updated_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Timestamp>> {
        Ok(self.private(ctx).await?.map(|a| Timestamp(a.updated_at)))
    }
}

/// A sign-up taken: the same whether the address was new or had an account.
#[derive(SimpleObject)]
pub struct RegistrationPayload {
    /// The address, as accounts store it (trimmed, lower-case).
    pub email: String,
    pub message: String,
}

impl From<crate::domain::Email> for RegistrationPayload {
    fn from(email: crate::domain::Email) -> Self {
        Self { email: email.as_str().to_owned(), message: crate::service::sessions::REGISTERED.to_owned() }
    }
}

/// Tokens for a signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Exchange with `refreshToken` for a new pair; works once.
    pub refresh_token: String,
    pub user: UserObject,
}

impl From<crate::service::sessions::TokenPair> for AuthPayload {
    fn from(pair: crate::service::sessions::TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            token_type: "Bearer".to_owned(),
            expires_in: pair.expires_in_secs,
            refresh_token: pair.refresh_token,
            user: UserObject::account(pair.user),
        }
    }
}
