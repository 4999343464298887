use super::{Role, UserId};

/// A signed-in caller, as proven by a verified access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub role: Role,
}

/// Whoever is making a request: the service layer decides what each may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    #[default]
    Anonymous,
    User(Principal),
}

impl Viewer {
    pub fn principal(&self) -> Option<Principal> {
        match self {
            Self::Anonymous => None,
            Self::User(principal) => Some(*principal),
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.principal().map(|p| p.role)
    }

    pub fn is_editor(&self) -> bool {
        self.role().is_some_and(Role::is_editor)
    }

    pub fn is_staff(&self) -> bool {
        self.role().is_some_and(Role::is_staff)
    }
}
